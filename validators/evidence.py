"""The form against its 佐证材料: evidence.missing, evidence.value, evidence.unrelated.

They read what the evidence linker left in ``extraction.evidence`` (one link per readable
evidence file: the claims it attests, the figures it states, and in ``detail`` the sentence,
page/paragraph/cell and reading confidence of each) and the files ``extraction.sources``
lists.  An error must be certain (``dossier.Certainty``):

- ``evidence.missing``: the linker reads concepts, so it can prove that a claim is *stated*, but
  absence only when the evidence never touches the claim's subject.  It is an ``error`` only
  when every evidence file was read (none unreadable, no text read below ``UNREADABLE_BELOW``,
  no malformed figure) and no sentence of any file names part of the claim (the linker's
  ``related`` sentences: some of the claim's concepts, or all of them but blocked by a level or
  an excluding word, or a candidate below the link threshold).  Otherwise it is a ``warning``
  naming the files and quoting the sentence that may hold it: an expert looks.
- ``evidence.value``: an error only for a figure read at full confidence, from a sentence read
  whole, paired with its year one-to-one (the linker's ``doubts`` on the reading say otherwise),
  allowing the rounding of both sides (each ± half a unit of its last written digit).
"""
from __future__ import annotations

import re

from pipeline.model import UNREADABLE_BELOW, EvidenceLink, Extraction, Finding
from pipeline.model.document import Source, _source_from
from pipeline.model.location import where
from pipeline.model.profiles import Profile
from pipeline.model.text import norm

from .dossier import Certainty, Facts, plain
from .registry import rule


def _ticked(d: Facts, fid: str, label: str) -> bool:
    v = d.value(fid)
    vals = v if isinstance(v, list) else [v] if v is not None else []
    return any(norm(str(x)) == norm(label) for x in vals)


def _attests(link: EvidenceLink, fid: str, label: str) -> bool:
    return any(norm(a) == norm(f"{fid}:{label}") for a in link.attests)


def _unreadable_evidence(ext: Extraction) -> list[str]:
    return [s.file for s in ext.sources if s.role == "unreadable"]


def _related(ext: Extraction, fid: str, label: str) -> list[tuple[str, dict]]:
    """(file, sentence record) of every evidence sentence that names part of the claim."""
    key = norm(f"{fid}:{label}")
    out = []
    for e in ext.evidence:
        detail = e.detail or {}
        for r in detail.get("related", []) + detail.get("below_threshold", []):
            if norm(r.get("claim", "")) == key:
                out.append((e.file, r))
    return out


def _unread_text(ext: Extraction) -> list[str]:
    """Evidence files that hold text the linker could not read whole (OCR below the bar,
    malformed figures): a claim or a figure may be in it."""
    return [e.file for e in ext.evidence if (e.detail or {}).get("unread")]


def _missing_certainty(ext: Extraction, fid: str, label: str) -> tuple[Certainty, list]:
    related = _related(ext, fid, label)
    c = Certainty().files_readable(_unreadable_evidence(ext))
    unread = _unread_text(ext)
    c.require(not unread, "、".join(f"《{n}》" for n in unread) + "中有未能完整识别的内容")
    if related:
        f, r = related[0]
        c.require(False, f"《{f}》{where(r.get('source'))}有相关表述，未能确认是否证明该项：“{r.get('sentence', '')[:60]}”")
    return c, related


@rule("evidence.missing")
def evidence_missing(ext: Extraction, profile: Profile) -> list[Finding]:
    """A ticked (证) option (or 是) that no evidence file attests."""
    d = Facts(ext)
    if not ext.has_form:
        return []
    unreadable = _unreadable_evidence(ext)
    out = []
    for fid, label in d.cat.evidence_claims():
        if not _ticked(d, fid, label) or any(_attests(e, fid, label) for e in ext.evidence):
            continue
        group = d.cat.base(fid).label
        shown = f"选择了“{label}”" if d.cat.base(fid).type == "choice" else f"勾选了“{label}”"
        c, related = _missing_certainty(ext, fid, label)
        detail = {"claim": f"{fid}:{label}", "option": label}
        if unreadable:
            detail["unreadable_files"] = unreadable
        if related:
            detail["related"] = [{"file": f, "sentence": r.get("sentence", ""), "source": r.get("source")}
                                 for f, r in related[:3]]
        ask = (f"请提供可读取的“{label}”佐证材料（{'、'.join(f'《{n}》' for n in unreadable)}无法读取）。"
               if unreadable else
               f"请补充“{label}”的佐证材料（如认定文件、证书、协议或工作记录），或说明勾选依据。")
        out.append(d.finding(
            "evidence.missing", [fid],
            f"「{group}」{shown}，表格注明勾选需提供佐证材料，但所附佐证材料中未能找到证明该项的内容"
            f"（共核对{len(ext.evidence)}份可读取的佐证材料）。",
            expected="佐证材料", actual=None, question=ask, detail=detail, certainty=c))
    return out


