"""How salesflow puts files and folders on disk: private from the first byte, whole or not at
all, and a path is always a path.

Every writer goes through here — the database's first creation, schema and `db backup` copies,
restore's staging copy, exports and documents (`-o`) — so the guarantees hold in one place:
files are created 0600 and folders 0700 whatever the umask (the mode given to open/mkdir can
only lose bits to the umask, never gain them, so no moment exists where others may read), and
a file is built under a hidden temporary name beside its target and renamed into place only
when complete. Temporaries left by a killed process are recognised by their dead owner's pid
and removed by the next writer of the same target.
"""

from __future__ import annotations

import contextlib
import os

# Characters a file: URI may carry unencoded in its path (RFC 3986 unreserved, plus '/').
_PLAIN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")


def sqlite_uri(path: str | os.PathLike[str], **params: str) -> str:
    """A `file:` URI for SQLite naming exactly `path`: `#`, `?`, `%`, spaces and non-ASCII are
    percent-encoded, so `old.db#good.bak` names that file and not `old.db`."""
    absolute = os.path.abspath(os.fspath(path)).encode("utf-8", "surrogateescape")
    quoted = "".join(chr(b) if b in _PLAIN else f"%{b:02X}" for b in absolute)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quoted}" + (f"?{query}" if query else "")


def private_fd(path: str | os.PathLike[str], *, exclusive: bool = True) -> int:
    """Create `path` for writing, mode 0600 from its first byte; its descriptor."""
    flags = os.O_CREAT | os.O_WRONLY | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken the owner's bits too; put them back
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_folders(folder: str | os.PathLike[str]) -> None:
    """Create `folder` and any missing parents, each 0700 whatever the umask (the XDG base
    directory rule, applied to `~/.local` and `~/.local/share` too when salesflow makes them).
    Folders that already exist are left as they are."""
    folder = os.path.abspath(os.fspath(folder))
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # another salesflow starting at the same moment made it
        os.chmod(path, 0o700)


def temp_beside(target: str | os.PathLike[str], kind: str) -> str:
    """The hidden name `target` is built under: `.NAME.PID.KIND` in the same folder, so the
    final rename never crosses file systems and a half-built file is never taken for a real one."""
    folder, name = os.path.split(os.fspath(target))
    return os.path.join(folder, f".{name}.{os.getpid()}.{kind}")


def remove_stale(target: str | os.PathLike[str], kind: str) -> None:
    """Delete temporaries of `target` (and their SQLite side files) whose process is gone."""
    folder, name = os.path.split(os.fspath(target))
    prefix = f".{name}."
    try:
        entries = os.listdir(folder or ".")
    except OSError:
        return
    for entry in entries:
        if not entry.startswith(prefix):
            continue
        pid, _, rest = entry[len(prefix) :].partition(".")
        if not pid.isdigit() or not rest.startswith(kind) or _alive(int(pid)):
            continue
        if rest in (kind, f"{kind}-journal", f"{kind}-wal", f"{kind}-shm"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, entry))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def publish(temp: str | os.PathLike[str], target: str | os.PathLike[str], *, replace: bool) -> None:
    """Move a complete temporary into place: over an existing file when `replace`, otherwise
    only if `target` does not exist yet (FileExistsError), never half of either."""
    with contextlib.suppress(OSError):
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)  # the bytes are on disk before the name points at them
        finally:
            os.close(fd)
    if replace:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: rename is still atomic
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.replace(temp, target)
        return
    os.unlink(temp)
