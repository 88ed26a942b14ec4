"""Rules by id.  A rule is a pure function ``(Extraction, Profile) -> list[Finding]``.

    @rule("growth.cagr")
    def growth_cagr(ext: Extraction, profile: Profile) -> list[Finding]: ...

``grep -rn 'rule("growth.cagr"' validators/`` finds any rule; ``RULES`` maps ids to functions.
"""
from __future__ import annotations

from typing import Callable

RULES: dict[str, Callable] = {}
SEVERITY: dict[str, str] = {}

# rules.md: warning for these, error for every other rule
WARNING_RULES = {"field.unreadable", "format.decimals", "text.too_long", "cover.mismatch", "evidence.unrelated"}


def default_severity(rule_id: str) -> str:
    return "warning" if rule_id in WARNING_RULES else "error"


def rule(rule_id: str):
    def deco(fn: Callable) -> Callable:
        if rule_id in RULES and RULES[rule_id] is not fn:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = fn
        SEVERITY[rule_id] = default_severity(rule_id)
        fn.rule_id = rule_id
        return fn
    return deco
