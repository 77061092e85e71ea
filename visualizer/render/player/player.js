// The convolution player: frames painted on a canvas from a still first frame and per-step patches,
// played with requestAnimationFrame, stepped by buttons and keys, and a map of the cells so that
// pointing at a cell outlines what it reads or feeds. One module for the .html page, inline output and
// the Stepper widget (stepper.js, appended to this file, hands it the frames the kernel sent as bytes).
// Nothing here loads anything: every picture arrives in `data` as a data URI or a blob URL.

const ICONS = {
  first: "M3 4h2.5v12H3zM17 4v12L7 10z",
  back: "M15 4v12L5 10z",
  play: "M5 3v14l12-7z",
  pause: "M4 3h4v14H4zm8 0h4v14h-4z",
  forward: "M5 4v12l10-6z",
  last: "M3 4v12l10-6zM14.5 4H17v12h-2.5z",
  full: "M2 2h6v2H4v4H2zm10 0h6v6h-2V4h-4zM2 12h2v4h4v2H2zm14 0h2v6h-6v-2h4z",
};
const OUTLINE = "#d33682", FOOTPRINT = "#6c71c4";

function element(tag, name, attributes = {}, page = false) {
  const node = document.createElement(tag);
  node.className = "cv-" + name;
  if (page) node.id = name;  // the page's own ids: a page holds one player
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

function button(name, label, title, page, text) {
  const node = element("button", name, { "aria-label": label, title, type: "button" }, page);
  if (ICONS[name]) {
    // parsed from markup, the <svg> gets its namespace from the HTML parser: the page never spells its address
    node.innerHTML = '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="' + ICONS[name] + '"/></svg>';
  } else {
    node.textContent = text;
  }
  return node;
}

function loadImage(source) {
  const image = new Image();
  image.src = source;
  return image.decode().then(() => image);
}

// Where grid `g`'s cell (r, c) lies on the frame: the four corners of its box, lines included.
function corners(g, r0, c0, r1, c1, inset = 0) {
  const x0 = g.x + c0 * g.cell + inset, y0 = g.y + r0 * g.cell + inset;
  const x1 = g.x + c1 * g.cell + g.line - inset, y1 = g.y + r1 * g.cell + g.line - inset;
  const [a, b, c, d, e, f] = g.matrix;
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]].map(([x, y]) => [a * x + b * y + c, d * x + e * y + f]);
}

// The cell of grid `g` under frame point (x, y), or null.
function cellAt(g, x, y) {
  const [a, b, c, d, e, f] = g.matrix, det = a * e - b * d;
  const u = (e * (x - c) - b * (y - f)) / det, v = (a * (y - f) - d * (x - c)) / det;
  const col = Math.floor((u - g.x - g.line / 2) / g.cell), row = Math.floor((v - g.y - g.line / 2) / g.cell);
  return row >= 0 && row < g.rows && col >= 0 && col < g.cols ? [row, col] : null;
}

