"""Share of fields and tick groups right on the born-digital PDF renditions (the bar is 100%).

``python -m bench.accuracy_pdf [ROOT]`` scores the renditions under another root, e.g. the
ones ``samples.generator.pdf_rendition --furniture-seed`` writes with page furniture."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.accuracy_docx import ScoreTable, tick_groups
from extractors import read_file
from extractors.mapper import map_form
from tests.expected import SAMPLES


def main(root: Path = SAMPLES) -> None:
    table, groups = ScoreTable(36), tick_groups()
    for ef in sorted((root / "expected").glob("*.json")):
        exp = json.loads(ef.read_text(encoding="utf-8"))
        if exp.get("rendition") != "pdf":
            continue
        table.add(ef.stem, map_form(read_file(root / "dossiers" / ef.stem / exp["form_file"])), exp["fields"], groups)
    table.total("ALL pdf")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLES)
