"""Files salesflow writes for the user (exports): private, and whole or not at all."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from salesflow.errors import SalesflowError


def write_private(path: Path, data: bytes) -> None:
    """`data` as the whole of `path` (a document: PDF, HTML …), like private_text_file."""
    with _private_file(path, binary=True) as out:
        out.write(data)


@contextmanager
def private_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream into `path`, created mode 0600 whatever the umask.

    Rows go to a hidden file beside `path` that replaces it only once everything is written,
    so a failed or interrupted export leaves any earlier file as it was. A FIFO or device
    (`-o /dev/stderr`) is written in place: renaming over it would replace the device node.
    """
    with _private_file(path, binary=False) as out:
        yield out


@contextmanager
def _private_file(path: Path, *, binary: bool) -> Iterator[Any]:
    text = {} if binary else {"encoding": "utf-8", "newline": ""}
    mode = "wb" if binary else "w"
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as e:
        raise SalesflowError(f"cannot write {path}: {e.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise SalesflowError(f"{path} is a folder — give a file name, e.g. -o {path}/leads.csv")
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(path, mode, **text) as out:
            yield out
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as e:
        raise SalesflowError(
            f"cannot write {path}: {e.strerror} — check the folder exists and is writable"
        ) from None
    try:
        os.chmod(temp, 0o600)  # os.open's mode is filtered by the umask; make it exact
        with os.fdopen(fd, mode, **text) as out:
            yield out
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
