"""Plant each deliberate bug of ``tools/mutations.py`` in a copy of the tree and run the tests that should catch it.

    python tools/mutate.py                    # every mutation, one at a time
    python tools/mutate.py --list             # what the mutations are
    python tools/mutate.py --only gif-hold-lost,seed-ignored --jobs 2

The checkout itself is never touched: its files (``git ls-files``, plus new files
git does not ignore, so a test just written takes part) are copied once into a
temporary folder per job. There each mutation is planted, pytest runs the
mutation's tests with ``PYTHONPATH`` set to the copy (so the copy's ``visualizer``
is imported, not an installed one), and the file is restored before the next.

PyTorch is hidden from these runs (``--torch`` keeps it): importing it costs
seconds in every run, and each test that holds the code to PyTorch has a SciPy twin.

Before any mutation, the same tests run once unmutated: a "caught" means
nothing if they fail anyway. A run that outlives ``--timeout`` counts as caught
only if the unmutated tests then finish in the same time: the mutation made
them hang.

Exit status: 0 when every mutation was caught, 1 when one survived, is stale
(its text is no longer in the file) or could not be judged, 2 when the tests
fail without any mutation or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from queue import Queue

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import MUTATIONS, Mutation  # noqa: E402  (a sibling file, not a package)

ROOT = Path(__file__).resolve().parent.parent
PYTEST_OPTIONS = ("-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0")

# A pytest plugin, loaded with -p: `import torch` fails as if PyTorch were not installed. (A None in
# sys.modules would not do: SciPy looks torch up there and takes None for the module.)
HIDE_TORCH = """import sys


class _NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by tools/mutate.py)", name=name)
        return None


sys.meta_path.insert(0, _NoTorch())
"""

CAUGHT, CAUGHT_TIMEOUT, SURVIVED, STALE, ERROR = "caught", "caught (timeout)", "survived", "stale", "error"


@dataclass(frozen=True)
class Outcome:
    mutation: Mutation
    verdict: str
    detail: str  # the catching test, the description of a survivor, or what went wrong
    seconds: float


@dataclass(frozen=True)
class Run:
    status: int | None  # pytest's exit status; None when the time limit struck
    output: str
    seconds: float


class Workspace:
    """One private copy of the tree, where one mutation at a time is planted."""

    def __init__(self, folder: Path, files: list[str]):
        self.tree = folder / "tree"
        self.basetemp = folder / "pytest-tmp"  # pytest's tmp_path, out of the shared /tmp/pytest-of-<user>
        for name in files:
            source = ROOT / name
            if source.is_file():  # a tracked file deleted in the checkout is deleted in the copy too
                target = self.tree / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


class Runner:
    """Runs pytest in workspaces; keeps the running processes so an interrupt can stop them."""

    def __init__(self, python: str, timeout: float, plugins: Path | None):
        self.python = python
        self.timeout = timeout
        self.plugins = plugins  # a folder holding the plugin that hides PyTorch, or None to keep it
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def pytest(self, space: Workspace, tests: tuple[str, ...], timeout: float | None = None) -> Run:
        command = [self.python, "-m", "pytest", *PYTEST_OPTIONS, f"--basetemp={space.basetemp}"]
        path = [str(space.tree)]
        if self.plugins:
            command += ["-p", "mutate_hide_torch"]
            path.append(str(self.plugins))
        # the copy's package, not the checkout's or an editable install; no bytecode, so a restored
        # file can never be shadowed by the mutated one's cached compilation
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), PYTHONDONTWRITEBYTECODE="1")
        command += tests
        start = time.monotonic()
        # a session of its own: a timeout stops pytest and whatever it started (a browser, a server)
        process = subprocess.Popen(
            command,
            cwd=space.tree,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        with self._lock:
            self._running.add(process)
        try:
            output, _ = process.communicate(timeout=timeout or self.timeout)
            status: int | None = process.returncode
        except subprocess.TimeoutExpired:
            _kill(process)
            output, _ = process.communicate()
            status = None
        except BaseException:  # Ctrl-C: stop what this run started before leaving
            _kill(process)
            process.wait()
            raise
        finally:
            with self._lock:
                self._running.discard(process)
        # examples Hypothesis saved while one mutation failed must not steer the next run
        shutil.rmtree(space.tree / ".hypothesis", ignore_errors=True)
        return Run(status, output, time.monotonic() - start)

    def stop_all(self) -> None:
        with self._lock:
            for process in self._running:
                _kill(process)

    def judge(self, mutation: Mutation, space: Workspace) -> Outcome:
        """Plant ``mutation`` in ``space``, run its tests, restore the file."""
        path = space.tree / mutation.file
        pristine = path.read_text(encoding="utf-8")  # the copy is restored after every mutation: a pristine snapshot
        if pristine.count(mutation.old) != 1:
            return Outcome(mutation, STALE, mutation.problem(space.tree) or "", 0.0)
        try:
            path.write_text(mutation.apply(pristine), encoding="utf-8")
            run = self.pytest(space, mutation.tests)
        finally:
            path.write_text(pristine, encoding="utf-8")
        if run.status is None:
            again = self.pytest(space, mutation.tests)
            if again.status == 0:
                detail = f"no answer in {self.timeout:g} s; unmutated, the tests pass in {again.seconds:.0f} s"
                return Outcome(mutation, CAUGHT_TIMEOUT, detail, run.seconds)
            return Outcome(mutation, ERROR, "the tests time out or fail without the mutation too", run.seconds)
        return _verdict(mutation, run)


def _verdict(mutation: Mutation, run: Run) -> Outcome:
    if run.status == 0:
        return Outcome(mutation, SURVIVED, mutation.description, run.seconds)
    if run.status in (1, 2):  # a test failed, or collection failed (an import the mutation broke)
        return Outcome(mutation, CAUGHT, first_failure(run.output) or "pytest failed", run.seconds)
    # 3 internal error, 4 usage error (a test path that does not exist), 5 nothing collected
    return Outcome(mutation, ERROR, f"pytest exit status {run.status}: {_last_line(run.output)}", run.seconds)


def first_failure(output: str) -> str:
    """The node id on pytest's first FAILED or ERROR summary line, or ""."""
    for line in output.splitlines():
        for word in ("FAILED ", "ERROR "):
            if line.startswith(word):
                return line[len(word) :].split(" - ", 1)[0].strip()
    return ""


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else "no output"


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
        os.killpg(process.pid, signal.SIGKILL)


