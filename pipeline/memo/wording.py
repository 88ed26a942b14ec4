"""The memo's words (``report_templates/wording.yaml``) and where the templates live."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "report_templates"


@lru_cache(maxsize=1)
def wording() -> dict:
    with open(TEMPLATE_DIR / "wording.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def by_rule(mapping: Mapping[str, Any], rule: str, default: Any = None) -> Any:
    """The entry for a rule id: its own key, else the longest key ending in '.' that prefixes it,
    else ``mapping['default']``."""
    if rule in mapping:
        return mapping[rule]
    prefixes = [k for k in mapping if k.endswith(".") and rule.startswith(k)]
    if prefixes:
        return mapping[max(prefixes, key=len)]
    return mapping.get("default", default)


def field_label(cat, field_id: str) -> str:
    """A field's label in the memo: the wording override where the printed label is ambiguous,
    else the catalogue's printed label (with its year)."""
    return wording().get("field_labels", {}).get(field_id) or cat.label_of(field_id)
