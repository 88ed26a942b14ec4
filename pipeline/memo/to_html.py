"""memo.html: the view model laid out by ``report_templates/memo.html.j2``, autoescaped."""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .wording import TEMPLATE_DIR


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    """Jinja2 for HTML: every value escaped, whatever the template's name."""
    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def render_html(view: dict) -> str:
    return html_environment().get_template("memo.html.j2").render(**view)
