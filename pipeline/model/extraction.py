"""What a dossier yields: field values with their sources, evidence links, findings, verdict.

These types are rendered, unchanged, into ``extraction.json`` (the contract in
``docs/contract/output.md``), the memo, the batch summary and the ledger.  ``to_json`` /
``Extraction.from_json`` round-trip, so ``python -m pipeline check`` can re-run the
validators on an extraction a clerk has corrected by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .document import Source, _source_from

SCHEMA_VERSION = 1

# A value read with less confidence than this is not trusted: it is reported as
# field.unreadable (with its confidence) and the errors that depend on it are held back.
# DOCX and PDF text layers read at 1.0; OCR and the tick/seal detectors give their own scores.
UNREADABLE_BELOW = 0.75
SEVERITIES = ("error", "warning", "info")
VERDICTS = ("pass", "review", "fail")
READ_KEYS = ("read_value", "read_confidence", "read_raw", "read_note")   # the machine's reading, once reviewed


@dataclass
class FieldValue:
    value: Any
    raw: Optional[str] = None
    confidence: float = 1.0
    source: Optional[Source] = None
    note: Optional[str] = None       # why a value is null or doubtful (unknown glyph, unparseable …)
    # A clerk's review (pipeline.review): the machine's reading kept beside the value a clerk
    # confirmed or corrected; ``read`` holds read_value, read_confidence, read_raw, read_note.
    read: Optional[dict] = None
    corrections: list = field(default_factory=list)      # [{by, at, action, value, reason}]

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"value": self.value}
        if self.raw is not None:
            d["raw"] = self.raw
        d["confidence"] = round(float(self.confidence), 4)
        d["source"] = self.source.to_dict() if self.source else None
        if self.note:
            d["note"] = self.note
        if self.corrections:
            d.update({k: v for k, v in (self.read or {}).items()})
            d["corrections"] = list(self.corrections)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "FieldValue":
        read = {k: d[k] for k in READ_KEYS if k in d} or None
        return cls(value=d.get("value"), raw=d.get("raw"), confidence=d.get("confidence", 1.0),
                   source=_source_from(d.get("source")), note=d.get("note"), read=read,
                   corrections=list(d.get("corrections", [])))


@dataclass
class SourceFile:
    file: str
    sha256: str
    role: str                         # "form" | "evidence" | "unreadable"
    format: str                       # docx | pdf | scan | image | xlsx | doc | unknown
    pages: Optional[int] = None
    problem: Optional[str] = None     # a clear message when the file could not be read

    def to_dict(self) -> dict:
        d = {"file": self.file, "sha256": self.sha256, "role": self.role, "format": self.format,
             "pages": self.pages}
        if self.problem:
            d["problem"] = self.problem
        return d


@dataclass
class EvidenceLink:
    file: str
    attests: list[str] = field(default_factory=list)      # field ids, or "group.id:option label"
    values: dict[str, Any] = field(default_factory=dict)  # field id -> number stated in the file
    confidence: float = 0.0
    detail: dict = field(default_factory=dict)             # sentences, pages, scores

    def to_dict(self) -> dict:
        d = {"file": self.file, "attests": list(self.attests), "values": dict(self.values),
             "confidence": round(float(self.confidence), 4)}
        if self.detail:
            d["detail"] = self.detail
        return d


@dataclass
class Finding:
    rule: str
    severity: str
    fields: list[str]
    message: str
    expected: Any = None
    actual: Any = None
    tolerance: Any = None
    clause: Optional[str] = None
    sources: list[Source] = field(default_factory=list)
    question: Optional[str] = None    # what to ask the applicant (rendered in the memo)
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {"rule": self.rule, "severity": self.severity, "fields": list(self.fields),
             "expected": self.expected, "actual": self.actual, "tolerance": self.tolerance,
             "message": self.message, "clause": self.clause,
             "sources": [s.to_dict() for s in self.sources]}
        if self.question:
            d["question"] = self.question
        if self.detail:
            d["detail"] = self.detail
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Finding":
        return cls(rule=d["rule"], severity=d["severity"], fields=list(d.get("fields", [])),
                   message=d.get("message", ""), expected=d.get("expected"), actual=d.get("actual"),
                   tolerance=d.get("tolerance"), clause=d.get("clause"),
                   sources=[s for s in map(_source_from, d.get("sources", [])) if s is not None],
                   question=d.get("question"), detail=d.get("detail", {}))


def verdict_of(findings: list[Finding], readable: bool = True) -> str:
    """The dossier's verdict from its findings.

    ``fail``: any ``error`` — the form contradicts itself, misses a hard condition, or fails a
    criterion of its profile (criteria findings are errors unless the profile marks the
    condition uncertain).  ``review``: no error, but warnings — ``field.unreadable`` (errors
    that depend on the value are held back), format slips, a criterion an expert must judge —
    or a dossier whose form could not be read at all.  ``pass``: nothing but ``info``."""
    if any(f.severity == "error" for f in findings):
        return "fail"
    if not readable or any(f.severity == "warning" for f in findings):
        return "review"
    return "pass"


@dataclass
class Extraction:
    dossier_id: str
    profile: str = "national"
    reporting_years: list[int] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    evidence: list[EvidenceLink] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verdict: str = "review"
    problems: list[dict] = field(default_factory=list)      # file-level problems, for the clerk
    criteria: list[dict] = field(default_factory=list)      # each criteria threshold's result (validators)
    meta: dict = field(default_factory=dict)                 # issuer, form file, timings …

    def value(self, fid: str, default: Any = None) -> Any:
        fv = self.fields.get(fid)
        return default if fv is None or fv.value is None else fv.value

    @property
    def has_form(self) -> bool:
        return any(s.role == "form" for s in self.sources)

    def to_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "dossier_id": self.dossier_id,
            "profile": self.profile,
            "reporting_years": list(self.reporting_years),
            "sources": [s.to_dict() for s in self.sources],
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "evidence": [e.to_dict() for e in self.evidence],
            "findings": [f.to_dict() for f in self.findings],
            "verdict": self.verdict,
            "problems": list(self.problems),
            "criteria": [dict(c) for c in self.criteria],
            "meta": dict(self.meta),
        }

    @classmethod
    def from_json(cls, d: dict) -> "Extraction":
        return cls(
            dossier_id=d["dossier_id"], profile=d.get("profile", "national"),
            reporting_years=list(d.get("reporting_years", [])),
            sources=[SourceFile(file=s["file"], sha256=s.get("sha256", ""), role=s.get("role", "evidence"),
                                format=s.get("format", "unknown"), pages=s.get("pages"),
                                problem=s.get("problem")) for s in d.get("sources", [])],
            fields={k: FieldValue.from_dict(v) for k, v in d.get("fields", {}).items()},
            evidence=[EvidenceLink(file=e["file"], attests=list(e.get("attests", [])),
                                   values=dict(e.get("values", {})), confidence=e.get("confidence", 0.0),
                                   detail=e.get("detail", {})) for e in d.get("evidence", [])],
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
            verdict=d.get("verdict", "review"), problems=list(d.get("problems", [])),
            criteria=[dict(c) for c in d.get("criteria", [])],
            meta=dict(d.get("meta", {})),
        )
