"""Dossiers with planted problems: each is a clean cluster's dossier (its own id, so its own
draws) with a few things filled in wrong, and an expected JSON that says which problems it
carries (``planted``: rule id and the field ids the finding names) and holds the values as
written in the flawed form.

A plant works at three points of ``build.build_dossier``:

- ``figures(fig)`` — numbers changed *consistently* before any text is written, so that only
  the planted problem is wrong (a criterion missed: the derived growth rates, per-10k figure
  and plan baselines are recomputed from the printed values the way the generator makes them);
- ``form(fields, extra)`` — what the applicant typed or ticked: an empty cell, a bad number,
  3 decimals, two ticks, no signature, a cover that disagrees, a figure that does not add up;
- ``expected(exp)`` — the expected JSON: the planted list and the values a reader must get
  (a cell written 若干 reads as null).

Nothing here touches the ten clean dossiers.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Callable

from .catalog import GROUPS
from .clusters import PROFILES
from .figures import leading_outputs, r2

Fig = dict
Fields = dict


# ------------------------------------------------------------------ consistent figures
def rederive(fig: Fig) -> None:
    """Recompute every derived figure from the printed values (as gen_figures makes them):
    leading-industry growth of Y2 and Y3, the 3-year CAGR, patents per 10,000 employees,
    and the quality-SME count the plan's baseline restates."""
    f, ys = fig["fields"], fig["years"]
    L = leading_outputs([f[f"industry.total_output.{y}"] for y in ys],
                        [f[f"industry.leading_share.{y}"] for y in ys])
    for i in (1, 2):
        f[f"industry.leading_growth.{ys[i]}"] = r2((L[i] / L[i - 1] - 1) * 100)
    f["industry.leading_cagr"] = r2(((L[2] / L[0]) ** 0.5 - 1) * 100)
    f["innovation.patents_per_10k"] = r2(f["innovation.sme_patents"] / f["innovation.sme_employees"] * 10000)
    y3 = ys[2]
    fig["aux"]["quality3"] = sum(f[f"industry.{k}.{y3}"] for k in ("specialized", "little_giants", "champions",
                                                                   "hightech"))
    fig["aux"]["leading_output"] = [r2(x) for x in L]


def _target_row(fields: Fields, extra: dict, indicator: str, **cells) -> None:
    """Change a row of the 三年总体目标 table: the printed cell text and the expected reading."""
    for r in extra["targets"]:
        if r["indicator"] == indicator:
            for k, (printed, value) in cells.items():
                r[k] = printed
    for r in fields["plan.targets"]:
        if r["indicator"] == indicator:
            for k, (printed, value) in cells.items():
                r[k] = value


@dataclass
class Plant:
    id: str
    base: str                                    # the clean cluster it starts from
    overrides: dict = field(default_factory=dict)
    on_figures: list[Callable[[Fig], None]] = field(default_factory=list)   # then derived figures recomputed
    after_rederive: list[Callable[[Fig], None]] = field(default_factory=list)  # a derived figure made wrong
    on_form: list[Callable[[Fields, dict], None]] = field(default_factory=list)
    reads_as: dict = field(default_factory=dict)  # field id -> value a reader gets (bad numbers)
    planted: list[dict] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    on_evidence: list[Callable[[dict, Fields], None]] = field(default_factory=list)  # evidence files changed

    def profile(self) -> dict:
        p = copy.deepcopy(next(q for q in PROFILES if q["id"] == self.base))
        p.update(id=self.id, evidence=["stats_docx"])
        p.update(self.overrides)
        return p

    # hooks called by build.build_dossier
    def figures(self, fig: Fig) -> None:
        self.years = list(fig["years"])
        for fn in self.on_figures:
            fn(fig)
        if self.on_figures:
            rederive(fig)
        for fn in self.after_rederive:
            fn(fig)

    def form(self, fields: Fields, extra: dict) -> None:
        for fn in self.on_form:
            fn(fields, extra)

    def evidence(self, plan: dict, fields: Fields) -> None:
        """``plan``: ``kinds`` (evidence files written), ``skip`` (claims the 汇编 leaves out),
        ``stated`` (figures the files state instead of the form's)."""
        for fn in self.on_evidence:
            fn(plan, fields)

    def expected(self, exp: dict) -> None:
        exp["fields"].update(self.reads_as)
        exp["planted"] = [{"rule": p["rule"], "fields": [self._ids(x) for x in p["fields"]]} for p in self.planted]

    def _ids(self, fid: str) -> str:
        """Field ids may name years Y1/Y2/Y3 before the years are drawn."""
        for i, y in enumerate(self.years, 1):
            fid = fid.replace(f"Y{i}", str(y))
        return fid


