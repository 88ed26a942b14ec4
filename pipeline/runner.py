"""The batch: every dossier of the inputs through ``process`` in N worker processes, each
recorded in the ledger; one failure never stops the rest.

* A dossier whose files are unchanged since it was last done (same fingerprint, same output
  options) is skipped; a dossier a killed run left ``running`` is done again.
* Each dossier runs in its own forked worker process with a time limit (``dossier_timeout``);
  inside it every file is read in a further child with the per-file limit
  (``pipeline.isolation``).  A worker that overruns, crashes or raises costs that dossier only:
  it is recorded ``failed`` with the reason, and a failure record (extraction.json, memo.html,
  memo.md naming the error) replaces its output folder.
* Workers die with the batch: each runs in its own process group and asks the kernel for a
  signal when its parent dies (Linux ``PR_SET_PDEATHSIG``), upon which it kills its group, so a
  ``kill -9`` of the batch leaves no worker writing into OUT.
* Only this parent process writes the ledger; outputs are swapped in atomically by the worker
  (``pipeline.outputs``), then the ledger commits.  With the SQLite ledger, one run at a time
  per OUT (a lock file); with a shared ledger (PostgreSQL) several runs share OUT and claim
  each dossier before it runs (``pipeline.claims``).
* ``scheduler``: the dossiers run as tasks on a Dask cluster instead (``pipeline.dask_runner``);
  this process still claims, records and reports them.
* Progress: a tqdm bar with counts and ETA on a terminal, plain lines otherwise; a closing
  summary (done, failed, skipped, time); then summary.csv, summary.xlsx and index.html.
"""
from __future__ import annotations

import ctypes
import fcntl
import json
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Optional, TextIO

from pipeline.claims import CLAIM_LEASE_SECONDS, Claims
from pipeline.dossiers import DossierInput, discover_all
from pipeline.ledger import Ledger
from pipeline.memcap import with_memory_cap
from pipeline.model import Extraction
from pipeline.process import Options, process

DEFAULT_DOSSIER_TIMEOUT = 3600.0
LOCK_NAME = ".run.lock"
PR_SET_PDEATHSIG = 1


class RunLocked(Exception):
    pass


@dataclass
class BatchSummary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    total: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    interrupted: bool = False


@dataclass
class _Job:
    dossier: DossierInput
    proc: mp.Process
    conn: object
    started: float
    deadline: Optional[float]


# --------------------------------------------------------------------------- the worker side
def _kill_own_group(*_args) -> None:
    os.killpg(0, signal.SIGKILL)


def _die_with_parent(parent_pid: int) -> None:
    """When the batch process dies (even by SIGKILL), this worker and its readers die too."""
    signal.signal(signal.SIGTERM, _kill_own_group)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:        # the parent died before the request took effect
        _kill_own_group()


def _worker(work: Callable, d: DossierInput, opts: Options, out: Path, conn, parent_pid: int, close_fds) -> None:
    os.setpgid(0, 0)
    for fd in close_fds:
        os.close(fd)
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from pipeline.summary import summary_row
        r = work(d, opts, out)
        ext = r.extraction
        msg = ("ok", {"summary": summary_row(ext), "files": [s.to_dict() for s in ext.sources],
                      "timings": {k: round(v, 3) for k, v in (r.timings or {}).items()},
                      "problems": [p.get("message", "") for p in ext.problems if p.get("kind") in ("render", "no_cjk_font")]})
    except BaseException as e:      # everything goes home as a message; the batch decides
        msg = ("err", f"{type(e).__name__}: {e}", traceback.format_exc(limit=8))
    try:
        conn.send(msg)
        conn.close()
    finally:
        os._exit(0)


def _process_dossier(d: DossierInput, opts: Options, out: Path):
    return process(d, opts, out)


