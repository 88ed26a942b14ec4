"""`make bench`: speed and memory figures, printed (never asserted in tests).

Each section is a module ``bench/bench_<name>.py`` with a ``main()`` that prints its own
table; every section runs in its own process so that its peak memory (max RSS of the section
and of its children) is its own.  Run one section with ``python -m bench memo``.  Figures
are given as a ratio against a floor measured in the same run (``bench/timing.py``), with
the minimum, median and maximum over repeats, so a busy machine slows both sides alike.
"""
from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sections() -> list[str]:
    return sorted(m.name[len("bench_"):] for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))


def main(argv: list[str]) -> int:
    known = sections()
    unknown = [a for a in argv if a not in known]
    if unknown:
        helping = set(unknown) <= {"-h", "--help"}
        print("usage: python -m bench [SECTION ...]   (none: every section)\n"
              + ("" if helping else f"unknown section(s): {' '.join(unknown)}\n") + f"sections: {' '.join(known)}")
        return 0 if helping else 2
    wanted = argv or known
    print(f"# benchmarks — {time.strftime('%Y-%m-%d %H:%M')} — python {sys.version.split()[0]}, "
          f"{__import__('os').cpu_count()} CPU(s)")
    for name in wanted:
        print(f"\n## {name}", flush=True)
        t0 = time.perf_counter()
        r = subprocess.run([sys.executable, "-c",
                            f"import resource as r, bench.bench_{name} as m; m.main(); "
                            "print(f'peak memory (max RSS): this section {r.getrusage(r.RUSAGE_SELF).ru_maxrss/1024:.0f} MB, "
                            "its largest child {r.getrusage(r.RUSAGE_CHILDREN).ru_maxrss/1024:.0f} MB')"],
                           cwd=HERE.parent)
        print(f"section wall time: {time.perf_counter() - t0:.1f} s", flush=True)
        if r.returncode:
            print(f"section {name} failed (exit {r.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
