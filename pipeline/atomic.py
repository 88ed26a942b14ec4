"""Small operating-system helpers shared by the run's writers and claimants: a file written
whole or not at all, and whether a process of this machine is gone."""
from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, prefix: str = ".") -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the whole new one, never a
    part: a temporary file beside it (``prefix``…``.tmp``), flushed to disk, renamed over it.
    A write killed midway leaves only the temporary file, which its owner's pruning removes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def gone_here(host: str, pid: str) -> bool:
    """True when ``host`` is this machine and no process ``pid`` runs on it (a killed run's
    claim or staging folder); False when it is alive, elsewhere, or cannot be told."""
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
