// The Stepper widget's view (anywidget): appended to player.js, so `mount` is the one player's.
// The kernel sends the sprite sheets once, as one buffer of PNGs (`_sheets`), and the rest of the
// player's data as JSON (`_player`); `step` is synced both ways: the kernel sets it and the view
// shows that step, the view plays or is clicked and the kernel hears the step. The view also tells the
// kernel how wide it is (`width`), which draws the frames again to fit it.

// a frame this much wider or narrower than the width told last is drawn again; less (a scroll bar coming
// and going) is left to the browser's scaling, so a new frame's own effect on the page cannot loop
const RESIZE_BY = 0.1, RESIZE_AFTER_MS = 250;

function sheetUrls(meta, bytes) {
  // a DataView in Jupyter; other hosts may hand over the ArrayBuffer itself
  const view = bytes instanceof DataView ? bytes : new DataView(bytes.buffer || bytes);
  let offset = 0;
  return meta.sheet_sizes.map((size) => {
    const part = new Uint8Array(view.buffer, view.byteOffset + offset, size);
    offset += size;
    return URL.createObjectURL(new Blob([part], { type: "image/png" }));
  });
}

// Tell the kernel the pixels across a frame may take: the box the view sits in (the Stepper's row, a
// marimo cell), whose width does not follow the frame's, less the view's margins and the player's padding.
// Only once the width rests: a window dragged wider passes through many.
function followWidth(model, el) {
  // the nearest box that is laid out: marimo wraps the view in `display: contents`, inside a shadow root
  function container(node) {
    const up = (n) => n.parentElement || (n.getRootNode().host ?? null);
    let box = up(node);
    while (box && getComputedStyle(box).display === "contents") box = up(box);
    return box;
  }
  let timer = 0, watched = null;
  const observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(tell, RESIZE_AFTER_MS); });
  function tell() {
    const box = container(el);
    if (!box) return;  // a view is drawn before it is put in the page: its size comes when it is
    if (box !== watched) {
      if (watched) observer.unobserve(watched);
      observer.observe(box);
      watched = box;
    }
    const outer = getComputedStyle(box), own = getComputedStyle(el);
    const player = el.querySelector(".cv-player");
    const padding = player ? getComputedStyle(player) : { paddingLeft: "8", paddingRight: "8" };
    const sides = (style, a, b) => (parseFloat(style[a]) || 0) + (parseFloat(style[b]) || 0);
    const room = Math.floor(box.clientWidth - sides(outer, "paddingLeft", "paddingRight")
      - sides(own, "marginLeft", "marginRight") - sides(padding, "paddingLeft", "paddingRight"));
    const told = model.get("width");
    if (room <= 0) return;  // not laid out (a hidden tab): nothing to measure
    if (!told || Math.abs(room - told) > RESIZE_BY * told) {
      model.set("width", room);
      model.save_changes();
    }
  }
  observer.observe(el);  // it is put in the page, or its frames change: the box it sits in is looked at again
  return () => { observer.disconnect(); clearTimeout(timer); };
}

function render({ model, el }) {
  let player = null, urls = [], saving = 0, playing = false;
  function build() {
    const meta = model.get("_player");
    if (!meta || !meta.patches) return;
    const focused = el.contains(document.activeElement);
    if (player) {
      playing = player.state.playing;  // plays on into the next stretch of steps, or the rest of them
      player.destroy();
    }
    urls.forEach((url) => URL.revokeObjectURL(url));
    urls = sheetUrls(meta, model.get("_sheets"));
    const box = document.createElement("div");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", meta.alt);
    el.replaceChildren(box);
    player = mount(box, { ...meta, sheets: urls }, {
      start: model.get("step"),
      playing,
      onShow(index) {
        if (model.get("step") === index) return;
        model.set("step", index);
        // told to the kernel after the frame is painted, at most once a frame while playing
        if (!saving) saving = requestAnimationFrame(() => setTimeout(() => { saving = 0; model.save_changes(); }));
      },
    });
    if (focused) box.focus();
  }
  function follow() {
    const index = model.get("step"), meta = model.get("_player");
    if (player && index !== player.state.index && index >= 0 && index < (meta.steps || meta.captions.length)) {
      player.show(index);
    }
  }
  model.on("change:_player", build);
  model.on("change:step", follow);
  build();
  const unfollow = followWidth(model, el);
  return () => {
    unfollow();
    model.off("change:_player", build);
    model.off("change:step", follow);
    if (player) player.destroy();
    urls.forEach((url) => URL.revokeObjectURL(url));
  };
}

export default { render };
