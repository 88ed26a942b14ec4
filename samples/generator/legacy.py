"""A legacy-format rendition: one sample's form saved as Word 97-2003 (.doc) by LibreOffice.

    python -m samples.generator.legacy --out samples

Writes ``dossiers/<id>-doc/`` (the .doc form plus the same evidence files) and
``expected/<id>-doc.json`` (the source sample's expected values, ``form_file`` changed).
Needs LibreOffice (``soffice``); the committed output does not.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = "gz-suiyang-chili"


def make(root: Path, source: str = SOURCE) -> Path:
    exp = json.loads((root / "expected" / f"{source}.json").read_text(encoding="utf-8"))
    src_dir = root / "dossiers" / source
    out_id = f"{source}-doc"
    out_dir = root / "dossiers" / out_id
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    form = src_dir / exp["form_file"]
    with tempfile.TemporaryDirectory() as td:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{td}/profile", "--headless",
                        "--convert-to", "doc", "--outdir", td, str(form)], check=True, capture_output=True,
                       timeout=180)
        doc = Path(td) / (form.stem + ".doc")
        shutil.copyfile(doc, out_dir / doc.name)
    for f in src_dir.iterdir():
        if f.name != exp["form_file"]:
            shutil.copyfile(f, out_dir / f.name)
    exp.update({"dossier_id": out_id, "form_file": form.stem + ".doc", "rendition": "doc"})
    (root / "expected" / f"{out_id}.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n",
                                                     encoding="utf-8")
    return out_dir


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.generator.legacy", description=__doc__)
    ap.add_argument("--out", default="samples")
    a = ap.parse_args(argv)
    print(f"wrote {make(Path(a.out))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
