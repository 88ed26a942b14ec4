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


def evaluate(extraction: Extraction, profile: Profile) -> tuple[list[Finding], list[dict]]:
    """All findings for one extraction under one profile, in rule-registration order, and the
    result of every threshold of the profile (``criteria.judge``): the criteria findings and the
    records come from the same judgement, so the memo's table cannot disagree with the verdict."""
    judged, records = criteria.judge(extraction, profile)
    findings: list[Finding] = []
    for rule_id, fn in RULES.items():
        findings.extend(judged[rule_id] if rule_id in judged else fn(extraction, profile))
    return findings, records


def run_all(extraction: Extraction, profile: Profile) -> list[Finding]:
    """All findings for one extraction under one profile, in rule-registration order."""
    return evaluate(extraction, profile)[0]