def Y(n: int, fig: Fig) -> int:
    return fig["years"][n - 1]


# ------------------------------------------------------------------ the planted dossiers
def _gz_arithmetic() -> Plant:
    """贵州: a yearly growth that does not follow from output × share, a per-10k figure off by
    0.02, and more SMEs than enterprises in one year."""
    def after(fig):
        f, y3 = fig["fields"], Y(3, fig)
        f[f"industry.leading_growth.{y3}"] = r2(f[f"industry.leading_growth.{y3}"] + 0.80)
        f["innovation.patents_per_10k"] = r2(f["innovation.patents_per_10k"] + 0.02)

    def form(fields, extra):
        y2 = extra["years"][1]
        fields[f"industry.smes.{y2}"] = fields[f"industry.enterprises.{y2}"] + 3

    return Plant("planted-gz-arithmetic", "gz-suiyang-chili", after_rederive=[after], on_form=[form], planted=[
        {"rule": "growth.yearly", "fields": ["industry.leading_growth.Y3", "industry.total_output.Y2",
                                             "industry.leading_share.Y2", "industry.total_output.Y3",
                                             "industry.leading_share.Y3"]},
        {"rule": "patents.per_10k", "fields": ["innovation.patents_per_10k", "innovation.sme_patents",
                                               "innovation.sme_employees"]},
        {"rule": "count.subset", "fields": ["industry.smes.Y2", "industry.enterprises.Y2"]},
    ])


def _gd_cagr() -> Plant:
    """广东: the 3-year average growth 0.02 below the compound figure (a large cluster, so the
    inputs' rounding cannot explain 0.02), and a percentage above 100."""
    def after(fig):
        f = fig["fields"]
        f["industry.leading_cagr"] = r2(f["industry.leading_cagr"] - 0.02)
        f["digital.cloud_ratio"] = 105.0

    return Plant("planted-gd-cagr", "gd-chenghai-toys", overrides={"output_base": 300.0},
                 after_rederive=[after], planted=[
        {"rule": "growth.cagr", "fields": ["industry.leading_cagr", "industry.total_output.Y1",
                                           "industry.leading_share.Y1", "industry.total_output.Y3",
                                           "industry.leading_share.Y3"]},
        {"rule": "range.percent", "fields": ["digital.cloud_ratio"]},
    ])


def _gx_plan() -> Plant:
    """广西: a plan baseline that does not restate the form, and two targets short of 备注 a and d."""
    def form(fields, extra):
        iiot = fields["digital.iiot_rate"]
        _target_row(fields, extra, "工业互联网普及率", baseline=(f"{iiot + 1.5:.2f}%", r2(iiot + 1.5)))
        _target_row(fields, extra, "集群产值年均增速", target=("4.00%", 4.0))
        pats = fields["innovation.sme_patents"]
        _target_row(fields, extra, "有效发明专利数量", target=(f"{pats + 1}件", float(pats + 1)))

    return Plant("planted-gx-plan", "gx-rongxian-furniture", on_form=[form], planted=[
        {"rule": "plan.baseline", "fields": ["plan.targets", "digital.iiot_rate"]},
        {"rule": "plan.target", "fields": ["plan.targets"]},
        {"rule": "plan.target", "fields": ["plan.targets"]},
    ])


