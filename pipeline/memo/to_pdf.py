"""memo.pdf: memo.html printed on A4, with the CJK font fontconfig found.

Two printers of the same HTML: a headless Chromium kept for the whole batch
(:mod:`pipeline.memo.printer`, about 0.4 CPU seconds for a 20-page memo), and WeasyPrint in this
process (about 2.5), which prints when there is no Chromium, when ``PIPELINE_PDF_ENGINE=weasyprint``
or when Chromium failed on this memo.  :func:`printer` starts the Chromium server once per
process; a batch does it before forking its workers (:func:`pipeline.memo.warm_up`), which all
send their memos to it.

Pictures are data URIs inside the HTML and nothing else is fetched: Chromium's context aborts
every request, WeasyPrint's URL fetcher allows the ``data:`` scheme only, so no submitted text
can make the renderer read a file or the network.

WeasyPrint's font configuration (fontconfig and Pango's font map) is made once per process
and shared by every memo (:func:`font_config`).  The PDF is a function of the HTML alone (with
the fonts and the printer's version), so with a ``cache_dir`` (``OUT/.cache/memo``) a memo whose
HTML is unchanged — a forced rerun, a ``check`` that changed nothing — is taken from there
instead of being laid out again; entries are written atomically.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from pipeline.atomic import write_atomic

from .printer import Printer, PrinterError, start

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def font_config():
    """WeasyPrint's FontConfiguration, one per process."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


_starting = threading.Lock()       # two threads (the review workbench) start one server, not two


@lru_cache(maxsize=1)
def _printer() -> Optional[Printer]:
    return start()


def printer() -> Optional[Printer]:
    """The Chromium print server of this process (inherited by forked workers), or None."""
    with _starting:
        return _printer()


def engine() -> str:
    """What prints memo.pdf here, with its version: ``chromium 156.0…`` or ``weasyprint 70.0``."""
    p = printer()
    if p is not None:
        return f"chromium {p.version}"
    return f"weasyprint {metadata.version('weasyprint')} pydyf {metadata.version('pydyf')}"


def _renderer_id() -> str:
    from .fonts import find_cjk_font
    font = find_cjk_font()
    return "|".join([engine(), font.path if font else "no-font"])


def cache_key(html: str) -> str:
    h = hashlib.sha256(_renderer_id().encode())
    h.update(html.encode("utf-8"))
    return h.hexdigest()


def print_weasyprint(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(font_config=font_config())


def _print(html: str) -> bytes:
    p = printer()
    if p is not None:
        try:
            return p.print_pdf(html)
        except PrinterError as e:
            log.warning("memo.pdf: Chromium could not print it (%s); printed by WeasyPrint", e)
    return print_weasyprint(html)


def _keep(path: Path, data: bytes) -> None:
    write_atomic(path, data)


def render_pdf(html: str, cache_dir: Optional[Path] = None) -> bytes:
    if cache_dir is None:
        return _print(html)
    path = Path(cache_dir) / f"{cache_key(html)}.pdf"
    try:
        data = path.read_bytes()
        if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"):
            return data
    except OSError:
        pass
    data = _print(html)
    try:
        _keep(path, data)
    except OSError:               # a full disk costs the cache, not the memo
        pass
    return data
