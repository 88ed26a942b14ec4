"""`make accuracy`: how much of each sample rendition is read right.

Each section is a module ``tests/accuracy_<name>.py`` with a ``main()`` printing its table
(the DOCX forms; the PDF and scan renditions; evidence links).
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name[len("accuracy_"):] for m in pkgutil.iter_modules([str(HERE)])
                           if m.name.startswith("accuracy_"))
    for n in names:
        print(f"\n## {n}", flush=True)
        importlib.import_module(f"tests.accuracy_{n}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
