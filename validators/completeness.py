"""Form completeness and format: field.missing, field.unreadable, field.bad_number, format.decimals, choice.none, choice.multiple, text.too_long.

Each of these looks at one field at a time: ``_per_field`` turns a function of one field
(returning a finding or None) into a rule over every field of the given types.
"""
from __future__ import annotations

from typing import Callable, Optional

from pipeline.model import UNREADABLE_BELOW, Extraction, FieldValue, Finding
from pipeline.model.catalogue import ConcreteField
from pipeline.model.notes import note_text
from pipeline.model.profiles import Profile
from pipeline.model.text import char_count

from .arithmetic import FORM_DECIMALS, decimals_written
from .dossier import Certainty, Facts, plain
from .registry import rule

OneField = Callable[[Facts, str, FieldValue, ConcreteField], Optional[Finding]]


def _per_field(rule_id: str, *types: str, readable: bool = True):
    """Register ``fn(facts, id, value, entry)`` as the rule over every field of ``types``
    (only those read with confidence, unless ``readable`` is False)."""
    def deco(fn: OneField):
        def check(ext: Extraction, profile: Profile) -> list[Finding]:
            d = Facts(ext)
            found = (fn(d, fid, fv, cf) for fid, fv, cf in d.each(*types) if not readable or d.readable(fid))
            return [f for f in found if f is not None]
        check.__name__ = check.__qualname__ = fn.__name__
        check.__doc__ = fn.__doc__
        return rule(rule_id)(check)
    return deco


def _why(note: str | None) -> str:
    text = note_text(note)
    return f"；{text}" if text else ""


@_per_field("field.unreadable", readable=False)
def field_unreadable(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A value read with less confidence than UNREADABLE_BELOW: named with its confidence."""
    if fv.confidence >= UNREADABLE_BELOW:
        return None
    shown = "未能读出" if fv.value is None else f"读作“{fv.raw if fv.raw else plain(fv.value)}”"
    return d.finding(
        "field.unreadable", [fid],
        f"「{d.label(fid)}」识别置信度为{fv.confidence:.2f}（低于{UNREADABLE_BELOW}），{shown}{_why(fv.note)}。"
        f"请对照原件核对；依赖该值的核查暂不作结论。",
        expected=f"置信度≥{UNREADABLE_BELOW}", actual=round(float(fv.confidence), 4),
        detail={"confidence": round(float(fv.confidence), 4), "note": fv.note, "value": fv.value})


@_per_field("field.missing")
def field_missing(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A required cell left empty (a written 无 is an answer)."""
    empty = (fv.value is None and fv.note in (None, "empty")) or (fv.value == [] and cf.type == "list")
    if not cf.spec.required or not empty:
        return None
    lab = d.label(fid)
    return d.finding(
        "field.missing", [fid],
        f"「{lab}」未填写。填报说明第2条：各必填栏目不得空缺，无相关情况时应填写“无”。",
        expected="已填写（或“无”）", actual=None,
        question=f"请补填「{lab}」；如无相关情况，请填写“无”。", certainty=_section_read(d, cf))


def _section_read(d: Facts, cf: ConcreteField) -> Certainty:
    """An empty cell is certain only where its section was read: every other required field
    of the section was found (else the section's structure was not understood, and the text
    may sit where the reader did not look)."""
    lost = [s for s in d.cat.specs if s.section == cf.spec.section and s.required and s.id != cf.spec.id
            and not s.yearly and s.id not in d.ext.fields]
    names = "、".join(f"「{s.get('title') or s.label}」" for s in lost[:3])
    return Certainty().require(not lost, f"同一部分的{names}未能找到，该部分可能未完整识别")


@_per_field("field.bad_number")
def field_bad_number(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A numeric cell whose text is not a number of its kind."""
    if fv.note != "bad_number":
        return None
    kind = "整数" if cf.type == "int" else "数字"
    unit = f"（单位：{cf.unit}）" if cf.unit else ""
    lab = d.label(fid)
    return d.finding(
        "field.bad_number", [fid],
        f"「{lab}」填报为“{fv.raw}”，不是一个{kind}{unit}，无法参与核算。",
        expected=kind, actual=fv.raw,
        question=f"请将「{lab}」填写为{kind}{unit}。")


@_per_field("format.decimals", "number")
def format_decimals(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """More than the 2 decimals the 填报说明 asks for."""
    if d.number(fid) is None:
        return None
    places = decimals_written(fv.raw, fv.value)
    if places <= FORM_DECIMALS:
        return None
    lab = d.label(fid)
    return d.finding(
        "format.decimals", [fid],
        f"「{lab}」填报为{fv.raw or plain(fv.value)}，保留了{places}位小数；填报说明第2条要求保留小数点后2位。",
        expected=round(float(fv.value), FORM_DECIMALS), actual=fv.value, tolerance=0,
        question=f"请按填报说明保留2位小数填写「{lab}」。",
        detail={"decimals": places})


@_per_field("choice.none", "choice")
def choice_none(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A single-choice group with no box ticked (an unreadable tick is field.unreadable)."""
    if fv.value is not None or fv.note not in (None, "choice.none"):
        return None
    opts = "、".join(o.label for o in cf.spec.options)
    lab = d.label(fid)
    return d.finding(
        "choice.none", [fid],
        f"「{lab}」为单选项（{opts}），但没有勾选任何一项。",
        expected="勾选一项", actual=[],
        question=f"请在「{lab}」中勾选一项（{opts}）。")


@_per_field("choice.multiple", "choice")
def choice_multiple(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A single-choice group with more than one box ticked."""
    if not isinstance(fv.value, list) or len(fv.value) < 2:
        return None
    lab = d.label(fid)
    ticked = "、".join(map(str, fv.value))
    return d.finding(
        "choice.multiple", [fid],
        f"「{lab}」为单选项，却同时勾选了{len(fv.value)}项（{ticked}）。",
        expected="勾选一项", actual=list(fv.value),
        question=f"「{lab}」同时勾选了“{ticked}”，请说明实际情况并只保留一项。")


# characters: a narrative read below the bar is still over its limit when it is over by more than
# this — a scan's doubts are substitutions (the count stands) or characters lost (the paper holds
# more); the recogniser adds one seldom (引引 for 引, once in a held-out set)
TOO_LONG_READ_MARGIN = 10


@_per_field("text.too_long", "text", readable=False)
def text_too_long(d: Facts, fid: str, fv: FieldValue, cf: ConcreteField):
    """A narrative over its printed limit (200字, plan 3000字), white space not counted.  A
    reading below the bar (a doubtful character or mark in it) counts when it is over by more
    than ``TOO_LONG_READ_MARGIN``; the finding then says the reading is doubtful (a warning) —
    a 。 read at 0.45 had hidden a planted over-long narrative (devcorpus D101-011)."""
    text = fv.value
    if not cf.spec.limit or not isinstance(text, str):
        return None
    n, limit = char_count(text), int(cf.spec.limit)
    if n <= limit or (fv.confidence < UNREADABLE_BELOW and n - limit <= TOO_LONG_READ_MARGIN):
        return None
    lab = d.label(fid)
    return d.finding(
        "text.too_long", [fid],
        f"「{lab}」共{n}字（不计空白），超过表格规定的{limit}字以内。"
        + (f"该栏识别置信度为{fv.confidence:.2f}，字数按识别结果计，超出{n - limit}字，个别字的误识不改变结论。"
           if fv.confidence < UNREADABLE_BELOW else ""),
        expected=limit, actual=n, tolerance=0,
        question=f"请将「{lab}」压缩到{limit}字以内。")
