"""Born-digital PDF: seconds per page, split into text layer (pdfminer parsing the page, the
route test, chars, rules, pictures — ``read s`` minus ``text`` and ``layout`` is opening the file
with pdfium and pdfminer), layout (grids, lines, paragraphs, page-break joins) and mapping; the same for a
200-page annex of plain text.  Peak memory is printed by the harness (bench/benchmarks.py)."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import extractors.pdf_reader as pdf_reader
from extractors.mapper import map_form
from tests.expected import DOSSIERS, expected_files, load_expected
from tests.pdf_fixtures import text_page, write_pdf

_T = {"text": 0.0, "layout": 0.0}


def _timed(key, fn):
    def run(*a, **k):
        t0 = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            _T[key] += time.perf_counter() - t0
    return run


def main() -> None:
    # pdfminer parses a page when its objects are first asked for: in the route test (assess)
    pdf_reader.assess = _timed("text", pdf_reader.assess)
    pdf_reader.read_text_page = _timed("text", pdf_reader.read_text_page)
    pdf_reader.assemble = _timed("layout", pdf_reader.assemble)
    forms = [(f.stem, DOSSIERS / f.stem / load_expected(f.stem)["form_file"]) for f in expected_files()
             if load_expected(f.stem).get("rendition") == "pdf"]
    print(f"{'file':<36}{'pages':>6}{'read s':>8}{'text':>7}{'layout':>8}{'map s':>7}{'s/page':>8}")
    tot_pages = tot_read = tot_map = 0.0
    tot_text = tot_layout = 0.0

    def one(name, path, do_map=True):
        nonlocal tot_pages, tot_read, tot_map, tot_text, tot_layout
        _T["text"] = _T["layout"] = 0.0
        t0 = time.perf_counter()
        doc = pdf_reader.read_pdf(path)
        t1 = time.perf_counter()
        if do_map:
            map_form(doc)
        t2 = time.perf_counter()
        n = len(doc.pages)
        print(f"{name:<36}{n:>6}{t1 - t0:>8.2f}{_T['text']:>7.2f}{_T['layout']:>8.2f}{t2 - t1:>7.2f}"
              f"{(t2 - t0) / max(n, 1):>8.3f}")
        return n, t1 - t0, t2 - t1

    pdf_reader.read_pdf(forms[0][1])          # warm-up: imports, font caches
    for name, path in forms:
        n, r, m = one(name, path)
        tot_pages += n
        tot_read += r
        tot_map += m
        tot_text += _T["text"]
        tot_layout += _T["layout"]
    if tot_pages:
        print(f"{'ALL forms':<36}{int(tot_pages):>6}{tot_read:>8.2f}{tot_text:>7.2f}{tot_layout:>8.2f}{tot_map:>7.2f}"
              f"{(tot_read + tot_map) / tot_pages:>8.3f}")
        print(f"per page: text layer {tot_text / tot_pages:.3f} s, layout {tot_layout / tot_pages:.3f} s, "
              f"map {tot_map / tot_pages:.3f} s (form mapping is per document)")
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "annex-200.pdf"
        p.write_bytes(write_pdf([text_page([f"Annex page {i + 1}", "Item list line"] * 10) for i in range(200)]))
        one("200-page text annex (no mapping)", p, do_map=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
