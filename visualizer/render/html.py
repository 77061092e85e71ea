"""A self-contained HTML player: the animation as offline slides for a projector.

The page carries every frame inside itself as a PNG data URI and its own
controls and keys, so it needs no network, no CDN and no icon font:

======================  =====================================
space                   play / pause
→ / ←                   one step forward / back
Home / End              first / last step
+ / −                   faster / slower
f                       full screen (the browser's Fullscreen API)
h                       this list of keys, over the frame
======================  =====================================
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence

from PIL import Image

# Frames per second that + and − step through, from whatever speed the page starts at.
SPEEDS = (0.25, 0.5, 1, 2, 3, 4, 6, 8, 12, 24)

KEYS = (
    ("space", "play / pause"),
    ("→  ←", "one step forward / back"),
    ("Home  End", "first / last step"),
    ("+  −", "faster / slower"),
    ("f", "full screen"),
    ("h", "show / hide these keys"),
)

# "http" must not appear anywhere in the page, not even by chance inside base64 data or a
# caption: the match's last letter is written as an escape that the browser reads back.
_URL_SCHEME = re.compile(r"(htt)([pP])", re.IGNORECASE)


def html_player(
    frames: Sequence[Image.Image],
    *,
    fps: float = 2,
    title: str = "convolution",
    captions: Sequence[str] | None = None,
) -> str:
    """One HTML page that plays ``frames`` with its own controls, offline.

    Parameters
    ----------
    frames : sequence of PIL images
        One image per step, all the same size (mode "P" frames stay paletted: smaller files).
    fps : float
        Starting speed in frames per second (> 0); + and − change it in the page.
    title : str
        Page title and heading.
    captions : sequence of str, optional
        One line per frame shown under it (the step's arithmetic); empty when omitted.

    Returns
    -------
    str
        The page; it holds no ``http`` at all and loads nothing from outside itself.

    Examples
    --------
    >>> from PIL import Image
    >>> page = html_player([Image.new("RGB", (4, 4), c) for c in "red blue".split()], fps=2,
    ...                    title="a <b>", captions=["1 + 1 = 2", "2 × 2 = 4"])
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.lower(), "a &lt;b&gt;" in page
    (True, False, True)
    """
    sizes = {frame.size for frame in frames}
    if len(sizes) > 1:
        raise ValueError(f"frames must all have one size, got {sorted(sizes)}")
    return "".join(html_player_parts(frames, len(frames), fps=fps, title=title, captions=captions))


def html_player_parts(
    frames: Iterable[Image.Image],
    count: int,
    *,
    fps: float = 2,
    title: str = "convolution",
    captions: Sequence[str] | None = None,
) -> Iterator[str]:
    """The page of :func:`html_player` in pieces, each frame encoded only when the page reaches it.

    Written piece by piece to a file, the page never sits whole in memory, nor do
    the frames: ``frames`` may be a generator of ``count`` images.

    >>> from PIL import Image
    >>> frames = (Image.new("RGB", (4, 4), c) for c in "red blue".split())
    >>> "".join(html_player_parts(frames, 2)) == html_player([Image.new("RGB", (4, 4), c) for c in ("red", "blue")])
    True
    """
    if count < 1:
        raise ValueError("frames must hold at least one image")
    if not fps > 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}")
    captions = [""] * count if captions is None else [str(c) for c in captions]
    if len(captions) != count:
        raise ValueError(f"captions must give one line per frame: {count} frames, {len(captions)} captions")
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ValueError("frames must hold at least one image")
    (width, height), first_uri = first.size, _data_uri(first)
    help_rows = "".join(f"<tr><th>{_text(key)}</th><td>{_text(what)}</td></tr>" for key, what in KEYS)
    fields = {
        "TITLE": _text(title),
        "WIDTH": str(width),
        "HEIGHT": str(height),
        "HELP": help_rows,
        "FIRST": _text(first_uri),
        "CAPTION": _text(captions[0]),
        "COUNT": str(count),
        "MAX": str(count - 1),
    }
    # one pass over each half, so text put in (a title, a caption) is never read again as a placeholder
    head, tail = (re.sub(r"__([A-Z]+)__", lambda m: fields[m[1]], half) for half in _PAGE.split("__DATA__"))
    # the same text as _json of the whole {"frames", "captions", "speeds", "fps"} object, a frame at a time
    yield head + '{"frames": [' + _json(first_uri)
    drawn = 1
    for frame in frames:
        if frame.size != (width, height):
            raise ValueError(f"frames must all have one size, got {(width, height)} and {frame.size}")
        yield ", " + _json(_data_uri(frame))
        drawn += 1
    if drawn != count:
        raise ValueError(f"count must be the number of frames: {count} announced, {drawn} given")
    rest = f', "captions": {_json(captions)}, "speeds": {_json(SPEEDS)}, "fps": {_json(float(fps))}}}'
    yield "]" + rest + tail


def _data_uri(frame: Image.Image) -> str:
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _text(text: str) -> str:
    """Text for HTML element content and attributes."""
    return _URL_SCHEME.sub(lambda m: m[1] + f"&#{ord(m[2])};", html.escape(text))


def _json(value: object) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no "http"."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _URL_SCHEME.sub(lambda m: m[1] + f"\\u{ord(m[2]):04x}", text)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; background: #fff; color: #002b36; font: 18px/1.4 "DejaVu Sans", sans-serif; }
  #player { display: flex; flex-direction: column; align-items: center; gap: 8px; padding: 12px;
            box-sizing: border-box; height: 100vh; background: #fff; }
  h1 { font-size: 20px; margin: 0; font-weight: normal; }
  #player.fullscreen h1 { display: none; }
  /* the frame fills the space left by the title, caption and controls: big on a projector */
  #stage { position: relative; flex: 1 1 0; min-height: 120px; width: 100%; }
  #frame { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
  #caption { font: 22px/1.3 "DejaVu Sans Mono", monospace; min-height: 1.3em; text-align: center;
             overflow-wrap: anywhere; max-width: 100%; }
  #controls { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: 6px 24px; }
  #controls > div { display: flex; align-items: center; gap: 6px; }
  #controls button { min-width: 44px; height: 40px; border: 2px solid #002b36; border-radius: 6px;
                     background: #fff; color: #002b36; font: inherit; cursor: pointer;
                     display: inline-flex; align-items: center; justify-content: center; }
  #controls button:hover { background: #eee8d5; }
  #controls svg { width: 20px; height: 20px; fill: currentColor; }
  #position { width: min(30vw, 300px); accent-color: #268bd2; }
  #counter, #speed { font-variant-numeric: tabular-nums; min-width: 4.5em; text-align: center; }
  #help { position: absolute; inset: 0; display: none; align-items: center; justify-content: center;
          background: rgba(0, 43, 54, 0.88); color: #fff; font-size: clamp(12px, 3.2vmin, 26px); }
  #help.shown { display: flex; }
  #help th { text-align: right; padding: 4px 24px; font-family: "DejaVu Sans Mono", monospace; }
  #help td { text-align: left; padding: 4px 0; }
</style>
</head>
<body>
<div id="player">
  <h1>__TITLE__</h1>
  <div id="stage">
    <img id="frame" alt="step 1 of __COUNT__" width="__WIDTH__" height="__HEIGHT__" src="__FIRST__">
    <div id="help" role="dialog" aria-label="keys"><table>__HELP__</table></div>
  </div>
  <div id="caption">__CAPTION__</div>
  <div id="controls">
    <div>
    <button id="first" title="first step (Home)" aria-label="first step">
      <svg viewBox="0 0 20 20"><rect x="3" y="4" width="2.5" height="12"/><path d="M17 4v12L7 10z"/></svg></button>
    <button id="back" title="one step back (←)" aria-label="one step back">
      <svg viewBox="0 0 20 20"><path d="M15 4v12L5 10z"/></svg></button>
    <button id="play" title="play / pause (space)" aria-label="play">
      <svg viewBox="0 0 20 20"><path id="play-icon" d="M5 3v14l12-7z"/></svg></button>
    <button id="forward" title="one step forward (→)" aria-label="one step forward">
      <svg viewBox="0 0 20 20"><path d="M5 4v12l10-6z"/></svg></button>
    <button id="last" title="last step (End)" aria-label="last step">
      <svg viewBox="0 0 20 20"><path d="M3 4v12l10-6z"/><rect x="14.5" y="4" width="2.5" height="12"/></svg></button>
    </div>
    <div>
    <input id="position" type="range" min="0" max="__MAX__" value="0" aria-label="step">
    <span id="counter">1 / __COUNT__</span>
    </div>
    <div>
    <button id="slower" title="slower (−)" aria-label="slower">−</button>
    <span id="speed"></span>
    <button id="faster" title="faster (+)" aria-label="faster">+</button>
    <button id="full" title="full screen (f)" aria-label="full screen">
      <svg viewBox="0 0 20 20"><path d="M2 2h6v2H4v4H2zm10 0h6v6h-2V4h-4zM2 12h2v4h4v2H2zm14 0h2v6h-6v-2h4z"/>
      </svg></button>
    <button id="keys" title="keys (h)" aria-label="keys">?</button>
    </div>
  </div>
</div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const $ = (id) => document.getElementById(id);
  const player = $("player"), img = $("frame"), caption = $("caption"), position = $("position");
  const state = { index: 0, playing: false, fps: data.fps, timer: null };

  function show(index) {
    const n = data.frames.length;
    state.index = ((index % n) + n) % n;
    img.src = data.frames[state.index];
    img.alt = "step " + (state.index + 1) + " of " + n;
    img.dataset.index = state.index;
    caption.textContent = data.captions[state.index];
    position.value = state.index;
    $("counter").textContent = (state.index + 1) + " / " + n;
  }
  function schedule() {
    clearInterval(state.timer);
    state.timer = state.playing ? setInterval(() => show(state.index + 1), 1000 / state.fps) : null;
  }
  function play(on) {
    state.playing = on;
    player.classList.toggle("playing", on);
    $("play").setAttribute("aria-label", on ? "pause" : "play");
    $("play-icon").setAttribute("d", on ? "M4 3h4v14H4zm8 0h4v14h-4z" : "M5 3v14l12-7z");
    schedule();
  }
  // by hand a step stops at either end, as the slider does; only playing goes round
  function step(delta) { play(false); show(Math.min(Math.max(state.index + delta, 0), data.frames.length - 1)); }
  function speed(delta) {
    const faster = data.speeds.filter((s) => s > state.fps), slower = data.speeds.filter((s) => s < state.fps);
    if (delta > 0 && faster.length) state.fps = faster[0];
    if (delta < 0 && slower.length) state.fps = slower[slower.length - 1];
    $("speed").textContent = state.fps + " fps";
    schedule();
  }
  function fullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (player.requestFullscreen) { player.requestFullscreen().catch(() => {}); }
  }
  function help() { $("help").classList.toggle("shown"); }

  document.addEventListener("fullscreenchange", () => {
    player.classList.toggle("fullscreen", document.fullscreenElement === player);
  });
  const actions = {
    " ": () => play(!state.playing), "ArrowRight": () => step(1), "ArrowLeft": () => step(-1),
    "Home": () => step(-state.index), "End": () => step(data.frames.length - 1 - state.index),
    "+": () => speed(1), "=": () => speed(1), "-": () => speed(-1), "\u2212": () => speed(-1),
    "f": fullScreen, "F": fullScreen, "h": help, "H": help, "?": help,
  };
  // capture phase, so a focused button or slider never also acts on the same key
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape" && $("help").classList.contains("shown")) { help(); return; }
    const action = actions[event.key];
    if (action) { event.preventDefault(); event.stopPropagation(); action(); }
  }, true);
  const buttons = {
    first: actions.Home, back: actions.ArrowLeft, play: actions[" "], forward: actions.ArrowRight,
    last: actions.End, slower: actions["-"], faster: actions["+"], full: fullScreen, keys: help,
  };
  for (const [id, action] of Object.entries(buttons)) {
    $(id).addEventListener("click", (event) => { action(); event.currentTarget.blur(); });
  }
  position.addEventListener("input", () => { play(false); show(Number(position.value)); });
  show(0);
  speed(0);
})();
</script>
</body>
</html>
"""
