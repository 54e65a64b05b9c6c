"""Files in the instance folder are the owner's alone: the secret key, the demo password, the SQLite file.

The folder is made 0700 and each file 0600 when it is created (never readable by others, not even for
a moment) and tightened at start-up when an older copy left them readable by the group or others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> None:
    """Remove the group's and others' permissions from a file or folder we own."""
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & mode)


def private_directory(path: str | os.PathLike) -> Path:
    folder = Path(path)
    folder.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(folder, DIRECTORY_MODE)
    return folder


def private_file(path: str | os.PathLike) -> Path:
    """The file, created empty and owner-only if missing, tightened if others could read it."""
    file = Path(path)
    try:
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        _tighten(file, FILE_MODE)
    return file


def read_or_create(path: str | os.PathLike, make) -> str:
    """The text of an owner-only file, written from `make()` the first time."""
    file = Path(path)
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        _tighten(file, FILE_MODE)
        return file.read_text().strip()
    value = make()
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
