"""The README and the design notes name only paths the repository holds."""
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOP = ("pipeline/", "extractors/", "validators/", "docs/", "bench/", "tests/", "samples/", "report_templates/")


def _named_paths(text: str) -> set[str]:
    return {m for m in re.findall(r"`([^`\s]+)`", text) if m.startswith(TOP)}


@pytest.mark.parametrize("doc", ["README.md", *sorted(str(p.relative_to(REPO)) for p in (REPO / "docs").glob("*.md"))])
def test_every_repo_path_named_exists(doc):
    missing = []
    for p in _named_paths((REPO / doc).read_text(encoding="utf-8")):
        p = re.sub(r"[:,;.)]+$", "", p.split(":")[0])
        if "<" in p or "{" in p:           # a pattern such as validators/profiles/<id>.yaml
            p = re.sub(r"<[^>]+>|\{[^}]+\}", "*", p)
        if not (list(REPO.glob(p)) if "*" in p else (REPO / p).exists()):
            missing.append(p)
    assert not missing, f"{doc} names paths the repository does not hold: {missing}"
