"""Every rule of rules.md (but evidence.*), both ways: a dossier where it fires and a close
case where it must not.  Each case starts from a committed clean sample's extraction (its
DOCX read by the pipeline) with one thing changed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest

from validators.registry import RULES

from .validation_fixtures import check, for_profile, of, put, y

RULES_MD = Path(__file__).resolve().parents[1] / "validators" / "profiles" / "sources" / "spec-rules.md"


def row(ext, indicator, **cells):
    """Change a row of the plan's target table."""
    for r in ext.fields["plan.targets"].value:
        if r["indicator"] == indicator:
            r.update(cells)
            return r
    raise KeyError(indicator)


def cell(ext, indicator, key):
    return next(r[key] for r in ext.fields["plan.targets"].value if r["indicator"] == indicator)


def num(ext, fid):
    return ext.fields[fid].value


def shift_cagr(ext, by):
    """Move the stated CAGR by ``by`` away from the compound figure computed from the form."""
    ys = ext.reporting_years
    L = [num(ext, f"industry.total_output.{v}") * num(ext, f"industry.leading_share.{v}") / 100 for v in ys]
    exact = ((L[-1] / L[0]) ** 0.5 - 1) * 100
    stated = num(ext, "industry.leading_cagr")
    sign = 1 if stated >= exact else -1
    return put(ext, "industry.leading_cagr", round(stated + sign * by, 2))


@dataclass
class Case:
    rule: str
    profile: str
    fire: Callable
    quiet: Callable
    fields: Optional[Callable] = None          # the field ids the finding must name

    @property
    def id(self):
        return f"{self.rule}-{self.profile}"


