"""The JSON Schema of ``extraction.json``, built from the catalogue and the rule list.

``python -m pipeline.schema`` rewrites ``pipeline/schema/extraction.schema.json``; a test
checks that the committed file equals what the catalogue gives, and validates every output
against it.  Field ids are exactly the catalogue's (with years), values typed by the
catalogue's types, rule ids exactly those of ``rules.md``.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pipeline.model import Catalogue, load_catalogue

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "extraction.schema.json"

RULE_IDS = [
    "field.missing", "field.unreadable", "field.bad_number", "format.decimals", "choice.none", "choice.multiple",
    "text.too_long", "declaration.unsigned", "declaration.unsealed",
    "range.percent", "count.subset", "growth.yearly", "growth.cagr", "patents.per_10k", "plan.baseline",
    "plan.target", "years.mismatch", "cover.mismatch",
    "evidence.missing", "evidence.value", "evidence.unrelated",
    "criteria.area", "criteria.output", "criteria.sme_share", "criteria.leading_share", "criteria.growth",
    "criteria.quality_smes", "criteria.enterprises", "criteria.rd_growth", "criteria.patent_growth",
    "criteria.patents_per_10k", "criteria.iiot", "criteria.negative", "criteria.efficiency", "criteria.co2_trend",
]

_SOURCE = {
    "type": ["object", "null"],
    "required": ["file"],
    "properties": {
        "file": {"type": "string"},
        "page": {"type": "integer", "minimum": 1},
        "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "table": {"type": "integer", "minimum": 0},
        "row": {"type": "integer", "minimum": 0},
        "col": {"type": "integer", "minimum": 0},
        "sheet": {"type": "string"},
        "para": {"type": "integer", "minimum": 0},
    },
    "additionalProperties": False,
}

_VALUE_TYPES = {
    "text": {"type": ["string", "null"]},
    "number": {"type": ["number", "null"]},
    "int": {"type": ["integer", "null"]},
    "bool": {"type": ["boolean", "null"]},
    # a choice holds one label, or the list of labels when several boxes are ticked
    "choice": {"type": ["string", "array", "null"], "items": {"type": "string"}},
    "multi": {"type": ["array", "null"], "items": {"type": "string"}},
    "list": {"type": ["array", "null"], "items": {
        "type": "object", "required": ["direction", "indicator", "baseline", "target"],
        "properties": {"direction": {"type": ["string", "null"]}, "indicator": {"type": ["string", "null"]},
                       "baseline": {"type": ["number", "string", "null"]},
                       "target": {"type": ["number", "string", "null"]}},
        "additionalProperties": False}},
}


def _field_schema(vtype: str) -> dict:
    return {
        "type": "object",
        "required": ["value", "confidence", "source"],
        "properties": {
            "value": _VALUE_TYPES[vtype],
            "raw": {"type": ["string", "null"]},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "source": {"$ref": "#/$defs/source"},
            "note": {"type": "string"},
            # a clerk's review (pipeline/review): the machine's reading kept beside the value
            "read_value": _VALUE_TYPES[vtype],
            "read_confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "read_raw": {"type": ["string", "null"]},
            "read_note": {"type": ["string", "null"]},
            "corrections": {"type": "array", "items": {
                "type": "object", "required": ["by", "at", "action"],
                "properties": {"by": {"type": "string"}, "at": {"type": "string"},
                               "action": {"enum": ["corrected", "confirmed"]},
                               "value": _VALUE_TYPES[vtype], "reason": {"type": ["string", "null"]}},
                "additionalProperties": False}},
        },
        "additionalProperties": False,
    }


def field_patterns(cat: Catalogue) -> dict[str, str]:
    """{regex of concrete ids: value type} for every catalogue family."""
    out: dict[str, str] = {}
    for s in cat.specs:
        base = re.escape(s.id)
        if s.layout == "matrix":
            rows = "|".join(s.raw["rows"])
            cols = "|".join(s.raw["cols"])
            out[rf"^{base}\.20\d\d\.({rows})\.({cols})$"] = s.type
        elif s.layout == "parts":
            for pk, pd in s.raw["parts"].items():
                out[rf"^{base}\.{re.escape(pk)}$"] = pd.get("type", "text")
        elif s.yearly:
            out[rf"^{base}\.20\d\d$"] = s.type
        else:
            out[rf"^{base}$"] = s.type
    return out


def build_schema(cat: Catalogue | None = None) -> dict:
    cat = cat or load_catalogue()
    pats = field_patterns(cat)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "extraction.schema.json",
        "title": "extraction.json — one dossier's extracted fields, evidence, findings and verdict",
        "type": "object",
        "required": ["schema_version", "dossier_id", "profile", "reporting_years", "sources", "fields",
                     "evidence", "findings", "verdict"],
        "properties": {
            "schema_version": {"const": 1},
            "dossier_id": {"type": "string", "minLength": 1},
            "profile": {"enum": ["national", "guangxi", "guangdong", "gansu", "guizhou"]},
            "reporting_years": {"type": "array", "items": {"type": "integer", "minimum": 2000, "maximum": 2100}},
            "sources": {"type": "array", "items": {
                "type": "object", "required": ["file", "sha256", "role", "format"],
                "properties": {
                    "file": {"type": "string"},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "role": {"enum": ["form", "evidence", "unreadable"]},
                    "format": {"enum": ["docx", "pdf", "scan", "image", "xlsx", "doc", "unknown"]},
                    "pages": {"type": ["integer", "null"], "minimum": 0},
                    "problem": {"type": "string"},
                },
                "additionalProperties": False}},
            "fields": {
                "type": "object",
                "patternProperties": {p: {"$ref": f"#/$defs/field_{t}"} for p, t in pats.items()},
                "additionalProperties": False,
            },
            "evidence": {"type": "array", "items": {
                "type": "object", "required": ["file", "attests", "values", "confidence"],
                "properties": {
                    "file": {"type": "string"},
                    "attests": {"type": "array", "items": {"type": "string"}},
                    "values": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "detail": {"type": "object"},
                },
                "additionalProperties": False}},
            "findings": {"type": "array", "items": {
                "type": "object",
                "required": ["rule", "severity", "fields", "expected", "actual", "tolerance", "message", "clause",
                             "sources"],
                "properties": {
                    "rule": {"enum": RULE_IDS},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "fields": {"type": "array", "items": {"type": "string"}},
                    "expected": {}, "actual": {}, "tolerance": {},
                    "message": {"type": "string", "minLength": 1},
                    "clause": {"type": ["string", "null"]},
                    "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
                    "question": {"type": "string"},
                    "detail": {"type": "object"},
                },
                "additionalProperties": False}},
            "verdict": {"enum": ["pass", "review", "fail"]},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["file", "kind", "message"],
                "properties": {"file": {"type": ["string", "null"]}, "kind": {"type": "string"},
                               "message": {"type": "string"}},
                "additionalProperties": False}},
            "criteria": {"type": "array", "items": {
                "type": "object", "required": ["rule", "threshold", "fields", "values", "status", "why"],
                "properties": {
                    "rule": {"enum": [r for r in RULE_IDS if r.startswith("criteria.")]},
                    "threshold": {"type": "integer", "minimum": 0},
                    "fields": {"type": "array", "items": {"type": "string"}},
                    "values": {"type": "array", "items": {
                        "type": "object", "required": ["id", "value", "readable"],
                        "properties": {"id": {"type": "string"}, "value": {"type": ["string", "null"]},
                                       "readable": {"type": "boolean"}},
                        "additionalProperties": False}},
                    "status": {"enum": ["met", "not_met", "cannot_tell"]},
                    "why": {"type": "string"},
                }}},
            "meta": {"type": "object"},
        },
        "additionalProperties": False,
        "$defs": {"source": _SOURCE, **{f"field_{t}": _field_schema(t) for t in sorted(set(pats.values()))}},
    }


def schema_text(cat: Catalogue | None = None) -> str:
    return json.dumps(build_schema(cat), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
