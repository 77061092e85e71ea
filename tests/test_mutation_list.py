"""tools/mutations.py stays applicable: each deliberate bug still finds its text, once, in today's code.

Cheap enough for every run of the suite, so a mutation made stale by a change to
the code is noticed by whoever made the change, not at the next mutation run.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


MUTATIONS = _load("mutations").MUTATIONS


def test_the_list_is_long_and_its_ids_unique():
    ids = [m.id for m in MUTATIONS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids), [i for i in ids if ids.count(i) > 1]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), ids


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_applies_to_the_current_tree(mutation):
    assert mutation.problem(ROOT) is None, f"stale: {mutation.problem(ROOT)}; update tools/mutations.py"
    assert mutation.old != mutation.new
    assert mutation.compiles(ROOT), "a mutation must stay valid Python: a bug the tests can miss, not a syntax error"
    description = mutation.description
    assert description.strip() and "\n" not in description


def test_no_mutation_leaves_a_name_undefined(tmp_path):
    # a name the code no longer has (moved or renamed) would fail any test that reaches the line: caught, but
    # for the wrong reason, so the bug the mutation describes would go untested
    pytest.importorskip("ruff")
    for mutation in MUTATIONS:
        mutated = tmp_path / mutation.id / mutation.file
        mutated.parent.mkdir(parents=True, exist_ok=True)
        mutated.write_text(mutation.apply((ROOT / mutation.file).read_text(encoding="utf-8")), encoding="utf-8")
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "F821", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
def test_mutation_names_tests_that_exist(mutation):
    assert mutation.tests
    for test in mutation.tests:
        path, _, name = test.partition("::")
        assert (ROOT / path).is_file(), test
        assert path.startswith("tests/test_") or path.startswith("visualizer/"), test
        if name:  # a test function: its def is in the file (a parameter in brackets is not checked)
            function = name.split("::")[-1].split("[")[0]
            assert f"def {function}(" in (ROOT / path).read_text(encoding="utf-8"), test


def test_the_runner_names_the_first_failing_test():
    first_failure = _load("mutate").first_failure
    output = (
        "..F\n=== short test summary info ===\n"
        "FAILED tests/test_cli_core.py::test_named_case[even kernel same stride 2-None-uint8] - assert 1 == 2\n"
        "!!! stopping after 1 failures !!!\n"
    )
    assert first_failure(output) == "tests/test_cli_core.py::test_named_case[even kernel same stride 2-None-uint8]"
    assert first_failure("ERROR tests/test_x.py - ImportError: boom\n") == "tests/test_x.py"
    assert first_failure("1 passed in 0.1s\n") == ""
