"""Numbers for one dossier: mutually consistent the way a checker computes them from the
PRINTED (2-decimal) values, and clearing the issuer's criteria with a margin.
"""
from __future__ import annotations

import math
import random

from .catalog import LEVELS, ROLES
from .clusters import CRITERIA


def r2(x: float) -> float:
    return round(x + 0.0, 2)


def leading_outputs(total: list[float], share: list[float]) -> list[float]:
    return [t * s / 100 for t, s in zip(total, share)]


def _draw_output(rng: random.Random, p: dict, crit: dict, ys: list[int]) -> tuple[list, list, list, float, list]:
    """Total output, leading share, leading growth and CAGR that agree and clear the bars."""
    g_min = crit["growth"]
    for _ in range(200):
        total = [r2(p["output_base"])]
        for _y in ys[1:]:
            total.append(r2(total[-1] * (1 + rng.uniform(g_min + 4, g_min + 9) / 100)))
        s1 = rng.uniform(crit["lead"] + 5, crit["lead"] + 14)
        lead = [r2(s1)]
        for _y in ys[1:]:
            lead.append(r2(min(97.5, lead[-1] + rng.uniform(0.1, 1.6))))
        L = leading_outputs(total, lead)
        g0 = r2(rng.uniform(g_min + 4, g_min + 9))
        growth = [g0] + [r2((L[i] / L[i - 1] - 1) * 100) for i in (1, 2)]
        cagr = r2(((L[2] / L[0]) ** 0.5 - 1) * 100)
        if min(growth) > g_min + 2.5 and cagr > g_min + 3 and total[0] > crit["output"] * 1.08:
            return total, lead, growth, cagr, L
    raise RuntimeError("could not draw consistent output figures")  # pragma: no cover


def _output_fields(rng: random.Random, p: dict, crit: dict, ys: list[int], f: dict, aux: dict) -> None:
    total, lead, growth, cagr, L = _draw_output(rng, p, crit, ys)
    sme = [r2(rng.uniform(crit["sme"] + 5, min(96, crit["sme"] + 18)))]
    for _y in ys[1:]:
        sme.append(r2(min(97.8, max(crit["sme"] + 4, sme[-1] + rng.uniform(-0.8, 1.5)))))
    for i, y in enumerate(ys):
        f[f"industry.total_output.{y}"] = total[i]
        f[f"industry.sme_share.{y}"] = sme[i]
        f[f"industry.leading_share.{y}"] = lead[i]
        f[f"industry.leading_growth.{y}"] = growth[i]
    f["industry.leading_cagr"] = cagr
    aux["leading_output"] = [r2(x) for x in L]


_QUALITY_FIRST_YEAR = {   # (little giants, specialized, high-tech) ranges of the first year by criterion
    "1or10": ((2, 4), (12, 24), (20, 45)),
    "1or6": ((1, 2), (6, 12), (8, 20)),
    "8all": ((0, 1), (4, 8), (5, 10)),      # guizhou: all kinds together >= 8
}


