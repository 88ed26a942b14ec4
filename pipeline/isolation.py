"""Run one reader call in a forked child with a time limit and a memory cap.

A hostile or broken file (a PDF that makes the parser loop, a 20000×20000 px page, a zip
bomb inside a DOCX) must cost the batch one file, never the run: the child is killed when
its time is up, and its address space is capped so it fails with MemoryError instead of
taking the machine down.  Results come back pickled through a pipe.

The time limit counts the reader's CPU time (its own and its helper processes', e.g. LibreOffice
converting a .doc), not the clock on the wall: what a file costs does not depend on how busy
the machine is, so a dossier reads the same on a quiet laptop and on a server shared with other
batches (on a loaded machine a wall-clock limit cut scans short that read whole when quiet).
A reader that is stuck rather than working (waiting on a hung helper) uses no CPU, so it is also
stopped after :attr:`FileLimits.wall_per_cpu` times its limit in wall-clock seconds.

Two ways to use it:

* :func:`run_isolated` forks one child for one call;
* :class:`ReaderPool` forks a child once and sends it call after call (a dossier's files),
  with the same limits: each call has its own time limit, and a child that overruns is
  killed (SIGKILL) and replaced by a fresh fork before the next call; one that dies, or whose
  call failed (a C library's state, a fragmented heap may be left behind), is replaced too.  Forking a worker that
  holds the dictionaries, fonts and OCR engine costs more than reading a small DOCX, so the
  fork is paid once per dossier instead of once per file.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import signal
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Optional

import psutil

DEFAULT_MEMORY_MB = 6144
PR_SET_PDEATHSIG = 1
# The OCR engine's threads per process (read by extractors.scan.ocr when it makes its engine)
OCR_THREADS_ENV = "PIPELINE_OCR_THREADS"


def machine_cores() -> int:
    """CPU cores this process may run on (the batch's default number of workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def set_ocr_threads(workers: int) -> int:
    """Give each worker's OCR engine cores ÷ workers threads (at least one), so that workers ×
    threads = cores; set in the environment, which forked workers and reader children inherit."""
    threads = max(1, machine_cores() // max(1, workers))
    os.environ[OCR_THREADS_ENV] = str(threads)
    return threads


@dataclass(frozen=True)
class FileLimits:
    """How a reader's time limit is watched.  Units in the names."""
    wall_per_cpu: float = 4.0    # wall-clock seconds per CPU second of the limit before a reader
                                 # that has not answered is taken for stuck (a loaded machine
                                 # gives a working reader ¼ of a core or more)
    poll_s: float = 0.5          # how often the parent reads the reader's CPU time


LIMITS = FileLimits()


class Timeout(Exception):
    pass


class ChildCrashed(Exception):
    pass


def _limit(mem_mb: Optional[int]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if mem_mb:
        lim = mem_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > lim:
            resource.setrlimit(resource.RLIMIT_AS, (lim, hard))


def _call(fn, args, kwargs) -> bytes:
    """fn's result or its exception, pickled."""
    try:
        result = ("ok", fn(*args, **kwargs))
    except BaseException as e:  # send every failure home, typed
        result = ("err", e, traceback.format_exc())
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        return pickle.dumps(("err", RuntimeError(f"result not picklable: {e}"), ""))


def _child(conn, fn, args, kwargs, mem_mb: Optional[int]) -> None:
    try:
        _limit(mem_mb)
        data = _call(fn, args, kwargs)
    except BaseException as e:
        data = pickle.dumps(("err", RuntimeError(f"{type(e).__name__}: {e}"), ""))
    try:
        conn.send_bytes(data)
    finally:
        conn.close()
        os._exit(0)


def _die_with(parent_pid: int) -> None:
    """Ask Linux to kill this child when its parent dies (PR_SET_PDEATHSIG), so a reader
    child never outlives the worker that started it; elsewhere, nothing."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent_pid and os.getppid() != parent_pid:      # the parent died before the request was made
        os._exit(1)


def _serve(jobs, results, mem_mb: Optional[int], parent_ends=(), parent_pid: int = 0) -> None:
    """A pool child: run each (fn, args, kwargs) received, send back its pickled outcome; an
    empty message or the pipe's end stops it."""
    try:
        _die_with(parent_pid)
        for conn in parent_ends:           # the parent's ends, inherited through the fork
            conn.close()
        _limit(mem_mb)
        while True:
            try:
                job = jobs.recv_bytes()
            except EOFError:
                break
            if not job:
                break
            fn, args, kwargs = pickle.loads(job)
            results.send_bytes(_call(fn, args, kwargs))
    finally:
        os._exit(0)


def _outcome(data: bytes) -> Any:
    result = pickle.loads(data)
    if result[0] == "ok":
        return result[1]
    raise result[1]


def _timeout_error(timeout: Optional[float], stalled: bool = False) -> Timeout:
    if stalled:
        wall = (timeout or 0) * LIMITS.wall_per_cpu
        return Timeout(f"读取进程 {wall:g} 秒未完成（单文件处理时限 {timeout:g} 秒 CPU 时间的 {LIMITS.wall_per_cpu:g} 倍），"
                       f"视为停滞 — the reader gave no result in {wall:g} s of wall-clock time "
                       f"({LIMITS.wall_per_cpu:g} × its limit of {timeout:g} CPU seconds): stalled")
    return Timeout(f"超过单文件处理时限 {timeout:g} 秒（CPU 时间） — exceeded the per-file time limit of "
                   f"{timeout:g} s of CPU time")


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and every process under it (finished ones
    it waited for included); 0 once it is gone."""
    try:
        proc = psutil.Process(pid)
        t = proc.cpu_times()
        total = t.user + t.system + t.children_user + t.children_system
        for c in proc.children(recursive=True):
            try:
                ct = c.cpu_times()
                total += ct.user + ct.system
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0.0


def _await(conn, pid: int, timeout: Optional[float]) -> None:
    """Return once ``conn`` has something to read (an answer, or its end when the reader died);
    raise :class:`Timeout` when the reader ``pid`` has used ``timeout`` CPU seconds since the
    call began, or has been silent for ``LIMITS.wall_per_cpu`` × ``timeout`` wall seconds."""
    if timeout is None:
        conn.poll(None)
        return
    cpu0, t0 = _cpu_seconds(pid), time.monotonic()
    wall = timeout * LIMITS.wall_per_cpu
    while True:
        left = wall - (time.monotonic() - t0)
        if conn.poll(max(0.0, min(LIMITS.poll_s, left))):
            return
        if _cpu_seconds(pid) - cpu0 >= timeout:
            raise _timeout_error(timeout)
        if time.monotonic() - t0 >= wall:
            raise _timeout_error(timeout, stalled=True)


def _crash_error(exitcode) -> ChildCrashed:
    return ChildCrashed(f"读取进程异常退出 (exit code {exitcode}) — the reader process died")


def run_isolated(fn: Callable, *args, timeout: Optional[float] = None, memory_mb: Optional[int] = DEFAULT_MEMORY_MB,
                 **kwargs) -> Any:
    """fn(*args, **kwargs) in a forked child; re-raises its exception; Timeout when too slow."""
    if timeout is None and memory_mb is None:
        return fn(*args, **kwargs)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, fn, args, kwargs, memory_mb), daemon=True)
    p.start()
    child.close()
    try:
        try:
            _await(parent, p.pid, timeout)
        except Timeout:
            p.kill()
            p.join(5)
            raise
        try:
            data = parent.recv_bytes()
        except EOFError:
            p.join(5)
            raise _crash_error(p.exitcode)
    finally:
        parent.close()
        if p.is_alive():
            p.join(5)
            if p.is_alive():
                p.kill()
    return _outcome(data)


class ReaderPool:
    """One forked child reused for call after call, each under its own time limit.

    ``pool.run(fn, *args, timeout=…)`` behaves like :func:`run_isolated`: the result, or the
    call's exception re-raised, :class:`Timeout` (the child is killed) or :class:`ChildCrashed`.
    ``fn`` and its arguments are pickled to the child, so ``fn`` must be a module-level
    function.  Use as a context manager; the child is ended on exit.
    """

    def __init__(self, memory_mb: Optional[int] = DEFAULT_MEMORY_MB):
        self.memory_mb = memory_mb
        self.forks = 0                     # children started (for tests and benchmarks)
        self.last_exitcode: Optional[int] = None   # of the last child ended (0: it left when asked)
        self._proc = None
        self._jobs = self._results = None

    def __enter__(self) -> "ReaderPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        results_in, results_out = ctx.Pipe(duplex=False)
        jobs_in, jobs_out = ctx.Pipe(duplex=False)
        p = ctx.Process(target=_serve, args=(jobs_in, results_out, self.memory_mb, (jobs_out, results_in),
                                             os.getpid()), daemon=True)
        p.start()
        jobs_in.close()
        results_out.close()
        self._proc, self._jobs, self._results = p, jobs_out, results_in
        self.forks += 1

    def _stop(self, kill: bool) -> None:
        p, self._proc = self._proc, None
        for conn in (self._jobs, self._results):
            if conn is not None:
                conn.close()
        self._jobs = self._results = None
        if p is None:
            return
        if kill:
            p.kill()
        p.join(5)
        if p.is_alive():
            p.kill()
            p.join(5)
        self.last_exitcode = p.exitcode

    def close(self) -> None:
        if self._proc is not None and self._jobs is not None:
            try:
                self._jobs.send_bytes(b"")         # asks the child to exit
            except OSError:
                pass
        self._stop(kill=False)

    def run(self, fn: Callable, *args, timeout: Optional[float] = None, **kwargs) -> Any:
        if self._proc is None or not self._proc.is_alive():
            self._stop(kill=True)
            self._start()
        try:
            self._jobs.send_bytes(pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL))
            try:
                _await(self._results, self._proc.pid, timeout)
            except Timeout:
                self._stop(kill=True)
                raise
            data = self._results.recv_bytes()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            exitcode = self._proc.exitcode if self._proc is not None else None
            self._stop(kill=True)
            raise _crash_error(exitcode)
        result = pickle.loads(data)
        if result[0] == "ok":
            return result[1]
        # A call that failed may leave a C library's process-wide state behind (pdfium keeps
        # its last error code: an encrypted PDF, then an empty one, read as "encrypted" twice;
        # a MemoryError leaves a fragmented heap): the next call starts in a fresh child.
        self._stop(kill=True)
        raise result[1]
