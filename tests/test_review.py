"""The review workbench through Flask's test client, on a real run of a planted DOCX sample:
sign-in, CSRF, headers, the page contract, a correction and a confirmation round trip (JSON,
store, findings, memo), escaping, lookups by id only, the queue, the CLI's --add-user, and
reruns (unchanged inputs keep corrections; a changed file flags them)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

from pipeline.review import store
from pipeline.schema import build_schema

from .expected import ROOT
from .review_fixtures import (
    PASSWORD,
    USER,
    add_reviewer,
    app_for,
    copy_sample,
    parse_items,
    run_sample,
    signed_in,
    token,
)
from .shared_run import once

DOSSIER = "planted-cn-blanks"          # a bad number, a choice left blank, a double tick, no signature


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    def build(root):
        copy_sample(DOSSIER, root / "in")
        run_sample(DOSSIER, root / "in", root / "out")
    return once(tmp_path_factory, "review-base", build)


@pytest.fixture
def out(base, tmp_path):
    """A private copy of the run's output (its ledger still names the shared input)."""
    o = tmp_path / "out"
    shutil.copytree(base / "out", o)
    add_reviewer(o)
    return o


@pytest.fixture
def client(out):
    return signed_in(app_for(out))


def extraction(out):
    return json.loads((out / DOSSIER / "extraction.json").read_text(encoding="utf-8"))


def rules_of(data):
    return {(f["rule"], tuple(f["fields"])) for f in data["findings"] if f["severity"] != "info"}


def save(client, fid, *values, action="save", reason=None, csrf=True):
    page = client.get(f"/d/{DOSSIER}/fields").get_data(as_text=True)
    data = {"field": fid, "value": list(values), "action": action}
    if reason:
        data["reason"] = reason
    if csrf:
        data["csrf_token"] = token(page)
    return client.post(f"/d/{DOSSIER}/save", data=data)


# -- who may do what -----------------------------------------------------------------------
def test_every_page_needs_sign_in(out):
    c = app_for(out).test_client()
    for url in ("/", f"/d/{DOSSIER}", f"/d/{DOSSIER}/fields", f"/d/{DOSSIER}/memo",
                f"/d/{DOSSIER}/crop/open.overseas_branches.png"):
        r = c.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login"), url
    before = extraction(out)
    r = c.post(f"/d/{DOSSIER}/save", data={"field": "open.overseas_branches", "value": "3"})
    assert r.status_code in (400, 401)
    assert extraction(out) == before


def test_wrong_password_is_refused(out):
    c = app_for(out).test_client()
    page = c.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    r = c.post("/login", data={"username": USER, "password": PASSWORD + "x", "csrf_token": token(page)})
    assert r.status_code == 401 and "用户名或密码不正确" in r.get_data(as_text=True)
    assert c.get("/").status_code == 302


def test_post_without_csrf_token_is_refused(client, out):
    before = extraction(out)
    r = save(client, "open.overseas_branches", "3", csrf=False)
    assert r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
    assert extraction(out) == before
    assert store.corrections_of(store.engine_for(out), DOSSIER) == []
    r = client.post("/logout")                          # logging out is a change too
    assert r.status_code == 400


