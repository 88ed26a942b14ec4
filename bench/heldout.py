"""Held-out check on our own generator: dossiers drawn with seeds nobody tunes on.

``python -m bench.heldout [--salts ho1 ho2] [--keep DIR]``

For each salt the generator writes every profile (clean and planted) with its own random draws
(``--seed-salt``).  The first salt also gets a born-digital PDF print of every dossier, each
with the running header and page numbers of its own furniture seed (1000 + its index); the
second salt adds the layout variants no committed sample uses (the plan's targets in their own
table, a narrow label column).  Every dossier then goes through the whole pipeline (no memos)
and is scored against what the generator recorded:

* fields and tick groups right;
* **false errors**: an ``error`` finding the dossier did not plant (the bar is 0);
* **planted found**: each planted (rule, fields) among the errors and warnings.

Run once at the end of a piece of work and reported; never tuned on (pick new salts for the
next round).  Needs LibreOffice for the PDF prints.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.accuracy_docx import tick_groups
from pipeline.dossiers import DossierInput
from pipeline.process import Options, process
from samples.generator.__main__ import main as generate
from samples.generator.pdf_rendition import make as print_pdf
from tests.expected import score

VARIANTS = ["plan_targets_own_table", "col_widths_label_wraps"]
FURNITURE_SEEDS = 1000


@dataclass
class Row:
    rendition: str
    dossiers: int = 0
    fields: int = 0
    right: int = 0
    groups: int = 0
    groups_right: int = 0
    false_errors: int = 0
    planted: int = 0
    found: int = 0
    wrong: list = field(default_factory=list)

    def line(self) -> str:
        share = self.right / self.fields if self.fields else 0.0
        gshare = self.groups_right / self.groups if self.groups else 0.0
        return (f"{self.rendition:<10}{self.dossiers:>9}{share:>9.2%} ({self.right}/{self.fields})"
                f"{gshare:>9.2%} ({self.groups_right}/{self.groups}){self.false_errors:>14}"
                f"{self.found:>8}/{self.planted}")


def write_dossiers(root: Path, salts: list[str]) -> None:
    for i, salt in enumerate(salts):
        variants = [a for v in VARIANTS for a in ("--variant", v)] if i else []
        generate(["--out", str(root / salt), "--seed-salt", salt, *variants])
    first = root / salts[0]
    for i, exp in enumerate(sorted((first / "expected").glob("*.json"))):
        print_pdf(first, exp.stem, furniture_seed=FURNITURE_SEEDS + i)


def judge(row: Row, exp: dict, ext) -> None:
    s = score({k: v.to_dict() for k, v in ext.fields.items()}, exp["fields"], tick_groups())
    row.dossiers += 1
    row.fields, row.right = row.fields + s.total, row.right + s.right
    row.groups, row.groups_right = row.groups + s.groups_total, row.groups_right + s.groups_right
    row.wrong += [(exp["dossier_id"], fid, want, got) for fid, want, got in s.wrong]
    planted = Counter((p["rule"], frozenset(p["fields"])) for p in exp["planted"])
    got = Counter((f.rule, frozenset(f.fields)) for f in ext.findings if f.severity in ("error", "warning"))
    row.planted += sum(planted.values())
    row.found += sum((planted & got).values())
    for f in ext.findings:
        if f.severity == "error" and (f.rule, frozenset(f.fields)) not in planted:
            row.false_errors += 1
            row.wrong.append((exp["dossier_id"], f"false error {f.rule}", list(f.fields), f.message))


def run(root: Path, salts: list[str]) -> dict[str, Row]:
    rows = {r: Row(r) for r in ("docx", "pdf")}
    for salt in salts:
        for ef in sorted((root / salt / "expected").glob("*.json")):
            exp = json.loads(ef.read_text(encoding="utf-8"))
            kind = "pdf" if exp.get("rendition") == "pdf" else "docx"
            d = root / salt / "dossiers" / exp["dossier_id"]
            ext = process(DossierInput(exp["dossier_id"], d, "dir"), Options(formats=(), cache=False)).extraction
            judge(rows[kind], exp, ext)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.heldout", description=__doc__)
    ap.add_argument("--salts", nargs=2, default=["ho1", "ho2"], metavar=("PLAIN", "VARIANTS"))
    ap.add_argument("--keep", type=Path, help="write the dossiers here and keep them")
    ap.add_argument("--reuse", action="store_true", help="score the dossiers already in --keep")
    args = ap.parse_args(argv)
    if args.reuse and not args.keep:
        ap.error("--reuse needs --keep")
    root = args.keep or Path(tempfile.mkdtemp(prefix="heldout-"))
    try:
        if not args.reuse:
            write_dossiers(root, args.salts)
        rows = run(root, args.salts)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nheld-out salts {args.salts[0]} (plain, DOCX + PDF with page furniture) and "
          f"{args.salts[1]} (DOCX, variants {', '.join(VARIANTS)})")
    print(f"{'rendition':<10}{'dossiers':>9}{'fields':>22}{'tick groups':>20}{'false errors':>14}{'planted':>12}")
    for r in rows.values():
        print(r.line())
        for w in r.wrong[:40]:
            print("    ", *w)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
