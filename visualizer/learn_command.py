"""``convviz learn``: watch a kernel being learned, written as an animation.

Random images are filtered by the target kernel (``--kernel``: a name, a size for
random weights, a file or rows); a kernel that starts from random weights learns to
reproduce them by gradient descent (:func:`~visualizer.learn.learn_kernel`), and
:func:`~visualizer.learning_animation.animate_learning` draws its weights, the loss
and the outputs converging, frame by frame. Options keep the meaning they have in
every other command.
"""

from __future__ import annotations

import argparse

import numpy as np

from .arguments import add_style_arguments
from .cli_values import UsageError, kernel_source, parse_padding, parse_pair, parse_shape, random_kernel
from .convolution import Convolution
from .kernels import kernel_name
from .learn import learn_kernel

FPS = 5.0  # a learning has fewer, quicker frames than a convolution's steps


def learn_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``convviz learn``."""
    group = parser.add_argument_group("learning")
    group.add_argument(
        "--kernel",
        default="sobel_x",
        metavar="KERNEL",
        help="the kernel to learn: a name, a size for random weights 0…2 (3x3), a file (.npy, .csv, .txt) "
        "or rows like '1,0,-1;2,0,-2;1,0,-1' (default sobel_x)",
    )
    group.add_argument("--input", metavar="SHAPE", help="size of each training image, ROWSxCOLS (default 12x12)")
    group.add_argument("--images", type=int, default=4, metavar="N", help="how many random images (default 4)")
    group.add_argument("--steps", type=int, default=150, metavar="N", help="gradient-descent updates (default 150)")
    group.add_argument(
        "--learning-rate", type=float, metavar="R", help="step size (default: the largest that cannot overshoot)"
    )
    group.add_argument("--frames", type=int, default=40, metavar="N", help="frames drawn, at least 2 (default 40)")
    group.add_argument("--stride", metavar="S", help="stride: S or ROWSxCOLS (default 1)")
    group.add_argument(
        "--padding", default="valid", metavar="P", help="valid, same, full, a number, or ROWSxCOLS (default valid)"
    )
    group.add_argument("--dilation", metavar="D", help="dilation: D or ROWSxCOLS (default 1)")
    group.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the images, the first weights and a random kernel (default 0)",
    )
    add_style_arguments(parser, look=False, fps=FPS)  # one layout, no shading: the learning's own picture
    parser.add_argument(
        "-o",
        "--output",
        default="learning.gif",
        metavar="PATH",
        help="FILE.gif, .apng, .webp, .mp4, .html (a player), .pdf (a handout), .png (contact sheet) "
        "or a folder for numbered PNG frames (default learning.gif)",
    )


def cmd_learn(args: argparse.Namespace) -> None:
    """Learn the kernel, write the animation, print what was learned."""
    from .learning_animation import animate_learning  # drawing loads only for this command

    for flag, value, least in (("--images", args.images, 1), ("--steps", args.steps, 1), ("--frames", args.frames, 2)):
        if value < least:
            raise UsageError(f"{flag} must be a whole number >= {least}; got {value}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number >= 0; got {args.seed}")
    if args.learning_rate is not None and not args.learning_rate > 0:
        raise UsageError(f"--learning-rate must be a number > 0; got {args.learning_rate}")
    rng = np.random.default_rng(args.seed)
    target = kernel_source(args.kernel)
    target = random_kernel(target, rng) if isinstance(target, tuple) else target
    if target.ndim != 2:
        raise UsageError(
            f"--kernel for learn is one grey kernel, ROWSxCOLS; got shape {'x'.join(map(str, target.shape))}"
        )
    rows, cols = parse_shape(args.input or "12x12", "--input", dims=(2,))
    geometry = {
        "stride": parse_pair(args.stride or "1", "--stride"),
        "padding": parse_padding(args.padding),
        "dilation": parse_pair(args.dilation or "1", "--dilation"),
    }
    images = rng.standard_normal((args.images, rows, cols))
    targets = np.stack([Convolution(image, target, **geometry).result() for image in images])
    history = learn_kernel(
        images, targets, target.shape, args.steps, args.learning_rate, seed=int(rng.integers(2**31)), **geometry
    )
    style = {"theme": args.theme, "numbers": args.numbers, "progress": False if args.quiet else None}
    fps = FPS if args.fps is None else args.fps
    path = animate_learning(
        history, images[0], targets[0], args.output, target_kernel=target, frames=args.frames, fps=fps,
        geometry=geometry, **style,
    )  # fmt: skip
    name = kernel_name(target) or "the kernel given"
    print(f"wrote {path} ({min(args.frames, args.steps + 1)} frames)")
    print(f"learned {name} in {args.steps} updates, loss {history.losses[0]:.3g} → {history.losses[-1]:.3g}")
    for label, kernel in (("learned:", history.kernel), ("target:", target)):
        print(label)
        for row in np.round(kernel, 3) + 0.0:  # + 0.0: no "-0.000"
            print(" ".join(f"{value:8.3f}" for value in row))
