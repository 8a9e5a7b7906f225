"""Files salesflow writes for the user (`-o`: exports, documents): private, and whole or not
at all. The rules themselves live in salesflow.files; this is the one writer `-o` uses."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

from salesflow import files
from salesflow.errors import SalesflowError
from salesflow.i18n import _


def write_private(path: Path, data: bytes) -> None:
    """`data` as the whole of `path` (a document: PDF, HTML …), like private_text_file."""
    with _private_file(path, binary=True) as out:
        out.write(data)


@contextmanager
def private_text_file(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text stream into `path`, created mode 0600 whatever the umask.

    Everything goes to a hidden file beside `path` that replaces it only once complete, so a
    failed, interrupted or out-of-space write leaves any earlier file as it was. A FIFO or
    device (`-o /dev/stderr`) is written in place: renaming over it would replace the node.
    """
    with _private_file(path, binary=False) as out:
        yield out


@contextmanager
def _private_file(path: Path, *, binary: bool) -> Iterator[Any]:
    text = {} if binary else {"encoding": "utf-8", "newline": ""}
    mode = "wb" if binary else "w"
    if path.is_symlink():  # write the file the link points to; the link stays a link
        path = Path(os.path.realpath(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as e:
        raise SalesflowError(
            _("cannot write {path}: {why}").format(path=path, why=e.strerror)
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise SalesflowError(
            _("{path} is a folder — give a file name, e.g. -o {path}/leads.csv").format(path=path)
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:
            with open(path, mode, **text) as out:
                yield out
        except OSError as e:
            raise SalesflowError(
                _("cannot write {path}: {why} — nothing was changed").format(
                    path=path, why=e.strerror
                )
            ) from None
        return
    files.remove_stale(path, "tmp")
    temp = files.temp_beside(path, "tmp")
    try:
        fd = files.private_fd(temp)
    except OSError as e:
        raise SalesflowError(
            _("cannot write {path}: {why} — check the folder exists and is writable").format(
                path=path, why=e.strerror
            )
        ) from None
    try:
        with os.fdopen(fd, mode, **text) as out:
            yield out
        files.publish(temp, path, replace=True)
    except OSError as e:
        _discard(temp)
        raise SalesflowError(
            _("cannot write {path}: {why} — nothing was changed").format(path=path, why=e.strerror)
            + (_("; any earlier file is as it was") if info is not None else "")
        ) from None
    except BaseException:
        _discard(temp)
        raise


def _discard(temp: str) -> None:
    with suppress(OSError):
        os.unlink(temp)
