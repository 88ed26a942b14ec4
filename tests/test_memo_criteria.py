"""The memo's 认定标准对照表 says what the criteria findings say: each threshold's row is 不符合
exactly when the validators report an error of its rule on its fields, 无法判断 when they doubt
it (a warning or a note of that rule, or a value it needs is missing), and 符合 only when they
report nothing against it (``assert_table_agrees``, run by tests/test_samples_checks.py on every
committed sample, so each dossier goes through the pipeline once).  And the memo judges nothing
itself: no module of it imports a validator."""
import ast
from pathlib import Path

from pipeline.memo.criteria import criterion_rows
from pipeline.model import load_catalogue
from pipeline.model.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]


def _against(findings, rec):
    """The findings of a record's rule that concern its fields (a finding naming no field
    concerns every threshold of its rule)."""
    fields = set(rec["fields"])
    return [f for f in findings if f.rule == rec["rule"] and (not f.fields or set(f.fields) <= fields)]


def assert_table_agrees(ext, dossier=""):
    """Every row of the table against the findings of its threshold."""
    profile = load_profile(ext.profile)
    rows = criterion_rows(ext, profile, load_catalogue())
    assert len(rows) == len(ext.criteria) == len(profile.thresholds)
    assert [r["threshold"] for r in ext.criteria] == list(range(len(profile.thresholds)))
    for rec, row in zip(ext.criteria, rows):
        mine = _against(ext.findings, rec)
        errors = [f for f in mine if f.severity == "error"]
        doubts = [f for f in mine if f.severity != "error"]
        where = f"{dossier} threshold {rec['threshold']} ({rec['rule']})"
        if errors:
            assert row["status"] == "not_met" and row["status_label"] == "不符合", where
            assert rec["why"] == errors[0].message, where
        elif doubts or any(not v["readable"] for v in rec["values"]):
            assert row["status"] == "unknown" and row["status_label"] == "无法判断", where
        if row["status"] == "met":
            assert not mine and all(v["readable"] for v in rec["values"]), where
    return {r["status"] for r in rows}


def test_the_memo_imports_nothing_from_the_validators():
    for path in sorted((ROOT / "pipeline" / "memo").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in names if m == "validators" or m.startswith("validators.")], path.name
