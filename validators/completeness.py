"""Form completeness and format: field.missing, field.unreadable, field.bad_number, format.decimals, choice.none, choice.multiple, text.too_long."""
from __future__ import annotations

from .registry import rule  # noqa: F401  (rules of this family register with @rule)
