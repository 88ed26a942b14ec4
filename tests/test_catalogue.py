"""Lint the catalogue and the profiles without any document (ids, types, layouts, options)."""
import re
from pathlib import Path

import pytest

from extractors.mapper.layouts import LAYOUTS
from pipeline.model import load_catalogue
from pipeline.model.profiles import list_profiles, load_profile

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO / "docs" / "contract"                 # the repo's own copy of the contract
SHARED_SPEC = REPO.parent / "shared" / "spec"        # the issuer's copy, when it is beside the repo
SPEC = CONTRACT / "form-fields.md"
TYPES = {"text", "number", "int", "choice", "multi", "bool", "list", "parts"}


def test_every_entry_is_well_formed():
    cat = load_catalogue()
    for s in cat.specs:
        assert s.type in TYPES, s.id
        assert s.layout in LAYOUTS, s.id
        assert s.section in {sec["id"] for sec in cat.sections}, s.id
        assert s.label, s.id
        if s.type in ("choice", "multi"):
            assert len(s.options) >= 2, s.id
        if s.get("after"):
            before = [t.id for t in cat.specs[: cat.specs.index(s)]]
            assert s.get("after") in before, f"{s.id}: anchor must come earlier"


def test_expansion_counts():
    ids = [f.id for f in load_catalogue().expand([2020, 2021, 2022])]
    assert len(ids) == len(set(ids))
    assert sum(i.startswith("innovation.standards.") for i in ids) == 24
    assert "industry.total_output.2022" in ids and "innovation.platforms_other.names" in ids


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="shared/spec/ not beside the repo: nothing to compare the copy with")
def test_contract_copy_is_the_shared_spec():
    """docs/contract/ is a verbatim copy of shared/spec/: the names there are fixed for outside tests."""
    for theirs in sorted(SHARED_SPEC.glob("*.md")):
        ours = CONTRACT / theirs.name
        assert ours.exists(), f"docs/contract/{theirs.name} missing"
        assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8"), theirs.name


def test_ids_match_the_spec():
    text = SPEC.read_text(encoding="utf-8")
    spec_ids = set()
    for m in re.finditer(r"^\| ([a-z_]+\.[a-zA-Z_0-9.{}/ ]+?) \|", text, re.M):
        raw = m.group(1)
        if " / " in raw:                      # innovation.platforms_national.count / .names
            base, _, rest = raw.partition(" / ")
            spec_ids.add(base.strip())
            spec_ids.add(base.rsplit(".", 1)[0] + rest.strip())
        else:
            spec_ids.add(raw.strip())
    cat = load_catalogue()
    ours = set()
    for s in cat.specs:
        if s.layout == "matrix":
            ours.add(f"{s.id}.{{Y}}.{{level}}.{{role}}")
        elif s.layout == "parts":
            ours |= {f"{s.id}.{p}" for p in s.raw["parts"]}
        elif s.yearly:
            ours.add(f"{s.id}.{{Y}}")
        else:
            ours.add(s.id)
    assert ours == spec_ids


def test_evidence_claims_listed():
    claims = load_catalogue().evidence_claims()
    assert ("industry.chain_map", "是") in claims
    assert ("governance.platforms", "建设或引入国家中小企业公共服务示范平台") in claims
    assert ("basic.industry_type", "第二产业") not in claims


def test_profiles_load_and_name_their_document():
    assert set(list_profiles()) >= {"national", "guangxi", "guangdong", "gansu", "guizhou"}
    for name in list_profiles():
        p = load_profile(name)
        assert p.id == name and p.document and p.detect
