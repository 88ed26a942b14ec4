"""The expert memo of one dossier in four formats from one view model.

``render_memos(ext, formats, files)`` builds the view model once (``view.py``) and lays it out
with the templates of ``report_templates/``: ``memo.html`` (autoescaped jinja2, self-contained),
``memo.md`` (jinja2 with Markdown escaping), ``memo.docx`` (docxtpl) and ``memo.pdf``
(memo.html printed by a headless Chromium kept per batch, or by WeasyPrint; ``to_pdf``), the
PDF printed while the Markdown and DOCX are written.  ``files`` maps the dossier's file names to
paths while the dossier is open, so scanned cells can be shown cropped from their page.

A format that cannot be written costs that format only: the reason goes into ``problems``
(and from there into the dossier's ``problems``); without a CJK font no PDF is written, and
the problem says so before anything is rendered.
"""
from __future__ import annotations

import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from pipeline.model import Extraction
from pipeline.model.profiles import Profile

from .fonts import NO_FONT_MESSAGE, find_cjk_font

FORMATS = ("html", "md", "docx", "pdf")
log = logging.getLogger(__name__)


@dataclass
class Memos:
    files: dict[str, bytes] = field(default_factory=dict)    # "memo.html" -> bytes
    problems: list[dict] = field(default_factory=list)


def render_memos(ext: Extraction, formats=FORMATS, files: Optional[Mapping[str, Path]] = None,
                 profile: Optional[Profile] = None, cache_dir: Optional[Path] = None) -> Memos:
    """The memos of ``formats`` for one extraction; ``profile`` defaults to the extraction's own.
    ``cache_dir`` (``OUT/.cache/memo``) keeps printed PDFs by their HTML (``to_pdf``)."""
    from .to_docx import render_docx
    from .to_html import render_html
    from .to_markdown import render_markdown
    from .view import build_view

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown memo format(s): {', '.join(sorted(unknown))}")
    out = Memos()
    font = find_cjk_font()
    if font is None and "pdf" in formats:
        problem = {"file": None, "kind": "no_cjk_font", "message": NO_FONT_MESSAGE}
        out.problems.append(problem)
        if problem not in ext.problems:
            ext.problems.append(problem)
    view = build_view(ext, files, font=font, profile=profile)
    wanted = [f for f in FORMATS if f in formats and not (f == "pdf" and font is None)]
    html: Optional[str] = None
    html_error: Optional[Exception] = None
    if "html" in wanted or "pdf" in wanted:
        try:
            html = render_html(view)
        except Exception as e:        # costs memo.html and memo.pdf, reported for each below
            html_error = e
    with ThreadPoolExecutor(max_workers=1) as pool:
        # memo.pdf is printed (by the Chromium print server, in its own processes) while this
        # thread writes the Markdown and the DOCX
        pdf = pool.submit(_print_pdf, html, html_error, cache_dir) if "pdf" in wanted else None
        make = {"html": lambda: _html_bytes(html, html_error), "md": lambda: render_markdown(view).encode("utf-8"),
                "docx": lambda: render_docx(view), "pdf": lambda: pdf.result()}
        for fmt in wanted:
            try:
                data = make[fmt]()
            except Exception as e:        # a renderer's failure costs that format, and is reported
                out.problems.append({"file": f"memo.{fmt}", "kind": "render",
                                     "message": f"备忘录 memo.{fmt} 生成失败 — could not write memo.{fmt}: "
                                                f"{type(e).__name__}: {e}"})
                log.warning("%s: memo.%s failed\n%s", ext.dossier_id, fmt, traceback.format_exc(limit=6))
                continue
            out.files[f"memo.{fmt}"] = data
    return out


def _html_bytes(html: Optional[str], error: Optional[Exception]) -> bytes:
    if error is not None:
        raise error
    return html.encode("utf-8")


def _print_pdf(html: Optional[str], error: Optional[Exception], cache_dir: Optional[Path]) -> bytes:
    from .to_pdf import render_pdf
    if error is not None:
        raise error
    return render_pdf(html, cache_dir)


def warm_up() -> None:
    """Load and prepare what every memo needs, once per process (a batch does this before
    forking its workers, which inherit it): the jieba dictionary, the templates compiled, the
    CJK font found and opened for the charts (a small chart drawn), the DOCX template read and
    compiled, and the PDF printer ready (the Chromium print server started by
    ``to_pdf.printer``, or else WeasyPrint's shared font configuration made) by printing a
    small page."""
    from . import narrative, to_docx, to_html, to_markdown, to_pdf
    from .view import build_view
    narrative.warm_up()
    font = find_cjk_font()
    to_html.html_environment().get_template("memo.html.j2")
    to_markdown.markdown_environment().get_template("memo.md.j2")
    to_docx.render_docx(build_view(Extraction("warm-up"), None, font=None))    # its XML compiled once
    if font is None:
        return
    from .charts import warm_up as warm_up_charts
    warm_up_charts(font)
    to_pdf.render_pdf(f'<html><body style="font-family: \'{font.family}\'">预审备忘录 memo 1,234.5</body></html>')