// options: page (take the window and its keys), start (the first step shown), playing (play from it),
// onShow(index) (told of every step shown, by play, keys, buttons or a click).
// `data` may hold only a stretch of the steps (the widget's, for an operation of many): `first` and the
// captions and patches from there, of `steps` in all; a step outside it waits for `onShow`'s caller to
// send the stretch that holds it (a new player), the last frame staying on the canvas meanwhile.
export function mount(root, data, options = {}) {
  const page = Boolean(options.page);
  const n = data.steps || data.captions.length, cells = data.cells;
  const first = data.first || 0;
  // a step is held once its frame has arrived: while pending, the one step that has a patch
  const held = (index) => index >= first && index < first + data.captions.length
    && !(data.pending && data.patches[index - first].length === 0);
  // steps in one output row, for PageUp and PageDown (the widget's); without it a focused slider keeps its own
  const row = data.row || 0;
  const state = { index: 0, painted: first - 1, playing: false, fps: data.fps, last: 0, pinned: null, hover: null };
  root.classList.add("cv-player");
  // only the step shown has arrived yet (the widget sends it first): keys, buttons and clicks still step, and
  // the kernel hears them, but other steps' frames wait for the rest
  root.classList.toggle("cv-pending", Boolean(data.pending));
  for (const still of root.querySelectorAll(".cv-still")) still.remove();  // shown only where scripts do not run
  if (!page) root.tabIndex = 0;

  // -- the picture, the text under it and the controls -------------------------------------------------
  const stage = element("div", "stage", {}, page);
  const canvas = element("canvas", "frame", { role: "img" }, page);
  canvas.width = data.width;
  canvas.height = data.height;
  if (!page) canvas.style.aspectRatio = data.width + " / " + data.height;
  const help = element("div", "help", { role: "dialog", "aria-label": "keys" }, page);
  const table = document.createElement("table");
  for (const [key, what] of data.keys) {
    const row = table.insertRow();
    const th = document.createElement("th");
    th.textContent = key;
    row.appendChild(th);
    row.insertCell().textContent = what;
  }
  help.appendChild(table);
  stage.append(canvas, help);
  const status = element("div", "status", { "aria-live": "polite" }, page);
  const stepText = element("span", "step", {}, page), caption = element("span", "caption", {}, page);
  status.append(stepText, caption);
  const controls = element("div", "controls", {}, page);
  const group = () => document.createElement("div");
  const moves = group(), place = group(), rate = group();
  const buttons = {
    first: button("first", "first step", "first step (Home)", page),
    back: button("back", "one step back", "one step back (\u2190)", page),
    play: button("play", "play", "play / pause (space)", page),
    forward: button("forward", "one step forward", "one step forward (\u2192)", page),
    last: button("last", "last step", "last step (End)", page),
    slower: button("slower", "slower", "slower (\u2212)", page, "\u2212"),
    faster: button("faster", "faster", "faster (+)", page, "+"),
    full: button("full", "full screen", "full screen (f)", page),
    keys: button("keys", "keys", "keys (h)", page, "?"),
  };
  const position = element("input", "position", { type: "range", min: 0, max: n - 1, value: 0, "aria-label": "step" }, page);
  const counter = element("span", "counter", {}, page), speedText = element("span", "speed", {}, page);
  moves.append(buttons.first, buttons.back, buttons.play, buttons.forward, buttons.last);
  place.append(position, counter);
  rate.append(buttons.slower, speedText, buttons.faster, buttons.full, buttons.keys);
  controls.append(moves, place, rate);
  root.append(stage, status, controls);

  // -- painting: the frame on an offscreen canvas, copied to the visible one with the outlines on top -----
  const frame = document.createElement("canvas");
  frame.width = data.width;
  frame.height = data.height;
  const frameContext = frame.getContext("2d"), context = canvas.getContext("2d");
  let sheets = null;

  function patch(index) {
    for (const [s, sx, sy, w, h, dx, dy] of data.patches[index - first]) {
      frameContext.drawImage(sheets[s], sx, sy, w, h, dx, dy, w, h);
    }
  }
  function outline(points, colour, width, dash = []) {
    context.beginPath();
    points.forEach(([x, y], k) => (k ? context.lineTo(x, y) : context.moveTo(x, y)));
    context.closePath();
    context.strokeStyle = colour;
    context.lineWidth = width;
    context.setLineDash(dash);
    context.stroke();
  }
  function paint() {
    if (!sheets || !held(state.index)) return;
    if (state.index < state.painted) state.painted = first - 1;  // patches go forwards only: from the still again
    while (state.painted < state.index) patch(++state.painted);
    context.drawImage(frame, 0, 0);
    const marks = highlight();
    for (const [g, r, c, rows, cols, dr, dc] of marks.footprints) {
      outline(corners(grids[g], r, c, r + (rows - 1) * dr + 1, c + (cols - 1) * dc + 1, 1.5), FOOTPRINT, 2, [6, 4]);
    }
    for (const [g, r, c] of marks.cells) outline(corners(grids[g], r, c, r + 1, c + 1, 1.5), OUTLINE, 3);
    root.dataset.painted = state.index;
  }

  // -- the cell map: which cells a pointed-at cell reads or feeds ---------------------------------------
  // Each step's [reads, writes]: blocks [grid, row, col, rows, cols, row step, col step] (a window with its
  // dilation is one block). A map of the first form (one window of taps per step, the same on every input
  // grid, into one cell of every output grid) is read as such blocks.
  const grids = cells ? cells.grids : [], links = cells ? cells.links || firstFormLinks(cells) : [];
  const named = cells && cells.named_by !== undefined ? cells.named_by : 1;  // the side whose cell names a step
  function firstFormLinks(map) {
    const kind = (name) => map.grids.map((g, k) => (g.kind === name ? k : -1)).filter((k) => k >= 0);
    const rs = [...new Set(map.taps.map(([r]) => r))], cs = [...new Set(map.taps.map(([, c]) => c))];
    const dr = rs.length > 1 ? rs[1] - rs[0] : 1, dc = cs.length > 1 ? cs[1] - cs[0] : 1;
    return map.steps.map(([r0, c0, i, j]) => [
      kind("input").map((g) => [g, r0 + rs[0], c0 + cs[0], rs.length, cs.length, dr, dc]),
      kind("output").map((g) => [g, i, j, 1, 1, 1, 1]),
    ]);
  }
  function holds([g, r0, c0, rows, cols, dr, dc], [k, r, c]) {
    const u = (r - r0) / dr, v = (c - c0) / dc;
    return g === k && Number.isInteger(u) && Number.isInteger(v) && u >= 0 && v >= 0 && u < rows && v < cols;
  }
  function cellsOf([g, r0, c0, rows, cols, dr, dc]) {
    const all = [];
    for (let u = 0; u < rows; u++) for (let v = 0; v < cols; v++) all.push([g, r0 + u * dr, c0 + v * dc]);
    return all;
  }
  // a grid that shows different things from step to step (its "pages") joins a step only while showing its page
  const shown = (g, step) => !grids[g].pages || grids[g].pages[step] === grids[g].pages[state.index];
  function joins(cell) {  // [step, side] for every step that reads (side 0) or writes (side 1) the cell
    const found = [];
    links.forEach((sides, step) => {
      if (!shown(cell[0], step)) return;
      sides.forEach((blocks, side) => { if (blocks.some((b) => holds(b, cell))) found.push([step, side]); });
    });
    return found;
  }
  function namedStep(cell) {  // the step this cell names, or -1
    const single = (b) => b[3] * b[4] === 1 && holds(b, cell);
    const hit = joins(cell).find(([step, side]) => side === named && links[step][side].some(single));
    return hit ? hit[0] : -1;
  }
  function highlight() {
    const marks = { cells: new Map(), footprints: new Map() }, target = state.hover || state.pinned;
    const mark = (into, entry) => into.set(entry.join(","), entry);
    if (target) mark(marks.cells, target);
    for (const [step, side] of target ? joins(target) : []) {
      // the other side, cell by cell (a window, or the outputs fed); on this side the same cell of the step's
      // other grids (a colour image's channels), and on the pointed-at grid the windows that cover the cell
      for (const b of links[step][1 - side]) if (shown(b[0], step)) for (const c of cellsOf(b)) mark(marks.cells, c);
      for (const b of links[step][side]) {
        if (!shown(b[0], step)) continue;
        if (b[3] * b[4] === 1) mark(marks.cells, b.slice(0, 3));
        else if (b[0] === target[0]) mark(marks.footprints, b);
      }
    }
    return { cells: [...marks.cells.values()], footprints: [...marks.footprints.values()] };
  }
  function pointed(event) {
    // the canvas keeps its aspect ratio inside its box (object-fit: contain)
    const box = canvas.getBoundingClientRect();
    const scale = Math.min(box.width / data.width, box.height / data.height);
    const x = (event.clientX - box.left - (box.width - data.width * scale) / 2) / scale;
    const y = (event.clientY - box.top - (box.height - data.height * scale) / 2) / scale;
    for (let g = 0; g < grids.length; g++) {
      const cell = cellAt(grids[g], x, y);
      if (cell) return [g, ...cell];
    }
    return null;
  }
  function same(a, b) { return a === b || (a && b && a[0] === b[0] && a[1] === b[1] && a[2] === b[2]); }
  if (cells) {
    canvas.addEventListener("pointermove", (event) => {
      const cell = pointed(event);
      if (!same(cell, state.hover)) { state.hover = cell; paint(); }
    });
    canvas.addEventListener("pointerleave", () => { state.hover = null; paint(); });
    canvas.addEventListener("click", (event) => {
      const cell = pointed(event);
      state.pinned = same(cell, state.pinned) ? null : cell;
      const step = cell ? namedStep(cell) : -1;
      if (step >= 0) {
        play(false);
        show(step);
      } else {
        paint();
      }
    });
  }

  // -- stepping and playing --------------------------------------------------------------------------
  function show(index) {
    state.index = ((index % n) + n) % n;
    root.dataset.index = state.index;
    canvas.setAttribute("aria-label", "step " + (state.index + 1) + " of " + n);
    stepText.textContent = "step " + (state.index + 1) + "/" + n + " ";
    caption.textContent = held(state.index) ? data.captions[state.index - first] : "\u2026";
    position.value = state.index;
    counter.textContent = state.index + 1 + " / " + n;
    paint();
    if (options.onShow) options.onShow(state.index);
  }
  function tick() {
    if (!state.playing) return;
    // the clock play started on: a frame's own time stamp may lie before the moment play was pressed
    const t = performance.now();
    const period = 1000 / state.fps;
    if (t - state.last >= period && held(state.index)) {  // a step still on its way holds the beat
      state.last = t - ((t - state.last) % period);  // late frames keep the beat instead of drifting
      show(state.index + 1);
    }
    requestAnimationFrame(tick);
  }
  function play(on) {
    if (on && !state.playing) {
      state.last = performance.now();
      requestAnimationFrame(tick);
    }
    state.playing = on;
    root.classList.toggle("cv-playing", on);
    buttons.play.setAttribute("aria-label", on ? "pause" : "play");
    buttons.play.querySelector("path").setAttribute("d", on ? ICONS.pause : ICONS.play);
  }
  // by hand a step stops at either end, as the slider does; only playing goes round
  function step(delta) { play(false); show(Math.min(Math.max(state.index + delta, 0), n - 1)); }
  function speed(delta) {
    const faster = data.speeds.filter((s) => s > state.fps), slower = data.speeds.filter((s) => s < state.fps);
    if (delta > 0 && faster.length) state.fps = faster[0];
    if (delta < 0 && slower.length) state.fps = slower[slower.length - 1];
    speedText.textContent = state.fps + " fps";
  }
  function fullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (root.requestFullscreen) root.requestFullscreen().catch(() => {});
  }
  function toggleHelp() { help.classList.toggle("cv-shown"); }

  const onFullScreen = () => root.classList.toggle("cv-fullscreen", document.fullscreenElement === root);
  document.addEventListener("fullscreenchange", onFullScreen);
  const actions = {
    " ": () => play(!state.playing), "ArrowRight": () => step(1), "ArrowLeft": () => step(-1),
    "Home": () => step(-state.index), "End": () => step(n - 1 - state.index),
    "+": () => speed(1), "=": () => speed(1), "-": () => speed(-1), "\u2212": () => speed(-1),
    "f": fullScreen, "F": fullScreen, "h": toggleHelp, "H": toggleHelp, "?": toggleHelp,
  };
  if (row) Object.assign(actions, { "PageDown": () => step(row), "PageUp": () => step(-row) });
  // a page listens everywhere; inline output only while the player has the focus, so the notebook keeps its keys.
  // Capture phase, so a focused button or slider never also acts on the same key.
  const onKey = (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" && help.classList.contains("cv-shown")) { toggleHelp(); return; }
    const action = actions[event.key];
    if (action) { event.preventDefault(); event.stopPropagation(); action(); }
  };
  (page ? document : root).addEventListener("keydown", onKey, true);
  const clicks = {
    first: actions.Home, back: actions.ArrowLeft, play: actions[" "], forward: actions.ArrowRight,
    last: actions.End, slower: actions["-"], faster: actions["+"], full: fullScreen, keys: toggleHelp,
  };
  for (const [name, action] of Object.entries(clicks)) {
    buttons[name].addEventListener("click", () => {
      action();
      if (page) buttons[name].blur();  // a page's keys stay the page's; inline, the focus stays in the player
    });
  }
  position.addEventListener("input", () => { play(false); show(Number(position.value)); });
  show(Math.min(Math.max(options.start || 0, 0), n - 1));
  speed(0);
  if (options.playing) play(true);
  const ready = Promise.all(data.sheets.map(loadImage)).then((images) => {
    sheets = images;
    paint();
    root.dataset.ready = "1";
  });
  // a player replaced by a new one (the widget's frames rebuilt) stops and lets go of the page
  function destroy() {
    play(false);
    document.removeEventListener("fullscreenchange", onFullScreen);
    (page ? document : root).removeEventListener("keydown", onKey, true);
  }
  return { show, play, ready, state, highlight, destroy };
}
