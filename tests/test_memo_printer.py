"""memo.pdf's printers: the Chromium print server (real Chinese text, nothing fetched, gone when
stopped) and WeasyPrint when Chromium is off or fails."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from pipeline.memo import printer as printer_mod
from pipeline.memo import to_pdf

needs_chromium = pytest.mark.skipif(printer_mod.chromium_path() is None, reason="no Chromium installed")

TEXT = "北流市日用陶瓷产业集群 预审备忘录 1,234.5"


def _page_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _producer(pdf: bytes) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc.get_metadata_dict().get("Producer", "")
    finally:
        doc.close()


def _listener():
    """A local TCP port that records what each connection to it sends (nothing is answered)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    received: list[bytes] = []

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(200))
                except OSError:
                    received.append(b"")
    threading.Thread(target=accept, daemon=True).start()
    return sock, received


@pytest.fixture(scope="module")
def server():
    p = printer_mod.start()
    if p is None:
        pytest.skip("the Chromium print server did not start")
    yield p
    p.stop()


@needs_chromium
def test_chromium_prints_real_chinese_text_and_fetches_nothing(server):
    sock, received = _listener()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        html = (f'<html lang="zh-CN"><head><link rel="stylesheet" href="{url}/style.css"></head>'
                f'<body style="font-family: \'Noto Sans CJK SC\'"><p>{TEXT}</p><img src="{url}/x.png">'
                f'<p style="background-image: url({url}/bg.png)">背景</p><img src="file:///etc/hostname"></body></html>')
        pdf = server.print_pdf(html)
        time.sleep(1)
    finally:
        sock.close()
    assert pdf.startswith(b"%PDF-") and "Skia/PDF" in _producer(pdf)
    assert TEXT in _page_text(pdf).replace("\r\n", "").replace("\n", "")
    assert received == [], f"the printer must fetch nothing: {received}"


@needs_chromium
def test_a_forked_worker_prints_through_its_parents_server(server):
    import os
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        ok = TEXT in _page_text(server.print_pdf(f"<p>{TEXT}</p>"))
        os.write(w, b"1" if ok else b"0")
        os._exit(0)
    os.close(w)
    answer = os.read(r, 1)
    os.close(r)
    os.waitpid(pid, 0)
    assert answer == b"1"


@needs_chromium
def test_a_stopped_server_leaves_no_process():
    import psutil
    p = printer_mod.start()
    assert p is not None
    procs = [psutil.Process(p.proc.pid)] + psutil.Process(p.proc.pid).children(recursive=True)
    assert any("chrom" in q.name().lower() for q in procs[1:])
    p.stop()
    gone, alive = psutil.wait_procs(procs, timeout=15)
    assert not alive, alive
    with pytest.raises(printer_mod.PrinterError):
        p.print_pdf("<p>x</p>", timeout=5)


def test_weasyprint_prints_when_chromium_is_off(monkeypatch):
    monkeypatch.setenv(printer_mod.ENGINE_ENV, "weasyprint")
    assert printer_mod.chromium_path() is None and printer_mod.start() is None


def test_a_print_that_fails_is_printed_by_weasyprint(monkeypatch, tmp_path):
    dead = printer_mod.Printer(str(tmp_path / "no-socket"), b"k" * 32, "0")
    with pytest.raises(printer_mod.PrinterError):
        dead.print_pdf("<p>x</p>", timeout=5)
    monkeypatch.setattr(to_pdf, "printer", lambda: dead)
    pdf = to_pdf.render_pdf(f'<html><body style="font-family: \'Noto Sans CJK SC\'">{TEXT}</body></html>')
    assert "WeasyPrint" in _producer(pdf)
    assert TEXT in _page_text(pdf).replace("\r\n", "").replace("\n", "")


@needs_chromium
def test_a_browser_that_died_is_launched_again():
    import psutil
    p = printer_mod.start()
    assert p is not None
    try:
        browsers = [q for q in psutil.Process(p.proc.pid).children(recursive=True)
                    if "chrom" in q.name().lower() and not any(a.startswith("--type=") for a in q.cmdline())]
        assert browsers
        for b in browsers:
            b.kill()
        psutil.wait_procs(browsers, timeout=10)
        try:
            pdf = p.print_pdf(f"<p>{TEXT}</p>", timeout=60)     # may fail once: its page was gone
        except printer_mod.PrinterError:
            pdf = p.print_pdf(f"<p>{TEXT}</p>", timeout=60)
        assert TEXT in _page_text(pdf).replace("\r\n", "").replace("\n", "")
    finally:
        p.stop()


@needs_chromium
def test_memos_printed_at_once_each_get_their_own_pdf(server):
    from concurrent.futures import ThreadPoolExecutor
    texts = [f"申报材料 第{i}份 {i * 1111}" for i in range(6)]
    with ThreadPoolExecutor(6) as pool:
        pdfs = list(pool.map(lambda t: server.print_pdf(f'<p style="font-family: \'Noto Sans CJK SC\'">{t}</p>'), texts))
    for t, pdf in zip(texts, pdfs):
        assert t in _page_text(pdf).replace("\r\n", "").replace("\n", "")
