"""The form against its 佐证材料: evidence.missing, evidence.value, evidence.unrelated."""
from __future__ import annotations

from .registry import rule  # noqa: F401  (rules of this family register with @rule)
