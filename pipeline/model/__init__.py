"""The spine: document model, extraction/finding types, catalogue and profile loading.

Imports nothing from ``extractors`` or ``validators``; both import this package.
"""
from .document import (BBox, Block, Cell, Document, Mark, Page, Paragraph, Source, Table, Tick,
                       TICK_MARK, UNTICK_MARK, UNKNOWN_MARK)
from .extraction import (EvidenceLink, Extraction, FieldValue, Finding, SourceFile, verdict_of,
                         SCHEMA_VERSION, UNREADABLE_BELOW)
from .catalogue import Catalogue, ConcreteField, FieldSpec, Option, load_catalogue

__all__ = [n for n in dir() if not n.startswith("_")]
