"""memo.pdf: memo.html printed on A4 by WeasyPrint, with the CJK font fontconfig found.

Pictures are data URIs inside the HTML and nothing else is fetched: the URL fetcher allows
the ``data:`` scheme only, so no submitted text can make the renderer read a file or the
network.

WeasyPrint's font configuration (fontconfig and Pango's font map) is made once per process
and shared by every memo (:func:`font_config`; the batch makes it before forking workers,
through :func:`pipeline.memo.warm_up`).  The PDF is a function of the HTML alone (with the
fonts and WeasyPrint's version), so with a ``cache_dir`` (``OUT/.cache/memo``) a memo whose
HTML is unchanged — a forced rerun, a ``check`` that changed nothing — is taken from there
instead of being laid out again; entries are written atomically.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional

from pipeline.atomic import write_atomic


@lru_cache(maxsize=1)
def font_config():
    """WeasyPrint's FontConfiguration, one per process."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


@lru_cache(maxsize=1)
def _renderer_id() -> str:
    from .fonts import find_cjk_font
    font = find_cjk_font()
    parts = [metadata.version("weasyprint"), metadata.version("pydyf"), font.path if font else "no-font"]
    return "|".join(parts)


def cache_key(html: str) -> str:
    h = hashlib.sha256(_renderer_id().encode())
    h.update(html.encode("utf-8"))
    return h.hexdigest()


def _print(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(font_config=font_config())


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
