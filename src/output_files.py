"""Writing the CLI's output files without ever harming the user's files.

- An output path that is one of the inputs (the same path, a symlink or a hard link to it) is refused:
  `export --plan P.xlsx --out P.xlsx` would overwrite the plan.
- A file is written atomically: a temporary file in the same folder, flushed to disk, then renamed over
  the target (os.replace). A full disk or a killed process leaves the old file (or none), never half a file.
- A bad output (a folder, a missing folder, no permission, a full disk) is an OutputError with a plain
  message naming the file; the CLI prints it and exits 2.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output file that cannot or must not be written: one line for the person, exit 2."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.EISDIR: "it is a directory",
    errno.ENOENT: "the folder does not exist",
    errno.ENAMETOOLONG: "the file name is too long",
}


def reason(error: OSError) -> str:
    """Plain words for an OSError: 'the disk is full', 'permission denied', ..."""
    return _REASONS.get(error.errno, error.strerror or type(error).__name__)


def path_problem(path: Path) -> str:
    """Why `path` is not a readable file, in plain words (for input paths: --plan, DASHBOARD_PLAN)."""
    try:
        if path.is_dir():
            return "is a directory, not a workbook file"
        if path.exists():
            return "is not a regular file"
        if path.is_symlink():
            return "is a link to a file that does not exist"
        return "no such file"
    except PermissionError:
        return "permission denied"
    except OSError as error:
        return error.strerror or "cannot be read"


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(path: str | Path, inputs: Iterable[str | Path | None] = ()) -> Path:
    """The output path, or OutputError when it is an input, a folder, not a regular file, or in a folder
    that does not exist or cannot be written."""
    path = Path(path)
    for given in inputs:
        if given is not None and _same_file(path, Path(given)):
            raise OutputError(f"--out {path}: this is an input workbook; choose another file name so the input is not overwritten.")
    if path.is_dir():
        raise OutputError(f"--out {path}: is a directory; give a file name.")
    if path.exists() and not path.is_file():
        raise OutputError(f"--out {path}: is not a regular file.")
    folder = path.parent
    if not folder.exists():
        raise OutputError(f"--out {path}: the folder {folder} does not exist.")
    if not folder.is_dir():
        raise OutputError(f"--out {path}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"--out {path}: permission denied (cannot write in the folder {folder}).")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"--out {path}: permission denied (the file is read-only).")
    return path


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename; OutputError
    (the target untouched, the temporary file removed) when any step fails."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:
        raise OutputError(f"--out {path}: cannot be written: {reason(error)}.") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _umask_mode())  # as an ordinary new file, not mkstemp's owner-only 0600
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputError(f"--out {path}: cannot be written: {reason(error)}; nothing was written.") from None
