"""A Jupyter server (JupyterLab's, which serves Notebook 7's pages too) for the browser tests and benchmarks.

It listens on a port the system hands it, serves a fresh root folder holding the notebooks given
(the server would reuse a notebook's running kernel otherwise), asks nothing of the internet
(JupyterLab's news switched off) and is stopped by its own process.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from processes import stop

if TYPE_CHECKING:
    import nbformat

SETTINGS = {
    # JupyterLab asks the internet for news unless told not to; the tests must see no outside request
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # by default cells scrolled out of view are not drawn
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
# what says the kernel is idle, in each front end
IDLE = {
    "lab": "#jp-main-statusbar .jp-StatusBar-TextItem:has-text('| Idle')",
    "notebooks": ".jp-Notebook-ExecutionIndicator[data-status='idle']",
}


def notebook(*cells: str) -> nbformat.NotebookNode:
    """A notebook of these code cells for the Python 3 kernel (no kernel dialog on opening)."""
    import nbformat  # here, not at the top: it takes a second to import, and most test files never need it

    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    return book


@contextmanager
def jupyter_server(folder: Path, books: dict[str, nbformat.NotebookNode], timeout: float = 60) -> Iterator[str]:
    """Serve ``books`` (file name → notebook) from ``folder``/root; yields a URL maker: ``url(front_end, name)``.

    The server starts at once and is waited for on the first ``url`` call, so a browser can start meanwhile.
    """
    root, settings, runtime, home = (folder / name for name in ("root", "settings", "runtime", "home"))
    for path in (root, settings, home):
        path.mkdir(parents=True)
    (settings / "overrides.json").write_text(json.dumps(SETTINGS))
    import nbformat

    for name, book in books.items():
        nbformat.write(book, root / name)
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_DIR"}  # the user's settings stay out
    env |= {"JUPYTER_RUNTIME_DIR": str(runtime), "HOME": str(home)}
    log_path = folder / "jupyter.log"
    with log_path.open("wb") as log:
        # port 0: the server takes a port the system hands it and names it in its runtime folder
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0"]
            + ["--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
            + [f"--LabApp.app_settings_dir={settings}", "--LabApp.extension_manager=readonly"]
            + (["--allow-root"] if os.geteuid() == 0 else []),
            env=env,
            cwd=root,  # not a folder whose modules could stand in for the server's own
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = _wait_until_up(runtime, token, process, log_path, timeout)
            yield (
                lambda front_end, name: (
                    f"{base}/{front_end}/{'tree/' if front_end == 'lab' else ''}{name}?token={token}"
                )
            )
        finally:
            stop(process)


def _wait_until_up(runtime: Path, token: str, process: subprocess.Popen, log: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Jupyter exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            # written once the port is bound; a half-written file fails to parse and is read again
            info = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
            base = f"http://127.0.0.1:{info['port']}"
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return base
        except (StopIteration, ValueError, KeyError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"Jupyter did not answer within {timeout} s:\n{log.read_text()[-2000:]}")


def run_all(page, front_end: str) -> None:
    """Wait for the kernel, then Run All from the Run menu."""
    page.locator(IDLE[front_end]).first.wait_for()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