def test_headers_and_cookies(out):
    c = app_for(out).test_client()
    r = c.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "<script>" not in r.get_data(as_text=True)     # scripts are files, never inline
    c = signed_in(app_for(out))
    for url in ("/", f"/d/{DOSSIER}", f"/d/{DOSSIER}/fields", f"/d/{DOSSIER}/memo", "/static/review.js"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert "default-src 'none'" in r.headers["Content-Security-Policy"], url
    assert "script-src" not in c.get(f"/d/{DOSSIER}/memo").headers["Content-Security-Policy"]


def test_cli_binds_to_localhost_by_default():
    from pipeline.cli import _parser
    a = _parser().parse_args(["review", "out"])
    assert a.host == "127.0.0.1" and a.port == 8765


def test_add_user_reads_the_password_from_stdin(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipeline", "review", str(tmp_path), "--add-user", "李四"],
                       input="a-long-password\n", cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    eng = store.engine_for(tmp_path)
    with eng.connect() as c:
        h = c.execute(store.users.select()).one().password_hash
    assert h.startswith("scrypt:") and "a-long-password" not in h
    assert store.check_user(eng, "李四", "a-long-password") and not store.check_user(eng, "李四", "other")
    r = subprocess.run([sys.executable, "-m", "pipeline", "review", str(tmp_path), "--add-user", "王五"],
                       input="short\n", cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "至少 8 个字符" in r.stderr


# -- the page ------------------------------------------------------------------------------
def test_review_page_order_and_contract(client, out):
    html = client.get(f"/d/{DOSSIER}").get_data(as_text=True)
    p = parse_items(html)
    # what could not be read comes first, then errors, then warnings
    assert p.order[0] == "open.overseas_branches"
    assert html.index("未能确认的识别结果") < html.index("核查发现")
    assert set(p.order) >= {"innovation.rd_staff_ratio", "digital.software_rising", "basic.provincial_cluster",
                            "declaration.signed"}
    for fid, controls in p.items.items():
        assert controls, fid
        if len(controls) > 1:                      # a tick group: one box per option, valued by its label
            assert all(t == "input" and ty in ("radio", "checkbox") for t, ty, _, _ in controls), fid
    radios = p.items["digital.software_rising"]
    assert [v for _, _, v, _ in radios] == ["是", "否"] and {ty for _, ty, _, _ in radios} == {"radio"}
    assert p.items["open.overseas_branches"] == [("input", "number", "", False)]
    # a single choice read with two ticks is shown as checkboxes, both ticked: no tick lost on save
    assert [(ty, ch) for _, ty, _, ch in p.items["basic.provincial_cluster"]] == [("checkbox", True)] * 2
    assert p.autofocus == ["open.overseas_branches"]
    assert "若干个" in html and "（个）" in html         # the value as read, and the unit
    assert "表6 行3 列2" in html                        # a DOCX source: its table, row and column
    annex = parse_items(client.get(f"/d/{DOSSIER}/fields").get_data(as_text=True))
    assert len(annex.order) == len(extraction(out)["fields"])


def test_correction_round_trip(client, out):
    before = extraction(out)
    assert ("field.bad_number", ("open.overseas_branches",)) in rules_of(before)
    r = save(client, "open.overseas_branches", "3", reason="原件为3个")
    assert r.status_code == 302
    assert "focus=innovation.rd_staff_ratio" in r.headers["Location"]       # on to the next item
    after = extraction(out)
    fv = after["fields"]["open.overseas_branches"]
    assert fv["value"] == 3 and fv["confidence"] == 1.0
    assert fv["read_value"] is None and fv["read_raw"] == "若干个" and fv["read_note"] == "bad_number"
    assert fv["corrections"][0]["by"] == USER and fv["corrections"][0]["action"] == "corrected"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", fv["corrections"][0]["at"])
    assert ("field.bad_number", ("open.overseas_branches",)) not in rules_of(after)
    jsonschema.validate(after, build_schema())
    rows = store.corrections_of(store.engine_for(out), DOSSIER)
    assert len(rows) == 1
    row = rows[0]
    assert (row["field"], json.loads(row["old_value"]), json.loads(row["new_value"]), row["reviewer"],
            row["reason"]) == ("open.overseas_branches", None, 3, USER, "原件为3个")
    assert row["source_sha256"] == next(s["sha256"] for s in after["sources"] if s["role"] == "form")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "已消除的核查发现" in page and "若干个" in page
    assert "open.overseas_branches" not in parse_items(page).order[:1]
    memo = (out / DOSSIER / "memo.html").read_text(encoding="utf-8")
    assert "1 项数值经复核人员确认或更正" in memo and f"复核人：{USER}" in memo and "✔ 已更正" in memo
    assert "✔ 已更正" in (out / DOSSIER / "memo.md").read_text(encoding="utf-8")


def test_tick_group_and_confirmation(client, out):
    r = save(client, "digital.software_rising", "是")
    assert r.status_code == 302
    data = extraction(out)
    assert data["fields"]["digital.software_rising"]["value"] == "是"
    assert ("choice.none", ("digital.software_rising",)) not in rules_of(data)
    r = save(client, "basic.provincial_cluster", "是", "否")   # a single choice given two: kept as written
    assert extraction(out)["fields"]["basic.provincial_cluster"]["value"] == ["是", "否"]
    r = save(client, "declaration.signed", action="accept")   # confirmed as read (no signature)
    fv = extraction(out)["fields"]["declaration.signed"]
    assert fv["value"] is False and fv["corrections"][-1]["action"] == "confirmed" and fv["read_value"] is False
    assert ("declaration.unsigned", ("declaration.signed",)) in rules_of(extraction(out))
    rows = store.corrections_of(store.engine_for(out), DOSSIER)
    assert [r["action"] for r in rows] == ["corrected", "corrected", "confirmed"]
    memo = (out / DOSSIER / "memo.html").read_text(encoding="utf-8")
    assert "3 项数值经复核人员确认或更正（更正 2 项，确认 1 项）" in memo


def test_bad_input_is_not_saved(client, out):
    before = extraction(out)
    r = save(client, "digital.software_rising", "也许")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "未保存" in page and "不是该栏目的选项" in page
    r = save(client, "open.overseas_branches", "3.5")
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "不是整数" in page
    assert extraction(out) == before


def test_submitted_script_is_escaped(client, out):
    evil = "<script>alert('x')</script>集群产业链"
    r = save(client, "industry.chain_text", evil)
    assert r.status_code == 302
    assert extraction(out)["fields"]["industry.chain_text"]["value"] == evil
    for url in (f"/d/{DOSSIER}/fields", f"/d/{DOSSIER}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in client.get(f"/d/{DOSSIER}/fields").get_data(as_text=True)
    memo = (out / DOSSIER / "memo.html").read_text(encoding="utf-8")
    assert "<script>alert" not in memo and "&lt;script&gt;" in memo


def test_lookups_are_by_id_only(client):
    for url in ("/d/..%2F..%2Fetc", "/d/nope", "/d/%2Fetc%2Fpasswd/fields", f"/d/{DOSSIER}/crop/..%2Fledger.png",
                f"/d/{DOSSIER}/crop/no.such.field.png", "/d/.staging/memo"):
        assert client.get(url).status_code == 404, url
    r = save(client, "../../etc/passwd", "x")
    assert r.status_code == 404


def test_queue_filters_and_marks(client, out):
    page = client.get("/").get_data(as_text=True)
    assert DOSSIER in page and "待审核（1）" in page
    save(client, "open.overseas_branches", "3")
    page = client.get("/?sort=reviewed").get_data(as_text=True)
    assert USER in page
    html = client.get(f"/d/{DOSSIER}").get_data(as_text=True)
    client.post(f"/d/{DOSSIER}/reviewed", data={"status": "reviewed", "csrf_token": token(html)})
    assert DOSSIER in client.get("/?filter=reviewed").get_data(as_text=True)
    assert DOSSIER not in client.get("/?filter=todo").get_data(as_text=True).split("<tbody>")[1]
    assert "已审核（1）" in client.get("/?filter=bogus&sort=bogus").get_data(as_text=True)


# -- reruns -----------------------------------------------------------------------------------
def test_rerun_keeps_corrections_and_a_changed_file_flags_them(tmp_path):
    inputs, out = copy_sample(DOSSIER, tmp_path / "in"), tmp_path / "out"
    path = run_sample(DOSSIER, inputs, out)
    add_reviewer(out)
    c = signed_in(app_for(out))
    save(c, "open.overseas_branches", "3")
    path = run_sample(DOSSIER, inputs, out, force=True)          # extracted again from unchanged files
    data = json.loads(path.read_text(encoding="utf-8"))
    fv = data["fields"]["open.overseas_branches"]
    assert fv["value"] == 3 and fv["read_raw"] == "若干个" and len(fv["corrections"]) == 1
    assert ("field.bad_number", ("open.overseas_branches",)) not in rules_of(data)
    assert "review" not in data["meta"]
    jsonschema.validate(data, build_schema())

    form = next(p for p in (inputs / DOSSIER).iterdir() if "申报表" in p.name)
    _touch_docx(form)
    page = signed_in(app_for(out)).get(f"/d/{DOSSIER}").get_data(as_text=True)
    assert "来源文件已变更或无法找到" in page and form.name in page           # before the rerun too
    path = run_sample(DOSSIER, inputs, out)                       # the changed file makes it run again
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["fields"]["open.overseas_branches"]["value"] is None         # not applied …
    stale = data["meta"]["review"]["stale"]
    assert [s["field"] for s in stale] == ["open.overseas_branches"] and stale[0]["value"] == 3   # … but shown
    page = signed_in(app_for(out)).get(f"/d/{DOSSIER}").get_data(as_text=True)
    assert "输入文件已变更" in page and "此前由张三" in page and "更正为“3”" in page
    assert parse_items(page).order[0] == "open.overseas_branches"


def _touch_docx(path):
    """Change the form file's bytes but not what it says (a re-saved document)."""
    import docx
    d = docx.Document(str(path))
    d.core_properties.comments = "re-saved"
    d.save(str(path))


def test_memo_docx_names_the_reviewer(out):
    import io

    import docx

    from pipeline.memo import render_memos
    from pipeline.model import Extraction
    from pipeline.review import corrections
    ext = Extraction.from_json(extraction(out))
    corrections.apply(ext, "open.overseas_branches", 3, "3", action="corrected", by="李四", at=store.now())
    corrections.apply(ext, "declaration.signed", None, None, action="confirmed", by="王五", at=store.now())
    d = docx.Document(io.BytesIO(render_memos(ext, ("docx",)).files["memo.docx"]))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert "2 项数值经复核人员确认或更正（更正 1 项，确认 1 项），复核人：李四、王五" in text
    assert "✔ 已更正（李四" in cells and "原识别为“—”" in cells and "✔ 已确认（王五" in cells


def test_no_save_while_a_run_writes(client, out):
    import fcntl
    import os

    from pipeline.runner import LOCK_NAME
    before = extraction(out)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)                  # as run_batch holds it
    try:
        r = save(client, "open.overseas_branches", "3")
    finally:
        os.close(fd)
    assert "批处理正在写入" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert extraction(out) == before
    save(client, "open.overseas_branches", "3")
    assert extraction(out)["fields"]["open.overseas_branches"]["value"] == 3
