"""The review workbench in a real headless browser (Playwright driving Debian's chromium):
sign in, open a scanned dossier, correct an unreadable number and an undecided tick group with
the keyboard alone, and see the findings go and the memo change.  Screenshots of the queue and
the review page are written to the test's temp folder (and to $REVIEW_SCREENSHOTS if set)."""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from pipeline.review import store

from .review_fixtures import NUMBER, PASSWORD, SCAN, TEXT, TICKS, USER, add_reviewer, app_for, scanned_output
from .shared_run import once

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed: "
                                                             "no browser test of the review workbench")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM} (make sysdeps installs it with apt): no browser test of the "
                "review workbench", allow_module_level=True)


@pytest.fixture
def server(tmp_path_factory, tmp_path):
    from werkzeug.serving import make_server
    base = once(tmp_path_factory, "review-scan", scanned_output)
    out = tmp_path / "out"
    shutil.copytree(base / "out", out)
    add_reviewer(out)
    srv = make_server("127.0.0.1", 0, app_for(out), threaded=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}", out
    finally:
        srv.shutdown()
        t.join(10)


@pytest.fixture
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            yield pg
        finally:
            browser.close()


def shot(pg, tmp_path, name):
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=name.endswith("full.png"))
    if os.environ.get("REVIEW_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["REVIEW_SCREENSHOTS"]) / name)


def test_keyboard_correction_of_a_scanned_dossier(server, page, tmp_path):
    base, out = server
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    shot(page, tmp_path, "review-queue.png")
    page.click(f"a:text('{SCAN}')")
    page.wait_for_load_state("networkidle")
    item = page.locator(f'[data-field="{NUMBER}"]')
    assert item.locator("img.crop").evaluate("img => img.complete && img.naturalWidth > 100")   # the scanned cell
    assert page.locator(f'[data-field="{TICKS}"] img.crop').evaluate("img => img.naturalWidth > 100")
    shot(page, tmp_path, "review-page.png")
    shot(page, tmp_path, "review-page-full.png")

    def focused():
        return page.evaluate("document.activeElement.closest('[data-field]')?.dataset.field")

    # a name read right but unsurely: focus is on it when the page opens; Alt+A confirms it as read
    assert focused() == TEXT and page.evaluate("document.activeElement.name") == "value"
    with page.expect_navigation():
        page.keyboard.press("Alt+A")
    # the number: type, Enter saves and moves on
    assert focused() == NUMBER
    page.keyboard.type("22.40")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused() == TICKS
    assert "已消除的核查发现" in page.content()

    # the tick group: arrow to 第二产业 (radios check as they move), Enter saves
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "第二产业"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    shot(page, tmp_path, "review-after.png")
    assert page.locator(f'[data-field="{NUMBER}"]').count() == 0      # no longer doubtful
    assert page.locator(f'[data-field="{TICKS}"]').count() == 0

    data = json.loads((out / SCAN / "extraction.json").read_text(encoding="utf-8"))
    area, kind = data["fields"][NUMBER], data["fields"][TICKS]
    assert area["value"] == 22.4 and area["read_raw"] == "2Z.4O" and area["read_confidence"] == 0.46
    assert kind["value"] == "第二产业" and kind["read_confidence"] == 0.3
    assert area["corrections"][0]["by"] == USER and kind["corrections"][0]["by"] == USER
    name = data["fields"][TEXT]
    assert name["corrections"][0]["action"] == "confirmed" and name["value"] == name["read_value"]
    assert name["confidence"] == 1.0 and name["read_confidence"] == 0.62
    assert not [f for f in data["findings"] if f["rule"] == "field.unreadable"]
    rows = store.corrections_of(store.engine_for(out), SCAN)
    assert [(r["field"], r["action"], json.loads(r["new_value"]), r["reviewer"]) for r in rows] == \
        [(TEXT, "confirmed", name["value"], USER), (NUMBER, "corrected", 22.4, USER),
         (TICKS, "corrected", "第二产业", USER)]

    page.goto(base + f"/d/{SCAN}/memo")
    memo = page.content()
    assert "3 项数值经复核人员确认或更正（更正 2 项，确认 1 项）" in memo and "原识别为“—”" in memo
    assert not errors, errors
