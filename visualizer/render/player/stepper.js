// The Stepper widget's view (anywidget): appended to player.js, so `mount` is the one player's.
// The kernel sends the sprite sheets once, as one buffer of PNGs (`_sheets`), and the rest of the
// player's data as JSON (`_player`); `step` is synced both ways: the kernel sets it and the view
// shows that step, the view plays or is clicked and the kernel hears the step.

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

function render({ model, el }) {
  let player = null, urls = [], saving = 0;
  function build() {
    const meta = model.get("_player");
    if (!meta || !meta.patches) return;
    const focused = el.contains(document.activeElement);
    if (player) player.destroy();
    urls.forEach((url) => URL.revokeObjectURL(url));
    urls = sheetUrls(meta, model.get("_sheets"));
    const box = document.createElement("div");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", meta.alt);
    el.replaceChildren(box);
    player = mount(box, { ...meta, sheets: urls }, {
      start: model.get("step"),
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
    const index = model.get("step");
    if (player && index !== player.state.index && index >= 0 && index < model.get("_player").captions.length) {
      player.show(index);
    }
  }
  model.on("change:_player", build);
  model.on("change:step", follow);
  build();
  return () => {
    model.off("change:_player", build);
    model.off("change:step", follow);
    if (player) player.destroy();
    urls.forEach((url) => URL.revokeObjectURL(url));
  };
}

export default { render };