def _files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"mutate: needs a git checkout to know which files to copy ({error})") from None
    return sorted({name for name in listed.decode().split("\0") if name})


def _select(only: str | None) -> list[Mutation]:
    if only is None:
        return list(MUTATIONS)
    known = {m.id: m for m in MUTATIONS}
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        print(f"mutate: no mutation {', '.join(unknown) or '(none given)'}; see --list for the ids", file=sys.stderr)
        raise SystemExit(2)
    return [known[name] for name in dict.fromkeys(wanted)]


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def _line(outcome: Outcome) -> str:
    return f"{outcome.verdict:<16}  {outcome.mutation.id:<30}  {outcome.detail}  ({outcome.seconds:.1f} s)"


def _list(mutations: list[Mutation]) -> None:
    for m in mutations:
        print(f"{m.id:<30}  {m.file}  {m.description}")
        print(f"{'':<30}  tests: {' '.join(m.tests)}")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mutate.py", description="Plant deliberate bugs one at a time and check that the tests catch each."
    )
    parser.add_argument("--list", action="store_true", help="list the mutations and their tests, run nothing")
    parser.add_argument("--only", metavar="ID[,ID]", help="run only these mutations")
    parser.add_argument("--jobs", type=int, default=1, help="mutations tested at once, each in its own copy (1)")
    parser.add_argument("--python", default=sys.executable, help="the Python with pytest and the test dependencies")
    parser.add_argument("--torch", action="store_true", help="let the tests import PyTorch (slower)")
    parser.add_argument(
        "--timeout", type=float, default=240, help="seconds one mutation's tests may take before they count as hung"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout <= 0:
        parser.error("--jobs must be >= 1 and --timeout > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    mutations = _select(args.only)
    if args.list:
        _list(mutations)
        return 0
    try:
        return _mutate(args, mutations)
    except KeyboardInterrupt:
        print("mutate: interrupted", file=sys.stderr)
        return 130


def _mutate(args: argparse.Namespace, mutations: list[Mutation]) -> int:
    start = time.monotonic()
    outcomes: list[Outcome] = []
    runnable = []
    for m in mutations:
        problem = m.problem(ROOT)
        if problem:
            outcomes.append(Outcome(m, STALE, problem, 0.0))
            print(_line(outcomes[-1]), flush=True)
        else:
            runnable.append(m)
    jobs = max(1, min(args.jobs, len(runnable)))
    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        plugins = None if args.torch else Path(scratch) / "plugins"
        if plugins:
            plugins.mkdir()
            (plugins / "mutate_hide_torch.py").write_text(HIDE_TORCH, encoding="utf-8")
        runner = Runner(args.python, args.timeout, plugins)
        files = _files()
        spaces: Queue[Workspace] = Queue()
        for k in range(jobs):
            spaces.put(Workspace(Path(scratch) / f"copy{k}", files))
        status = _baseline(runner, spaces, runnable)
        if status:
            return status
        print(f"planting {len(runnable)} mutations, {jobs} at a time, in copies of {ROOT}", flush=True)
        outcomes += _run_all(runner, spaces, runnable, jobs)
    return _summary(mutations, outcomes, time.monotonic() - start)


def _baseline(runner: Runner, spaces: Queue[Workspace], mutations: list[Mutation]) -> int:
    """Run every selected mutation's tests once, unmutated; 2 (and why) if they do not pass."""
    if not mutations:
        return 0
    tests = tuple(dict.fromkeys(test for m in mutations for test in m.tests))
    space = spaces.get()
    try:
        run = runner.pytest(space, tests, timeout=runner.timeout * 3)
    finally:
        spaces.put(space)
    if run.status == 0:
        print(f"unmutated: {len(tests)} test paths pass in {run.seconds:.0f} s", flush=True)
        return 0
    why = "time out" if run.status is None else f"fail ({first_failure(run.output) or _last_line(run.output)})"
    print(f"mutate: the tests {why} without any mutation; fix that first", file=sys.stderr)
    print(run.output[-3000:], file=sys.stderr)
    return 2


def _run_all(runner: Runner, spaces: Queue[Workspace], mutations: list[Mutation], jobs: int) -> list[Outcome]:
    def task(mutation: Mutation) -> Outcome:
        space = spaces.get()
        try:
            return runner.judge(mutation, space)
        finally:
            spaces.put(space)

    outcomes = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(task, m) for m in mutations]
        try:
            for future in as_completed(futures):
                outcomes.append(future.result())
                print(_line(outcomes[-1]), flush=True)
        except BaseException:  # Ctrl-C: stop the running tests too, or leaving the pool waits for them
            for future in futures:
                future.cancel()
            runner.stop_all()
            raise
    return outcomes


def _summary(mutations: list[Mutation], outcomes: list[Outcome], seconds: float) -> int:
    order = {m.id: k for k, m in enumerate(mutations)}
    outcomes.sort(key=lambda o: order[o.mutation.id])
    count = {v: sum(o.verdict == v for o in outcomes) for v in (CAUGHT, CAUGHT_TIMEOUT, SURVIVED, STALE, ERROR)}
    for verdict in (SURVIVED, STALE, ERROR):
        if count[verdict]:
            print(f"\n{verdict}:")
            for o in outcomes:
                if o.verdict == verdict:
                    print(f"  {o.mutation.id:<30}  {o.mutation.file}: {o.detail}")
    errors = f", {count[ERROR]} not judged" if count[ERROR] else ""
    print(
        f"\nmutations: {count[CAUGHT] + count[CAUGHT_TIMEOUT]} caught, {count[SURVIVED]} survived, "
        f"{count[STALE]} stale{errors} (of {len(outcomes)}) in {_duration(seconds)}"
    )
    return 1 if count[SURVIVED] or count[STALE] or count[ERROR] else 0


if __name__ == "__main__":
    sys.exit(main())