def _gs_form() -> Plant:
    """甘肃: the wrong application year on the cover, a cover operator that differs from 一,
    a narrative over 200字 and an area written with 3 decimals."""
    def form(fields, extra):
        y3 = extra["years"][2]
        fields["cover.date"] = f"{y3 + 3}年4月"
        fields["cover.operator"] = fields["cover.operator"].replace("管理委员会", "") + "运营有限公司"
        extra_text = ("同时，集群对马铃薯种薯、淀粉加工设备、冷链仓储等环节逐一开展风险排查，建立了重点企业供应链风险台账，"
                      "明确了替代供应商名单和应急储备方案，定期组织企业开展供应链风险演练，提升了集群应对市场波动和突发事件的能力。")
        fields["industry.risk_text"] = fields["industry.risk_text"].replace("\n", "") + extra_text
        assert len(fields["industry.risk_text"]) > 210, "the planted narrative must run over 200字"
        fields["basic.area_km2"] = 28.505

    return Plant("planted-gs-form", "gs-dingxi-potato", on_form=[form], planted=[
        {"rule": "years.mismatch", "fields": ["cover.date"]},
        {"rule": "cover.mismatch", "fields": ["cover.operator", "basic.operator"]},
        {"rule": "text.too_long", "fields": ["industry.risk_text"]},
        {"rule": "format.decimals", "fields": ["basic.area_km2"]},
    ])


def _cn_blanks() -> Plant:
    """全国: an empty cell, text in a count, a choice with no tick, a choice with two, and a
    declaration neither signed nor sealed."""
    def form(fields, extra):
        fields["innovation.rd_staff_ratio"] = None
        fields["open.overseas_branches"] = "若干"
        fields["digital.software_rising"] = None
        fields["basic.provincial_cluster"] = ["是", "否"]
        fields["declaration.signed"] = False
        fields["declaration.sealed"] = False
        extra["signature"] = None
        extra["seal_applicant"] = None

    return Plant("planted-cn-blanks", "cn-pingxiang-bicycle", on_form=[form],
                 reads_as={"open.overseas_branches": None}, planted=[
        {"rule": "field.missing", "fields": ["innovation.rd_staff_ratio"]},
        {"rule": "field.bad_number", "fields": ["open.overseas_branches"]},
        {"rule": "choice.none", "fields": ["digital.software_rising"]},
        {"rule": "choice.multiple", "fields": ["basic.provincial_cluster"]},
        {"rule": "declaration.unsigned", "fields": ["declaration.signed"]},
        {"rule": "declaration.unsealed", "fields": ["declaration.sealed"]},
    ])


def _gz_criteria() -> Plant:
    """贵州: output below 20亿元 in the first year, fewer than 8 quality SMEs, CO₂ intensity up."""
    def figures(fig):
        f, ys = fig["fields"], fig["years"]
        f[f"industry.total_output.{ys[0]}"] = 19.80
        y3 = ys[2]
        for k, v in (("specialized", 3), ("little_giants", 1), ("champions", 0), ("hightech", 3)):
            for y in ys:
                f[f"industry.{k}.{y}"] = min(v, f[f"industry.{k}.{y}"]) if y != y3 else v
        f[f"green.co2_intensity.{ys[1]}"] = r2(f[f"green.co2_intensity.{ys[0]}"] + 0.05)

    return Plant("planted-gz-criteria", "gz-renhuai-baijiu-packaging", overrides={"output_base": 22.0},
                 on_figures=[figures], planted=[
        {"rule": "criteria.output", "fields": ["industry.total_output.Y1"]},
        {"rule": "criteria.quality_smes", "fields": ["industry.specialized.Y3", "industry.little_giants.Y3",
                                                     "industry.champions.Y3", "industry.hightech.Y3"]},
        {"rule": "criteria.co2_trend", "fields": ["green.co2_intensity.Y2", "green.co2_intensity.Y1"]},
    ])