def _enterprise_fields(rng: random.Random, p: dict, crit: dict, ys: list[int], f: dict, aux: dict) -> None:
    emp = p["employees"]
    ent0 = int(emp / rng.uniform(55, 95))
    if crit.get("enterprises"):
        ent0 = max(ent0, crit["enterprises"] * 3)
    ents, smes, spec, lg, champ, ht = [], [], [], [], [], []
    large = rng.randint(2, 7)
    e = ent0
    for i in range(3):
        if i:
            e = e + rng.randint(max(2, e // 25), max(4, e // 10))
        ents.append(e)
        smes.append(e - large - (1 if i == 2 and large < 6 else 0))
    q = crit["quality"]
    lg0, sp0, ht0 = (rng.randint(*r) for r in _QUALITY_FIRST_YEAR.get(q, _QUALITY_FIRST_YEAR["8all"]))
    for i in range(3):  # quality-SME counts never fall from one year to the next
        spec.append(sp0 if i == 0 else spec[-1] + rng.randint(1, 4))
        lg.append(lg0 + (1 if i == 2 and rng.random() < 0.6 else 0))
        champ.append(1 if (q == "1or10" and i == 2 and rng.random() < 0.5) else 0)
        ht.append(ht0 if i == 0 else ht[-1] + rng.randint(2, 6))
    for i, y in enumerate(ys):
        f[f"industry.enterprises.{y}"] = ents[i]
        f[f"industry.smes.{y}"] = smes[i]
        f[f"industry.specialized.{y}"] = spec[i]
        f[f"industry.little_giants.{y}"] = lg[i]
        f[f"industry.champions.{y}"] = champ[i]
        f[f"industry.hightech.{y}"] = ht[i]
        assert smes[i] <= ents[i] and max(spec[i], lg[i], champ[i], ht[i]) <= ents[i]
    aux["quality3"] = spec[2] + lg[2] + champ[2] + ht[2]


def _standards_count(rng: random.Random, lv: str, role: str, i: int) -> int:
    """Standards drafted in year i at one level and role."""
    if lv == "intl":
        return 1 if (role == "join" and i == 2 and rng.random() < 0.4) else 0
    if lv == "national":
        return rng.randint(0, 2) if role == "lead" else rng.randint(0, 3)
    if lv == "industry":
        return rng.randint(0, 3) if role == "lead" else rng.randint(1, 4)
    return rng.randint(1, 4) if role == "lead" else rng.randint(1, 5)


def _innovation_fields(rng: random.Random, p: dict, crit: dict, ys: list[int], f: dict) -> None:
    emp = p["employees"]
    for i, y in enumerate(ys):
        f[f"innovation.rd_intensity.{y}"] = r2(rng.uniform(1.6, 2.4) + i * rng.uniform(0.05, 0.3))
        f[f"innovation.rd_growth.{y}"] = r2(rng.uniform(crit["rd"] + 3, crit["rd"] + 10))
        for lv, _ in LEVELS:
            for role, _ in ROLES:
                f[f"innovation.standards.{y}.{lv}.{role}"] = _standards_count(rng, lv, role, i)
    for key, names in (("national", p["plat_nat"]), ("provincial", p["plat_prov"]), ("other", p["plat_other"])):
        f[f"innovation.platforms_{key}.count"] = len(names)
        f[f"innovation.platforms_{key}.names"] = "、".join(names) if names else "无"
    f["innovation.sme_employees"] = emp
    f["innovation.rd_staff_ratio"] = r2(rng.uniform(6, 14))
    f["innovation.patent_growth"] = r2(rng.uniform(crit["patent"] + 3, crit["patent"] + 11))
    per = rng.uniform(crit["per10k"] + 3, crit["per10k"] + 12)
    pats = int(math.ceil(emp * per / 10000))
    f["innovation.sme_patents"] = pats
    f["innovation.patents_per_10k"] = r2(pats / emp * 10000)


def _digital_fields(rng: random.Random, p: dict, crit: dict, ys: list[int], f: dict) -> None:
    f["digital.cloud_ratio"] = r2(rng.uniform(42, 78))
    f["digital.iiot_rate"] = r2(rng.uniform(crit["iiot"] + 3, min(26.5, crit["iiot"] + 12)))
    sw = rng.uniform(300, 1200) * p["output_base"] / 40
    for y in ys:
        f[f"digital.software_spend.{y}"] = r2(sw)
        sw *= 1 + rng.uniform(0.12, 0.35)


def _green_fields(rng: random.Random, p: dict, ys: list[int], f: dict, aux: dict) -> None:
    # magnitudes large enough that 2-decimal rounding keeps year-on-year falls and the plan's
    # -15% / -10% targets recognisable
    co2 = rng.uniform(1.2, 2.6) if p["energy_eff"] == "是" else rng.uniform(0.45, 1.2)
    for y in ys:
        f[f"green.co2_intensity.{y}"] = r2(co2)
        co2 = r2(co2) * (1 - rng.uniform(0.04, 0.09))
    assert f[f"green.co2_intensity.{ys[0]}"] > f[f"green.co2_intensity.{ys[1]}"] > f[f"green.co2_intensity.{ys[2]}"]
    f["green.energy_reduction"] = r2(rng.uniform(7, 16))
    f["green.waste_utilization"] = r2(rng.uniform(68, 96))
    f["green.water_reuse"] = r2(rng.uniform(72, 95))
    aux["energy_intensity"] = r2(rng.uniform(0.3, 0.7) * (2.2 if p["energy_eff"] == "是" else 1))


def _open_fields(rng: random.Random, p: dict, ys: list[int], f: dict) -> None:
    f["open.overseas_branches"] = rng.randint(1, 6) if p["issuer"] in ("national", "guangdong") else rng.randint(0, 3)
    for y in ys:
        f[f"open.export_growth.{y}"] = r2(rng.uniform(-6, 24))
        f[f"open.fdi_growth.{y}"] = r2(rng.uniform(-8, 18))


def gen_figures(rng: random.Random, p: dict) -> dict:
    """Return {field id: value} for every numeric field, plus '_aux' values used by texts.

    The sections draw from ``rng`` in a fixed order (output, enterprises, innovation, digital,
    green, open), so a seed always gives the same dossier.
    """
    crit = CRITERIA[p["issuer"]]
    ys = [p["y1"], p["y1"] + 1, p["y1"] + 2]
    f: dict = {}
    aux: dict = {}
    _output_fields(rng, p, crit, ys, f, aux)
    _enterprise_fields(rng, p, crit, ys, f, aux)
    _innovation_fields(rng, p, crit, ys, f)
    _digital_fields(rng, p, crit, ys, f)
    _green_fields(rng, p, ys, f, aux)
    _open_fields(rng, p, ys, f)
    return {"fields": f, "aux": aux, "years": ys}


def check_figures(f: dict, ys: list[int], issuer: str) -> list[str]:
    """Recompute every derived figure from the printed values; return problems (empty = ok)."""
    bad = []
    tot = [f[f"industry.total_output.{y}"] for y in ys]
    sh = [f[f"industry.leading_share.{y}"] for y in ys]
    L = leading_outputs(tot, sh)
    for i in (1, 2):
        g = round((L[i] / L[i - 1] - 1) * 100, 2)
        if abs(g - f[f"industry.leading_growth.{ys[i]}"]) > 0.0051:
            bad.append(f"growth {ys[i]}: {g} vs {f[f'industry.leading_growth.{ys[i]}']}")
    c = round(((L[2] / L[0]) ** 0.5 - 1) * 100, 2)
    if abs(c - f["industry.leading_cagr"]) > 0.0051:
        bad.append(f"cagr {c} vs {f['industry.leading_cagr']}")
    per = round(f["innovation.sme_patents"] / f["innovation.sme_employees"] * 10000, 2)
    if abs(per - f["innovation.patents_per_10k"]) > 0.0051:
        bad.append("per10k")
    crit = CRITERIA[issuer]
    for y in ys:
        if not f[f"industry.total_output.{y}"] > crit["output"]:
            bad.append("output")
        if not f[f"industry.sme_share.{y}"] > crit["sme"] or not f[f"industry.leading_share.{y}"] > crit["lead"]:
            bad.append("shares")
        if f[f"industry.smes.{y}"] > f[f"industry.enterprises.{y}"]:
            bad.append("smes")
        if f[f"innovation.rd_growth.{y}"] <= crit["rd"]:
            bad.append("rd")
    if f["industry.leading_cagr"] <= crit["growth"]:
        bad.append("growth criterion")
    if f["innovation.patent_growth"] < crit["patent"] or f["innovation.patents_per_10k"] < crit["per10k"]:
        bad.append("patents")
    if f["digital.iiot_rate"] < crit["iiot"]:
        bad.append("iiot")
    y3 = ys[2]
    q = crit["quality"]
    lg = f[f"industry.little_giants.{y3}"] + f[f"industry.champions.{y3}"]
    many = f[f"industry.specialized.{y3}"] + f[f"industry.hightech.{y3}"]
    if q == "1or10" and not (lg >= 1 or many >= 10) or q == "1or6" and not (lg >= 1 or many >= 6) \
            or q == "8all" and lg + many < 8:
        bad.append("quality")
    if crit.get("enterprises") and f[f"industry.enterprises.{y3}"] < crit["enterprises"]:
        bad.append("enterprises")
    return bad
