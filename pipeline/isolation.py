"""Run one reader call in a forked child with a time limit and a memory cap.

A hostile or broken file (a PDF that makes the parser loop, a 20000×20000 px page, a zip
bomb inside a DOCX) must cost the batch one file, never the run: the child is killed when
its time is up, and its address space is capped so it fails with MemoryError instead of
taking the machine down.  Results come back pickled through a pipe.
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


class Timeout(Exception):
    pass


class ChildCrashed(Exception):
    pass


def _child(conn, fn, args, kwargs, mem_mb: Optional[int]) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if mem_mb:
            lim = mem_mb * 1024 * 1024
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard == resource.RLIM_INFINITY or hard > lim:
                resource.setrlimit(resource.RLIMIT_AS, (lim, hard))
        result = ("ok", fn(*args, **kwargs))
    except BaseException as e:  # send every failure home, typed
        result = ("err", e, traceback.format_exc())
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        data = pickle.dumps(("err", RuntimeError(f"result not picklable: {e}"), ""))
    try:
        conn.send_bytes(data)
    finally:
        conn.close()
        os._exit(0)


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
            raise Timeout(f"超过单文件处理时限 {timeout:g} 秒 — exceeded the per-file time limit of {timeout:g} s")
        try:
            data = parent.recv_bytes()
        except EOFError:
            p.join(5)
            raise ChildCrashed(f"读取进程异常退出 (exit code {p.exitcode}) — the reader process died")
    finally:
        parent.close()
        if p.is_alive():
            p.join(5)
            if p.is_alive():
                p.kill()
    result = pickle.loads(data)
    if result[0] == "ok":
        return result[1]
    raise result[1]