def _gx_criteria() -> Plant:
    """广西: SME share below 50%, 工业互联网 below 10%, a 失信 box answered 否."""
    def figures(fig):
        f, ys = fig["fields"], fig["years"]
        f[f"industry.sme_share.{ys[2]}"] = 49.80
        f["digital.iiot_rate"] = 9.50

    def form(fields, extra):
        fields["basic.no_violations"] = "否"

    return Plant("planted-gx-criteria", "gx-beiliu-ceramics", on_figures=[figures], on_form=[form], planted=[
        {"rule": "criteria.sme_share", "fields": ["industry.sme_share.Y3"]},
        {"rule": "criteria.iiot", "fields": ["digital.iiot_rate"]},
        {"rule": "criteria.negative", "fields": ["basic.no_violations"]},
    ])


def _gs_criteria() -> Plant:
    """甘肃: fewer than 20 enterprises, output growing about 5% a year (bar: above 7%), R&D
    growth averaging below 8%, and a high-energy cluster below the efficiency benchmark."""
    def figures(fig):
        f, ys = fig["fields"], fig["years"]
        for y, n in zip(ys, (15, 16, 18)):
            f[f"industry.enterprises.{y}"] = n
            f[f"industry.smes.{y}"] = n - 2
            for k in ("specialized", "little_giants", "champions", "hightech"):
                f[f"industry.{k}.{y}"] = min(f[f"industry.{k}.{y}"], n - 4)
        t1 = f[f"industry.total_output.{ys[0]}"]
        f[f"industry.total_output.{ys[1]}"] = r2(t1 * 1.05)
        f[f"industry.total_output.{ys[2]}"] = r2(t1 * 1.05 * 1.05)
        for y, g in zip(ys, (5.0, 6.0, 7.5)):
            f[f"innovation.rd_growth.{y}"] = g

    def form(fields, extra):
        fields["basic.energy_efficiency"] = "否"

    return Plant("planted-gs-criteria", "gs-longxi-tcm", on_figures=[figures], on_form=[form], planted=[
        {"rule": "criteria.enterprises", "fields": ["industry.enterprises.Y3"]},
        {"rule": "criteria.growth", "fields": ["industry.total_output.Y1", "industry.total_output.Y3"]},
        {"rule": "criteria.rd_growth", "fields": ["innovation.rd_growth.Y1", "innovation.rd_growth.Y2",
                                                  "innovation.rd_growth.Y3"]},
        {"rule": "criteria.efficiency", "fields": ["basic.energy_efficiency"]},
    ])


def _cn_criteria() -> Plant:
    """全国: leading share exactly 70% (the bar is 高于70%), area above 100 km², and neither a
    小巨人/单项冠军 nor 10 专精特新/高新 enterprises."""
    def figures(fig):
        f, ys = fig["fields"], fig["years"]
        f[f"industry.leading_share.{ys[2]}"] = 70.00
        for y in ys:
            f[f"industry.little_giants.{y}"] = 0
            f[f"industry.champions.{y}"] = 0
        f[f"industry.specialized.{ys[2]}"] = 4
        f[f"industry.hightech.{ys[2]}"] = 5
        for y in ys[:2]:
            f[f"industry.specialized.{y}"] = min(f[f"industry.specialized.{y}"], 4)
            f[f"industry.hightech.{y}"] = min(f[f"industry.hightech.{y}"], 5)

    return Plant("planted-cn-criteria", "cn-yongkang-hardware", overrides={"area": 120.50},
                 on_figures=[figures], planted=[
        {"rule": "criteria.leading_share", "fields": ["industry.leading_share.Y3"]},
        {"rule": "criteria.area", "fields": ["basic.area_km2"]},
        {"rule": "criteria.quality_smes", "fields": ["industry.champions.Y3", "industry.little_giants.Y3",
                                                     "industry.specialized.Y3", "industry.hightech.Y3"]},
    ])


