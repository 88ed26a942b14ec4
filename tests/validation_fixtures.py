"""Extractions for the validator tests: a committed sample's form read for real, then edited.

``sample(id)`` reads the sample's DOCX with the pipeline's reader and mapper, and its evidence
files with the readers and the evidence linker (files no reader of this build opens are listed
as unreadable, as the pipeline does), once per process, and hands out a deep copy; ``put`` changes one field the way a different form (or a clerk)
would; ``check`` runs every rule under a profile.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, Optional

from extractors import read_file
from extractors.docx_reader import read_docx
from extractors.errors import ReadError
from extractors.evidence import link_evidence
from extractors.mapper import map_form
from pipeline.model import Extraction, Finding, SourceFile
from pipeline.model.profiles import DEFAULT_PROFILE, Profile, detect_profile, load_profile
from validators import run_all

from .expected import DOSSIERS, load_expected

# one clean sample per issuer
BY_PROFILE = {"guizhou": "gz-suiyang-chili", "guangxi": "gx-rongxian-furniture", "guangdong": "gd-chenghai-toys",
              "gansu": "gs-dingxi-potato", "national": "cn-pingxiang-bicycle"}


@lru_cache(maxsize=None)
def _read(dossier_id: str) -> Extraction:
    exp = load_expected(dossier_id)
    m = map_form(read_docx(DOSSIERS / dossier_id / exp["form_file"]))
    ext = Extraction(dossier_id=dossier_id, profile=detect_profile(m.header_text) or DEFAULT_PROFILE,
                     reporting_years=m.reporting_years,
                     sources=[SourceFile(file=exp["form_file"], sha256="", role="form", format="docx")],
                     fields=m.fields, meta={"application_year": m.application_year})
    docs = []
    for e in exp["evidence"]:
        try:
            doc = read_file(DOSSIERS / dossier_id / e["file"])
        except ReadError as err:
            ext.sources.append(SourceFile(file=e["file"], sha256="", role="unreadable", format="unknown",
                                          problem=err.message))
            continue
        sf = SourceFile(file=e["file"], sha256="", role="evidence", format=doc.format)
        ext.sources.append(sf)
        docs.append((sf, doc))
    ext.evidence = link_evidence(ext, docs)
    return ext


def sample(dossier_id: str) -> Extraction:
    return copy.deepcopy(_read(dossier_id))


def for_profile(profile: str) -> Extraction:
    return sample(BY_PROFILE[profile])


def _raw(value: Any) -> Optional[str]:
    if value is None or isinstance(value, (bool, list)):
        return None
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def put(ext: Extraction, fid: str, value: Any, *, raw: Any = "auto", confidence: Optional[float] = None,
        note: Any = "keep") -> Extraction:
    """Set a field as if the form had said so (raw text follows the value unless given)."""
    fv = ext.fields[fid]
    fv.value = value
    fv.raw = _raw(value) if raw == "auto" else raw
    if confidence is not None:
        fv.confidence = confidence
    if note != "keep":
        fv.note = note
    return ext


def y(ext: Extraction, i: int) -> int:
    """The i-th reporting year (1-based)."""
    return ext.reporting_years[i - 1]


def check(ext: Extraction, profile: Optional[str | Profile] = None) -> list[Finding]:
    p = profile if isinstance(profile, Profile) else load_profile(profile or ext.profile)
    return run_all(ext, p)


def of(findings: list[Finding], rule: str, severity: Optional[str] = None) -> list[Finding]:
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
