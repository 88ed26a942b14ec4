"""memo.docx: the view model laid out by the docxtpl template ``report_templates/memo.docx``.

The template (written by ``report_templates/build_memo_docx.py``) holds jinja2 tags in Word
paragraphs and table rows; docxtpl renders them with this environment: autoescaped (a value
is XML text, never markup), control characters that XML forbids dropped, pictures inserted
inline by the ``image`` filter, cell shading looked up by the ``fill`` filter.

docxtpl hands the environment the same template XML at every memo; the environment compiles
it once per process (:func:`docx_environment`, compiled by :func:`pipeline.memo.warm_up` before
a batch forks its workers), not once per memo.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, pass_context

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


class _CompilingOnce(Environment):
    """A jinja2 environment whose ``from_string`` compiles each source once (a few are kept)."""
    KEPT = 8

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self.KEPT:
                self._compiled.pop(next(iter(self._compiled)))
            template = self._compiled[source] = super().from_string(source)
        return template


@pass_context
def _image(ctx, img: Image | None):
    if img is None:
        return ""
    return InlineImage(ctx[_TEMPLATE_KEY], io.BytesIO(img.png), width=Mm(img.width_mm))


_TEMPLATE_KEY = "_docx_template"      # the DocxTemplate being rendered, for the image filter


@lru_cache(maxsize=1)
def docx_environment() -> Environment:
    env = _CompilingOnce(autoescape=True, finalize=_xml_text)
    fills = wording()["docx_fills"]
    env.filters["image"] = _image
    env.filters["fill"] = lambda status: fills.get(status, "FFFFFF")
    return env


def render_docx(view: dict) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template_bytes()))
    tpl.render({**view, _TEMPLATE_KEY: tpl}, jinja_env=docx_environment(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()