def _gd_criteria() -> Plant:
    """广东: patent growth below 15%, patents per 10,000 below 15, SME share exactly 70% (高于70%)."""
    def figures(fig):
        f, ys = fig["fields"], fig["years"]
        f["innovation.patent_growth"] = 12.00
        f["innovation.sme_patents"] = int(math.floor(f["innovation.sme_employees"] * 14.2 / 10000))
        f[f"industry.sme_share.{ys[2]}"] = 70.00

    return Plant("planted-gd-criteria", "gd-yangjiang-knives", on_figures=[figures], planted=[
        {"rule": "criteria.patent_growth", "fields": ["innovation.patent_growth"]},
        {"rule": "criteria.patents_per_10k", "fields": ["innovation.patents_per_10k"]},
        {"rule": "criteria.sme_share", "fields": ["industry.sme_share.Y3"]},
    ])


def _gx_evidence() -> Plant:
    """广西: a ticked claim with no supporting file, a 统计局 certificate stating another Y2
    总产值 than the form, and a 会议通知 that backs nothing."""
    def evidence(plan, fields):
        y2 = plan_year(fields, 2)
        plan["stated"][f"industry.total_output.{y2}"] = r2(fields[f"industry.total_output.{y2}"] - 1.35)
        plan["skip"].add(MISSING_CLAIM)
        plan["kinds"].append("meeting_notice_docx")

    def form(fields, extra):
        group, _, label = MISSING_CLAIM.partition(":")
        if label not in fields[group]:
            fields[group] = [lb for lb in GROUPS[group][1] if lb in fields[group] or lb == label]

    return Plant("planted-gx-evidence", "gx-rongxian-furniture", on_form=[form], on_evidence=[evidence], planted=[
        {"rule": "evidence.missing", "fields": [MISSING_CLAIM.partition(":")[0]]},
        {"rule": "evidence.value", "fields": ["industry.total_output.Y2"]},
        {"rule": "evidence.unrelated", "fields": []},
    ])


def _cn_evidence() -> Plant:
    """全国: 国家 public-service demonstration platform ticked but the file shows a 省级 one (so
    the 国家 claim has no evidence and the file backs nothing the form claims), and an
    enterprise list with one 专精特新 enterprise fewer than the form counts."""
    nat = "governance.platforms:建设或引入国家中小企业公共服务示范平台"
    prov = "governance.platforms:建设或引入省级中小企业公共服务示范平台"

    def form(fields, extra):
        labels = GROUPS["governance.platforms"][1]
        chosen = (set(fields["governance.platforms"]) | {nat.partition(":")[2]}) - {prov.partition(":")[2]}
        fields["governance.platforms"] = [lb for lb in labels if lb in chosen]

    def evidence(plan, fields):
        y3 = plan_year(fields, 3)
        plan["kinds"] += ["enterprise_xlsx", "platform_provincial_docx"]
        plan["skip"].add(nat)
        plan["stated"][f"industry.specialized.{y3}"] = fields[f"industry.specialized.{y3}"] - 1

    return Plant("planted-cn-evidence", "cn-yongkang-hardware", on_form=[form], on_evidence=[evidence], planted=[
        {"rule": "evidence.missing", "fields": ["governance.platforms"]},
        {"rule": "evidence.unrelated", "fields": []},
        {"rule": "evidence.value", "fields": ["industry.specialized.Y3"]},
    ])


MISSING_CLAIM = "industry.brand:获得集体商标、地理标志产品批准认证或证明商标通过注册"


def plan_year(fields: Fields, n: int) -> int:
    """The n-th reporting year (1-based), read off the yearly field ids."""
    ys = sorted({int(k.rsplit(".", 1)[1]) for k in fields if k.startswith("industry.total_output.")})
    return ys[n - 1]


PLANTED: list[Plant] = [_gz_arithmetic(), _gd_cagr(), _gx_plan(), _gs_form(), _cn_blanks(), _gz_criteria(),
                        _gx_criteria(), _gs_criteria(), _cn_criteria(), _gd_criteria(), _gx_evidence(),
                        _cn_evidence()]


def planted_plants(only: list[str] | None = None) -> list[Plant]:
    return [p for p in PLANTED if not only or p.id in only]
