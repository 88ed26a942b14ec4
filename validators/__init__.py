"""Checks of rules.md, by family: pure functions (extraction, profile) → findings.

One module per family (completeness, consistency, plan, declaration, criteria, evidence);
each rule registers itself by id with ``@rule("…")`` (``registry.py``), so a reader finds any
rule with ``grep -rn 'rule("growth.cagr"' validators/``.  No rule does I/O.  Rules read the
extraction through ``dossier.Facts`` (trusted values, written precision, sources) and share the
arithmetic of ``arithmetic.py``; thresholds come from ``profiles/<id>.yaml``.
"""
from __future__ import annotations

from pipeline.model import Extraction, Finding
from pipeline.model.profiles import Profile

from . import completeness, consistency, criteria, declaration, evidence, plan  # noqa: F401  (register rules)
from .registry import RULES

FAMILIES = ("completeness", "consistency", "plan", "declaration", "criteria", "evidence")


def run_all(extraction: Extraction, profile: Profile) -> list[Finding]:
    """All findings for one extraction under one profile, in rule-registration order."""
    findings: list[Finding] = []
    for rule_id, fn in RULES.items():
        findings.extend(fn(extraction, profile))
    return findings
