"""`make accuracy` section: evidence links on the committed samples, against expected JSON.

A link is a (file, attested item) pair: an option claim (``industry.brand:…``) or a field id
whose figure the file states.  Precision = links found that the expected JSON records / all
links found (a false link is one above the linker's threshold that is not expected); recall =
expected links found / expected links in files this build can read.  Files no reader of this
build can open (PNG scans until the scan reader is merged) are counted apart: their expected
links are listed as "not readable", not as misses.

    python -m bench.accuracy_evidence [--samples DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.dossiers import DossierInput
from pipeline.process import Options, process
from tests.expected import SAMPLES


@dataclass
class LinkScore:
    dossier: str
    found: int = 0
    expected: int = 0
    right: int = 0
    unreadable_links: int = 0
    unreadable_files: list[str] = field(default_factory=list)
    false: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def score_dossier(root: Path, exp: dict) -> LinkScore:
    did = exp["dossier_id"]
    t0 = time.perf_counter()
    ext = process(DossierInput(did, root / "dossiers" / did, "dir"), Options(formats=())).extraction
    s = LinkScore(did, seconds=time.perf_counter() - t0)
    got = {e.file: set(e.attests) for e in ext.evidence}
    readable = {src.file for src in ext.sources if src.role == "evidence"}
    for e in exp["evidence"]:
        want = set(e["attests"])
        if e["file"] not in readable:
            s.unreadable_files.append(e["file"])
            s.unreadable_links += len(want)
            continue
        have = got.get(e["file"], set())
        s.expected += len(want)
        s.found += len(have)
        s.right += len(want & have)
        s.false += [(e["file"], a) for a in sorted(have - want)]
        s.missed += [(e["file"], a) for a in sorted(want - have)]
    return s


def scores(root: Path = SAMPLES) -> list[LinkScore]:
    out = []
    for path in sorted((root / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        if (root / "dossiers" / exp["dossier_id"]).is_dir():
            out.append(score_dossier(root, exp))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.accuracy_evidence")
    ap.add_argument("--samples", default=str(SAMPLES))
    a = ap.parse_args(argv or [])
    rows = scores(Path(a.samples))
    print(f"{'dossier':32} {'expected':>8} {'found':>6} {'right':>6} {'false':>6} {'missed':>6} {'unread.':>8}  s/dossier")
    for r in rows:
        print(f"{r.dossier:32} {r.expected:8d} {r.found:6d} {r.right:6d} {len(r.false):6d} {len(r.missed):6d} "
              f"{r.unreadable_links:8d}  {r.seconds:6.2f}")
        for f, a_ in r.false:
            print(f"    false link: {f} → {a_}")
        for f, a_ in r.missed:
            print(f"    missed:     {f} → {a_}")
    exp_ = sum(r.expected for r in rows)
    found = sum(r.found for r in rows)
    right = sum(r.right for r in rows)
    unread = sum(r.unreadable_links for r in rows)
    files = sorted({f for r in rows for f in r.unreadable_files})
    print(f"\nlinks: expected {exp_}, found {found}, right {right}; "
          f"precision {right / found if found else 1:.3f}, recall {right / exp_ if exp_ else 1:.3f}")
    print(f"not readable by this build: {unread} expected link(s) in {sum(len(r.unreadable_files) for r in rows)} "
          f"file(s) ({', '.join(files) or '—'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