CASES = [
    # ---------------------------------------------------------------- completeness and format
    Case("field.unreadable", "guizhou",
         lambda e: put(e, f"industry.total_output.{y(e, 2)}", num(e, f"industry.total_output.{y(e, 2)}"), confidence=0.5),
         lambda e: put(e, f"industry.total_output.{y(e, 2)}", num(e, f"industry.total_output.{y(e, 2)}"), confidence=0.75),
         lambda e: [f"industry.total_output.{y(e, 2)}"]),
    Case("field.missing", "national",
         lambda e: put(e, "innovation.rd_staff_ratio", None, note=None),
         lambda e: put(e, "innovation.rd_staff_ratio", None, raw="无", note="none"),      # 无 is an answer
         lambda e: ["innovation.rd_staff_ratio"]),
    Case("field.bad_number", "guangxi",
         lambda e: put(e, "innovation.sme_employees", None, raw="约一万人", note="bad_number"),
         lambda e: put(e, "innovation.sme_employees", num(e, "innovation.sme_employees"),
                       raw=f"{num(e, 'innovation.sme_employees')}人"),
         lambda e: ["innovation.sme_employees"]),
    Case("format.decimals", "gansu",
         lambda e: put(e, "basic.area_km2", 28.505, raw="28.505"),
         lambda e: put(e, "basic.area_km2", 28.5, raw="28.50"),
         lambda e: ["basic.area_km2"]),
    Case("choice.none", "guangdong",
         lambda e: put(e, "digital.software_rising", None, raw="□是  □否", note="choice.none"),
         lambda e: put(e, "digital.software_rising", None, raw="?是  □否", confidence=0.3,
                       note="unknown_glyph: 是 (wsym:Wingdings:F0FF)"),      # unreadable, not unticked
         lambda e: ["digital.software_rising"]),
    Case("choice.multiple", "guizhou",
         lambda e: put(e, "basic.provincial_cluster", ["是", "否"], note="choice.multiple"),
         lambda e: put(e, "industry.sharing", ["开展同类设备和产品的集中采销", "建立共享车间、共享工厂"]),   # multi: any number
         lambda e: ["basic.provincial_cluster"]),
    Case("text.too_long", "guangxi",
         lambda e: put(e, "industry.chain_text", "集" * 201),
         lambda e: put(e, "industry.chain_text", "集" * 100 + " \n  " + "群" * 100),      # white space is not 字
         lambda e: ["industry.chain_text"]),
    # ---------------------------------------------------------------- internal consistency
    Case("range.percent", "national",
         lambda e: put(e, "digital.cloud_ratio", 100.01),
         lambda e: put(e, "digital.cloud_ratio", 100.0),
         lambda e: ["digital.cloud_ratio"]),
    Case("count.subset", "gansu",
         lambda e: put(e, f"industry.smes.{y(e, 2)}", num(e, f"industry.enterprises.{y(e, 2)}") + 1),
         lambda e: put(e, f"industry.smes.{y(e, 2)}", num(e, f"industry.enterprises.{y(e, 2)}")),
         lambda e: [f"industry.smes.{y(e, 2)}", f"industry.enterprises.{y(e, 2)}"]),
    Case("growth.yearly", "guizhou",
         lambda e: put(e, f"industry.leading_growth.{y(e, 3)}", round(num(e, f"industry.leading_growth.{y(e, 3)}") + 0.1, 2)),
         lambda e: put(e, f"industry.leading_growth.{y(e, 1)}", 55.55),      # Y1's growth needs Y0: not checked
         lambda e: [f"industry.leading_growth.{y(e, 3)}", f"industry.total_output.{y(e, 2)}",
                    f"industry.leading_share.{y(e, 2)}", f"industry.total_output.{y(e, 3)}",
                    f"industry.leading_share.{y(e, 3)}"]),
    Case("growth.cagr", "guangdong",                # a 118亿元 cluster: the inputs' rounding allows ±0.0168
         lambda e: shift_cagr(e, 0.02),
         lambda e: shift_cagr(e, 0.01),
         lambda e: ["industry.leading_cagr", f"industry.total_output.{y(e, 1)}", f"industry.leading_share.{y(e, 1)}",
                    f"industry.total_output.{y(e, 3)}", f"industry.leading_share.{y(e, 3)}"]),
    Case("patents.per_10k", "guizhou",
         lambda e: put(e, "innovation.patents_per_10k", round(num(e, "innovation.patents_per_10k") + 0.02, 2)),
         lambda e: put(put(e, "innovation.sme_employees", 9801), "innovation.patents_per_10k",
                       round(num(e, "innovation.sme_patents") / 9801 * 10000, 2)),
         lambda e: ["innovation.patents_per_10k", "innovation.sme_patents", "innovation.sme_employees"]),
    Case("years.mismatch", "gansu",
         lambda e: put(e, "cover.date", f"{y(e, 3) + 2}年5月"),
         lambda e: put(e, "cover.date", f"{y(e, 3) + 1}年3月1日"),
         lambda e: ["cover.date"]),
    Case("cover.mismatch", "guangdong",
         lambda e: put(e, "cover.operator", "汕头市澄海区玩具产业园运营有限公司"),
         lambda e: put(e, "cover.operator", " " + num(e, "basic.operator").replace("（", "(").replace("）", ")") + " "),
         lambda e: ["cover.operator", "basic.operator"]),
    # ---------------------------------------------------------------- plan
    Case("plan.baseline", "guizhou",
         lambda e: row(e, "工业互联网普及率", baseline=round(num(e, "digital.iiot_rate") + 0.01, 2)) and e,
         lambda e: row(e, "工业互联网普及率", baseline=round(num(e, "digital.iiot_rate"), 1)) and e,   # written 18.8 for 18.78
         lambda e: ["plan.targets", "digital.iiot_rate"]),
    Case("plan.target", "guangxi",
         lambda e: row(e, "集群产值年均增速", target=4.99) and e,
         lambda e: row(e, "集群产值年均增速", target=5.0) and e,
         lambda e: ["plan.targets"]),
    # ---------------------------------------------------------------- declaration
    Case("declaration.unsigned", "national",
         lambda e: put(e, "declaration.signed", False, confidence=1.0),
         lambda e: put(e, "declaration.signed", False, confidence=0.5),      # doubtful: reported as unreadable
         lambda e: ["declaration.signed"]),
    Case("declaration.unsealed", "gansu",
         lambda e: put(e, "declaration.sealed", False, confidence=1.0),
         lambda e: put(e, "declaration.sealed", True, confidence=0.8),
         lambda e: ["declaration.sealed"]),
    # ---------------------------------------------------------------- criteria at their bars
    Case("criteria.area", "guizhou",
         lambda e: put(e, "basic.area_km2", 100.01), lambda e: put(e, "basic.area_km2", 100.0),
         lambda e: ["basic.area_km2"]),
    Case("criteria.output", "guizhou",
         lambda e: put(e, f"industry.total_output.{y(e, 1)}", 19.99),
         lambda e: put(e, f"industry.total_output.{y(e, 1)}", 20.0),           # 20亿元以上 includes 20
         lambda e: [f"industry.total_output.{y(e, 1)}"]),
    Case("criteria.sme_share", "guangdong",
         lambda e: put(e, f"industry.sme_share.{y(e, 3)}", 70.0),              # 高于70% excludes 70
         lambda e: put(e, f"industry.sme_share.{y(e, 3)}", 70.01),
         lambda e: [f"industry.sme_share.{y(e, 3)}"]),
    Case("criteria.leading_share", "guangxi",
         lambda e: put(e, f"industry.leading_share.{y(e, 3)}", 60.0),
         lambda e: put(e, f"industry.leading_share.{y(e, 3)}", 60.01),
         lambda e: [f"industry.leading_share.{y(e, 3)}"]),
    Case("criteria.growth", "gansu",                # 产值年均增速高于7%: from 总产值, compound
         lambda e: put(put(e, f"industry.total_output.{y(e, 1)}", 30.0), f"industry.total_output.{y(e, 3)}", 34.3),
         lambda e: put(put(e, f"industry.total_output.{y(e, 1)}", 30.0), f"industry.total_output.{y(e, 3)}", 34.35),
         lambda e: [f"industry.total_output.{y(e, 1)}", f"industry.total_output.{y(e, 3)}"]),
    Case("criteria.quality_smes", "guangxi",
         lambda e: _quality(e, lg=0, champ=0, spec=3, ht=2),
         lambda e: _quality(e, lg=0, champ=0, spec=3, ht=3),                  # 不少于6家 includes 6
         lambda e: [f"industry.{k}.{y(e, 3)}" for k in ("champions", "little_giants", "specialized", "hightech")]),
    Case("criteria.enterprises", "gansu",
         lambda e: _enterprises(e, 19), lambda e: _enterprises(e, 20),
         lambda e: [f"industry.enterprises.{y(e, 3)}"]),
    Case("criteria.rd_growth", "guangxi",
         lambda e: _rd(e, 9.0, 10.0, 10.0),
         lambda e: _rd(e, 10.2, 10.0, 9.9),
         lambda e: [f"innovation.rd_growth.{v}" for v in e.reporting_years]),
    Case("criteria.patent_growth", "guangdong",
         lambda e: put(e, "innovation.patent_growth", 14.99), lambda e: put(e, "innovation.patent_growth", 15.0),
         lambda e: ["innovation.patent_growth"]),
    Case("criteria.patents_per_10k", "guizhou",
         lambda e: put(e, "innovation.patents_per_10k", 6.99), lambda e: put(e, "innovation.patents_per_10k", 7.0),
         lambda e: ["innovation.patents_per_10k"]),
    Case("criteria.iiot", "gansu",
         lambda e: put(e, "digital.iiot_rate", 9.99), lambda e: put(e, "digital.iiot_rate", 10.0),
         lambda e: ["digital.iiot_rate"]),
    Case("criteria.negative", "guangxi",
         lambda e: put(e, "basic.no_violations", "否"), lambda e: put(e, "basic.no_violations", "是"),
         lambda e: ["basic.no_violations"]),
    Case("criteria.efficiency", "gansu",
         lambda e: put(e, "basic.energy_efficiency", "否"), lambda e: put(e, "basic.energy_efficiency", "不涉及"),
         lambda e: ["basic.energy_efficiency"]),
    Case("criteria.co2_trend", "guizhou",
         lambda e: put(e, f"green.co2_intensity.{y(e, 2)}", round(num(e, f"green.co2_intensity.{y(e, 1)}") + 0.01, 2)),
         lambda e: put(e, f"green.co2_intensity.{y(e, 2)}", round(num(e, f"green.co2_intensity.{y(e, 1)}") - 0.01, 2)),
         lambda e: [f"green.co2_intensity.{y(e, 2)}", f"green.co2_intensity.{y(e, 1)}"]),
]


