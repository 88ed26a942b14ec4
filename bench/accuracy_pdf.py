"""Share of fields and tick groups right on the born-digital PDF renditions (the bar is 100%).

``python -m bench.accuracy_pdf [ROOT]`` scores the renditions under another root, e.g. the
ones ``samples.generator.pdf_rendition --furniture-seed`` writes with page furniture."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.accuracy_docx import tick_groups
from extractors import read_file
from extractors.mapper import map_form
from tests.expected import SAMPLES, score


def main(root: Path = SAMPLES) -> None:
    print(f"{'dossier':<36}{'fields':>8}{'right':>8}{'share':>9}{'tick groups':>13}")
    tot_f = tot_r = tot_g = tot_gr = 0
    groups = tick_groups()
    for ef in sorted((root / "expected").glob("*.json")):
        exp = json.loads(ef.read_text(encoding="utf-8"))
        if exp.get("rendition") != "pdf":
            continue
        m = map_form(read_file(root / "dossiers" / ef.stem / exp["form_file"]))
        s = score({k: v.to_dict() for k, v in m.fields.items()}, exp["fields"], groups)
        tot_f, tot_r, tot_g, tot_gr = tot_f + s.total, tot_r + s.right, tot_g + s.groups_total, tot_gr + s.groups_right
        print(f"{ef.stem:<36}{s.total:>8}{s.right:>8}{s.share:>9.1%}{s.groups_right:>6}/{s.groups_total:<6}")
        for fid, want, got in s.wrong[:10]:
            print(f"    wrong {fid}: expected {want!r} got {got!r}")
    if tot_f:
        print(f"{'ALL pdf':<36}{tot_f:>8}{tot_r:>8}{tot_r / tot_f:>9.1%}{tot_gr:>6}/{tot_g:<6}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES)
