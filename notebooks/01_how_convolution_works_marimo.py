"""How convolution works: the first lesson as a marimo notebook (``marimo edit`` or ``marimo run`` this file)."""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import io

    import marimo as mo
    import numpy as np

    import visualizer as vz
    from visualizer.text import arithmetic

    def picture(op, index):
        """One step's frame as a PNG for marimo to show."""
        buffer = io.BytesIO()
        vz.render_frame(op, index).save(buffer, format="png")
        return mo.image(buffer.getvalue())

    return arithmetic, mo, np, picture, vz


@app.cell
def _(mo):
    mo.md(
        r"""
        # How convolution works

        Blurring, sharpening and edge detection all come from one small operation: a **kernel**
        slides over an image, and at every position the pixels under it are multiplied by the
        kernel's weights and added up into one output pixel. This notebook walks through it one
        step at a time.

        ## The image and the kernel

        Our image is a tiny grey picture, 4 rows by 5 columns of pixel values. The **kernel** is a
        3×3 matrix of weights; it stays the same for the whole convolution, and its numbers decide
        what kind of filter we get.
        """
    )


@app.cell
def _(np, vz):
    image = np.array(
        [
            [3, 3, 2, 1, 0],
            [0, 0, 1, 3, 1],
            [3, 1, 2, 2, 3],
            [2, 0, 0, 2, 2],
        ]
    )
    kernel = np.array(
        [
            [0, 1, 2],
            [2, 2, 0],
            [0, 1, 2],
        ]
    )
    conv = vz.Convolution(image, kernel)
    conv.output_shape
    return conv, image, kernel


@app.cell
def _(mo):
    mo.md(
        r"""
        ## The first window: element-wise products and their sum

        We take a window of pixels the size of the kernel, starting at the top left. Each pixel is
        multiplied by the kernel weight on top of it (an *element-wise* product), and all the
        products are added up. That sum is the first pixel of the output image (the *feature map*).
        """
    )


@app.cell
def _(conv, mo, picture):
    first = conv.step(0)
    mo.vstack(
        [
            mo.md(f"window under the kernel:\n```\n{first.window}\n```"),
            mo.md(f"products, window × kernel element by element:\n```\n{first.products}\n```"),
            mo.md(f"their sum, the first output pixel: **{first.value}**"),
            picture(conv, 0),
        ]
    )


@app.cell
def _(arithmetic, conv, mo):
    lines = [f"output {s.out_index}: {arithmetic(s)}" for s in conv.steps()]
    mo.md(
        "## Sliding by one\n\nThe window slides one pixel to the right and does the same sum over the next "
        "patch; at the end of a row it moves down one pixel and starts again at the left:\n\n"
        "```\n" + "\n".join(lines) + f"\n\n{conv.result()}\n```"
    )


@app.cell
def _(mo):
    mo.md(
        r"""
        ## Step through it yourself

        Press play, or click the picture and use the keys: → and ← step, space plays. Point at an
        output cell to see the window it read; click it to jump to its step. Point at an input cell
        to see every output it feeds. The cell under the player follows the step you choose.
        """
    )


@app.cell
def _(conv, mo, vz):
    stepper = mo.ui.anywidget(vz.Stepper(conv))
    stepper
    return (stepper,)


@app.cell
def _(arithmetic, conv, mo, stepper):
    chosen = conv.step(stepper.value["step"])
    mo.md(
        f"**Step {chosen.index + 1} of {conv.num_steps}**, output {chosen.out_index}: `{arithmetic(chosen)}`"
    ).callout()


@app.cell
def _(mo):
    mo.md(
        r"""
        ## Stride two, and the bottom row nobody uses

        With a **stride** of 2 the window jumps two pixels at a time. From the top-left window it
        jumps two to the right; it cannot jump two down, because a 3-row window starting at row 2
        would need a row 4 that does not exist. So the convolution ends after one row of output,
        and the image's bottom row (row 3) is never used.
        """
    )


@app.cell
def _(conv, mo, picture):
    strided = conv.replace(stride=2)
    last = strided.step(-1)
    mo.vstack(
        [
            mo.md(
                f"output shape: {strided.output_shape}; the last window covers rows "
                f"{last.origin[0]} to {last.origin[0] + 2}\n```\n{strided.result()}\n```"
            ),
            picture(strided, strided.num_steps - 1),
        ]
    )
    return (strided,)


@app.cell
def _(mo):
    mo.md(
        r"""
        ## The formula, with indices counted from zero

        With the image $I$ (height $H$, width $W$), the kernel $K$ ($M$ rows, $N$ columns) and
        stride $S$, output pixel $(i, j)$ is

        $$O(i, j) = \sum_{m=0}^{M-1} \sum_{n=0}^{N-1} I(i \cdot S + m,\; j \cdot S + n)\, K(m, n)$$

        for $i = 0, 1, \dots, \lfloor (H - M) / S \rfloor$ and $j = 0, 1, \dots, \lfloor (W - N) / S \rfloor$.
        Here it is as two plain loops, checked against the whole output:
        """
    )


@app.cell
def _(image, kernel, mo, np, strided):
    def output_pixel(I, K, i, j, S):  # noqa: E741 - the names of the formula above
        M, N = K.shape
        return sum(I[i * S + m, j * S + n] * K[m, n] for m in range(M) for n in range(N))

    rows, cols = strided.output_shape
    by_hand = np.array([[output_pixel(image, kernel, i, j, 2) for j in range(cols)] for i in range(rows)])
    formula = "\n".join(strided.formula())
    mo.md(f"```\n{by_hand}\nequal to result(): {np.array_equal(by_hand, strided.result())}\n{formula}\n```")


@app.cell
def _(mo):
    mo.md(
        r"""
        ## Clamping to 0…255

        8-bit grey pixels lie between 0 and 255. An odd kernel with large positive weights makes the
        sums far too big, so anything above 255 is set to 255 and anything below 0 to 0: the values
        are **clamped**. `clip="auto"` does that for 8-bit images; every step keeps both the raw sum
        and the clamped value.
        """
    )


@app.cell
def _(arithmetic, image, mo, np, vz):
    odd = vz.Convolution((image * 60).astype(np.uint8), vz.KERNELS["odd"], clip="auto")
    mo.md(f"```\n{arithmetic(odd.step(0))}\nraw sums:\n{odd.raw_result()}\nclamped:\n{odd.result()}\n```")


if __name__ == "__main__":
    app.run()
