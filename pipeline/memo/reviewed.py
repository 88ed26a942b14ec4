"""What the memo says of a clerk's review: how many values were confirmed or corrected, by whom.

A field a clerk looked at in the review workbench carries ``corrections`` (who, when, what)
and keeps the machine's reading (``read``); the memo names the reviewers in its header and
marks those fields in the annex with the value as read.
"""
from __future__ import annotations

from pipeline.model import Catalogue, Extraction

from .values import display_value

ACTIONS = {"corrected": "已更正", "confirmed": "已确认"}


def review_summary(ext: Extraction, cat: Catalogue) -> dict:
    """{count, corrected, confirmed, by, fields: {id: {action, by, at, label, mark}}}."""
    reviewed = {fid: fv for fid, fv in ext.fields.items() if fv.corrections}
    by: list[str] = []
    for fv in reviewed.values():
        for c in fv.corrections:
            if c.get("by") and c["by"] not in by:
                by.append(c["by"])
    fields = {}
    for fid, fv in reviewed.items():
        last = fv.corrections[-1]
        read = (fv.read or {}).get("read_value")
        mark = f"{ACTIONS.get(last['action'], last['action'])}（{last['by']} {last['at'][:10]}）"
        if last["action"] == "corrected":
            mark += f"，原识别为“{display_value(read)}”"
        fields[fid] = {"action": last["action"], "by": last["by"], "at": last["at"], "label": cat.label_of(fid),
                       "mark": mark}
    return {"count": len(reviewed), "corrected": sum(f["action"] == "corrected" for f in fields.values()),
            "confirmed": sum(f["action"] == "confirmed" for f in fields.values()), "by": "、".join(by),
            "fields": fields}
