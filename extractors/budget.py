"""How long the file being read may still take, so a page-by-page reader stops in time.

The batch gives each file a time limit (``--file-timeout``, 600 s by default) and kills the
reader when it is spent, which would lose every page read so far.  So the readers that go
page by page (PDF, multi-page images) take a ``deadline()`` when they start and, once it
has passed, keep the pages they have and say how many were left out.  The reading budget
is ``SHARE`` of the file's limit — the rest is kept for laying the pages out and handing the
document back — or ``DEFAULT_SECONDS`` when no limit was given (a reader called directly).

``extractors.read_file_within(path, name, limit)`` arms the budget around one file.  The
deadline is a context variable, so files read in several threads at once each keep their own.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Optional

DEFAULT_SECONDS = 420.0
SHARE = 0.85

_DEADLINE: ContextVar[Optional[float]] = ContextVar("reading_deadline", default=None)


def reading_seconds(limit: Optional[float]) -> float:
    """The reading budget for a file whose whole time limit is ``limit`` seconds."""
    return DEFAULT_SECONDS if limit is None else max(0.0, float(limit) * SHARE)


@contextmanager
def armed(limit: Optional[float]) -> Iterator[float]:
    """Within the block, ``deadline()`` is ``reading_seconds(limit)`` from now."""
    dl = time.monotonic() + reading_seconds(limit)
    token = _DEADLINE.set(dl)
    try:
        yield dl
    finally:
        _DEADLINE.reset(token)


def deadline() -> float:
    """When the current file's reading must stop (a ``time.monotonic()`` value)."""
    dl = _DEADLINE.get()
    return dl if dl is not None else time.monotonic() + DEFAULT_SECONDS


def budget_seconds(dl: float, started: float) -> float:
    """The budget a reader was given, for its message."""
    return max(0.0, dl - started)
