"""Keep every rendition of a sample (``<id>-doc``, ``<id>-pdf``, ``<id>-scan``) carrying its
base's current evidence.

A rendition folder holds the form in another format plus copies of the base dossier's
evidence files; its expected JSON repeats the base's ``evidence`` list.  When the base is
regenerated, :func:`refresh_evidence` copies the evidence again and leaves the rendition's form
as it is, so no LibreOffice (nor OCR) is needed for it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

SUFFIXES = ("-doc", "-pdf", "-scan")


def renditions_of(root: Path, base: str) -> list[str]:
    """Ids of the renditions of ``base`` that exist under ``root``."""
    return [base + s for s in SUFFIXES
            if (root / "dossiers" / (base + s)).is_dir() and (root / "expected" / f"{base + s}.json").exists()]


def refresh_evidence(root: Path, base: str) -> list[str]:
    """Copy ``base``'s evidence files and expected ``evidence`` into each of its renditions;
    returns the rendition ids refreshed."""
    src = json.loads((root / "expected" / f"{base}.json").read_text(encoding="utf-8"))
    done = []
    for rid in renditions_of(root, base):
        out_dir, exp_path = root / "dossiers" / rid, root / "expected" / f"{rid}.json"
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        keep = {exp["form_file"], *exp.get("form_files", [])}
        for f in out_dir.iterdir():
            if f.name not in keep:
                f.unlink()
        for e in src["evidence"]:
            shutil.copyfile(root / "dossiers" / base / e["file"], out_dir / e["file"])
        exp["evidence"] = src["evidence"]
        exp_path.write_text(json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        done.append(rid)
    return done
