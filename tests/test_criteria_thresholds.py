"""Every stated-figure threshold of every profile, at its bar and one unit either side: the
operator as worded decides (以上/不低于 include the bar, 高于 excludes it, 不超过 includes it)."""
import pytest

from pipeline.model.profiles import list_profiles, load_profile

from .validation_fixtures import check, for_profile, of, put

STATED = {"criteria.area", "criteria.output", "criteria.sme_share", "criteria.leading_share",
          "criteria.enterprises", "criteria.patent_growth", "criteria.patents_per_10k", "criteria.iiot"}


def cases():
    for name in list_profiles():
        p = load_profile(name)
        for t in p.thresholds:
            if t["rule"] in STATED or (t["rule"] == "criteria.growth" and p.growth["figure"] == "leading"):
                yield pytest.param(name, t, id=f"{name}-{t['rule']}")


def target(ext, t):
    base = t["fields"][0]
    return {"each": f"{base}.{ext.reporting_years[0]}", "latest": f"{base}.{ext.reporting_years[-1]}"}.get(
        t.get("years"), base)


def set_to(ext, fid, value, t):
    if t["rule"] == "criteria.enterprises":
        value = int(value)
        y3 = ext.reporting_years[-1]
        put(ext, f"industry.smes.{y3}", min(ext.fields[f"industry.smes.{y3}"].value, value))
    return put(ext, fid, value)


@pytest.mark.parametrize("name,t", list(cases()))
def test_bar_edges(name, t):
    step = 1 if t["rule"] == "criteria.enterprises" else 0.01
    results = {}
    for label, value in (("below", t["value"] - step), ("at", t["value"]), ("above", t["value"] + step)):
        ext = for_profile(name)
        fid = target(ext, t)
        set_to(ext, fid, value, t)
        fired = [f for f in of(check(ext, name), t["rule"]) if fid in f.fields]
        results[label] = bool(fired)
        if fired:
            assert fired[0].clause == load_profile(name).clause_of(t)
            assert fired[0].expected.startswith(t["op"])
    want = {"≥": {"below": True, "at": False, "above": False},
            ">": {"below": True, "at": True, "above": False},
            "≤": {"below": False, "at": False, "above": True}}[t["op"]]
    assert results == want, f"{t['op_word']} {t['value']}: {results}"
