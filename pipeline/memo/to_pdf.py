"""memo.pdf: memo.html printed on A4 by WeasyPrint, with the CJK font fontconfig found.

Pictures are data URIs inside the HTML and nothing else is fetched: the URL fetcher allows
the ``data:`` scheme only, so no submitted text can make the renderer read a file or the
network.
"""
from __future__ import annotations


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
