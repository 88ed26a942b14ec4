"""A season on several machines, started for real on 127.0.0.1: a Dask cluster (a
``LocalCluster(processes=True)``, and once a scheduler and two workers as separate processes)
and the ledger in a real PostgreSQL server (tests/pg_server.py; skipped, saying why, where no
server can be had).  Workers and runs are killed mid-run; every dossier ends done once, with
outputs identical (up to timings) to a plain one-machine run.  The dossiers are small DOCX
forms, so each costs seconds."""
from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.ledger import Ledger
from pipeline.process import Options, process
from pipeline.runner import run_batch

from .docx_builder import build
from .pg_server import pg_server, pg_url  # noqa: F401  (fixtures)
from .test_bad_inputs import MINI_FORM

ROOT = Path(__file__).resolve().parents[1]
FORMATS = "html,md"
N = 6
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
DASK = Path(sys.executable).parent / "dask"


def make_inputs(root: Path, n: int = N) -> Path:
    inp = root / "in"
    for i in range(n):
        (inp / f"d{i}").mkdir(parents=True)
        build(inp / f"d{i}" / "申报表.docx", MINI_FORM)
    return inp


def comparable(folder: Path) -> dict:
    ext = json.loads((folder / "extraction.json").read_text(encoding="utf-8"))
    ext["meta"].pop("timings", None)
    return {"files": sorted(p.name for p in folder.iterdir()), "extraction": ext,
            "md": (folder / "memo.md").read_text(encoding="utf-8"),
            "html": (folder / "memo.html").read_text(encoding="utf-8")}


def run_cli(inp: Path, out: Path, *extra, wait: bool = True):
    cmd = [sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--formats", FORMATS,
           *map(str, extra)]
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=ENV)


def ledger_rows(out: Path, url: str) -> dict:
    lg = Ledger(out, url)
    try:
        return {r["id"]: r for r in lg.dossiers()}
    finally:
        lg.close()


def wait_for(cond, timeout: float = 300.0, what: str = "") -> None:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def assert_same_outputs(out: Path, reference: Path) -> None:
    for i in range(N):
        assert comparable(out / f"d{i}") == comparable(reference / f"d{i}"), f"d{i} differs from the one-machine run"
    assert (out / "summary.csv").read_bytes() == (reference / "summary.csv").read_bytes()


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    """The inputs and a plain one-machine run of them (local processes, SQLite in OUT)."""
    root = tmp_path_factory.mktemp("season")
    inp = make_inputs(root)
    r = run_cli(inp, root / "reference", "--workers", "2")
    assert r.returncode == 0, r.stderr
    return inp, root / "reference"


# --------------------------------------------------------------------------- a LocalCluster
def die_once_then_process(d, opts, out):
    """``work`` for the tests: the first time it meets d1 it kills its Dask worker (the forked
    dossier process's parent) — a machine lost mid-dossier; d5 kills every worker it meets."""
    marker = Path(out) / f".died-{d.id}"
    if d.id == "d5" or (d.id == "d1" and not marker.exists()):
        marker.touch()
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(30)
    return process(d, opts, out)


@pytest.mark.slow       # three Dask worker restarts, each loading the pipeline again: ~4 min on a busy 2-core box
def test_a_local_dask_cluster_with_a_postgresql_ledger_survives_a_dying_worker(season, tmp_path, pg_url,
                                                                              monkeypatch):
    import dask
    from distributed import LocalCluster
    inp, reference = season
    out = tmp_path / "out"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                         scheduler_port=0, host="127.0.0.1") as cluster:
        log = io.StringIO()
        s = run_batch([inp], out, Options(formats=tuple(FORMATS.split(","))), scheduler=cluster.scheduler_address,
                      ledger_url=pg_url, stream=log, work=die_once_then_process)
    assert (s.done, s.failed) == (N - 1, 1), log.getvalue()
    rows = ledger_rows(out, pg_url)
    assert rows["d1"]["status"] == "done" and rows["d1"]["attempts"] == 2, "a dead worker costs one attempt"
    assert rows["d5"]["status"] == "failed" and "KilledWorker" in rows["d5"]["error"] and rows["d5"]["attempts"] == 2
    assert {rows[f"d{i}"]["attempts"] for i in (0, 2, 3, 4)} == {1}
    for i in range(N - 1):
        assert comparable(out / f"d{i}") == comparable(reference / f"d{i}")
    assert json.loads((out / "d5" / "extraction.json").read_text("utf-8"))["meta"]["failed"] is True
    assert "d5" in (out / "summary.csv").read_text("utf-8-sig")
    assert not (out / ".run.lock").exists(), "a shared ledger needs no lock file"


