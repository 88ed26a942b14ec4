"""Layout: positioned pieces of a page (PDF text layer or OCR) → the document model.

Pure functions shared by the PDF reader and the scan reader, so that the mapper never
knows which of them ran: ``pieces`` (what a page is made of), ``grid`` (tables from ruling
lines, merged cells resolved), ``lines`` (lines and paragraphs), ``assemble`` (cells,
reading order, tables joined across page breaks).
"""
from .assemble import assemble
from .grid import Grid, GridCell, find_grids
from .pieces import GlyphPiece, PageContent, Rule, TextPiece

__all__ = ["assemble", "find_grids", "Grid", "GridCell", "GlyphPiece", "PageContent", "Rule", "TextPiece"]
