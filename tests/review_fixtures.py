"""Shared set-up of the review workbench tests: a real run of a small DOCX sample (copied, so a
test may change its files), a reviewer account, a signed-in test client, and a parser of the
page contract (``data-field`` items and their ``value`` controls)."""
from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from pipeline.process import Options
from pipeline.review import store
from pipeline.review.app import create_app
from pipeline.runner import run_batch

from .expected import DOSSIERS

USER, PASSWORD = "张三", "correct-horse-9"


def run_sample(name: str, inputs: Path, out: Path, force: bool = False) -> Path:
    """The pipeline over ``inputs/<name>`` (html + md memos, one worker) into ``out``."""
    run_batch([inputs / name], out, Options(formats=("html", "md")), workers=1, force=force, stream=io.StringIO(),
              tty=False)
    return out / name / "extraction.json"


def copy_sample(name: str, dest: Path) -> Path:
    shutil.copytree(DOSSIERS / name, dest / name)
    return dest


def add_reviewer(out: Path, name: str = USER, password: str = PASSWORD) -> None:
    eng = store.engine_for(out)
    store.create_all(eng)
    store.add_user(eng, name, password)
    eng.dispose()


def token(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def app_for(out: Path):
    app = create_app(out)
    app.config["TESTING"] = True
    return app


def signed_in(app, name: str = USER, password: str = PASSWORD):
    c = app.test_client()
    r = c.get("/login")
    r = c.post("/login", data={"username": name, "password": password, "csrf_token": token(r.get_data(as_text=True))})
    assert r.status_code == 302, r.get_data(as_text=True)
    return c


class Items(HTMLParser):
    """{data-field: [(tag, type, value-attr, checked)] of the controls named ``value`` inside}."""

    def __init__(self):
        super().__init__()
        self.items: dict[str, list[tuple]] = {}
        self.order: list[str] = []
        self.autofocus: list[str] = []
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "img", "br", "meta", "link"):
            self._control(tag, a)
            return
        fid = a.get("data-field")
        if fid is not None:
            assert fid not in self.items, f"two items for {fid}"
            self.items[fid] = []
            self.order.append(fid)
        self._stack.append((tag, fid))
        if tag in ("textarea", "select"):
            self._control(tag, a)

    def _control(self, tag, a):
        current = next((f for _, f in reversed(self._stack) if f is not None), None)
        if current is None:
            return
        if a.get("name") == "value":
            self.items[current].append((tag, a.get("type"), a.get("value"), "checked" in a))
        if "autofocus" in a:
            self.autofocus.append(current)

    def handle_endtag(self, tag):
        while self._stack:
            t, _ = self._stack.pop()
            if t == tag:
                break


def parse_items(html: str) -> Items:
    p = Items()
    p.feed(html)
    return p
