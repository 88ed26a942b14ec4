"""memo.pdf printed by one headless Chromium that serves the whole batch.

WeasyPrint lays a 20-page memo out in Python in about 2.5 CPU seconds; Chromium prints the same
HTML in about 0.55, counting all its processes (``docs/performance.md``).  Starting Chromium costs more than that (about
1.5 CPU seconds with Playwright's driver), and a batch forks a fresh worker per dossier, so the
browser cannot live in the worker: :func:`start` runs a print server (this module run as
``python -m pipeline.memo.printer``) from the batch's process before it forks its workers, and
every worker sends its memo's HTML to it over a Unix socket (``multiprocessing.connection``,
in a private folder, with a random key) and gets the PDF back.

What the server does with the HTML: sets it as the content of a free page (one per core, so
that the workers' memos print at once; each connection is answered in a thread of its own) of a
browser context that has JavaScript off, is offline and aborts every request (the pictures are ``data:`` URIs,
which are no requests), and prints it with the page size and margins of its ``@page`` rule
(``@page`` margin boxes carry the page numbers).  The Chinese text is real text: Chromium
embeds the CJK font's glyphs (as Type 3 fonts, each with its ToUnicode map).

A print that fails or takes longer than :data:`PRINT_TIMEOUT_S` raises :class:`PrinterError`;
``to_pdf`` then prints with WeasyPrint instead.  No Chromium (``chromium`` not on the PATH, or
``PIPELINE_PDF_ENGINE=weasyprint``): no server, WeasyPrint prints.

The server leaves when its starter stops it (:meth:`Printer.stop`, also at the starter's exit)
or when the starting process dies (it is then re-parented: a watcher thread checks its parent's
pid twice a second); Playwright's driver and Chromium leave with it, and the server removes its
private folder (the socket's) whenever it stops, also after an error or a kill of its starter.
Not ``PR_SET_PDEATHSIG``: Linux sends that signal when the starting *thread* ends, and a server
first asked for from a short-lived thread (``render_memos`` prints in a thread pool) died with it.
"""
from __future__ import annotations

import atexit
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

ENGINE_ENV = "PIPELINE_PDF_ENGINE"      # "chromium" (the default where it is installed) or "weasyprint"
CHROMIUM_ENV = "PIPELINE_CHROMIUM"      # the browser's path, when it is not `chromium` on the PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
START_TIMEOUT_S = 60.0                  # browser started and answering
PRINT_TIMEOUT_S = 120.0                 # one memo printed (a 20-page memo takes about 1 s)
PAGES = max(1, os.cpu_count() or 1)     # memos printed at once (each page has its own renderer)
CHROMIUM_ARGS = ("--disable-gpu", "--disable-extensions", "--no-first-run", "--disable-background-networking",
                 "--disable-sync", "--disable-default-apps", "--mute-audio")


class PrinterError(RuntimeError):
    """The print server could not print this memo."""


def chromium_path() -> Optional[str]:
    """The Chromium to print with, or None when there is none or WeasyPrint is asked for."""
    if os.environ.get(ENGINE_ENV, "chromium").strip().lower() == "weasyprint":
        return None
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class Printer:
    """A running print server: where to reach it, and (in its starter) its process."""
    address: str
    authkey: bytes
    version: str                         # Chromium's version, e.g. "156.0.8078.114"
    proc: Optional[subprocess.Popen] = None
    owner: int = 0                       # pid of the process that started it

    def print_pdf(self, html: str, timeout: float = PRINT_TIMEOUT_S) -> bytes:
        from multiprocessing.connection import Client
        try:
            with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
                conn.send_bytes(html.encode("utf-8"))
                if not conn.poll(timeout):
                    raise PrinterError(f"no answer from the print server in {timeout:g} s")
                answer = conn.recv_bytes()
        except (OSError, EOFError) as e:
            raise PrinterError(f"print server unreachable: {type(e).__name__}: {e}") from e
        if not answer.startswith(b"%PDF-"):
            raise PrinterError(answer.decode("utf-8", "replace")[:500])
        return answer

    def stop(self) -> None:
        """Stop the server (only in the process that started it; forked workers leave it be)."""
        if self.proc is None or os.getpid() != self.owner:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(Path(self.address).parent, ignore_errors=True)


def start(chromium: Optional[str] = None) -> Optional[Printer]:
    """Start a print server (None when there is no Chromium or it does not start; the reason is
    logged and WeasyPrint prints)."""
    chromium = chromium or chromium_path()
    if chromium is None:
        return None
    folder = tempfile.mkdtemp(prefix="memo-printer-")          # 0700: only this user reaches the socket
    address = os.path.join(folder, "socket")
    authkey = secrets.token_bytes(32)
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    try:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.memo.printer", address, chromium],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=root)
        proc.stdin.write(authkey.hex().encode() + b"\n")
        proc.stdin.close()
        line = _read_line(proc, START_TIMEOUT_S)
    except OSError as e:
        log.warning("Chromium print server not started (%s); memo.pdf is printed by WeasyPrint", e)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    if not line.startswith("ready "):
        log.warning("Chromium print server not started (%s); memo.pdf is printed by WeasyPrint",
                    line.strip() or f"exit {proc.poll()}")
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
        return None
    proc.stdout.close()
    printer = Printer(address, authkey, line.split()[1], proc, os.getpid())
    atexit.register(printer.stop)
    return printer


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    import select
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline().decode("utf-8", "replace") if ready else ""


