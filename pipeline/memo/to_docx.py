"""memo.docx: the view model laid out by the docxtpl template ``report_templates/memo.docx``.

The template (written by ``report_templates/build_memo_docx.py``) holds jinja2 tags in Word
paragraphs and table rows; docxtpl renders them with this environment: autoescaped (a value
is XML text, never markup), control characters that XML forbids dropped, pictures inserted
inline by the ``image`` filter, cell shading looked up by the ``fill`` filter.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment

from .images import Image
from .wording import TEMPLATE_DIR, wording

TEMPLATE = TEMPLATE_DIR / "memo.docx"
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _xml_text(value: Any) -> Any:
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub("", value)
    return "" if value is None else value


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The DOCX template's bytes, read once per process."""
    return TEMPLATE.read_bytes()


def render_docx(view: dict) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template_bytes()))
    env = Environment(autoescape=True, finalize=_xml_text)
    fills = wording()["docx_fills"]

    def image(img: Image | None):
        if img is None:
            return ""
        return InlineImage(tpl, io.BytesIO(img.png), width=Mm(img.width_mm))

    env.filters["image"] = image
    env.filters["fill"] = lambda status: fills.get(status, "FFFFFF")
    tpl.render(view, jinja_env=env, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()