def _quality(e, lg, champ, spec, ht):
    y3 = y(e, 3)
    for k, v in (("little_giants", lg), ("champions", champ), ("specialized", spec), ("hightech", ht)):
        put(e, f"industry.{k}.{y3}", v)
    return e


def _enterprises(e, n):
    y3 = y(e, 3)
    put(e, f"industry.enterprises.{y3}", n)
    put(e, f"industry.smes.{y3}", n - 1)
    for k in ("specialized", "little_giants", "champions", "hightech"):
        put(e, f"industry.{k}.{y3}", min(num(e, f"industry.{k}.{y3}"), n - 2))
    return e


def _rd(e, *growths):
    for v, g in zip(e.reporting_years, growths):
        put(e, f"innovation.rd_growth.{v}", g)
    return e


def rules_md_ids() -> set[str]:
    return set(re.findall(r"^\| ([a-z0-9_]+\.[a-z0-9_]+) \|", RULES_MD.read_text(encoding="utf-8"), re.M))


def test_every_rule_of_rules_md_but_evidence_is_registered_and_has_cases():
    wanted = {r for r in rules_md_ids() if not r.startswith("evidence.")}
    assert len(wanted) == 32
    assert wanted <= set(RULES), sorted(wanted - set(RULES))
    assert set(RULES) <= rules_md_ids(), "a registered rule id that rules.md does not define"
    assert {c.rule for c in CASES} == wanted


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_fires(case):
    ext = case.fire(for_profile(case.profile))
    got = of(check(ext, case.profile), case.rule)
    assert got, f"{case.rule} did not fire"
    f = got[0]
    assert sorted(f.fields) == sorted(case.fields(ext))
    assert f.message and re.search(r"[\u4e00-\u9fff]", f.message), "a Chinese message an expert can read"
    assert f.severity in ("error", "warning")
    assert f.sources and all(s.file for s in f.sources), "sources copied from the fields"
    if f.rule != "field.unreadable":
        assert f.question, "a question for the applicant"
    if f.rule.startswith("criteria."):
        assert f.clause and f.clause.startswith(("《", "工业和信息化部")), f.clause


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_stays_quiet_in_the_close_case(case):
    ext = case.quiet(for_profile(case.profile))
    got = of(check(ext, case.profile), case.rule)
    assert not [f for f in got if f.severity != "info"], [f.message for f in got]
