"""The per-file limit counts the reader's CPU time, not the wall clock (``pipeline.isolation``):
a reader that waits (a loaded machine gives it little of a core) keeps going, one that works
past its limit is stopped, and one stuck without working is stopped after
``FileLimits.wall_per_cpu`` × its limit."""
import subprocess
import time

import pytest

from pipeline.isolation import LIMITS, ReaderPool, Timeout, run_isolated


def _sleep_then(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def _spin(seconds: float) -> str:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def _spin_in_helper(seconds: float) -> str:
    """The work done by a helper process (as LibreOffice converts a .doc for its reader)."""
    subprocess.run(["python3", "-c", f"import time\nend=time.process_time()+{seconds}\nwhile time.process_time()<end: pass"],
                   check=True)
    return "done"


def test_a_reader_that_waits_longer_than_its_limit_but_uses_little_cpu_finishes():
    # 2.5 s of wall-clock time against a 2 s limit: a wall-clock limit would have killed it
    assert run_isolated(_sleep_then, 2.5, "read", timeout=2.0) == "read"
    with ReaderPool() as pool:
        assert pool.run(_sleep_then, 2.5, "read", timeout=2.0) == "read"


def test_a_reader_working_past_its_cpu_limit_is_stopped():
    t0 = time.monotonic()
    with pytest.raises(Timeout, match="CPU 时间"):
        run_isolated(_spin, 30.0, timeout=1.0)
    assert time.monotonic() - t0 < 20
    with ReaderPool() as pool, pytest.raises(Timeout, match="CPU"):
        pool.run(_spin_in_helper, 30.0, timeout=1.0)       # the helper's CPU time counts too


def test_a_stuck_reader_is_stopped_by_the_wall_clock_guard():
    t0 = time.monotonic()
    with ReaderPool() as pool:
        with pytest.raises(Timeout, match="视为停滞"):
            pool.run(_sleep_then, 60.0, "never", timeout=0.5)
        assert pool.run(_sleep_then, 0.0, "next", timeout=5.0) == "next"    # a fresh child
    assert 0.5 * LIMITS.wall_per_cpu <= time.monotonic() - t0 < 30
