"""The rules of the house (DESIGN.md), read from the source: who may import whom, and module sizes.

- the core (geometry, the operations, kernels) imports no drawing or widget library, anywhere in it;
- painters know no operation and no scene builder: they read scene items only;
- no import circle between the package's modules (imports at module level);
- no module over about 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"
CORE = ("geometry", "convolution", "kernels", "transposed", "pooling", "layer")
DRAWING = ("PIL", "matplotlib", "ipywidgets", "anywidget", "fpdf", "traitlets", "IPython")
PAINTERS = ("render.raster", "render.vector")
OPERATIONS = ("convolution", "transposed", "pooling", "layer")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, *, top_level_only: bool) -> set[str]:
    """What module ``name`` imports: package modules as dotted names within the package, others by top name."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.add(node.module or "")
                continue
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # "from . import x" names modules too
            for alias in node.names:
                candidate = f"{target}.{alias.name}" if target else alias.name
                found.add(candidate if candidate in MODULES else target)
    return {"visualizer." + f if f in MODULES else f for f in found if f}


def local(names: set[str]) -> set[str]:
    return {n.removeprefix("visualizer.") for n in names if n.startswith("visualizer.")} & set(MODULES)


def test_the_package_has_the_rooms_the_design_names() -> None:
    for room in ("geometry", "convolution", "kernels", "scenes", "scenes.items", "render.raster", "render.vector"):
        assert room in MODULES, room


@pytest.mark.parametrize("core", [c for c in CORE if c in MODULES])
def test_the_core_imports_no_drawing_library(core: str) -> None:
    # everything the core module reaches inside the package, at any depth and in any function
    seen, todo = set(), [core]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        outside = imports(name, top_level_only=False)
        drawing = {i for i in outside if i.split(".")[0] in DRAWING}
        assert not drawing, f"{name} (reached from {core}) imports {sorted(drawing)}"
        todo.extend(local(outside))
    assert not {n for n in seen if n.startswith(("render", "scenes", "widget", "presenter"))}, seen


@pytest.mark.parametrize("painter", PAINTERS)
def test_painters_know_no_operation_and_no_scene_builder(painter: str) -> None:
    reached = local(imports(painter, top_level_only=False))
    assert not reached & set(OPERATIONS), reached
    builders = {n for n in reached if n.startswith("scenes.") and n != "scenes.items"}
    assert not builders, builders


def test_no_import_circle() -> None:
    graph = {name: local(imports(name, top_level_only=True)) for name in MODULES}
    # a module importing its own parent package is how Python finds it, not a circle
    graph = {name: {t for t in targets if not name.startswith(t + ".") and t} for name, targets in graph.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                raise AssertionError("import circle: " + " -> ".join([*path[path.index(target) :], target]))
            if target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_the_house_check_sees_a_circle() -> None:
    """The circle finder is not vacuous: the modules really import each other."""
    graph = {name: local(imports(name, top_level_only=True)) for name in MODULES}
    assert "convolution" in graph["scenes.convolution"]
    assert "scenes.items" in graph["render.raster"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_the_size_limit(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].name} has {lines} lines (the house keeps modules under {MAX_LINES})"
