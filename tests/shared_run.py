"""A costly output (a whole pipeline run) made once per test session, even under pytest-xdist.

xdist gives every worker its own module and session fixtures, so a run made in a fixture is
made once per worker.  :func:`once` makes it in a folder that every worker of the session
shares (the parent of each worker's base temp dir), under an exclusive ``flock``: the first
worker builds it, the others wait for it and read the same files.
"""
from __future__ import annotations

import fcntl
import shutil
from pathlib import Path
from typing import Callable


def once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    out, done, lock = root / name, root / f"{name}.done", root / f"{name}.lock"
    with open(lock, "w") as lf:
        fcntl.flock(lf, fcntl.LOCK_EX)
        try:
            if not done.exists():
                if out.exists():
                    shutil.rmtree(out)      # a half-made folder of a worker that failed
                out.mkdir(parents=True)
                build(out)
                done.touch()
        finally:
            fcntl.flock(lf, fcntl.LOCK_UN)
    return out
