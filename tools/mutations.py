"""The deliberate bugs that ``tools/mutate.py`` plants, one at a time, to see whether the tests notice.

Each entry replaces one exact piece of text in one file: a small, plausible
slip of the kind a learner would see (a window drawn at (col, row), a GIF that
loses its pause, a minus sign that reads as a hyphen). ``old`` must occur
exactly once in ``file``; when the code around it moves, the mutation is
reported "stale" and must be updated here, never silently skipped.

``tests`` are the pytest paths or node ids that should catch the bug, most
telling first (pytest runs them in this order and stops at the first failure).
A module path such as ``visualizer/text.py`` runs its doctests.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mutation:
    """One deliberate bug: replace ``old`` (found exactly once in ``file``) with ``new``."""

    id: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    description: str

    def problem(self, root: Path) -> str | None:
        """Why this mutation cannot be applied to the tree at ``root`` (it is stale), or None."""
        path = root / self.file
        if not path.is_file():
            return f"{self.file} does not exist"
        count = path.read_text(encoding="utf-8").count(self.old)
        return None if count == 1 else f"its old text occurs {count} times in {self.file}, not once"

    def apply(self, text: str) -> str:
        """``text`` with the bug planted (``old`` must occur exactly once)."""
        return text.replace(self.old, self.new, 1)

    def compiles(self, root: Path) -> bool:
        """Whether the mutated file still parses (Python, or JavaScript where node is installed)."""
        source = self.apply((root / self.file).read_text(encoding="utf-8"))
        return _parses_js(source) if self.file.endswith(".js") else _parses(source)


def _parses_js(source: str) -> bool:
    node = shutil.which("node")
    if node is None:  # nothing here can check JavaScript; the browser tests will
        return True
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "module.mjs"
        module.write_text(source, encoding="utf-8")
        return subprocess.run([node, "--check", str(module)], capture_output=True).returncode == 0


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


GEOMETRY = "visualizer/geometry.py"
KERNELS = "visualizer/kernels.py"
TEXT = "visualizer/text.py"
EXPORT = "visualizer/render/export.py"
BUDGET = "visualizer/render/budget.py"
GIF_STREAM = "visualizer/render/gif_stream.py"
FILES = "visualizer/files.py"
PLAYER = "visualizer/render/player/player.js"
CLI = "visualizer/cli.py"
ARGUMENTS = "visualizer/arguments.py"
PHOTO_COMMANDS = "visualizer/photo_commands.py"
WIDGET = "visualizer/widget.py"
EXPLAIN = "visualizer/explain.py"
PRESENTER = "visualizer/presenter.py"
FILTERS = "visualizer/filters.py"
IMAGES = "visualizer/images.py"
STEP = "visualizer/step.py"
TRANSPOSED = "visualizer/transposed.py"
POOLING = "visualizer/pooling.py"
POOLING_STEPS = "visualizer/pooling_steps.py"
ACTIVATIONS = "visualizer/activations.py"
SCENE = "visualizer/scenes/convolution.py"
SCENE_SETUP = "visualizer/scenes/conv_layout.py"
SCENE_BASE = "visualizer/scenes/base.py"
OBLIQUE = "visualizer/scenes/oblique.py"
PRODUCTS = "visualizer/scenes/products.py"
LAYER_PRODUCTS = "visualizer/scenes/layer_products.py"
SHADING = "visualizer/scenes/shading.py"
RASTER = "visualizer/render/raster.py"
VECTOR = "visualizer/render/vector.py"
PRESENTER_WINDOW = "visualizer/presenter_window.py"

SAME_TESTS = (
    "tests/test_geometry.py::test_same_pads_follow_tensorflow",
    "tests/test_cli_core.py::test_info_same_padding_even_kernel",
    "tests/test_lesson.py",
)
TEXT_TESTS = (
    "tests/test_arithmetic_line.py",
    "tests/test_properties.py::test_arithmetic_line_adds_up",
    "tests/test_properties.py::test_format_number_is_short_and_close",
    "tests/test_cli_core.py",
    "tests/test_export.py::test_caption_of_a_colour_step",
    "tests/test_widget.py",
)
GIF_TESTS = (
    "tests/test_export.py::test_gif_has_one_frame_per_step_loops_and_holds_the_last",
    "tests/test_export.py::test_gif_frame_k_shades_the_footprint_of_step_k",
    "tests/test_cli_animate.py",
)
SLIDES_TESTS = ("tests/test_html_player.py", "tests/test_html_slides.py")
PLAYER_TESTS = ("tests/test_player_browser.py",)
PRESENTER_TESTS = (
    "tests/test_present.py::test_step_keys_and_playing",
    "tests/test_present.py::test_speed_keys_change_the_timer",
    "tests/test_present.py::test_parameter_keys_cycle_and_redraw",
    "tests/test_present.py::test_kernel_key_walks_the_presets",
)
SOBEL_TESTS = (
    "tests/test_properties.py::test_sobel_magnitude_against_scipy",
    "tests/test_properties.py::test_edge_kernels_ignore_flat_areas",
    "tests/test_lesson.py::test_sobel_magnitude_combines_x_and_y",
    "tests/test_filters.py",
    "tests/test_cli_filter.py::test_filter_sobel_writes_the_magnitude_and_reports_clipping",
)

MUTATIONS: tuple[Mutation, ...] = (
    # -- geometry ---------------------------------------------------------------------
    Mutation(
        id="same-pads-extra-before",
        file=GEOMETRY,
        old="return total // 2, total - total // 2",
        new="return total - total // 2, total // 2",
        tests=SAME_TESTS,
        description="'same' puts the odd extra row/column before (top/left), not after as TensorFlow does",
    ),
    Mutation(
        id="same-output-floor",
        file=GEOMETRY,
        old="out = -(-size // stride)",
        new="out = size // stride",
        tests=SAME_TESTS,
        description="'same' sizes the output floor(H/S) instead of ceil(H/S)",
    ),
    Mutation(
        id="output-size-ceil",
        file=GEOMETRY,
        old="return (padded - span) // stride + 1",
        new="return -(-(padded - span) // stride) + 1",
        tests=("tests/test_geometry.py::test_output_size_counts_window_positions", "tests/test_lesson.py"),
        description="the output size rounds up (a last window hanging off the edge) instead of down",
    ),
    Mutation(
        id="full-pads-rows-cols-swapped",
        file=GEOMETRY,
        old="return (dr * (m - 1),) * 2 + (dc * (n - 1),) * 2",
        new="return (dc * (n - 1),) * 2 + (dr * (m - 1),) * 2",
        tests=(
            "tests/test_geometry.py::test_output_shape_and_pads_match_reference",
            "tests/test_geometry.py::test_full_padding_grows_the_output",
            "tests/test_lesson.py",
        ),
        description="'full' pads the rows by the kernel's width and the columns by its height",
    ),
    Mutation(
        id="pair-padding-order",
        file=GEOMETRY,
        old="return (rows, rows, cols, cols)",
        new="return (rows, cols, rows, cols)",
        tests=(
            "tests/test_geometry.py::test_resolve_pads_forms",
            "tests/test_geometry.py::test_output_shape_and_pads_match_reference",
            "tests/test_cli_core.py::test_info_dilation_and_stride_pairs",
        ),
        description="padding=(rows, cols) comes back as (top, bottom, left, right) = (rows, cols, rows, cols)",
    ),
    Mutation(
        id="window-origins-column-major",
        file=GEOMETRY,
        old="for i in range(out_shape[0]) for j in range(out_shape[1])]",
        new="for j in range(out_shape[1]) for i in range(out_shape[0])]",
        tests=("tests/test_geometry.py::test_window_origins_row_major",),
        description="window origins listed column by column instead of row-major",
    ),
    Mutation(
        id="window-taps-ignore-dilation",
        file=GEOMETRY,
        old="range(r, r + dilation[0] * (m - 1) + 1, dilation[0])",
        new="range(r, r + m)",
        tests=(
            "tests/test_geometry.py::test_window_taps",
            "tests/test_frame.py",
            "tests/test_export.py::test_gif_frame_k_shades_the_footprint_of_step_k",
        ),
        description="the drawn footprint covers M adjacent rows instead of every d-th row",
    ),
    Mutation(
        id="formula-dilated-span",
        file=GEOMETRY,
        old='f"{dilation}·({kernel}−1) − 1"',
        new='f"{dilation}·({kernel}−1)"',
        tests=(
            "tests/test_geometry.py::test_formula_text",
            "tests/test_geometry.py::test_formula_evaluates_to_output_size",
            "tests/test_cli_core.py",
        ),
        description="the formula line drops the '− 1' of the dilated span d(M−1)+1",
    ),
    # -- kernels ----------------------------------------------------------------------
    Mutation(
        id="sobel-y-sign",
        file=KERNELS,
        old='"sobel_y": _fixed([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])',
        new='"sobel_y": _fixed([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])',
        tests=("tests/test_kernel_definitions.py", *SOBEL_TESTS),
        description="sobel_y points up instead of down (its sign flipped)",
    ),
    Mutation(
        id="emboss-rotated",
        file=KERNELS,
        old='"emboss": _fixed([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])',
        new='"emboss": _fixed([[2, 1, 0], [1, 1, -1], [0, -1, -2]])',
        tests=(
            "tests/test_kernel_definitions.py",
            "tests/test_filters.py",
            "tests/test_cli_filter.py::test_kernel_and_kernel_values_are_the_same_option",
        ),
        description="emboss rotated 180° (light from the other side)",
    ),
    Mutation(
        id="gaussian-centre-weight",
        file=KERNELS,
        old="[[1, 2, 1], [2, 4, 2], [1, 2, 1]], 16)",
        new="[[1, 2, 1], [2, 5, 2], [1, 2, 1]], 16)",
        tests=(
            "tests/test_properties.py::test_smoothing_kernels_keep_brightness",
            "tests/test_properties.py::test_sized_kernels",
        ),
        description="the 3×3 Gaussian's centre weight 5/16 instead of 4/16",
    ),
    Mutation(
        id="gaussian-binomial-row",
        file=KERNELS,
        old="comb(size - 1, k) for k in range(size)",
        new="comb(size, k) for k in range(size)",
        tests=(
            "tests/test_properties.py::test_sized_kernels",
            "tests/test_widget.py::test_impossible_combination_keeps_the_last_good_picture",
        ),
        description="sized Gaussians take the wrong row of Pascal's triangle",
    ),
    Mutation(
        id="kernel-name-by-shape",
        file=KERNELS,
        old="k.shape == weights.shape and np.array_equal(k, weights)",
        new="k.shape == weights.shape",
        tests=(
            "tests/test_widget.py::test_kernel_preset_and_edited_weights",
            "tests/test_present.py::test_kernel_key_walks_the_presets",
        ),
        description="kernel_name() names the first preset of the same shape, whatever its weights",
    ),
    # -- text: the arithmetic line and numbers -----------------------------------------
    Mutation(
        id="arithmetic-leading-minus",
        file=TEXT,
        old='line = ("−" if line.startswith(" − ") else "") + line[3:]',
        new="line = line[3:]",
        tests=TEXT_TESTS,
        description="a line whose first weight is negative loses its minus sign",
    ),
    Mutation(
        id="term-negative-weight-plus",
        file=TEXT,
        old='return f" − {w[1:]}×{x}" if w.startswith("-")',
        new='return f" + {w[1:]}×{x}" if w.startswith("-")',
        tests=TEXT_TESTS,
        description="a negative weight is written with a plus sign",
    ),
    Mutation(
        id="term-negative-pixel-bare",
        file=TEXT,
        old='x = f"(−{x[1:]})" if x.startswith("-") else x',
        new='x = x.replace("-", "−")',
        tests=TEXT_TESTS,
        description="a negative pixel is written 2×−3 instead of 2×(−3)",
    ),
    Mutation(
        id="format-number-two-figures",
        file=TEXT,
        old='f"{x:.1f}" if abs(x) >= 10 else f"{x:.3g}"',
        new='f"{x:.1f}" if abs(x) >= 10 else f"{x:.2g}"',
        tests=TEXT_TESTS,
        description="numbers below 10 keep two significant figures instead of three",
    ),
    Mutation(
        id="display-number-hyphen",
        file=TEXT,
        old='return format_number(value).replace("-", "−")',
        new="return format_number(value)",
        tests=TEXT_TESTS,
        description="negative numbers shown with a hyphen instead of a true minus sign",
    ),
    Mutation(
        id="clip-arrow-unrounded",
        file=TEXT,
        old="if format_number(value) != format_number(clipped):",
        new="if value != clipped:",
        tests=("tests/test_reference.py::test_rounding_under_auto_is_not_clamping", *TEXT_TESTS),
        description="'= 5 → 5' when a sum of 4.999… rounds to an 8-bit 5",
    ),
    Mutation(
        id="sum-label-transposed",
        file=TEXT,
        old='return f"{name}out[{i}, {j}] = "',
        new='return f"{name}out[{j}, {i}] = "',
        tests=(*TEXT_TESTS, "tests/test_html_player.py::test_exported_steps_show_scipys_sums_and_their_frames"),
        description="the sum is labelled out[col, row]",
    ),
    Mutation(
        id="max-terms-drops-one",
        file=TEXT,
        old="terms[len(terms) - (max_terms - head) :]",
        new="terms[len(terms) - (max_terms - head) + 1 :]",
        tests=(*TEXT_TESTS, TEXT),
        description="an elided sum shows one term fewer after '…' than asked",
    ),
    # -- exporters --------------------------------------------------------------------
    Mutation(
        id="sampled-steps-lose-the-last",
        file=BUDGET,
        old="return [(k * last + gaps // 2) // gaps for k in range(max_frames)]",
        new="return [(k * num_steps) // max_frames for k in range(max_frames)]",
        tests=("tests/test_budget.py", "visualizer/render/budget.py"),
        description="a sampled export never reaches the last step (frames spaced over one step too many)",
    ),
    Mutation(
        id="note-under-unsampled-frames",
        file=EXPORT,
        old="noted = len(steps) < len(builder) and",
        new="noted = len(steps) >= 0 and",
        tests=(
            "tests/test_budget.py::test_an_unsampled_gif_is_the_same_bytes_as_pillows_own_writer",
            "tests/test_budget.py",
        ),
        description="every frame gets a 'frames sampled' strip, even when every step is drawn",
    ),
    Mutation(
        id="gif-stream-drops-repeat-delay",
        file=GIF_STREAM,
        old='pending.encoderinfo["duration"] = pending.encoderinfo.get("duration", 0) + info["duration"]',
        new='pending.encoderinfo["duration"] = pending.encoderinfo.get("duration", 0)',
        tests=("tests/test_budget.py::test_streamed_gif_is_pillows_bytes_for_any_frames_repeats_included",),
        description="a frame that repeats the one before loses its time on screen (the GIF's hold shrinks)",
    ),
    Mutation(
        id="gif-frames-reversed",
        file=EXPORT,
        old="write_gif(temp, frames, _durations(count, fps, int(hold)))",
        new="write_gif(temp, iter(list(frames)[::-1]), _durations(count, fps, int(hold)))",
        tests=GIF_TESTS,
        description="the GIF plays the steps in reverse",
    ),
    Mutation(
        id="gif-hold-lost",
        file=EXPORT,
        old="[delay * (1 + hold)]",
        new="[delay * hold]",
        tests=GIF_TESTS,
        description="the GIF's last frame stays `hold` frame times instead of 1 + hold",
    ),
    Mutation(
        id="gif-delay-centiseconds",
        file=EXPORT,
        old="delay = 1000 / fps",
        new="delay = 100 / fps",
        tests=GIF_TESTS,
        description="GIF delays computed in hundredths of a second where Pillow wants milliseconds",
    ),
    Mutation(
        id="atomic-write-keeps-partial",
        file=FILES,
        old="temp.unlink(missing_ok=True)",
        new="os.replace(temp, target)",
        tests=(
            "tests/test_export.py::test_failure_part_way_leaves_no_partial_file_and_keeps_the_old_one",
            "tests/test_export.py::test_gif_encoder_failing_after_some_bytes_keeps_the_old_file",
            "tests/test_images.py::test_a_failing_save_leaves_no_partial_file",
        ),
        description="a failed export replaces the old file with its partial one",
    ),
    Mutation(
        id="sheet-label-off-by-one",
        file=EXPORT,
        old="builder.step_label(index) for index in steps",
        new="builder.step_label(index - 1) for index in steps",
        tests=(
            "tests/test_contact_sheet.py",
            "tests/test_export.py::test_png_contact_sheet_lays_the_frames_out_like_the_output",
        ),
        description="each contact-sheet frame carries the previous step's label (the first frame the last step's)",
    ),
    Mutation(
        id="sheet-columns-from-rows",
        file=EXPORT,
        old="columns = cols if whole else",
        new="columns = len(builder) // cols if whole else",
        tests=(
            "tests/test_export.py::test_png_contact_sheet_lays_the_frames_out_like_the_output",
            "tests/test_contact_sheet.py",
        ),
        description="the contact sheet has as many columns as the output has rows",
    ),
    Mutation(
        id="folder-keeps-stale-frames",
        file=EXPORT,
        old='if kind == "folder":\n        _remove_stale_frames',
        new='if kind == "never":\n        _remove_stale_frames',
        tests=("tests/test_export.py::test_existing_folder_keeps_other_files_and_drops_stale_frames",),
        description="re-exporting into a folder leaves an earlier, longer export's frames behind",
    ),
    Mutation(
        id="html-captions-shifted",
        file=EXPORT,
        old="captions = [builder.caption(index) for index in steps]",
        new="captions = [builder.caption(index - 1) for index in steps]",
        tests=(
            "tests/test_html_player.py::test_exported_steps_show_scipys_sums_and_their_frames",
            "tests/test_export.py::test_html_player_is_self_contained",
        ),
        description="each slide's caption is the previous step's sum",
    ),
    Mutation(
        id="colour-caption-one-channel",
        file=TEXT,
        old="arithmetic(step, channel=c, max_terms=4)",
        new="arithmetic(step, channel=0, max_terms=4)",
        tests=(
            "tests/test_export.py::test_caption_of_a_colour_step",
            "tests/test_scenes.py::test_colour_steps_read_back_per_channel",
        ),
        description="a colour step's caption repeats the red sum under every channel's name",
    ),
    # -- the HTML player -----------------------------------------------------------------
    Mutation(
        id="html-back-button-unwired",
        file=PLAYER,
        old="back: actions.ArrowLeft,",
        new="back: () => {},",
        tests=SLIDES_TESTS,
        description="the player's back button does nothing",
    ),
    Mutation(
        id="html-slider-handler-removed",
        file=PLAYER,
        old='position.addEventListener("input", () => { play(false); show(Number(position.value)); });',
        new="",
        tests=SLIDES_TESTS,
        description="dragging the player's range slider no longer changes the step",
    ),
    Mutation(
        id="html-minus-key-faster",
        file=PLAYER,
        old='"-": () => speed(-1)',
        new='"-": () => speed(1)',
        tests=SLIDES_TESTS,
        description="the player's − key plays faster",
    ),
    Mutation(
        id="player-taps-shifted",
        file=PLAYER,
        old="for (let v = 0; v < cols; v++) all.push([g, r0 + u * dr, c0 + v * dc]);",
        new="for (let v = 0; v < cols; v++) all.push([g, r0 + u * dr, c0 + v * dc + 1]);",
        tests=PLAYER_TESTS,
        description="pointing at a cell outlines a window one column to the right of the one the step reads",
    ),
    Mutation(
        id="player-click-stays",
        file=PLAYER,
        old="show(step);",
        new="paint();",
        tests=PLAYER_TESTS,
        description="a click on an output cell no longer jumps to its step",
    ),
    # -- the command line ----------------------------------------------------------------
    Mutation(
        id="steps-window-transposed",
        file=CLI,
        old="window at {step.origin}",
        new="window at {step.origin[::-1]}",
        tests=("tests/test_cli_core.py", "tests/test_cli_options.py"),
        description="`convviz steps` prints each window's position as (col, row)",
    ),
    Mutation(
        id="usage-error-status-1",
        file=CLI,
        old='print(f"convviz: error: {error}", file=sys.stderr)\n        return 2',
        new='print(f"convviz: error: {error}", file=sys.stderr)\n        return 1',
        tests=("tests/test_cli_core.py::test_bad_argument_one_line_exit_2", "tests/test_cli_animate.py"),
        description="a bad argument exits with status 1 instead of 2",
    ),
    Mutation(
        id="flip-kernel-ignored",
        file=ARGUMENTS,
        old="flip_kernel=args.flip_kernel,",
        new="flip_kernel=False,",
        tests=("tests/test_cli_core.py", "tests/test_cli_options.py"),
        description="`--flip-kernel` is accepted and ignored (correlation instead of convolution)",
    ),
    Mutation(
        id="seed-ignored",
        file=ARGUMENTS,
        old="    rng = np.random.default_rng(seed)\n    values = values_source(args.values)",
        new="    rng = np.random.default_rng(0)\n    values = values_source(args.values)",
        tests=("tests/test_cli_core.py::test_random_values_follow_the_seed",),
        description="`--seed` is accepted and ignored",
    ),
    Mutation(
        id="info-pads-order",
        file=CLI,
        old="top, bottom, left, right = conv.pads\n    print(conv.describe())",
        new="top, left, bottom, right = conv.pads\n    print(conv.describe())",
        tests=("tests/test_cli_core.py",),
        description="`convviz info` names the pads in the wrong order",
    ),
    Mutation(
        id="no-numbers-ignored",
        file=ARGUMENTS,
        old='        "numbers": args.numbers,\n',
        new='        "numbers": True,\n',
        tests=("tests/test_cli_animate.py", "tests/test_cli_options.py"),
        description="`convviz animate --no-numbers` still writes the values in the cells",
    ),
    Mutation(
        id="filter-pad-mode-ignored",
        file=PHOTO_COMMANDS,
        old="filter_image(photo, kernel, pad_mode=args.pad_mode, clip=clip)",
        new="filter_image(photo, kernel, clip=clip)",
        tests=("tests/test_cli_filter.py",),
        description="`convviz filter --pad-mode` is accepted and ignored",
    ),
    # -- the widget ---------------------------------------------------------------------
    Mutation(
        id="widget-step-lost-on-rebuild",
        file="visualizer/widget_player.py",
        old="self._send_steps(min(self.step, count - 1))",
        new="self._send_steps(0)",
        tests=("tests/test_widget.py",),
        description="a parameter change sends the Stepper back to its first step",
    ),
    Mutation(
        id="widget-stretch-not-followed",
        file="visualizer/widget_player.py",
        old="if self._stretch is not None and change.new not in self._stretch:",
        new="if False:",
        tests=("tests/test_widget_stretch.py",),
        description="a step outside the stretch of steps sent is never sent: the player waits for it forever",
    ),
    Mutation(
        id="widget-width-ignored",
        file="visualizer/widget_player.py",
        old="return notebook_size(self.width)",
        new="return notebook_size()",
        tests=("tests/test_widget_width.py",),
        description="the width the view measured is ignored: frames stay 960 px wide in any notebook",
    ),
    Mutation(
        id="widget-products-transposed",
        file=EXPLAIN,
        old="zip(weights, window, strict=True)",
        new="zip(weights.T, window.T, strict=True)",
        tests=("tests/test_widget.py", "tests/test_widget_explanation.py"),
        description="the widget's table of products is transposed (row u shows column u of the window)",
    ),
    Mutation(
        id="widget-origin-transposed",
        file=EXPLAIN,
        old="(i, j), (r, c) = step.out_index, step.origin",
        new="(i, j), (c, r) = step.out_index, step.origin",
        tests=("tests/test_widget.py", "tests/test_widget_explanation.py"),
        description="the widget says the window's top-left is at (column, row)",
    ),
    Mutation(
        id="widget-status-hides-clipping",
        file=EXPLAIN,
        old='return text + (f" → {plain_text(step.clipped_value)}" if step.is_clipped else "")',
        new="return text",
        tests=("tests/test_widget.py",),
        description="the widget's status line shows the raw sum without the clipped value",
    ),
    Mutation(
        id="widget-dropdown-not-synced",
        file=WIDGET,
        old="self.kernel_name.value = kernel_name(weights) or CUSTOM",
        new="self.kernel_name.value = CUSTOM",
        tests=("tests/test_widget.py",),
        description="edited weights equal to a preset still show 'custom' in the dropdown",
    ),
    # -- the presenter ------------------------------------------------------------------
    Mutation(
        id="presenter-left-goes-right",
        file=PRESENTER,
        old='"left": lambda: self._go(self.step - 1),',
        new='"left": lambda: self._go(self.step + 1),',
        tests=PRESENTER_TESTS,
        description="the presenter's ← key steps forward",
    ),
    Mutation(
        id="presenter-minus-faster",
        file=PRESENTER,
        old='"-": lambda: self._speed(-1),',
        new='"-": lambda: self._speed(1),',
        tests=PRESENTER_TESTS,
        description="the presenter's − key plays faster",
    ),
    Mutation(
        id="presenter-play-stops-at-end",
        file=PRESENTER,
        old="self.step = (self.step + 1) % self.shown.num_steps",
        new="self.step = min(self.step + 1, self.shown.num_steps - 1)",
        tests=PRESENTER_TESTS,
        description="playing stops on the last step instead of starting again",
    ),
    Mutation(
        id="presenter-d-changes-stride",
        file=PRESENTER,
        old='"d": lambda: self._change("dilation", _next(DILATIONS, self.conv.dilation[0])),',
        new='"d": lambda: self._change("stride", _next(STRIDES, self.conv.stride[0])),',
        tests=PRESENTER_TESTS,
        description="the presenter's d key changes the stride",
    ),
    # -- filters and images -------------------------------------------------------------
    Mutation(
        id="clip-counts-swapped",
        file=FILTERS,
        old="below, above = int(np.count_nonzero(sums < low)), int(np.count_nonzero(sums > high))",
        new="above, below = int(np.count_nonzero(sums < low)), int(np.count_nonzero(sums > high))",
        tests=("tests/test_filters.py", "tests/test_filter_report.py", "tests/test_cli_filter.py"),
        description="the clipping report counts dark clips as bright ones and the other way round",
    ),
    Mutation(
        id="photo-sums-not-rounded",
        file=FILTERS,
        old="np.rint(sums, out=sums)",
        new="sums.view()",
        tests=("tests/test_filters.py", "tests/test_cli_filter.py"),
        description="8-bit filter results truncated instead of rounded (and 255.000…03 counted as clipped)",
    ),
    Mutation(
        id="report-share-of-bright",
        file=FILTERS,
        old="share = 100 * self.clipped / self.image.size",
        new="share = 100 * self.above / self.image.size",
        tests=("tests/test_filters.py", "tests/test_filter_report.py", "tests/test_cli_filter.py"),
        description="the clipping report's percentage counts only the values clipped at the top",
    ),
    Mutation(
        id="exif-orientation-ignored",
        file=IMAGES,
        old="picture = ImageOps.exif_transpose(opened)",
        new="picture = opened",
        tests=("tests/test_images.py",),
        description="a phone photo loads on its side (EXIF orientation ignored)",
    ),
    Mutation(
        id="sixteen-bit-divisor",
        file=IMAGES,
        old="np.rint(array / 257)",
        new="np.rint(array / 256)",
        tests=("tests/test_images.py",),
        description="16-bit grey scaled to 8 bits by 256 (65535 → 256 wraps to 0)",
    ),
    Mutation(
        id="alpha-over-black",
        file=IMAGES,
        old="(255, 255, 255, 255)",
        new="(0, 0, 0, 255)",
        tests=("tests/test_images.py",),
        description="transparent pixels composited over black instead of white",
    ),
    Mutation(
        id="to-uint8-truncates",
        file=IMAGES,
        old="return np.rint(array * 255).astype(np.uint8)",
        new="return (array * 255).astype(np.uint8)",
        tests=("tests/test_images.py", "tests/test_filters.py"),
        description="float images become 8-bit by truncation instead of rounding",
    ),
    # -- operations, scenes, painters ----------------------------------------------------
    Mutation(
        id="window-origins-transposed",
        file="visualizer/convolution.py",
        old="yield Step(self, index, (i, j), (i * sr, j * sc), raw_row[j], clipped_row[j])",
        new="yield Step(self, index, (i, j), (i * sc, j * sr), raw_row[j], clipped_row[j])",
        tests=("tests/test_properties.py", "tests/test_scenes.py", "tests/test_lesson.py"),
        description="a step's window steps by the column stride down the rows (and the row stride across)",
    ),
    Mutation(
        id="step-products-transposed",
        file=STEP,
        old="return window * (kernel[..., np.newaxis] if window.ndim > kernel.ndim else kernel)",
        new="return window * (kernel[..., np.newaxis] if window.ndim > kernel.ndim else kernel.T.reshape(kernel.shape))",  # noqa: E501
        tests=("tests/test_properties.py", "tests/test_reference.py", "tests/test_scenes.py"),
        description="a step's products pair each pixel with the transposed kernel's weight",
    ),
    Mutation(
        id="transposed-kernel-not-rotated",
        file=TRANSPOSED,
        old="self._rotated = read_only(self._weights[::-1, ::-1].copy())",
        new="self._rotated = read_only(self._weights.copy())",
        tests=("tests/test_transposed.py",),
        description="the direct view of a transposed convolution slides the kernel unrotated",
    ),
    Mutation(
        id="avg-pool-divisor-ignores-padding-rule",
        file=POOLING,
        old="        if self.count_include_pad:\n            return end - start",
        new="        if not self.count_include_pad:\n            return end - start",
        tests=("tests/test_pooling.py",),
        description="average pooling divides by the padding when told not to, and the reverse",
    ),
    Mutation(
        id="max-pool-last-tie-wins",
        file=POOLING_STEPS,
        old="flat = window.reshape(rows * cols, -1).argmax(axis=0)",
        new="flat = rows * cols - 1 - window.reshape(rows * cols, -1)[::-1].argmax(axis=0)",
        tests=("tests/test_pooling.py",),
        description="a max step names the last of equal values as the winner (PyTorch takes the first)",
    ),
    Mutation(
        id="relu-keeps-negatives",
        file=ACTIVATIONS,
        old="return np.maximum(x, 0)",
        new="return np.abs(x)",
        tests=("tests/test_layer.py",),
        description="the activation turns −7 into 7 instead of 0",
    ),
    Mutation(
        id="scene-chips-transposed",
        file=SCENE,
        old="items.extend(self.chip(grid, r, col, weights[u][v]))",
        new="items.extend(self.chip(grid, r, col, weights[v % len(weights)][u % len(weights[0])]))",
        tests=("tests/test_scenes.py",),
        description="the weight chips sit on the transposed taps",
    ),
    Mutation(
        id="scene-input-values-mirrored",
        file=SCENE,
        old="value = self.padded_value(channel, r, c)\n        face, ink, fill",
        new="value = self.padded_value(channel, r, -1 - c)\n        face, ink, fill",
        tests=("tests/test_scenes.py",),
        description="the input cells' numbers are mirrored left to right",
    ),
    Mutation(
        id="scene-outputs-unclamped",
        file=SCENE_SETUP,
        old="scene.result = result = conv.clamp(raw)",
        new="scene.result = result = raw",
        tests=("tests/test_scenes.py",),
        description="the output cells show the raw sums, not the clamped values",
    ),
    Mutation(
        id="scene-sum-of-previous-step",
        file=SCENE,
        old="items.extend(self.arithmetic_lines(step))",
        new="items.extend(self.arithmetic_lines(self.conv.step(max(index - 1, 0))))",
        tests=("tests/test_scenes.py",),
        description="the arithmetic line shows the previous step's sum",
    ),
    Mutation(
        id="scene-reveals-one-step-early",
        file=SCENE_BASE,
        old="revealed = tuple(item for k in range(index + 1) for item in self.revealed_at(k))",
        new="revealed = tuple(item for k in range(min(index + 2, len(self))) for item in self.revealed_at(k))",
        tests=("tests/test_scenes.py",),
        description="the next step's output is written before it is computed",
    ),
    Mutation(
        id="raster-reveals-one-step-late",
        file=RASTER,
        old="for k in range(done + 1, index + 1) if self._reveals else ():",
        new="for k in range(done + 1, index) if self._reveals else ():",
        tests=("tests/test_frame.py", "tests/test_scenes.py"),
        description="the frames fill an output in one step late (the scene is right, the painter is not)",
    ),
    Mutation(
        id="raster-padding-solid",
        file=RASTER,
        old="                    if ((r, c) in grid.dashed) != want_dashed:",
        new="                    if want_dashed:",
        tests=("tests/test_frame.py",),
        description="padding drawn with solid lines like the input",
    ),
    Mutation(
        id="raster-tilted-text-unplaced",
        file=RASTER,
        old="xy = item.xy if matrix == IDENTITY else tuple(round(v) for v in apply(matrix, item.xy))",
        new="xy = item.xy",
        tests=("tests/test_scenes.py",),
        description="on the oblique planes the numbers are painted where the flat cells would be",
    ),
    Mutation(
        id="vector-text-baseline",
        file=VECTOR,
        old='baseline = {"a": y + ascent, "m": y + (ascent - descent) / 2, "d": y - descent}.get(vertical, y)',
        new='baseline = {"a": y, "m": y, "d": y}.get(vertical, y)',
        tests=("tests/test_vector.py",),
        description="SVG and PDF text sits above its cells (anchors ignored)",
    ),
    Mutation(
        id="handout-one-page",
        file=EXPORT,
        old="write_pdf(temp, scenes, title=renderer.op.describe())",
        new="write_pdf(temp, itertools.islice(scenes, 1), title=renderer.op.describe())",
        tests=("tests/test_vector.py",),
        description="the PDF handout has only the first step's page",
    ),
    Mutation(
        id="oblique-lines-not-cut",
        file=OBLIQUE,
        old="    if enter <= 0:\n        return None",
        new="    if enter <= 2:\n        return (float(x0), float(y0)), (float(x1), float(y1))",
        tests=("tests/test_scenes.py",),
        description="the oblique lines run on over the output plane instead of stopping at its edge",
    ),
    Mutation(
        id="oblique-planes-flat",
        file=OBLIQUE,
        old="U = (0.825, -0.36)",
        new="U = (0.825, 0.36)",
        tests=("tests/test_scenes.py", "tests/test_frame.py"),
        description="the planes tilt the wrong way (columns run down instead of up)",
    ),
    Mutation(
        id="products-panel-shows-the-window",
        file=PRODUCTS,
        old="items += self._numbers(product_grid, products[row],",
        new="items += self._numbers(product_grid, windows[row],",
        tests=("tests/test_scenes.py",),
        description="the products matrix repeats the window instead of the products",
    ),
    Mutation(
        id="products-panel-keeps-the-first-filter",
        file=PRODUCTS,
        old="kernel = kernel if index is None else kernel[..., index]",
        new="kernel = kernel if index is None else kernel[..., 0]",
        tests=("tests/test_layer_products.py",),
        description="a layer's products panel shows the first filter's slices whatever filter is in use",
    ),
    Mutation(
        id="layer-products-names-stay",
        file=LAYER_PRODUCTS,
        old="names = [self.names[channel] for channel in step.input_channels]",
        new="names = list(self.names[: len(step.input_channels)])",
        tests=("tests/test_layer_products.py",),
        description="a grouped layer's panel rows keep the first channels' names when another group is read",
    ),
    Mutation(
        id="shading-inverted",
        file=SHADING,
        old="return self._shaded(blend(self.tints[channel], BLACK, level), shaded)",
        new="return self._shaded(blend(self.tints[channel], BLACK, 1 - level), shaded)",
        tests=("tests/test_scenes.py",),
        description="shaded cells are dark for bright pixels (a negative of the photo)",
    ),
    Mutation(
        id="shading-signs-swapped",
        file=SHADING,
        old="fill = blend(NEGATIVE if float(value) < 0 else POSITIVE, WHITE, level)",
        new="fill = blend(POSITIVE if float(value) < 0 else NEGATIVE, WHITE, level)",
        tests=("tests/test_scenes.py",),
        description="negative outputs shaded orange and positive ones blue",
    ),
    Mutation(
        id="presenter-shrinks-type",
        file=PRESENTER_WINDOW,
        old="        if self.scale >= self.state.min_scale:\n            return pixels",
        new="        if True:\n            return pixels",
        tests=("tests/test_present.py",),
        description="the presenter shrinks a large grid's type below the theme's smallest",
    ),
    Mutation(
        id="presenter-picture-upside-down",
        file=PRESENTER_WINDOW,
        old="self._rows_up[..., :3] = pixels[::-1]",
        new="self._rows_up[..., :3] = pixels",
        tests=("tests/test_present.py::test_the_window_draws_the_scaled_frame_pixel_for_pixel",),
        description="the presenter draws the frame upside down (Agg counts rows up)",
    ),
    Mutation(
        id="presenter-scaled-nearest",
        file=PRESENTER_WINDOW,
        old="resize(size, Image.Resampling.LANCZOS)",
        new="resize(size, Image.Resampling.NEAREST)",
        tests=("tests/test_present.py::test_the_window_draws_the_scaled_frame_pixel_for_pixel",),
        description="the presenter scales frames by dropping and doubling pixels (ragged type on a projector)",
    ),
    Mutation(
        id="docs-stamp-after-warnings",
        file="docs/_ext/site_stamp.py",
        old='clean = exception is None and app.statuscode == 0 and getattr(app, "_warncount", 1) == 0',
        new="clean = exception is None",
        tests=("tests/test_docs.py::test_the_stamp_names_the_sources_and_only_a_clean_build_leaves_it",),
        description="a docs build that warned is stamped as clean, and the docs tests read it as the site",
    ),
    Mutation(
        id="docs-stamp-ignores-package",
        file="docs/_ext/site_stamp.py",
        old='SOURCES = ("docs", "visualizer", "notebooks", "README.md", "pyproject.toml")',
        new='SOURCES = ("docs", "notebooks", "README.md", "pyproject.toml")',
        tests=("tests/test_docs.py::test_the_stamp_names_the_sources_and_only_a_clean_build_leaves_it",),
        description="a change to the package leaves the docs stamp as it was: the tests read a stale site",
    ),
    Mutation(
        id="signal-span-one-sample-late",
        file="visualizer/scenes/plots.py",
        old="x0 = round(self.x + c0 * self.px)",
        new="x0 = round(self.x + (c0 + 1) * self.px)",
        tests=("tests/test_signal_fit.py",),
        description="a long signal's window span is outlined one sample to the right of the samples it reads",
    ),
    Mutation(
        id="signal-plot-upside-down",
        file="visualizer/scenes/plots.py",
        old="return self.y + self.height * (1 - share)",
        new="return self.y + self.height * share",
        tests=("tests/test_signal_fit.py",),
        description="a signal's plot draws high values at the bottom",
    ),
    Mutation(
        id="scatter-picture-one-step-behind",
        file="visualizer/scenes/scatter.py",
        old="self.op.clamp(self.op.partial_output(step.index + 1))",
        new="self.op.clamp(self.op.partial_output(step.index))",
        tests=("tests/test_scatter_fit.py",),
        description="the scatter view's output picture and 'outputs now' leave out the step being shown",
    ),
    Mutation(
        id="layer-picture-footprint-on-every-channel",
        file="visualizer/scenes/layer_pictures.py",
        old="footprints = [box if channel in read else None for channel in range(layer.in_channels)]",
        new="footprints = [box for channel in range(layer.in_channels)]",
        tests=("tests/test_layer_fit.py",),
        description="a grouped layer's pictures outline the footprint on channels its filter does not read",
    ),
    Mutation(
        id="layer-picture-later-filters-filled",
        file="visualizer/scenes/layer_pictures.py",
        old="rows * cols if f < k else i * cols + j + 1 if f == k else 0 for f in",
        new="rows * cols if f != k else i * cols + j + 1 for f in",
        tests=("tests/test_layer_fit.py",),
        description="the feature maps of filters not yet reached are drawn complete",
    ),
    Mutation(
        id="apng-changed-part-at-the-corner",
        file="visualizer/render/apng_stream.py",
        old="pending, shown = [frame.crop(box), (left, top), duration], pixels",
        new="pending, shown = [frame.crop(box), (0, 0), duration], pixels",
        tests=("tests/test_export_formats.py::test_a_streamed_apng_reads_back_the_same_through_ffmpeg",),
        description="an APNG frame's changed part is put at the top-left corner instead of where it changed",
    ),
    Mutation(
        id="apng-repeat-loses-its-time",
        file="visualizer/render/apng_stream.py",
        old="                pending[2] += duration\n",
        new="                pass\n",
        tests=("visualizer/render/apng_stream.py",),
        description="an APNG frame shown twice in a row keeps only its first delay (the end's hold is lost)",
    ),
    Mutation(
        id="stepper-pending-drops-keys",
        file="visualizer/render/player/player.js",
        old="if (event.ctrlKey || event.altKey || event.metaKey) return;",
        new="if (event.ctrlKey || event.altKey || event.metaKey || data.pending) return;",
        tests=("tests/test_stepper_browser.py::test_the_photos_26000_steps_are_all_reachable",),
        description="the Stepper's player drops a key pressed while only the step shown has come",
    ),
    Mutation(
        id="pending-frame-at-the-stretch-start",
        file="visualizer/widget_player.py",
        old='patches[step - steps.start] = data["patches"][0]',
        new='patches[0] = data["patches"][0]',
        tests=("tests/test_widget.py", "tests/test_widget_stretch.py"),
        description="the one frame sent first sits at the first step of its stretch, not at its own step",
    ),
    Mutation(
        id="picture-colour-nearest-wrong-channel",
        file="visualizer/scenes/pictures.py",
        old="distances = red[:, None, None] + green[None, :, None] + blue[None, None, :]",
        new="distances = red[:, None, None] + green[None, :, None] + green[None, None, :]",
        tests=("tests/test_picture_colours.py",),
        description="the pictures' nearest table colour weighs green twice and blue not at all",
    ),
    Mutation(
        id="transposed-padding-drawn-as-zeros",
        file="visualizer/scenes/transposed.py",
        old="codes[padding & ~inputs] = 2",
        new="codes[padding & ~inputs] = 0",
        tests=("tests/test_transposed.py", "tests/test_family_scenes.py", "tests/test_family_frames.py"),
        description="a transposed convolution's padding cells are drawn as inserted zeros",
    ),
    Mutation(
        id="scene-text-at-first-drawn",
        file="visualizer/scenes/items.py",
        old="return found[-1]",
        new="return found[0]",
        tests=("tests/test_scenes.py", "tests/test_layer_scene.py", "tests/test_arithmetic_line.py"),
        description="Scene.text_at reads the first text drawn under a tag, not the last (the one on top)",
    ),
    Mutation(
        id="products-title-runs-into-the-next",
        file=PRODUCTS,
        old="spans = [max(span, title_w) for span, title_w in zip(spans, titles_w, strict=True)]",
        new="spans = [span for span, title_w in zip(spans, titles_w, strict=True)]",
        tests=("tests/test_text_apart.py",),
        description='the products panel spaces grids by their width alone: "kernel, rotated 180°" runs into "products"',
    ),
    Mutation(
        id="kernel-cell-ignores-its-letter",
        file="visualizer/scenes/weights.py",
        old="return max(side, int(np.ceil(min(sideways, below))))",
        new="return side",
        tests=("tests/test_text_apart.py",),
        description="a kernel panel's cell is sized for its number alone: a two-digit weight covers the tap's letter",
    ),
    Mutation(
        id="picture-title-runs-into-the-next",
        file="visualizer/scenes/magnifier.py",
        old="x += max(round(cols * px), round(text_width(label, s.title_font)) - t.gap + 4) + t.gap",
        new="x += round(cols * px) + t.gap",
        tests=("tests/test_text_apart.py",),
        description="a picture narrower than its title leaves no room for it: the title runs into the products panel",
    ),
    Mutation(
        id="magnifier-line-always-straight",
        file="visualizer/scenes/magnifier_line.py",
        old="    if not crosses((start, target), obstacles):\n",
        new="    if True:\n",
        tests=("tests/test_magnifier_line.py",),
        description="the magnifier's line runs straight over the output picture in its way",
    ),
    Mutation(
        id="magnifier-line-first-channel-only",
        file="visualizer/scenes/magnifier_line.py",
        old="    return next((points for points in clear if len(points) == 2), clear[0] if clear else routes[0][0])",
        new="    return routes[0][0]",
        tests=("tests/test_magnifier_line.py",),
        description="a layer's magnifier line starts from the red input and crosses the green and blue ones",
    ),
)
