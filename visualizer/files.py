"""Files written whole or not at all.

Every writer in the package (frames, animations, photos, the gallery) goes
through :func:`atomic_write`, so a failure part-way leaves no partial file and
never damages what was already at the target.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, *, folder: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; it replaces ``path`` only when the block succeeds.

    On any failure the temporary file (or folder) is removed and whatever was at
    ``path`` stays as it was. With ``folder=True`` the block fills a temporary
    folder; on success it becomes ``path``, or, when ``path`` is an existing
    folder, its entries are moved into it (other files there are kept).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as root:
    ...     target = Path(root) / "notes.txt"
    ...     with atomic_write(target) as temp:
    ...         _ = temp.write_text("all or nothing")
    ...     target.read_text(), sorted(p.name for p in Path(root).iterdir())
    ('all or nothing', ['notes.txt'])
    """
    target = Path(path)
    # the real suffix stays last, so writers that go by the name pick the right format
    temp = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    if folder:
        temp.mkdir()
    else:
        # O_EXCL: never reuse someone else's file; mode 0o666 lets the umask decide, as for a plain open()
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temp
        if folder and target.is_dir():
            for entry in sorted(temp.iterdir()):
                os.replace(entry, target / entry.name)
            temp.rmdir()
        else:
            os.replace(temp, target)
    except BaseException:
        if folder:
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)
        raise
