"""Opening input files with clear errors, and writing files safely."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import InputError, UsageError


def open_input(path: str | os.PathLike) -> IO[bytes]:
    """Open an input file for binary reading; a missing, unreadable or
    directory path becomes an :class:`InputError` naming it, never a traceback."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", str(path)) from None
    except PermissionError:
        raise InputError("permission denied", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", str(path)) from None


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place, so
    a crash or Ctrl-C never leaves a half-written file."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target}: is a directory; give a file name to write")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{target.parent}: cannot create directory ({exc.strerror})") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write here ({exc.strerror})") from None
    try:
        # mkstemp makes the file private (0600); a report or SARIF file must
        # get the permissions any new file would (or keep the old file's).
        os.chmod(tmp, _mode_for(target))
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8",
                       newline=None if "b" in mode else "") as fh:
            yield fh
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
