"""Born-digital PDF renditions: a sample's DOCX form printed to PDF by LibreOffice (headless).

    python -m samples.generator.pdf_rendition --out samples [--only ID ...]
    python -m samples.generator.pdf_rendition --src samples --out /tmp/furn --furniture-seed 7 [--only ID ...]
    python -m samples.generator --out samples --renditions      # the same, after the DOCX samples

For each base in ``BASES`` writes ``dossiers/<id>-pdf/`` (the form as PDF plus copies of the
base dossier's evidence files) and ``expected/<id>-pdf.json`` (the base's expected values with
``dossier_id``, ``form_file``, ``"rendition": "pdf"`` and ``"rendition_of": <id>``).  The
bases cover every tick family as LibreOffice prints it: Wingdings ``w:sym`` (OpenSymbol
PUA glyphs), Wingdings 2, ``w14`` checkbox (☐/☒ glyphs), ``FORMCHECKBOX`` (vector boxes) and
typed characters.  Needs LibreOffice (``soffice``) only to generate; the committed output
does not.  PDFs are ~350 KB each (embedded CJK font subsets).

``--furniture-seed N`` prints the form with a running header and page numbers in the style
seed N picks (``page_furniture``): the dossier is ``<id>-pdf-f<N>`` and its expected file
records the style under ``"furniture"``.  The committed renditions have none; write these to
another ``--out`` (``--src`` is where the bases are read from).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from .page_furniture import add_furniture, style_for

BASES = (
    "gz-renhuai-baijiu-packaging",   # wsym Wingdings F0FE/F0A8, F0FD/F06F → OpenSymbol PUA
    "gs-dingxi-potato",              # wsym Wingdings 2 F052/F0A3, F054/F0A3 → OpenSymbol PUA
    "gx-rongxian-furniture",         # sdt w14checkbox → ☐ ☒ glyphs; cover as a borderless table
    "gx-beiliu-ceramics",            # FORMCHECKBOX → vector boxes (☒ drawn as two diagonals)
    "gd-chenghai-toys",              # typed ■ √ ✓ ✔ ☒ ✗
)


def soffice_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert with a throw-away LibreOffice profile (so runs do not share or lock one)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is needed to generate the PDF renditions: make sysdeps-office")
    with tempfile.TemporaryDirectory() as td:
        subprocess.run([exe, f"-env:UserInstallation=file://{td}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", td, str(docx)], check=True, capture_output=True,
                       timeout=300)
        pdf = Path(td) / (docx.stem + ".pdf")
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
        target = out_dir / pdf.name
        shutil.copyfile(pdf, target)
    return target


def make(root: Path, base: str, furniture_seed: Optional[int] = None, src: Optional[Path] = None) -> Path:
    src = src or root
    exp = json.loads((src / "expected" / f"{base}.json").read_text(encoding="utf-8"))
    src_dir = src / "dossiers" / base
    out_id = f"{base}-pdf" + (f"-f{furniture_seed}" if furniture_seed is not None else "")
    out_dir = root / "dossiers" / out_id
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (root / "expected").mkdir(parents=True, exist_ok=True)
    form = src_dir / exp["form_file"]
    with tempfile.TemporaryDirectory() as td:
        if furniture_seed is not None:
            style = style_for(furniture_seed)
            form = add_furniture(form, Path(td) / form.name, style)
            exp["furniture"] = style.to_dict()
        pdf = soffice_pdf(form, out_dir)
    for f in sorted(src_dir.iterdir()):
        if f.name != exp["form_file"]:
            shutil.copyfile(f, out_dir / f.name)
    exp.update({"dossier_id": out_id, "form_file": pdf.name, "rendition": "pdf", "rendition_of": base})
    (root / "expected" / f"{out_id}.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
    return out_dir


def make_all(root: Path, only=None, furniture_seed: Optional[int] = None, src: Optional[Path] = None) -> list[Path]:
    bases = [b for b in BASES if not only or b in only or f"{b}-pdf" in only]
    return [make(root, b, furniture_seed, src) for b in bases]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generator.pdf_rendition", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="samples")
    ap.add_argument("--only", nargs="*", help="base dossier ids")
    ap.add_argument("--src", help="where the base dossiers are read from (default: --out)")
    ap.add_argument("--furniture-seed", type=int, help="print running headers and page numbers in this seed's style")
    a = ap.parse_args(argv)
    for d in make_all(Path(a.out), a.only, a.furniture_seed, Path(a.src) if a.src else None):
        print(f"wrote {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
