"""How much reading the file being read may still do, so a page-by-page reader stops in time.

The batch gives each file a time limit (``--file-timeout``, 600 s by default) counted in the
CPU time of its reader (``pipeline.isolation``): what a file costs, however loaded the machine
is, so the same dossier reads the same on a quiet laptop and on a server shared with other
batches.  The reader is killed when it is spent, which would lose every page read so far.  So
the readers that go page by page (PDF, multi-page images) take a ``deadline()`` when they
start — on :func:`clock`, this process's CPU time over all its threads (the OCR engine's
included) — and, once it has passed, keep the pages they have and say how many were left out.
The reading budget is ``SHARE`` of the file's limit — the rest is kept for laying the pages out
and handing the document back — or ``DEFAULT_SECONDS`` when no limit was given (a reader
called directly).

``extractors.read_file_within(path, name, limit)`` arms the budget around one file.  The
deadline is a context variable, so files read in several threads at once each keep their own
(their CPU time is the process's, shared: a conservative budget there).

A check between pages is not enough: one slow page begun just before the deadline can run
past the file's limit, and the batch then kills the reader with every page lost.  So each page
is read inside :func:`page_guard`: in the main thread a CPU-time timer (``ITIMER_PROF``,
``SIGPROF``) raises :class:`OutOfTime` inside the page when the deadline passes, the reader
drops that page and keeps the pages before it, and every page not read is reported as an
unread page (``Page.kind == "unread"``, route ``unread`` in ``Document.meta["pages"]``), so that
nothing downstream takes its fields for empty.  Outside the main thread (or when another
profiling timer is running) the check between pages is all there is.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Optional

DEFAULT_SECONDS = 420.0
SHARE = 0.85

UNREAD = "unread"            # Page.kind / route of a page the budget left unread


class OutOfTime(BaseException):
    """The reading deadline passed inside a page.  A ``BaseException``, like
    ``KeyboardInterrupt``: no reader's ``except Exception`` may take it for a damaged page."""


def clock() -> float:
    """CPU seconds this process has used, all threads together (the clock of every deadline
    here)."""
    return time.process_time()


_DEADLINE: ContextVar[Optional[float]] = ContextVar("reading_deadline", default=None)


def reading_seconds(limit: Optional[float]) -> float:
    """The reading budget for a file whose whole time limit is ``limit`` seconds."""
    return DEFAULT_SECONDS if limit is None else max(0.0, float(limit) * SHARE)


@contextmanager
def armed(limit: Optional[float]) -> Iterator[float]:
    """Within the block, ``deadline()`` is ``reading_seconds(limit)`` from now."""
    dl = clock() + reading_seconds(limit)
    token = _DEADLINE.set(dl)
    try:
        yield dl
    finally:
        _DEADLINE.reset(token)


def deadline() -> float:
    """When the current file's reading must stop (a :func:`clock` value)."""
    dl = _DEADLINE.get()
    return dl if dl is not None else clock() + DEFAULT_SECONDS


def budget_seconds(dl: float, started: float) -> float:
    """The budget a reader was given, for its message."""
    return max(0.0, dl - started)


def _timer_free() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_PROF)[0] == 0.0)


def _raise_out_of_time(signum, frame):
    raise OutOfTime()


@contextmanager
def page_guard(dl: float) -> Iterator[None]:
    """Read one page within the block: :class:`OutOfTime` is raised inside it once ``dl`` (a
    CPU-time :func:`clock` value) passes.  A deadline already passed sets no timer (the caller
    decided to read this page anyway: the first page of a file is always read)."""
    left = dl - clock()
    if left <= 0 or not _timer_free():
        yield
        return
    old = signal.signal(signal.SIGPROF, _raise_out_of_time)
    signal.setitimer(signal.ITIMER_PROF, left)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0.0)
        signal.signal(signal.SIGPROF, old)


def cut_short(name: str, read: int, total: int, secs: float) -> str:
    """The warning of a file whose budget ran out after ``read`` of ``total`` pages (the
    document cache keeps no such reading: ``pipeline.doccache.CUT_SHORT_MARK``)."""
    return (f"{name}: 读取用时超过 {secs:.0f} 秒（CPU 时间），只读取了前 {read} 页（共 {total} 页），其余页面未读取 — "
            f"CPU time budget of {secs:.0f} s spent, read {read} of {total} pages")
