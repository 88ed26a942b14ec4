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


def _wait_gone(path, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not path.exists():
            return True
        time.sleep(0.2)
    return not path.exists()


@needs_chromium
def test_a_server_whose_starter_was_killed_leaves_with_its_folder():
    """kill -9 of the process that started the server: the server leaves, and removes its
    private folder (the socket's) — before, every such run left a /tmp/memo-printer-* behind."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import psutil
    code = ("import time; from pipeline.memo import printer; p = printer.start(); "
            "print(p.address, p.proc.pid, flush=True); time.sleep(120)")
    starter = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parents[1])
    try:
        address, pid = starter.stdout.readline().split()
        folder = Path(address).parent
        assert folder.is_dir()
        server = psutil.Process(int(pid))
    finally:
        os.kill(starter.pid, signal.SIGKILL)
        starter.wait(10)
    gone, alive = psutil.wait_procs([server], timeout=20)
    assert not alive, "the print server outlived its starter"
    assert _wait_gone(folder), f"{folder} left behind"


def test_a_server_that_fails_to_start_removes_its_folder(tmp_path):
    """An error in the server (here: a browser that does not exist) still removes its folder."""
    import subprocess
    import sys
    from pathlib import Path
    folder = tmp_path / "memo-printer-x"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-m", "pipeline.memo.printer", str(folder / "socket"),
                           str(tmp_path / "no-such-browser")], input=("00" * 32 + "\n").encode(),
                          capture_output=True, cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert proc.returncode != 0
    assert not folder.exists(), "the server's folder was left after its error"


@needs_chromium
def test_a_server_first_asked_for_in_a_thread_outlives_the_thread():
    """``render_memos`` asks for the printer in a pool thread: the server must not die when that
    thread ends (Linux's PR_SET_PDEATHSIG is per thread)."""
    box = {}
    t = threading.Thread(target=lambda: box.setdefault("p", printer_mod.start()))
    t.start()
    t.join()
    p = box["p"]
    assert p is not None
    try:
        time.sleep(1.5)
        assert p.proc.poll() is None, "the server died with the thread that started it"
        assert TEXT in _page_text(p.print_pdf(f"<p>{TEXT}</p>", timeout=60)).replace("\r\n", "").replace("\n", "")
    finally:
        p.stop()


def test_a_cjk_face_with_truetype_outlines_is_chosen_before_a_cff_one():
    from pipeline.memo.fonts import CJKFont, _Installed, choose
    noto = _Installed("/f/NotoSansCJK-Regular.ttc", ("Noto Sans CJK SC",), "CFF")
    wqy = _Installed("/f/wqy-microhei.ttc", ("WenQuanYi Micro Hei Mono",), "TrueType")
    wqy_body = _Installed("/f/wqy-microhei.ttc", ("WenQuanYi Micro Hei", "文泉驿微米黑"), "TrueType")
    other_tt = _Installed("/f/odd.ttf", ("Some Song",), "TrueType")
    assert choose([noto, wqy, wqy_body]) == CJKFont("WenQuanYi Micro Hei", "/f/wqy-microhei.ttc")
    assert choose([noto]) == CJKFont("Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc")
    # a preferred face beats an unlisted one of the same outlines; an unlisted TrueType face beats
    # nothing but is taken only when no listed face exists
    assert choose([other_tt, noto]) == CJKFont("Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc")
    assert choose([wqy, other_tt]) == CJKFont("Some Song", "/f/odd.ttf")
    assert choose([wqy]) is None              # a monospaced face alone is not the memo's body face
    assert choose([]) is None


@needs_chromium
def test_a_truetype_cjk_face_is_embedded_as_a_font_not_as_type3_glyph_procedures(server):
    import subprocess

    from pipeline.memo.fonts import _fc_list, find_cjk_font
    font = find_cjk_font()
    if font is None or not any(f.path == font.path and f.outlines == "TrueType" for f in _fc_list()):
        pytest.skip("no CJK font with TrueType outlines installed (make sysdeps installs fonts-wqy-microhei)")
    pdf = server.print_pdf(f'<p style="font-family: \'{font.family}\'">{TEXT}</p>')
    assert TEXT.split()[0] in _page_text(pdf)
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        listing = subprocess.run(["pdffonts", f.name], capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all("CID TrueType" in r for r in rows), listing
