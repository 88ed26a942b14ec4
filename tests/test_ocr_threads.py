"""OCR threads per worker: workers × threads = the machine's cores, for local worker processes
(``run --workers``) and for the workers of a Dask cluster (``run --scheduler``), each host by
the dossiers it runs at once."""
import types

from pipeline import dask_runner
from pipeline.isolation import OCR_THREADS_ENV, machine_cores, set_ocr_threads


def test_local_workers_share_the_cores(monkeypatch):
    monkeypatch.delenv(OCR_THREADS_ENV, raising=False)
    cores = machine_cores()
    assert set_ocr_threads(1) == cores
    assert set_ocr_threads(cores) == 1
    assert set_ocr_threads(4 * cores) == 1                # never none
    import os
    assert os.environ[OCR_THREADS_ENV] == "1"


class _Client:
    def nthreads(self):
        return {"tcp://10.0.0.5:40001": 2, "tcp://10.0.0.5:40002": 2, "tcp://10.0.0.6:40001": 1}


def test_dask_workers_share_their_hosts_cores(monkeypatch):
    monkeypatch.delenv(OCR_THREADS_ENV, raising=False)
    monkeypatch.setattr("pipeline.isolation.machine_cores", lambda: 8)
    per_host = dask_runner._threads_per_host(_Client())
    assert per_host == {"10.0.0.5": 4, "10.0.0.6": 1}
    assert dask_runner._share_cores(per_host, types.SimpleNamespace(address="tcp://10.0.0.5:40002")) == 2
    assert dask_runner._share_cores(per_host, types.SimpleNamespace(address="tcp://10.0.0.6:40001")) == 8
    import os
    assert os.environ[OCR_THREADS_ENV] == "8"


def test_run_defaults_to_the_machines_cores_and_says_so(tmp_path):
    """Without --workers a run takes one worker per core, OCR threads = cores ÷ workers, and its
    first line says so; --help names the default."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    cores = machine_cores()
    (tmp_path / "in").mkdir()
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                        "--formats", "md"], capture_output=True, text=True, cwd=root, timeout=300)
    assert r.stderr.splitlines()[0].startswith(f"{cores} 个工作进程，每个 OCR 线程 1（本机 {cores} 核）"), r.stderr
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                        "--formats", "md", "--workers", "1"], capture_output=True, text=True, cwd=root, timeout=300)
    assert r.stderr.splitlines()[0].startswith(f"1 个工作进程，每个 OCR 线程 {cores}（本机 {cores} 核）"), r.stderr
    helptext = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True,
                              cwd=root, timeout=120).stdout
    assert f"CPU cores, {cores})" in " ".join(helptext.split())
