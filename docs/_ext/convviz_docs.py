"""Sphinx directives that put the package's own pictures, gallery and commands into the pages.

- ``picture NAME`` draws one of :data:`lesson_pictures.PICTURES` into the build's
  ``_static/pictures`` (once per build) and shows it, with the directive's text as caption;
- ``player NAME`` puts the player of :data:`lesson_pictures.PLAYERS` into the page itself
  (the same offline player as a notebook's inline display: its pictures and module inline);
- ``gallery-entries`` shows every entry of ``GALLERY``: what it shows, the code that
  makes it, its GIF and its player. 43 players inline would make one page of several
  megabytes, so each entry's player is its own page in ``_static/players`` (the ``.html``
  that ``save_animation`` writes), shown in an ``<iframe loading="lazy">``: the browser
  loads a player only when it scrolls near it;
- ``readme-command MARKER`` shows the README's command under ``<!-- MARKER -->``, so the
  front page and the README cannot drift apart.

Math is written as its TeX source (``html_math_renderer = "tex"``): MathJax would have to
come from a CDN or be copied into the repository, for the notebooks' one formula.

A notebook's widget cannot run in a static page (no widget manager is loaded: that would
come from a CDN), so its output is replaced by a note saying where it runs.
"""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import site_stamp
from docutils import nodes
from docutils.parsers.rst import directives
from lesson_pictures import PICTURES, PLAYERS
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from visualizer.gallery import GALLERY, Animation
from visualizer.render.frame import FrameRenderer
from visualizer.render.inline import player_html

README = Path(__file__).resolve().parents[2] / "README.md"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def readme_command(marker: str) -> str:
    """The one-line command in the README's ```bash block under ``<!-- marker -->``."""
    text = README.read_text(encoding="utf-8")
    if f"<!-- {marker} -->" not in text:
        raise ValueError(f"README.md has no <!-- {marker} --> block")
    return text.split(f"<!-- {marker} -->", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0].strip()


def entry_code(entry: Animation) -> str:
    """Python that draws ``entry``'s GIF as ``convviz gallery`` does (its ``about`` left out)."""
    arguments = [_literal(entry.name), _literal(entry.input), _literal(entry.kernel)]
    for field in dataclasses.fields(Animation)[3:]:
        value = getattr(entry, field.name)
        if field.name != "about" and value != field.default:
            arguments.append(f"{field.name}={_literal(value)}")
    call = f"entry = Animation({', '.join(arguments)})"
    if len(call) > 88:  # one argument a line, to read without scrolling
        call = "entry = Animation(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"
    return (
        "import visualizer as vz\n"
        "from visualizer.gallery import Animation\n\n"
        f"{call}\n"
        f'path = "{entry.name}.gif"\n'
        "vz.save_animation(entry.operation(), path, numbers=entry.numbers, layout=entry.layout)\n"
    )


def _literal(value: object) -> str:
    # the values are numbers, names and tuples of them: no quote inside a string to escape
    return repr(value).replace("'", '"')


class _Drawing(SphinxDirective):
    def drawn(self, folder: str, file_name: str, draw) -> str:
        """Draw ``file_name`` into ``_static/<folder>`` once per build; its address from this page."""
        made = self.env.app.__dict__.setdefault("_convviz_pictures", set())
        path = Path(self.env.app.outdir) / "_static" / folder / file_name
        if path not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            draw(path)
            made.add(path)
        return "../" * self.env.docname.count("/") + f"_static/{folder}/{file_name}"

    def picture(self, file_name: str, draw, alt: str) -> nodes.raw:
        """Draw ``file_name`` into ``_static/pictures`` once per build and return an ``<img>`` for it."""
        source = self.drawn("pictures", file_name, draw)
        return nodes.raw("", f'<img class="convviz-picture" src="{source}" alt="{html.escape(alt)}">', format="html")