# --------------------------------------------------------------------------- separate processes
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_processes(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (each its own session)."""
    if not DASK.exists():
        pytest.skip(f"no dask command at {DASK}")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs = {"scheduler": subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                            "--no-dashboard"], cwd=tmp_path, env=ENV, start_new_session=True,
                                           stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler.log", "w"))}
    for name in ("w1", "w2"):
        procs[name] = subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard",
                                        "--name", name, "--host", "127.0.0.1"], cwd=tmp_path, env=ENV,
                                       start_new_session=True, stdout=subprocess.DEVNULL,
                                       stderr=open(logs / f"{name}.log", "w"))
    from distributed import Client
    with Client(address, timeout="60s") as c:
        c.wait_for_workers(2, timeout=120)
    yield address, procs
    for p in procs.values():
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(30)


@pytest.mark.slow       # three processes to start and warm up: ~1.5 min on a busy 2-core box
def test_scheduler_and_workers_as_processes_a_worker_killed_mid_run(season, tmp_path, pg_url, dask_processes):
    inp, reference = season
    address, procs = dask_processes
    out = tmp_path / "out"
    run = run_cli(inp, out, "--scheduler", address, "--ledger", pg_url, wait=False)
    # kill a worker (its whole process group: nanny, worker, the dossier it runs) once work is under way
    wait_for(lambda: _running(out, pg_url) >= 2, what="two dossiers running")
    from distributed import Client
    with Client(address, timeout="30s") as c:                 # a worker that is running a dossier
        wait_for(lambda: any(c.processing().values()), what="a task on a worker")
        busy = next(a for a, keys in c.processing().items() if keys)
        victim = c.scheduler_info()["workers"][busy]["name"]
    os.killpg(procs[victim].pid, signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert f"完成 {N}，失败 0，跳过 0" in stderr, stderr
    rows = ledger_rows(out, pg_url)
    assert {r["status"] for r in rows.values()} == {"done"}
    assert sorted(r["attempts"] for r in rows.values())[-1] == 2, "the killed worker's dossier: one attempt more"
    assert_same_outputs(out, reference)
    again = run_cli(inp, out, "--scheduler", address, "--ledger", pg_url)
    assert again.returncode == 0 and f"完成 0，失败 0，跳过 {N}" in again.stderr, again.stderr
    assert ledger_rows(out, pg_url) == rows


def _running(out: Path, url: str) -> int:
    try:
        return sum(r["status"] == "running" for r in ledger_rows(out, url).values())
    except Exception:          # the run has not created the tables yet
        return 0


# --------------------------------------------------------------------------- competing runs
def _done_count(stderr: str) -> int:
    tail = stderr[stderr.rindex("完成 "):]
    return int(tail.split("，")[0].split()[1])


def test_two_concurrent_runs_share_the_season_each_dossier_once(season, tmp_path, pg_url):
    inp, reference = season
    out = tmp_path / "out"
    a = run_cli(inp, out, "--ledger", pg_url, wait=False)
    b = run_cli(inp, out, "--ledger", pg_url, wait=False)
    ra, rb = a.communicate(timeout=600), b.communicate(timeout=600)
    assert a.returncode == 0 and b.returncode == 0, (ra[1], rb[1])
    assert _done_count(ra[1]) + _done_count(rb[1]) == N, (ra[1], rb[1])
    rows = ledger_rows(out, pg_url)
    assert {r["status"] for r in rows.values()} == {"done"} and {r["attempts"] for r in rows.values()} == {1}
    assert_same_outputs(out, reference)
    # `check` goes through the same ledger: the re-checked verdict replaces the row's
    lg = Ledger(out, pg_url)
    lg.update_summary("d0", {**json.loads(rows["d0"]["summary"]), "verdict": "stale"})
    lg.close()
    r = subprocess.run([sys.executable, "-m", "pipeline", "check", str(out / "d0" / "extraction.json"), "--formats",
                        FORMATS, "--ledger", pg_url], cwd=ROOT, capture_output=True, text=True, timeout=600, env=ENV)
    assert r.returncode == 0, r.stderr
    verdict = json.loads((out / "d0" / "extraction.json").read_text("utf-8"))["verdict"]
    assert ledger_rows(out, pg_url)["d0"]["verdict"] == verdict != "stale"
    assert "stale" not in (out / "summary.csv").read_text("utf-8-sig")


def test_one_of_two_competing_runs_killed_the_other_takes_over(season, tmp_path, pg_url):
    inp, reference = season
    out = tmp_path / "out"
    a = run_cli(inp, out, "--ledger", pg_url, "--workers", 1, wait=False)     # one dossier in flight when killed
    wait_for(lambda: any(r["status"] == "running" for r in _rows(out, pg_url)), what="run A claiming")
    b = run_cli(inp, out, "--ledger", pg_url, wait=False)
    wait_for(lambda: sum(r["status"] == "done" for r in _rows(out, pg_url)) >= 1
             and any(r["status"] == "running" and r["claimed_by"].split(":")[1] == str(a.pid)
                     for r in _rows(out, pg_url)), what="run A working on a dossier")
    os.killpg(a.pid, signal.SIGKILL)                # A's machine dies, mid-dossier
    a.wait(30)
    _, err = b.communicate(timeout=600)
    assert b.returncode == 0, err
    rows = ledger_rows(out, pg_url)
    assert {r["status"] for r in rows.values()} == {"done"}, rows
    assert sum(r["attempts"] for r in rows.values()) <= N + 1, "only A's unfinished dossier was done again"
    assert_same_outputs(out, reference)


def _rows(out: Path, url: str) -> list:
    try:
        return list(ledger_rows(out, url).values())
    except Exception:
        return []


# --------------------------------------------------------------------------- the task itself
def _sleeps(d, opts, out):
    time.sleep(60)


def _exits(d, opts, out):
    os._exit(3)


def test_the_dask_task_keeps_the_dossier_limit_and_reports_a_crash(tmp_path, monkeypatch):
    """What Dask cannot do, the task does: the dossier's process is killed at the dossier limit
    (with the readers it forked: its process group), and a crash comes back as a result."""
    from pipeline import dask_runner
    from pipeline.dossiers import DossierInput
    monkeypatch.setattr(dask_runner, "_warm", lambda: True)        # nothing to load for these
    d = DossierInput("x", tmp_path, "dir")
    t0 = time.monotonic()
    assert dask_runner.run_dossier(_sleeps, d, Options(), tmp_path, 1.0) == ("timeout",)
    assert time.monotonic() - t0 < 20
    assert dask_runner.run_dossier(_exits, d, Options(), tmp_path, 30.0) == ("crashed", 3)
