"""`make accuracy`: how much of each sample rendition is read right.

Each section is a module ``bench/accuracy_<name>.py`` with a ``main()`` printing its table
(the DOCX forms; the PDF renditions; evidence links; the devcorpus from another source, scored by
its own score.py); the scan section is
``bench/accuracy_scan.py``, which shares the scan scoring of ``tests/scan_scoring.py`` with the tests.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ELSEWHERE: dict[str, str] = {}


def sections() -> dict[str, str]:
    found = {m.name[len("accuracy_"):]: f"bench.{m.name}" for m in pkgutil.iter_modules([str(HERE)])
             if m.name.startswith("accuracy_")}
    return dict(sorted({**found, **ELSEWHERE}.items()))


def main(argv: list[str]) -> int:
    known = sections()
    for n in argv or list(known):
        print(f"\n## {n}", flush=True)
        importlib.import_module(known[n]).main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