def _misaligned(r: dict) -> bool:
    p = r.get("paired")
    return bool(p) and p[0] != p[1]


def _readings(link: EvidenceLink) -> list[dict]:
    """The figures of one link with where each was read (detail), else the bare values."""
    rs = link.detail.get("values") if link.detail else None
    if rs:
        return [r for r in rs if r.get("field") in link.values or r.get("field") in link.attests
                or not r.get("whole", True) or _misaligned(r)]
    return [{"field": k, "value": v, "step": 0.0, "confidence": link.confidence, "raw": plain(v)}
            for k, v in link.values.items()]


@rule("evidence.value")
def evidence_value(ext: Extraction, profile: Profile) -> list[Finding]:
    """A figure stated in evidence that differs from the form's value for the same field and year."""
    d = Facts(ext)
    out = []
    for link in ext.evidence:
        done: set[str] = set()
        for r in _readings(link):
            fid = r["field"]
            form = d.number(fid)
            if form is None or fid in done:
                continue
            ev = float(r["value"])
            step = float(r.get("step") or 0.0)
            if d.spec(fid).type == "int":       # counts are exact, unless the evidence rounds (2.3万人)
                tol = step / 2 if step > 1 else 0.0
            else:                               # each side known to half a unit of its last digit
                tol = d.half(fid) + step / 2
            if abs(ev - form) <= tol + 1e-9:
                continue
            done.add(fid)
            unit = d.spec(fid).unit or ""
            lab = re.sub(rf"[（(]{re.escape(unit)}[)）]$", "", d.label(fid)) if unit else d.label(fid)
            loc = where(r.get("source"))
            quote = r.get("sentence", "")
            conf = float(r.get("confidence", 1.0))
            c = Certainty().require(conf >= UNREADABLE_BELOW,
                                    f"佐证材料中该数值的识别置信度为{conf:.2f}，低于{UNREADABLE_BELOW}")
            c.whole(r.get("whole", True), quote)
            if r.get("paired"):
                c.aligned(*r["paired"])
            msg = (f"「{lab}」申报表填报{d.written(fid)}{unit}，佐证材料《{link.file}》{loc}载明"
                   f"{r.get('raw', plain(ev))}（折合{plain(round(ev, 4))}{unit}），两者不一致"
                   f"（容差±{plain(round(tol, 6))}{unit}）。" + (f"原文：“{quote}”" if quote else ""))
            src = _source_from(r.get("source")) or Source(link.file)
            f = d.finding("evidence.value", [fid], msg, expected=round(ev, 6), actual=form, tolerance=round(tol, 6),
                          question=f"请说明「{lab}」申报表填报{d.written(fid)}{unit}与《{link.file}》载明的"
                                   f"{r.get('raw', plain(ev))}不一致的原因，并更正申报表或补充说明。",
                          detail={"evidence_file": link.file, "evidence_raw": r.get("raw"),
                                  "sentence": quote, "confidence": r.get("confidence", 1.0)}, certainty=c)
            f.sources = [src] + f.sources
            out.append(f)
    return out


@rule("evidence.unrelated")
def evidence_unrelated(ext: Extraction, profile: Profile) -> list[Finding]:
    """A readable supporting file that matches no claim the form makes."""
    d = Facts(ext)
    if not ext.has_form:
        return []
    out = []
    for link in ext.evidence:
        if link.attests:
            continue
        unticked = [c["claim"] for c in link.detail.get("unticked_claims", [])] if link.detail else []
        if unticked:
            opts = "、".join(f"“{c.partition(':')[2]}”" for c in unticked[:3])
            msg = (f"佐证材料《{link.file}》所证明的事项（{opts}）在申报表中未勾选，"
                   f"与申报表勾选的事项和填报的数据均不对应。")
            q = f"《{link.file}》证明{opts}，但申报表未勾选该项；请说明该材料佐证的内容，或更正申报表的勾选。"
        else:
            msg = f"佐证材料《{link.file}》与申报表勾选的事项和填报的数据均不对应，未能确定其佐证内容。"
            q = f"请说明《{link.file}》佐证的是申报表的哪一项内容；与申报无关的材料请移出。"
        f = d.finding("evidence.unrelated", [], msg, expected="佐证申报表中的某一勾选项或数据", actual=None,
                      question=q, detail={"evidence_file": link.file, "unticked_claims": unticked})
        f.sources = [Source(link.file)]
        out.append(f)
    return out
