"""The batch on a Dask distributed cluster (``run --scheduler tcp://HOST:8786``).

Each claimed dossier is one task (``Client.submit``); results come back with
``as_completed`` and are recorded by this client alone (ledger, failure record, progress),
exactly as for local worker processes.  Inputs and OUT must be on a filesystem every worker
sees, at the same paths; the workers import this package (same code, same Python).

Dask has no per-task time limit, so the task keeps ours: it forks the dossier's worker
process (its own process group, dying with the Dask worker; its readers each in a further
child with the per-file limit, ``pipeline.isolation``) and kills it at the dossier limit.  A
Dask worker that dies while it runs a dossier costs that dossier one attempt: the scheduler
gives the task to another worker, up to its ``allowed-failures`` (3 by default), then the task
fails with ``KilledWorker`` and the dossier is recorded ``failed`` with that reason; the
attempts are counted in the ledger.  The client keeps as many dossiers in flight as the
cluster has worker threads, claiming each just before it is sent (``pipeline.claims``), so
several runs sharing a ledger share the work.
"""
from __future__ import annotations

import dataclasses
import functools
import multiprocessing as mp
import os
import signal
import time
import uuid
from pathlib import Path
from typing import Callable, Optional

from pipeline.claims import Claims
from pipeline.dossiers import DossierInput
from pipeline.process import Options

CONNECT_TIMEOUT = "30s"
TASK_RETRIES = 1              # a task that raised outside the dossier (e.g. could not fork) is tried again


class ClusterError(Exception):
    pass


# --------------------------------------------------------------------------- on the Dask worker
@functools.lru_cache(maxsize=None)
def _warm() -> bool:
    """Load once per Dask worker process what every dossier needs; the forks inherit it."""
    from pipeline.runner import _warm_up
    _warm_up()
    return True


def _host(address: str) -> str:
    """``tcp://10.0.0.5:40123`` → ``10.0.0.5``."""
    return address.split("://")[-1].rsplit(":", 1)[0]


def _share_cores(threads_on: dict, dask_worker=None) -> int:
    """OCR threads for this Dask worker: this machine's cores ÷ the dossiers the cluster runs on
    it at once (the threads of every Dask worker on this host), so that dossiers × OCR threads
    = cores, as for local workers (``pipeline.isolation.set_ocr_threads``).  Set in the
    environment, which each dossier's process and its readers inherit."""
    from pipeline.isolation import OCR_THREADS_ENV, machine_cores
    at_once = threads_on.get(_host(dask_worker.address), 1) if dask_worker is not None else 1
    threads = max(1, machine_cores() // max(1, at_once))
    os.environ[OCR_THREADS_ENV] = str(threads)
    return threads


def _threads_per_host(client) -> dict:
    """Worker threads (dossiers at once) per host of the cluster."""
    per_host: dict = {}
    for address, n in client.nthreads().items():
        per_host[_host(address)] = per_host.get(_host(address), 0) + int(n or 1)
    return per_host


def run_dossier(work: Callable, d: DossierInput, opts: Options, out: Path,
                dossier_timeout: Optional[float]) -> tuple:
    """The task: one dossier in a forked worker process under the dossier limit.  Returns the
    worker's message (``("ok", payload)`` or ``("err", message, traceback)``), ``("timeout",)``
    or ``("crashed", exit status)``."""
    from pipeline.runner import _worker
    _warm()
    parent, child = mp.Pipe(duplex=False)
    me = os.getpid()
    pid = os.fork()
    if pid == 0:                                   # the dossier's worker process
        parent.close()
        # Dask worker processes are daemons, which multiprocessing forbids to have children:
        # this one is a plain process of its own and forks its readers (pipeline.isolation).
        mp.current_process()._config.pop("daemon", None)
        _worker(work, d, opts, out, child, me, ())
    child.close()
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    deadline = time.monotonic() + dossier_timeout if dossier_timeout else None
    try:
        return _await(pid, parent, deadline)
    finally:
        _kill_group(pid)
        parent.close()


def _await(pid: int, conn, deadline: Optional[float]) -> tuple:
    while True:
        wait = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
        if conn.poll(wait):
            try:
                return conn.recv()
            except (EOFError, OSError):
                return ("crashed", _exit_status(pid, block=True))
        status = _exit_status(pid, block=False)
        if status is not None:
            if conn.poll(0.1):
                continue
            return ("crashed", status)
        if deadline is not None and time.monotonic() >= deadline:
            return ("timeout",)


def _exit_status(pid: int, block: bool) -> Optional[int]:
    try:
        done, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return -1
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# --------------------------------------------------------------------------- on the client
def _deaths(key: str, dask_scheduler=None) -> int:
    """How many workers died while running task ``key`` (asked of the scheduler)."""
    ts = dask_scheduler.tasks.get(key)
    return int(ts.suspicious) if ts is not None else 0


def _connect(address: str):
    from distributed import Client
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=True)
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"无法连接 Dask 调度器 {address} — cannot reach the Dask scheduler: {e}") from e


