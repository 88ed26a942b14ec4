"""Declaration: declaration.unsigned, declaration.unsealed."""
from __future__ import annotations

from pipeline.model import Extraction
from pipeline.model.profiles import Profile

from .dossier import Certainty, Facts
from .registry import rule

SCANNED = ("pdf", "scan", "image")


def _mark(ext: Extraction, fid: str, rule_id: str, what: str, ask: str):
    d = Facts(ext)
    fv = d.fv(fid)
    if fv is None:
        if not ext.has_form:
            return []
        # on a page image the region may simply not have been found: an expert looks
        c = Certainty().require(d.form_format() not in SCANNED, "申报表为扫描件或PDF，该区域可能未被识别，请对照原件核对")
        return [d.finding(rule_id, [fid], f"未能在申报表中找到“九、真实性声明”部分的{what}。",
                          expected=True, actual=None, question=ask, certainty=c)]
    if not d.readable(fid) or fv.value is not False:
        return []           # present, or doubtful (field.unreadable reports it)
    return [d.finding(rule_id, [fid], f"真实性声明没有{what}。", expected=True, actual=False, question=ask)]


@rule("declaration.unsigned")
def declaration_unsigned(ext: Extraction, profile: Profile):
    return _mark(ext, "declaration.signed", "declaration.unsigned", "单位负责人签字",
                 "真实性声明缺少单位负责人签字，请补签后重新提交。")


@rule("declaration.unsealed")
def declaration_unsealed(ext: Extraction, profile: Profile):
    return _mark(ext, "declaration.sealed", "declaration.unsealed", "申报单位公章",
                 "真实性声明缺少县（市、区）工信部门或开发区管委会公章，请加盖公章后重新提交。")
