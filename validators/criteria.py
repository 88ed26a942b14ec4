"""Recognition criteria under a profile: criteria.*."""
from __future__ import annotations

from .registry import rule  # noqa: F401  (rules of this family register with @rule)
