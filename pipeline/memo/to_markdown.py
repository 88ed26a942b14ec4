"""memo.md: the view model laid out by ``report_templates/memo.md.j2``.

Markdown has no autoescape, so this environment escapes every ``{{ … }}`` value on its way
out (jinja2 ``finalize``): characters that would become markup anywhere (emphasis, code, links,
raw HTML, table pipes, entities) are backslash-escaped, line-start markers (headings, lists,
quotes, rules) are escaped when a value begins with one, and line breaks become spaces so a
value never leaves its table cell or list item.  A submitted ``<script>`` reads as text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .wording import TEMPLATE_DIR

_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&$])")
# Markers that make a line a heading, quote, list item or rule: only where a value starts a line.
_LINE_START = re.compile(r"^()(>|#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]{2,})")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_escape(value: Any) -> str:
    """A value as literal Markdown text, on one line."""
    if value is None:
        return ""
    text = _CONTROL.sub("", _BREAKS.sub(" ", str(value))).replace("\t", " ").strip()
    text = _ANYWHERE.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_marker, text, count=1)


def _escape_marker(m: re.Match) -> str:
    lead, marker = m.group(1), m.group(2)
    if marker[0].isdigit():            # "1. …": escape the dot or bracket after the number
        return lead + marker + "\\"
    return lead + "\\" + marker


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=False, finalize=md_escape,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_markdown(view: dict) -> str:
    return markdown_environment().get_template("memo.md.j2").render(**view)
