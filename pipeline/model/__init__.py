"""The spine: document model, extraction/finding types, catalogue and profile loading.

Imports nothing from ``extractors`` or ``validators``; both import this package.
"""
from .catalogue import Catalogue, ConcreteField, FieldSpec, Option, load_catalogue
from .document import (
                       TICK_MARK,
                       UNKNOWN_MARK,
                       UNTICK_MARK,
                       BBox,
                       Block,
                       Cell,
                       Document,
                       Mark,
                       Page,
                       Paragraph,
                       Source,
                       Table,
                       Tick,
)
from .extraction import (
                       SCHEMA_VERSION,
                       UNREADABLE_BELOW,
                       EvidenceLink,
                       Extraction,
                       FieldValue,
                       Finding,
                       SourceFile,
                       verdict_of,
)

__all__ = [n for n in dir() if not n.startswith("_")]
