"""CLI: python -m samples.generator --out samples [--only ID ...] [--planted] [--check] [--check-only]
                                   [--variant NAME ...] [--seed-salt S]

``--variant`` and ``--seed-salt`` make dossiers beside the committed ones, for checks on layouts
the committed set does not hold and for held-out seeds: they are refused for the committed
``samples/`` folder (other tests depend on its files as they are)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .build import all_profiles, build_dossier
from .check import check_all
from .planted import planted_plants
from .renditions import refresh_evidence

COMMITTED = Path(__file__).resolve().parent.parent
# layout variants no committed dossier uses, for --variant
EXTRA_VARIANTS = {
    "plan_targets_merged": "八 as one 4-column table: text rows spanning it, the target rows between",
    "plan_targets_own_table": "八 as three tables: text, the target table, text",
    "col_widths_label_wraps": "a narrow label column: long labels wrap over several printed lines",
}


def varied(p: dict, variants: list[str], salt: str) -> dict:
    """A profile with extra layout variants and, with a salt, its own id (and so its own draws)."""
    if not variants and not salt:
        return p
    return {**p, "id": f"{p['id']}-{salt}" if salt else p["id"], "layout": [*p["layout"], *variants]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generator", description=__doc__)
    ap.add_argument("--out", default="samples", help="root folder: writes dossiers/ and expected/ under it")
    ap.add_argument("--only", nargs="*", help="dossier ids to (re)generate")
    ap.add_argument("--planted", action="store_true",
                    help="write only the dossiers with planted problems (planted-*), leaving the clean ones as they are")
    ap.add_argument("--check", action="store_true", help="read the written files back and verify them")
    ap.add_argument("--check-only", action="store_true", help="verify existing output without regenerating")
    ap.add_argument("--renditions", action="store_true",
                    help="also write the PDF (and scanned) renditions of some samples (needs LibreOffice)")
    ap.add_argument("--variant", action="append", default=[], choices=sorted(EXTRA_VARIANTS),
                    help="add this layout variant to every dossier written (repeatable)")
    ap.add_argument("--seed-salt", default="",
                    help="other random draws (figures, texts, people): ids get the suffix -<salt>")
    args = ap.parse_args(argv)
    root = Path(args.out)
    if (args.variant or args.seed_salt) and root.resolve() == COMMITTED:
        ap.error("--variant/--seed-salt write variants: give another --out than the committed samples/")
    if not args.check_only:
        (root / "expected").mkdir(parents=True, exist_ok=True)
        jobs = [] if args.planted else [(p, None) for p in all_profiles(args.only)]
        jobs += [(plant.profile(), plant) for plant in planted_plants(args.only)]
        jobs = [(varied(p, args.variant, args.seed_salt), plant) for p, plant in jobs]
        for p, plant in jobs:
            exp = build_dossier(p, root, plant)
            text = json.dumps(exp, ensure_ascii=False, indent=1) + "\n"
            (root / "expected" / f"{p['id']}.json").write_text(text, encoding="utf-8")
            print(f"wrote {p['id']}: {p['form_file']} + {len(exp['evidence'])} evidence files"
                  + (f", planted {len(exp['planted'])} problem(s)" if exp["planted"] else ""))
            for rid in refresh_evidence(root, p["id"]):
                print(f"    copied its evidence into {rid}")
    if args.renditions and not args.check_only:
        from .pdf_rendition import make_all as make_pdf_renditions
        for d in make_pdf_renditions(root, args.only):
            print(f"wrote {d.name}: PDF rendition")
        from .scan_rendition import BASES as SCAN_BASES
        from .scan_rendition import make as make_scan
        for base in [b for b in SCAN_BASES if not args.only or b in args.only]:
            exp = make_scan(root, base)
            print(f"wrote {exp['dossier_id']}: scanned rendition ({exp['scan']['pages']} pages)")
    if args.check or args.check_only:
        results = check_all(root, args.only)
        bad = 0
        for did, errs in results.items():
            print(f"check {did}: {'ok' if not errs else f'{len(errs)} problem(s)'}")
            for e in errs:
                print("   ", e)
            bad += len(errs)
        renditions = {p.stem for p in (root / "expected").glob("*.json")
                      if json.loads(p.read_text(encoding="utf-8")).get("rendition")}
        sizes = {d.name: sum(f.stat().st_size for f in d.rglob("*") if f.is_file())
                 for d in (root / "dossiers").iterdir() if d.is_dir()}
        total = sum(v for k, v in sizes.items() if k not in renditions)
        print(f"dossiers total size: {total / 1e6:.2f} MB (renditions besides: "
              f"{sum(v for k, v in sizes.items() if k in renditions) / 1e6:.2f} MB)")
        if total > 6_000_000:
            print("    total size over 6 MB")
            bad += 1
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