# ---------------------------------------------------------------- the server (its own process)

PARENT_CHECK_S = 0.5                    # how often the server looks whether its starter still lives


def _die_with_parent() -> None:
    """SIGTERM to this process once the process that started it is gone (re-parented)."""
    import threading
    import time
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


class _Browser:
    """Chromium with :data:`PAGES` pages in a context that runs no script and fetches nothing,
    so that as many memos print at once; a page that failed is replaced, and a browser that no
    longer gives pages is launched again (its other pages fail once each and are replaced)."""

    def __init__(self, pw, chromium: str):
        import asyncio
        self.pw, self.chromium = pw, chromium
        self.pages: asyncio.Queue = asyncio.Queue()
        self.relaunching = asyncio.Lock()

    async def start(self) -> None:
        await self._launch()
        for _ in range(PAGES):
            self.pages.put_nowait(await self.context.new_page())

    async def _launch(self) -> None:
        self.browser = await self.pw.chromium.launch(executable_path=self.chromium, args=list(CHROMIUM_ARGS))
        self.context = await self.browser.new_context(java_script_enabled=False, offline=True,
                                                      accept_downloads=False)
        await self.context.route("**/*", _abort)          # data: URIs are no requests
        self.context.set_default_timeout(PRINT_TIMEOUT_S * 1000)

    async def print_pdf(self, html: str) -> bytes:
        page = await self.pages.get()
        try:
            if page.is_closed() or page.context is not self.context:
                page = await self._replace(page)        # a page of a browser that died
            await page.set_content(html, wait_until="load")
            return await page.pdf(prefer_css_page_size=True, print_background=True)
        except Exception:
            page = await self._replace(page)
            raise
        finally:
            self.pages.put_nowait(page)

    async def _replace(self, page):
        try:
            await page.close()
        except Exception:
            pass
        try:
            return await self.context.new_page()
        except Exception:
            pass
        async with self.relaunching:
            if not self.browser.is_connected():
                await self._launch()
        return await self.context.new_page()


async def _abort(route) -> None:
    await route.abort()


def _answer(conn, chrome: _Browser, loop) -> None:
    """Read one memo's HTML from ``conn``, answer with its PDF or with the reason it failed (in a
    thread of its own; the printing itself runs on the event loop)."""
    import asyncio
    with conn:
        try:
            html = conn.recv_bytes().decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError):
            return
        try:
            answer = asyncio.run_coroutine_threadsafe(chrome.print_pdf(html), loop).result(PRINT_TIMEOUT_S * 2)
        except Exception as e:          # answer with the reason
            answer = f"Chromium: {type(e).__name__}: {e}".encode("utf-8")
        try:
            conn.send_bytes(answer)
        except OSError:
            pass


def _accept(listener, chrome: _Browser, loop) -> None:
    """Each connection answered in a thread of its own."""
    import multiprocessing
    import threading
    while True:
        try:
            conn = listener.accept()
        except (multiprocessing.AuthenticationError, EOFError, ConnectionError):
            continue                    # a client that failed the key or left: next one
        except OSError:
            return                      # the listener was closed
        threading.Thread(target=_answer, args=(conn, chrome, loop), daemon=True).start()


async def _serve(address: str, authkey: bytes, chromium: str) -> None:
    import asyncio
    import threading
    from multiprocessing.connection import Listener

    from playwright.async_api import async_playwright
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with async_playwright() as pw:
        chrome = _Browser(pw, chromium)
        await chrome.start()
        with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
            print(f"ready {chrome.browser.version}", flush=True)
            _quiet_stdout()             # nobody reads the pipe from now on: a full pipe must not block us
            threading.Thread(target=_accept, args=(listener, chrome, loop), daemon=True).start()
            await stop.wait()
        await chrome.browser.close()


def serve(address: str, authkey: bytes, chromium: str) -> None:
    """Serve until SIGTERM (from the starter, or from :func:`_die_with_parent`); the socket's
    private folder is removed whichever way the server stops."""
    import asyncio
    signal.signal(signal.SIGTERM, _exit_on_term)     # until the event loop takes SIGTERM over
    try:
        _die_with_parent()
        asyncio.run(_serve(address, authkey, chromium))
    finally:
        shutil.rmtree(os.path.dirname(address), ignore_errors=True)


def _exit_on_term(signum, frame) -> None:
    raise SystemExit(0)


def _quiet_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


if __name__ == "__main__":
    key = bytes.fromhex(sys.stdin.readline().strip())
    serve(sys.argv[1], key, sys.argv[2])