# --------------------------------------------------------------------------- progress
class Progress:
    """A tqdm bar on a terminal; one plain line per dossier otherwise."""

    def __init__(self, total: int, stream: TextIO, tty: Optional[bool] = None):
        self.total, self.stream, self.n = total, stream, 0
        self.t0 = time.perf_counter()
        self.counts = {"done": 0, "failed": 0}
        tty = stream.isatty() if tty is None else tty
        self.bar = None
        if tty and total:
            from tqdm import tqdm
            tqdm.monitor_interval = 0          # no monitor thread: the batch forks workers
            try:
                width = os.get_terminal_size(stream.fileno()).columns
            except (OSError, ValueError, AttributeError):
                width = 0
            sizing = {"dynamic_ncols": True} if width > 0 else {"ncols": 100}     # a pty without a size
            self.bar = tqdm(total=total, unit="份", desc="预审", file=stream, leave=True, **sizing)

    def note(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def advance(self, dossier_id: str, status: str, text: str, seconds: float) -> None:
        self.n += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if self.bar is not None:
            if status == "failed":
                self.bar.write(f"{dossier_id}: {text}", file=self.stream)
            self.bar.set_postfix_str(f"完成 {self.counts['done']} 失败 {self.counts['failed']}", refresh=False)
            self.bar.update(1)
            return
        elapsed = time.perf_counter() - self.t0
        eta = elapsed / self.n * (self.total - self.n)
        print(f"[{self.n}/{self.total}] {dossier_id}: {text} · {seconds:.1f} s · 已用 {_clock(elapsed)} · "
              f"预计剩余 {_clock(eta)}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


# --------------------------------------------------------------------------- the batch
def options_key(opts: Options) -> str:
    """What shapes a dossier's outputs besides its files: a change redoes the dossier."""
    from pipeline.memo.fonts import find_cjk_font
    font = find_cjk_font()
    return json.dumps({"profile": opts.profile, "formats": sorted(opts.formats),
                       "pdf_font": font.family if font and "pdf" in opts.formats else None}, sort_keys=True)


def _lock(out: Path):
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RunLocked(f"另一个运行正在写入 {out} — another run is writing to this output folder")
    return fd


def _warm_up() -> None:
    """Load once, before forking, what every worker needs (dictionaries, fonts, templates)."""
    from extractors.evidence import warm_up as warm_up_evidence
    from pipeline.memo import warm_up
    from pipeline.model import load_catalogue
    from pipeline.model.profiles import list_profiles, load_profile
    load_catalogue()
    for name in list_profiles():
        load_profile(name)
    warm_up()
    warm_up_evidence()


def _failure_record(d: DossierInput, out: Path, kind: str, message: str) -> None:
    """OUT/<id>/ for a dossier whose worker failed: extraction.json and a memo naming the error."""
    from pipeline.outputs import write_folder
    ext = Extraction(dossier_id=d.id, problems=[{"file": None, "kind": kind, "message": message}], verdict="review")
    ext.meta["failed"] = True
    try:
        write_folder(ext, out, ("html", "md"))
    except Exception as e:  # the ledger still says why; never let a record stop the batch
        print(f"{d.id}: 无法写入失败记录 — could not write the failure record: {e}", file=sys.stderr)


def _queue(dossiers: list, ledger: Ledger, key: str, run_id, force: bool, out: Path,
           summary: BatchSummary) -> deque:
    """The dossiers to run, with their fingerprints: not those done unchanged (skipped, unless
    ``force``), and not those whose files cannot even be fingerprinted (failed at once)."""
    from pipeline.summary import failure_row
    queue: deque = deque()
    for d in dossiers:
        try:
            fp = d.fingerprint()
        except OSError as e:
            ledger.start(d.id, str(d.path), d.kind, None, key, run_id)
            msg = f"无法读取申报材料 — cannot read the dossier: {e}"
            ledger.finish(d.id, status="failed", seconds=0.0, summary=failure_row(d.id, msg), error=msg)
            summary.failed += 1
            summary.failures.append((d.id, msg))
            continue
        if not force and ledger.is_done(d.id, fp, key) and (out / d.id / "extraction.json").exists():
            summary.skipped += 1
            continue
        queue.append((d, fp))
    return queue


def run_batch(inputs: list[Path], out: Path, opts: Options, workers: int = 1,
              dossier_timeout: Optional[float] = DEFAULT_DOSSIER_TIMEOUT, force: bool = False,
              stream: Optional[TextIO] = None, tty: Optional[bool] = None,
              work: Callable = _process_dossier, ledger_url: Optional[str] = None,
              scheduler: Optional[str] = None, lease: float = CLAIM_LEASE_SECONDS) -> BatchSummary:
    """Process every dossier of ``inputs`` into ``out``; returns the counts.

    ``work(dossier, opts, out)`` is what a worker runs (``process`` by default; tests pass
    a misbehaving one).  ``ledger_url``: the ledger (default the SQLite file in OUT; a
    PostgreSQL URL lets several runs share the season, see ``pipeline.claims``).
    ``scheduler``: a Dask scheduler's address; the dossiers then run on its workers
    (``pipeline.dask_runner``) instead of local processes."""
    from pipeline.memo.fonts import NO_FONT_MESSAGE, find_cjk_font
    from pipeline.outputs import recover
    from pipeline.summary import rows_not_done, write_summary_from_ledger

    stream = stream or sys.stderr
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    workers = max(1, int(workers))
    ledger = Ledger(out, ledger_url)
    try:
        lock_fd = None if ledger.shared else _lock(out)      # a shared ledger: claims, no lock file
    except RunLocked:
        ledger.close()
        raise
    summary = BatchSummary()
    t0 = time.perf_counter()
    run_id = None
    try:
        restored = recover(out, only_dead_here=ledger.shared)
        if restored:
            print(f"已恢复上次中断时被移开的输出 — restored outputs left aside by a killed run: {', '.join(restored)}",
                  file=stream)
        found = discover_all(inputs, exclude=(out,))
        dossiers = found.dossiers
        for e in found.excluded:
            print(f"输出目录位于输入之中，不作为申报材料读取 — the output folder inside the input is not read: {e}",
                  file=stream)
        for nf in found.not_found:
            print(f"{nf.path}: {nf.reason}", file=stream)
        summary.total = len(dossiers)
        key = options_key(opts)
        run_id = ledger.start_run([str(i) for i in inputs], json.loads(key), workers)
        if "pdf" in opts.formats and find_cjk_font() is None:
            print(f"警告 WARNING: {NO_FONT_MESSAGE}", file=stream)

        queue = _queue(dossiers, ledger, key, run_id, force, out, summary)
        if summary.skipped:
            print(f"跳过 {summary.skipped} 份未变更的申报材料 — skipped {summary.skipped} unchanged dossier(s)",
                  file=stream, flush=True)

        progress = Progress(len(queue), stream, tty)
        claims = Claims(ledger, queue, run_id, key, lease)
        record = Recorder(ledger, out, progress, summary)
        if queue and not scheduler:
            _warm_up()
        try:
            if scheduler:
                from pipeline.dask_runner import schedule_on_dask
                schedule_on_dask(scheduler, claims, dossier_timeout, opts, out, work, record)
            else:
                _schedule(claims, workers, dossier_timeout, opts, out, work, record, lock_fd)
        except KeyboardInterrupt:
            summary.interrupted = True
            claims.release()
        finally:
            progress.close()
            recover(out, only_dead_here=ledger.shared)     # no worker of ours is left: clear our staging

        summary.seconds = time.perf_counter() - t0
        ledger.finish_run(run_id, summary.done, summary.failed, summary.skipped, summary.seconds,
                          "interrupted" if summary.interrupted else "finished")
        summary.outputs = write_summary_from_ledger(out, ledger, {
            "done": summary.done, "failed": summary.failed, "skipped": summary.skipped, "seconds": summary.seconds},
            extra=lambda rows: rows_not_done(found, rows))
    except KeyboardInterrupt:            # during start-up: the run is not left `running`
        if run_id is not None:
            ledger.finish_run(run_id, summary.done, summary.failed, summary.skipped, time.perf_counter() - t0,
                              "interrupted")
        raise
    finally:
        ledger.close()
        if lock_fd is not None:
            os.close(lock_fd)
    print(f"完成 {summary.done}，失败 {summary.failed}，跳过 {summary.skipped}，用时 {summary.seconds:.1f} 秒 — "
          f"done {summary.done}, failed {summary.failed}, skipped {summary.skipped}, {summary.seconds:.1f} s"
          + ("（已中断 interrupted）" if summary.interrupted else ""), file=stream)
    for d_id, err in summary.failures:
        print(f"  失败 failed: {d_id}: {err}", file=stream)
    print(f"汇总 summary: {out / 'index.html'} · {out / 'summary.xlsx'} · {out / 'summary.csv'}", file=stream,
          flush=True)
    return summary


class Recorder:
    """The client's side of a finished dossier, whoever ran it: the ledger, the failure
    record, the counts and the progress line."""

    def __init__(self, ledger: Ledger, out: Path, progress: Progress, summary: BatchSummary):
        self.ledger, self.out, self.progress, self.summary = ledger, out, progress, summary

    def done(self, d: DossierInput, seconds: float, payload: dict) -> None:
        row = payload["summary"]
        self.ledger.finish(d.id, status="done", seconds=seconds, summary=row, files=payload["files"],
                           timings=payload["timings"])
        self.summary.done += 1
        for p in payload.get("problems", []):
            self.progress.note(f"{d.id}: {p}")
        text = f"{row['verdict']}" + (f"（{row['problems']} 个文件问题）" if row["problems"] else "")
        self.progress.advance(d.id, "done", text, seconds)

    def failed(self, d: DossierInput, seconds: float, error: str, kind: str = "failed") -> None:
        from pipeline.summary import failure_row
        _failure_record(d, self.out, kind, error)
        self.ledger.finish(d.id, status="failed", seconds=seconds, summary=failure_row(d.id, error), error=error)
        self.summary.failed += 1
        self.summary.failures.append((d.id, error))
        self.progress.advance(d.id, "failed", f"失败 failed — {error}", seconds)

    def message(self, d: DossierInput, seconds: float, msg: Optional[tuple], exitcode: Optional[int] = None,
                dossier_timeout: Optional[float] = None) -> None:
        """A worker's message (see ``_worker``), or None when the worker died without one."""
        if msg is None:
            self.failed(d, seconds, f"处理进程异常退出 — the worker died (exit code {exitcode})", "crashed")
        elif msg[0] == "ok":
            self.done(d, seconds, msg[1])
        elif msg[0] == "timeout":
            self.failed(d, seconds, f"超过单份材料处理时限 {dossier_timeout:g} 秒 — exceeded the per-dossier time "
                                    f"limit of {dossier_timeout:g} s", "timeout")
        else:
            self.failed(d, seconds, f"处理失败 — {msg[1]}", "error")
            self.progress.note(msg[2].rstrip())

    def settled(self, items: list) -> None:
        """Dossiers another run finished while this one waited for them: skipped here."""
        for d, _fp in items:
            self.summary.skipped += 1
            self.progress.advance(d.id, "skipped", "另一运行已处理 — done by another run", 0.0)


def _spawn(ctx, d: DossierInput, work: Callable, opts: Options, out: Path, lock_fd: Optional[int],
           dossier_timeout: Optional[float], workers: int) -> _Job:
    parent, child = ctx.Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    p = ctx.Process(target=with_memory_cap(_worker, workers), args=(work, d, opts, out, child, os.getpid(),
                                          () if lock_fd is None else (lock_fd,)),
                    name=f"dossier:{d.id}", daemon=False)
    p.start()
    child.close()
    try:                          # also here, so a kill can never miss the group
        os.setpgid(p.pid, p.pid)
    except OSError:
        pass
    now = time.perf_counter()
    return _Job(d, p, parent, now, now + dossier_timeout if dossier_timeout else None)


def _schedule(claims: Claims, workers: int, dossier_timeout: Optional[float], opts: Options, out: Path,
              work: Callable, record: Recorder, lock_fd: Optional[int]) -> None:
    ctx = mp.get_context("fork")
    running: list[_Job] = []
    try:
        while claims.pending() or running:
            while len(running) < workers:
                item = claims.next()
                if item is None:
                    break
                running.append(_spawn(ctx, item[0], work, opts, out, lock_fd, dossier_timeout, workers))
            record.settled(claims.take_settled())
            claims.tick()
            if not running:               # every remaining dossier is held by another run
                time.sleep(claims.poll_seconds)
                continue
            deadlines = [j.deadline for j in running if j.deadline is not None]
            timeout = 1.0 if not deadlines else max(0.0, min(1.0, min(deadlines) - time.perf_counter()))
            wait([j.conn for j in running] + [j.proc.sentinel for j in running], timeout)
            for job in list(running):
                if _reap(job, record, dossier_timeout):
                    running.remove(job)
    finally:
        for job in running:              # interrupted: nothing of ours keeps running
            _kill_job(job)


def _reap(job: _Job, record: Recorder, dossier_timeout: Optional[float]) -> bool:
    """Record a worker that has finished, died or overrun (True); False while it works on."""
    msg = None
    if job.conn.poll():
        try:
            msg = job.conn.recv()
        except (EOFError, OSError):
            msg = None
    if msg is None and job.proc.is_alive():
        if job.deadline is None or time.perf_counter() <= job.deadline:
            return False
        _kill_job(job)
        record.message(job.dossier, time.perf_counter() - job.started, ("timeout",), dossier_timeout=dossier_timeout)
        return True
    job.proc.join(10)
    if job.proc.is_alive():
        _kill_job(job)
    job.conn.close()
    record.message(job.dossier, time.perf_counter() - job.started, msg, job.proc.exitcode)
    return True


def _kill_job(job: _Job) -> None:
    """Kill a worker and the readers it forked (its process group)."""
    try:
        os.killpg(job.proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        if job.proc.is_alive():
            job.proc.kill()
    job.proc.join(10)
    try:
        job.conn.close()
    except OSError:
        pass
