"""Assemble one dossier: draw its values, write the form and evidence, return expected JSON."""
from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

from .catalog import GROUPS, NARRATIVES
from .clusters import PROFILES
from .evidence import NEEDS, READABLE_BACKS, write_evidence
from .evidence_book import write_books
from .figures import check_figures, gen_figures
from .form import FormWriter
from .images import seal_png, signature_png
from .texts import build_context, narratives, plan_paragraphs, plan_targets, recommendation

SEED = 20240601
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉力兰玉萍红飞鹏宇浩凯健俊峰雪琳晨欣")
NUM_UNIT = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%|件|家|个|亿元|万元|吨/万元|吨标准煤/万元|人次|吨二氧化碳/万元)?$")


def rng_for(dossier_id: str, salt: str = "") -> random.Random:
    h = hashlib.sha256(f"{SEED}:{dossier_id}:{salt}".encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def phone(rng: random.Random, area: str, mobile: bool | None = None) -> str:
    if mobile is None:
        mobile = rng.random() < 0.5
    if mobile:
        return f"1{rng.choice(['35', '39', '58', '87', '38', '82', '51'])}{rng.randint(10000000, 99999999)}"
    n = 7 if area in ("0932", "0775", "0662", "0319") else 8
    return f"{area}-{rng.randint(10 ** (n - 1) * 2, 10 ** n - 1)}"


def cell_value(s: str):
    """Expected-JSON reading of a target-table cell: a number with an optional unit becomes a float."""
    m = NUM_UNIT.match(s.strip())
    return float(m.group(1)) if m else s


def choose_multi(rng: random.Random, gid: str, forced: set[str], empty: bool) -> list[str]:
    labels = GROUPS[gid][1]
    if empty:
        chosen = set()
    else:
        chosen = {lb for lb in labels if rng.random() < 0.62}
        if not chosen:
            chosen = {rng.choice(labels)}
    chosen |= {lb for lb in labels if f"{gid}:{lb}" in forced}
    return [lb for lb in labels if lb in chosen]


def build_dossier(p: dict, out: Path, plant=None) -> dict:
    """Write one dossier and return its expected JSON.  ``plant`` (see planted.py) plants
    problems: figures changed consistently before the texts are written, cells, ticks, texts
    and pictures changed as an applicant would have filled them, and the expected JSON told."""
    fig = gen_figures(rng_for(p["id"], "figures"), p)
    f = fig["fields"]
    ys = fig["years"]
    problems = check_figures(f, ys, p["issuer"])
    assert not problems, (p["id"], problems)
    if plant is not None:
        plant.figures(fig)
    app_year = ys[2] + 1

    # ---- people, dates -----------------------------------------------------------------
    prs = rng_for(p["id"], "people")
    a_contact, o_contact = person(prs), person(prs)
    a_phone = phone(prs, p["area_code"], mobile=False)
    o_phone = phone(prs, p["area_code"])
    month = prs.randint(3, 5)
    day = prs.randint(6, 20)
    decl_date = f"{app_year}年{month}月{day}日"
    cover_date = decl_date if prs.random() < 0.5 else f"{app_year}年{month}月"
    rec_date = f"{app_year}年{month}月{day + prs.randint(3, 8)}日"
    contact_sep = prs.choice([" ", "，", "  ", "/"])
    cover_contact = f"{a_contact}{contact_sep}{phone(prs, p['area_code'], mobile=True)}"

    # ---- choices -----------------------------------------------------------------------
    forced = {NEEDS[k] for k in p["evidence"] if k in NEEDS}
    crng = rng_for(p["id"], "choices")
    fields: dict = {}
    fields.update({
        "cover.cluster_name": p["cluster_name"], "cover.city": p["city"], "cover.county": p["county"],
        "cover.applicant": p["applicant"], "cover.operator": p["operator"], "cover.date": cover_date,
        "cover.contact": cover_contact,
        "basic.cluster_name": p["cluster_name"], "basic.applicant": p["applicant"],
        "basic.applicant_contact": a_contact, "basic.applicant_phone": a_phone,
        "basic.operator": p["operator"], "basic.operator_contact": o_contact, "basic.operator_phone": o_phone,
        "basic.area_km2": p["area"], "basic.industry_type": p["industry_type"],
        "basic.not_prohibited": "是", "basic.no_accidents": "是", "basic.no_violations": "是",
        "basic.energy_efficiency": p["energy_eff"], "basic.water_efficiency": p["water_eff"],
        "basic.provincial_cluster": p["provincial"],
        "industry.chain_map": "是" if "industry.chain_map:是" in forced or crng.random() < 0.75 else "否",
        "digital.software_rising": "是",
        "green.carbon_monitoring": "是" if "green.carbon_monitoring:是" in forced or crng.random() < 0.7 else "否",
        "green.waste_above_avg": p["waste_avg"], "green.water_above_avg": p["water_avg"],
    })
    multis = [g for g, (kind, _, _) in GROUPS.items() if kind == "multi"]
    empty_groups = set(crng.sample(["open.activities", "green.resource_measures", "digital.newmodes",
                                    "industry.brand", "green.services"], k=crng.randint(0, 2)))
    empty_groups -= {g for g in multis if any(x.startswith(g + ":") for x in forced)}
    for g in multis:
        fields[g] = choose_multi(crng, g, forced, g in empty_groups)

    # ---- figures and texts -------------------------------------------------------------
    fields.update(f)
    trng = rng_for(p["id"], "texts")
    ctx = build_context(trng, p, fig)
    fields.update(narratives(trng, ctx, p))
    targets = plan_targets(rng_for(p["id"], "targets"), p, fig)
    plan = plan_paragraphs(trng, ctx, targets, fig)
    order = ["intro", "results", "problems", "approach", "goals", "stage1", "stage2", "stage3", "tasks", "safeguards"]
    fields["plan.text"] = "\n".join(t for k in order for t in plan[k])
    fields["plan.targets"] = [
        {"direction": r["direction"], "indicator": r["indicator"], "baseline": cell_value(r["baseline"]),
         "target": cell_value(r["target"])}
        for r in targets if r["baseline"] or r["target"]]
    fields["declaration.signed"] = True
    fields["declaration.sealed"] = True
    fields["declaration.date"] = decl_date
    fields["recommendation.text"] = recommendation(trng, ctx)
    fields["recommendation.sealed"] = True

    # ---- images and the form -----------------------------------------------------------
    irng = rng_for(p["id"], "images")
    extra = dict(
        years=ys, plan=plan, targets=targets, rec_date=rec_date,
        cover_underline=irng.random() < 0.5,
        signature=signature_png(irng), seal_applicant=seal_png(p["applicant"], irng),
        seal_recommender=seal_png(p["rec_unit"], irng),
    )
    if plant is not None:
        plant.form(fields, extra)
    writer = FormWriter(p, fields, extra, rng_for(p["id"], "form"))
    docx_bytes = writer.build()
    ddir = out / "dossiers" / p["id"]
    ddir.mkdir(parents=True, exist_ok=True)
    for old in ddir.iterdir():
        old.unlink()
    (ddir / p["form_file"]).write_bytes(docx_bytes)

    # ---- evidence ----------------------------------------------------------------------
    ev = []
    erng = rng_for(p["id"], "evidence")
    ev_date = f"{app_year}年{month}月{max(1, day - erng.randint(2, 5))}日"
    plan = {"kinds": list(p["evidence"]), "skip": set(), "stated": {}}
    if plant is not None:
        plant.evidence(plan, fields)
    for kind in plan["kinds"]:
        name, data, meta = write_evidence(kind, p, fields, ys, erng, ev_date, plan["stated"])
        (ddir / name).write_bytes(data)
        ev.append(meta)
    # the 佐证材料汇编: a section for every ticked (证) claim no other readable file backs
    backed = set().union(*(READABLE_BACKS.get(k, set()) for k in plan["kinds"]))
    for name, data, meta in write_books(p, fields, ys, rng_for(p["id"], "evidence-book"), backed | plan["skip"]):
        (ddir / name).write_bytes(data)
        ev.append(meta)

    layout = list(p["layout"])
    if ys[0] == 2020:
        layout.append("years_2020_2022")
    if "cover_table" not in layout:
        layout.append("cover_paragraphs")
    layout = list(dict.fromkeys(layout))
    expected = {
        "dossier_id": p["id"],
        "form_file": p["form_file"],
        "issuer": p["issuer"],
        "application_year": app_year,
        "reporting_years": ys,
        "variant": {"tick_encodings": writer.ticker.used, "layout": layout,
                    "extra_blank_rows": writer.blank_rows_done},
        "fields": order_fields(fields, ys),
        "planted": [],
        "evidence": ev,
    }
    if plant is not None:
        plant.expected(expected)
    return expected


def field_order(ys: list[int]) -> list[str]:
    """Every field id the form holds, in catalogue order, with real years."""
    from .catalog import LEVELS, ROLES
    ids = ["cover.cluster_name", "cover.city", "cover.county", "cover.applicant", "cover.operator", "cover.date",
           "cover.contact", "basic.cluster_name", "basic.applicant", "basic.applicant_contact", "basic.applicant_phone",
           "basic.operator", "basic.operator_contact", "basic.operator_phone", "basic.area_km2", "basic.industry_type",
           "basic.not_prohibited", "basic.no_accidents", "basic.no_violations", "basic.energy_efficiency",
           "basic.water_efficiency", "basic.provincial_cluster"]
    for k in ("total_output", "sme_share", "leading_share", "leading_growth"):
        ids += [f"industry.{k}.{y}" for y in ys]
    ids.append("industry.leading_cagr")
    for k in ("enterprises", "smes", "specialized", "little_giants", "champions", "hightech"):
        ids += [f"industry.{k}.{y}" for y in ys]
    ids += ["industry.chain_map", "industry.chain_text", "industry.risk_text", "industry.sharing_text",
            "industry.sharing", "industry.synergy_text", "industry.brand_text", "industry.brand"]
    ids += [f"innovation.rd_intensity.{y}" for y in ys] + [f"innovation.rd_growth.{y}" for y in ys]
    ids += [f"innovation.standards.{y}.{lv}.{r}" for y in ys for lv, _ in LEVELS for r, _ in ROLES]
    for k in ("national", "provincial", "other"):
        ids += [f"innovation.platforms_{k}.count", f"innovation.platforms_{k}.names"]
    ids += ["innovation.sme_employees", "innovation.rd_staff_ratio", "innovation.patent_growth",
            "innovation.patents_per_10k", "innovation.sme_patents", "innovation.text", "innovation.measures",
            "digital.cloud_ratio", "digital.iiot_rate", "digital.software_rising"]
    ids += [f"digital.software_spend.{y}" for y in ys]
    ids += ["digital.service_text", "digital.services", "digital.newmode_text", "digital.newmodes",
            "green.carbon_monitoring"] + [f"green.co2_intensity.{y}" for y in ys]
    ids += ["green.carbon_text", "green.energy_reduction", "green.waste_utilization", "green.waste_above_avg",
            "green.water_reuse", "green.water_above_avg", "green.resource_text", "green.resource_measures",
            "green.service_text", "green.services", "open.text", "open.activities", "open.overseas_branches"]
    ids += [f"open.export_growth.{y}" for y in ys] + [f"open.fdi_growth.{y}" for y in ys]
    ids += ["governance.text", "governance.platforms", "governance.services", "governance.measures",
            "plan.text", "plan.targets", "declaration.signed", "declaration.sealed", "declaration.date",
            "recommendation.text", "recommendation.sealed"]
    return ids


def order_fields(fields: dict, ys: list[int]) -> dict:
    ids = field_order(ys)
    missing = [i for i in ids if i not in fields]
    extra = [k for k in fields if k not in ids]
    assert not missing and not extra, (missing, extra)
    assert all(n in fields for n in NARRATIVES)
    return {i: fields[i] for i in ids}


def all_profiles(only: list[str] | None = None) -> list[dict]:
    return [p for p in PROFILES if not only or p["id"] in only]
