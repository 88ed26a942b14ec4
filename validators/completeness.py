"""Form completeness and format: field.missing, field.unreadable, field.bad_number, format.decimals, choice.none, choice.multiple, text.too_long."""
from __future__ import annotations

from pipeline.model import Extraction, UNREADABLE_BELOW
from pipeline.model.profiles import Profile
from pipeline.model.text import char_count

from .arithmetic import FORM_DECIMALS, decimals_written
from .dossier import Facts, plain
from .registry import rule

NOTE_WHY = {
    "label_not_found": "未在申报表中找到该栏目",
    "options_not_found": "未找到该栏目的勾选框",
    "bad_number": "内容不是有效数字",
}


def _why(note: str | None) -> str:
    if not note:
        return ""
    if note.startswith("unknown_glyph"):
        return f"；勾选符号无法辨认（{note.split(':', 1)[1].strip()}）"
    return f"；{NOTE_WHY.get(note, note)}"


@rule("field.unreadable")
def field_unreadable(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv in ext.fields.items():
        if fv.confidence >= UNREADABLE_BELOW:
            continue
        shown = "未能读出" if fv.value is None else f"读作“{fv.raw if fv.raw else plain(fv.value)}”"
        out.append(d.finding(
            "field.unreadable", [fid],
            f"「{d.label(fid)}」识别置信度为{fv.confidence:.2f}（低于{UNREADABLE_BELOW}），{shown}{_why(fv.note)}。"
            f"请对照原件核对；依赖该值的核查暂不作结论。",
            expected=f"置信度≥{UNREADABLE_BELOW}", actual=round(float(fv.confidence), 4),
            detail={"confidence": round(float(fv.confidence), 4), "note": fv.note, "value": fv.value}))
    return out


@rule("field.missing")
def field_missing(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in d.each():
        if not cf.spec.required or not d.readable(fid):
            continue
        empty = (fv.value is None and fv.note in (None, "empty")) or fv.value == [] and cf.type == "list"
        if not empty:
            continue
        lab = d.label(fid)
        out.append(d.finding(
            "field.missing", [fid],
            f"「{lab}」未填写。填报说明第2条：各必填栏目不得空缺，无相关情况时应填写“无”。",
            expected="已填写（或“无”）", actual=None,
            question=f"请补填「{lab}」；如无相关情况，请填写“无”。"))
    return out


@rule("field.bad_number")
def field_bad_number(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in d.each():
        if fv.note != "bad_number" or not d.readable(fid):
            continue
        kind = "整数" if cf.type == "int" else "数字"
        unit = f"（单位：{cf.unit}）" if cf.unit else ""
        lab = d.label(fid)
        out.append(d.finding(
            "field.bad_number", [fid],
            f"「{lab}」填报为“{fv.raw}”，不是一个{kind}{unit}，无法参与核算。",
            expected=kind, actual=fv.raw,
            question=f"请将「{lab}」填写为{kind}{unit}。"))
    return out


@rule("format.decimals")
def format_decimals(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in d.each("number"):
        if d.number(fid) is None:
            continue
        places = decimals_written(fv.raw, fv.value)
        if places <= FORM_DECIMALS:
            continue
        lab = d.label(fid)
        out.append(d.finding(
            "format.decimals", [fid],
            f"「{lab}」填报为{fv.raw or plain(fv.value)}，保留了{places}位小数；填报说明第2条要求保留小数点后2位。",
            expected=round(float(fv.value), FORM_DECIMALS), actual=fv.value, tolerance=0,
            question=f"请按填报说明保留2位小数填写「{lab}」。",
            detail={"decimals": places}))
    return out


def _choices(d: Facts):
    return ((fid, fv, cf) for fid, fv, cf in d.each("choice") if d.readable(fid))


@rule("choice.none")
def choice_none(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in _choices(d):
        if fv.value is not None or fv.note not in (None, "choice.none"):
            continue
        opts = "、".join(o.label for o in cf.spec.options)
        lab = d.label(fid)
        out.append(d.finding(
            "choice.none", [fid],
            f"「{lab}」为单选项（{opts}），但没有勾选任何一项。",
            expected="勾选一项", actual=[],
            question=f"请在「{lab}」中勾选一项（{opts}）。"))
    return out


@rule("choice.multiple")
def choice_multiple(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in _choices(d):
        if not isinstance(fv.value, list) or len(fv.value) < 2:
            continue
        lab = d.label(fid)
        ticked = "、".join(fv.value)
        out.append(d.finding(
            "choice.multiple", [fid],
            f"「{lab}」为单选项，却同时勾选了{len(fv.value)}项（{ticked}）。",
            expected="勾选一项", actual=list(fv.value),
            question=f"「{lab}」同时勾选了“{ticked}”，请说明实际情况并只保留一项。"))
    return out


@rule("text.too_long")
def text_too_long(ext: Extraction, profile: Profile):
    d = Facts(ext)
    out = []
    for fid, fv, cf in d.each("text"):
        text = d.value(fid)
        if not cf.spec.limit:
            continue
        if not isinstance(text, str):
            continue
        n, limit = char_count(text), int(cf.spec.limit)
        if n <= limit:
            continue
        lab = d.label(fid)
        out.append(d.finding(
            "text.too_long", [fid],
            f"「{lab}」共{n}字（不计空白），超过表格规定的{limit}字以内。",
            expected=limit, actual=n, tolerance=0,
            question=f"请将「{lab}」压缩到{limit}字以内。"))
    return out
