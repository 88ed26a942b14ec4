"""Internal consistency: range.percent, count.subset, growth.yearly, growth.cagr, patents.per_10k, years.mismatch, cover.mismatch."""
from __future__ import annotations

from .registry import rule  # noqa: F401  (rules of this family register with @rule)
