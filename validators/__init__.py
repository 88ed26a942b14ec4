"""Checks of rules.md, by family: pure functions (extraction, profile) → findings.

``run_all(extraction, profile)`` runs every registered rule.  Rules live one family per
module and register themselves by id (see ``registry.py``), so a reader finds any rule by
its id with ``grep 'rule("growth.cagr"'``.
"""
from __future__ import annotations

from pipeline.model import Extraction, Finding
from pipeline.model.profiles import Profile


def run_all(extraction: Extraction, profile: Profile) -> list[Finding]:
    """All findings for one extraction under one profile (no I/O)."""
    return []
