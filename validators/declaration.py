"""Declaration: declaration.unsigned, declaration.unsealed."""
from __future__ import annotations

from .registry import rule  # noqa: F401  (rules of this family register with @rule)