def _slots(client) -> int:
    """Dossiers to keep in flight: one per worker thread (at least one, so tasks wait for workers)."""
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:
        return 1


def schedule_on_dask(address: str, claims: Claims, dossier_timeout: Optional[float], opts: Options, out: Path,
                     work: Callable, record) -> None:
    """Run every dossier ``claims`` hands out on the cluster at ``address``; ``record`` is the
    runner's ``Recorder``."""
    from distributed import as_completed
    from distributed import wait as dask_wait
    client = _connect(address)
    if claims.pending():
        record.progress.note(f"预热处理节点 — warming up the Dask workers at {address}")
        client.run(_warm)                       # before the clock of any dossier starts
        client.run(_share_cores, _threads_per_host(client))
    flight: dict = {}                           # future -> (dossier, started)
    done = as_completed()
    try:
        while claims.pending() or flight:
            slots = _slots(client)
            while len(flight) < slots:
                item = claims.next()
                if item is None:
                    break
                d = dataclasses.replace(item[0], path=Path(item[0].path).resolve())    # the workers' cwd differs
                fut = client.submit(run_dossier, work, d, opts, Path(out).resolve(), dossier_timeout,
                                    key=f"dossier-{uuid.uuid4().hex[:12]}", pure=False, retries=TASK_RETRIES)
                flight[fut] = (d, time.perf_counter())
                done.add(fut)
            record.settled(claims.take_settled())
            claims.tick()
            if not flight:
                time.sleep(claims.poll_seconds)
                continue
            try:
                dask_wait(list(flight), timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass
            if done.has_ready():
                for fut in done.next_batch(block=False):
                    _record(client, fut, *flight.pop(fut), record, dossier_timeout)
    finally:
        if flight:
            client.cancel(list(flight))
        client.close()


def _record(client, fut, d: DossierInput, started: float, record, dossier_timeout: Optional[float]) -> None:
    seconds = time.perf_counter() - started
    try:
        deaths = client.run_on_scheduler(_deaths, fut.key)
    except Exception:
        deaths = 0
    killed = fut.status == "error" and type(fut.exception()).__name__ == "KilledWorker"
    record.ledger.add_attempts(d.id, deaths - 1 if killed else deaths)     # each start after the first
    if fut.status == "finished":
        msg = fut.result()
        if msg[0] == "crashed":
            record.message(d, seconds, None, msg[1])
        else:
            record.message(d, seconds, msg, dossier_timeout=dossier_timeout)
        return
    exc = fut.exception() if fut.status == "error" else None
    reason = f"{type(exc).__name__}: {exc}" if exc is not None else fut.status
    if killed:
        reason = f"处理节点在处理中退出 {deaths or ''} 次 — the Dask workers running it died ({reason})"
    else:
        reason = f"集群任务失败 — the cluster task failed ({reason})"
    record.failed(d, seconds, reason, "crashed")
    fut.release()
