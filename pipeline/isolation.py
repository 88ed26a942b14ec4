"""Run one reader call in a forked child with a time limit and a memory cap.

A hostile or broken file (a PDF that makes the parser loop, a 20000×20000 px page, a zip
bomb inside a DOCX) must cost the batch one file, never the run: the child is killed when
its time is up, and its address space is capped so it fails with MemoryError instead of
taking the machine down.  Results come back pickled through a pipe.

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
import traceback
from typing import Any, Callable, Optional

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


def _timeout_error(timeout: Optional[float]) -> Timeout:
    return Timeout(f"超过单文件处理时限 {timeout:g} 秒 — exceeded the per-file time limit of {timeout:g} s")


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
        if not parent.poll(timeout):
            p.kill()
            p.join(5)
            raise _timeout_error(timeout)
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
            if not self._results.poll(timeout):
                self._stop(kill=True)
                raise _timeout_error(timeout)
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
