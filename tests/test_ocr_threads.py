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