class Picture(_Drawing):
    """``picture NAME`` with an optional caption as its content."""

    required_arguments = 1
    has_content = True
    option_spec = {"alt": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in PICTURES:
            raise self.error(f"unknown picture {name!r}; known: {', '.join(PICTURES)}")
        file_name, draw = PICTURES[name]
        caption = " ".join(self.content)
        figure = nodes.container(classes=["convviz-figure"])
        figure += self.picture(file_name, draw, self.options.get("alt", caption.replace("`", "") or name))
        for paragraph in self.parse_content_to_nodes():
            paragraph["classes"].append("convviz-caption")
            figure += paragraph
        return [figure]


class GalleryEntries(_Drawing):
    """Every gallery entry: a heading, its sentence, its code and its GIF."""

    def run(self) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for entry in GALLERY:
            op = entry.operation()
            heading = nodes.rubric(text=entry.name.replace("_", " "), ids=[entry.name.replace("_", "-")])
            about = nodes.paragraph(text=f"{entry.about}. Output {op.output_shape}, {op.num_steps} frames.")
            code = entry_code(entry)
            block = nodes.literal_block(code, code, language="python")

            def draw(path: Path, entry: Animation = entry, op=op) -> None:
                from visualizer.render.export import save_animation

                save_animation(op, path, numbers=entry.numbers, layout=entry.layout, progress=False)

            source = self.drawn("players", f"{entry.name}.html", draw)  # the format follows the file name
            width, height = FrameRenderer(op, numbers=entry.numbers, layout=entry.layout).size
            title = html.escape(f"{entry.name}: the player")
            # the page's player fills its frame: the picture scaled, then its title, text and controls
            frame = (
                f'<iframe class="convviz-player-page" loading="lazy" src="{source}" title="{title}"'
                f' style="aspect-ratio: {width} / {height + 220}"></iframe>'
                f'<p class="convviz-caption"><a href="{source}">The player on its own page</a></p>'
            )
            result += [heading, about, block, self.picture(f"{entry.name}.gif", draw, entry.about)]
            result.append(nodes.raw("", frame, format="html"))
        return result


class Player(SphinxDirective):
    """``player NAME``: a lesson section's player, inline in the page."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in PLAYERS:
            raise self.error(f"unknown player {name!r}; known: {', '.join(PLAYERS)}")
        make, style = PLAYERS[name]
        fragment = player_html(FrameRenderer(make(), **style))
        figure = nodes.container(classes=["convviz-figure"])
        figure += nodes.raw("", f'<div class="convviz-player">{fragment}</div>', format="html")
        for paragraph in self.parse_content_to_nodes():
            paragraph["classes"].append("convviz-caption")
            figure += paragraph
        return [figure]


class ReadmeCommand(SphinxDirective):
    """``readme-command MARKER``: the README's command as a bash block."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        try:
            command = readme_command(self.arguments[0])
        except ValueError as error:
            raise self.error(str(error)) from error
        return [nodes.literal_block(command, command, language="bash")]


def _note_for_widgets(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if WIDGET_MIME in raw.astext():
            note = nodes.note()
            note += nodes.paragraph(
                text="Here the notebook shows the interactive stepper: open the notebook in JupyterLab or "
                "Notebook 7 to use it (a static page cannot run it)."
            )
            raw.replace_self(note)


def _drop_widget_state(app: Sphinx, doctree: nodes.document) -> None:
    # MyST-NB keeps the executed widgets' state (about 100 KB a notebook) for a widget manager
    # that is not loaded: leave it out of the page
    js_files = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {}).get("js_files", {})
    js_files.pop("ipywidgets_state", None)


def _inline_tex(translator, node: nodes.math) -> None:
    translator.body.append(f'<code class="math">{html.escape(node.astext())}</code>')
    raise nodes.SkipNode


def _block_tex(translator, node: nodes.math_block) -> None:
    translator.body.append(f'<pre class="math">{html.escape(node.astext())}</pre>\n')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_html_math_renderer("tex", (_inline_tex, None), (_block_tex, None))
    app.add_directive("picture", Picture)
    app.add_directive("player", Player)
    app.add_directive("gallery-entries", GalleryEntries)
    app.add_directive("readme-command", ReadmeCommand)
    app.connect("doctree-read", _drop_widget_state)
    app.connect("doctree-resolved", _note_for_widgets)
    site_stamp.setup(app)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
