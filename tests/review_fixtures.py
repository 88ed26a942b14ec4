"""Shared set-up of the review workbench tests: a real run of a small DOCX sample (copied, so a
test may change its files), a reviewer account, a signed-in test client, and a parser of the
page contract (``data-field`` items and their ``value`` controls)."""
from __future__ import annotations

import io
import json
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


# -- a scanned dossier without minutes of OCR ------------------------------------------------
SCAN = "gx-beiliu-ceramics-scan"       # its form is the scan of gx-beiliu-ceramics-pdf's pages
SCAN_TWIN = "gx-beiliu-ceramics-pdf"
NUMBER, TICKS, TEXT = "basic.area_km2", "basic.industry_type", "basic.operator_contact"


def scanned_output(root: Path) -> Path:
    """``root/out`` holding ``gx-beiliu-ceramics-scan`` as the scan reader reports an unsure page.

    The scanned sample's form is a scan of the same pages as the ``-pdf`` rendition, so the
    fields read from the PDF's text layer (fast) carry the scan's page and bbox; they are
    re-pointed at the scanned file (name, sha256, format ``scan``) and two of them are made
    what OCR gives on a bad day: the area read unsurely (``2Z.4O`` at 0.46), the industry
    type's tick undecided (0.3) and a contact's name read right at 0.62.  Checks and memos are then run as for any extraction, and the
    ledger records the dossier's input, so crops come from the real scanned file."""
    from pipeline.dossiers import DossierInput, file_sha256
    from pipeline.ledger import Ledger
    from pipeline.model import Extraction, FieldValue
    from pipeline.outputs import write_folder
    from pipeline.process import run_validators
    from pipeline.summary import summary_row

    inputs, out = root / "in", root / "out"
    copy_sample(SCAN_TWIN, inputs)
    copy_sample(SCAN, inputs)
    twin_json = run_sample(SCAN_TWIN, inputs, root / "twin-out")
    twin = Extraction.from_json(json.loads(twin_json.read_text(encoding="utf-8")))
    scan_form = next(p for p in (inputs / SCAN).iterdir() if p.suffix == ".pdf")
    twin_form = twin.meta["form_file"]
    ext = twin
    ext.dossier_id = SCAN
    for s in ext.sources:
        if s.file == twin_form:
            s.file, s.sha256, s.format = scan_form.name, file_sha256(scan_form), "scan"
    for fv in ext.fields.values():
        if fv.source is not None and fv.source.file == twin_form:
            fv.source.file = scan_form.name
    ext.meta["form_file"] = scan_form.name
    area, kind = ext.fields[NUMBER], ext.fields[TICKS]
    ext.fields[NUMBER] = FieldValue(None, "2Z.4O", 0.46, area.source, note="bad_number")
    ext.fields[TICKS] = FieldValue(None, kind.raw.replace("☑", "?"), 0.3, kind.source,
                                   note="unknown_glyph: 第二产业 (scan-ink)")
    ext.fields[TEXT].confidence = 0.62                # an OCR line read right, but unsurely
    run_validators(ext)
    write_folder(ext, out, ("html", "md"))
    d = DossierInput(SCAN, inputs / SCAN, "dir")
    led = Ledger(out)
    run_id = led.start_run([str(inputs / SCAN)], {}, 1)
    led.start(SCAN, str(d.path), d.kind, d.fingerprint(), "{}", run_id)
    led.finish(SCAN, status="done", seconds=0.0, summary=summary_row(ext), files=[s.to_dict() for s in ext.sources])
    led.close()
    return out
