"""The batch run: worker processes, the ledger (skip unchanged, resume after kill -9), the
per-dossier time limit, failures that cost one dossier, and the run's summary files."""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.ledger import Ledger
from pipeline.process import Options
from pipeline.runner import Progress, run_batch

from .docx_builder import build
from .test_bad_inputs import MINI_FORM

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "dossiers"
PICK = ("gd-yangjiang-knives", "gs-dingxi-potato", "gx-rongxian-furniture")
FORMATS = "html,md,docx"              # the PDF is tested in test_memo.py; it would only slow this down
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def make_inputs(root: Path) -> Path:
    """Three samples: two folders and one zipped."""
    inp = root / "in"
    inp.mkdir()
    for name in PICK[:2]:
        shutil.copytree(SAMPLES / name, inp / name)
    with zipfile.ZipFile(inp / f"{PICK[2]}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted((SAMPLES / PICK[2]).iterdir()):
            z.write(f, f"{PICK[2]}/{f.name}")
    return inp


def run_cli(inp: Path, out: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--formats", FORMATS,
                           *map(str, extra)], cwd=ROOT, capture_output=True, text=True, timeout=600, env=ENV)


def comparable(folder: Path) -> dict:
    """A dossier folder's outputs minus what legitimately differs between runs (timings)."""
    ext = json.loads((folder / "extraction.json").read_text(encoding="utf-8"))
    ext["meta"].pop("timings", None)
    with zipfile.ZipFile(folder / "memo.docx") as z:
        docx_body = z.read("word/document.xml")
    return {"files": sorted(p.name for p in folder.iterdir()), "extraction": ext,
            "md": (folder / "memo.md").read_text(encoding="utf-8"),
            "html": (folder / "memo.html").read_text(encoding="utf-8"), "docx": docx_body}


def ledger_rows(out: Path) -> dict:
    db = sqlite3.connect(out / "ledger.sqlite")
    db.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in db.execute("SELECT * FROM dossiers")}
    finally:
        db.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    inp = make_inputs(root)
    out = root / "out"
    r = run_cli(inp, out, "--workers", "2")
    return inp, out, r


def test_batch_writes_every_dossier_the_summary_and_the_index(reference):
    inp, out, r = reference
    assert r.returncode == 0, r.stderr
    for d in PICK:
        assert {"extraction.json", "memo.html", "memo.md", "memo.docx"} <= {p.name for p in (out / d).iterdir()}
    assert "完成 3，失败 0，跳过 0" in r.stderr
    assert "[3/3]" in r.stderr and "预计剩余" in r.stderr, "plain progress lines when not on a terminal"
    table = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [t["编号"] for t in table] == sorted(PICK)
    assert all(t["预审结论"] == "通过" and t["集群名称"] for t in table)
    assert float(next(t for t in table if t["编号"] == "gs-dingxi-potato")["总产值·第三年（亿元）"]) == 32.42
    index = (out / "index.html").read_text(encoding="utf-8")
    for d in PICK:
        assert f'href="{d}/memo.html"' in index and f'href="{d}/memo.docx"' in index
    assert (out / "summary.xlsx").stat().st_size > 3000
    rows = ledger_rows(out)
    assert {k: v["status"] for k, v in rows.items()} == {d: "done" for d in PICK}
    db = sqlite3.connect(out / "ledger.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    files = db.execute("SELECT name, sha256 FROM files WHERE dossier_id='gs-dingxi-potato' ORDER BY name").fetchall()
    db.close()
    assert len(files) == len(list((SAMPLES / "gs-dingxi-potato").iterdir()))
    assert all(len(sha) == 64 for _, sha in files)


def test_rerun_skips_unchanged_dossiers_and_redoes_a_changed_one(reference, tmp_path):
    inp, out, _ = reference
    before = ledger_rows(out)
    mtimes = {d: (out / d / "extraction.json").stat().st_mtime_ns for d in PICK}
    r = run_cli(inp, out)
    assert r.returncode == 0, r.stderr
    assert "跳过 3 份未变更的申报材料" in r.stderr and "完成 0，失败 0，跳过 3" in r.stderr
    assert ledger_rows(out) == before
    assert {d: (out / d / "extraction.json").stat().st_mtime_ns for d in PICK} == mtimes
    # a changed file makes its dossier new again (into a copy of OUT, to keep the reference intact)
    out2, inp2 = tmp_path / "out", tmp_path / "in"
    shutil.copytree(out, out2)
    shutil.copytree(inp, inp2)
    extra = inp2 / PICK[0] / "补充说明.docx"
    shutil.copy(next((SAMPLES / PICK[1]).glob("附件3*.docx")), extra)
    r = run_cli(inp2, out2)
    assert "完成 1，失败 0，跳过 2" in r.stderr, r.stderr
    rows = ledger_rows(out2)
    assert rows[PICK[0]]["attempts"] == 2 and rows[PICK[1]]["attempts"] == 1
    names = [s["file"] for s in json.loads((out2 / PICK[0] / "extraction.json").read_text("utf-8"))["sources"]]
    assert "补充说明.docx" in names


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to watch the workers")
def test_a_run_killed_with_sigkill_resumes_without_redoing_finished_dossiers(reference, tmp_path):
    inp, ref_out, _ = reference
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--formats", FORMATS]
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    deadline = time.time() + 300
    workers: list[int] = []
    while time.time() < deadline:
        time.sleep(0.2)
        if (out / "ledger.sqlite").exists():
            try:
                rows = ledger_rows(out)
            except sqlite3.OperationalError:
                continue
            done = [k for k, v in rows.items() if v["status"] == "done"]
            running = [k for k, v in rows.items() if v["status"] == "running"]
            if done and running:
                workers = _children(p.pid)
                if workers:          # the ledger can say "running" a moment before the fork
                    break
        assert p.poll() is None, "the run ended before it could be killed"
    assert workers, "a worker should be busy with the next dossier"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(30)
    p.stderr.close()
    # the workers die with the batch: nothing keeps writing into OUT
    t = time.time()
    while any(_alive(w) for w in workers) and time.time() - t < 15:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "a worker outlived the killed batch"

    killed = ledger_rows(out)
    finished = {k: v for k, v in killed.items() if v["status"] == "done"}
    assert finished and any(v["status"] == "running" for v in killed.values())
    db = sqlite3.connect(out / "ledger.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    for d in out.iterdir():              # whatever is in OUT is whole
        if d.is_dir() and not d.name.startswith("."):
            json.loads((d / "extraction.json").read_text(encoding="utf-8"))
            assert (d / "memo.md").exists() and (d / "memo.docx").exists() and (d / "memo.html").exists()
    mtimes = {k: (out / k / "extraction.json").stat().st_mtime_ns for k in finished}

    r = run_cli(inp, out)
    assert r.returncode == 0, r.stderr
    assert f"跳过 {len(finished)} 份未变更的申报材料" in r.stderr
    rows = ledger_rows(out)
    assert all(v["status"] == "done" for v in rows.values()) and set(rows) == set(PICK)
    for k, v in finished.items():
        assert rows[k]["finished"] == v["finished"] and rows[k]["attempts"] == 1, f"{k} was redone"
        assert (out / k / "extraction.json").stat().st_mtime_ns == mtimes[k]
    assert not any((out / ".staging").glob("*/*/*")), "no staged leftovers"
    for d in PICK:
        assert comparable(out / d) == comparable(ref_out / d), d


# --------------------------------------------------------------------------- failures
def _misbehave(d, opts, out):
    """A stand-in for ``process`` that fails in every way a dossier can, by name."""
    from pipeline.process import process
    if d.id == "slow":
        time.sleep(600)
    if d.id == "crash":
        os._exit(3)
    if d.id == "boom":
        raise RuntimeError("a reader bug")
    return process(d, opts, out)


def test_failures_cost_one_dossier_each_and_are_recorded(tmp_path):
    inp = tmp_path / "in"
    for name in ("slow", "crash", "boom"):
        (inp / name).mkdir(parents=True)
        (inp / name / "申报表.docx").write_bytes(b"PK\x03\x04 whatever")
    (inp / "good").mkdir()
    build(inp / "good" / "申报表.docx", MINI_FORM)
    (inp / "zipped-junk.zip").write_bytes(b"this is not a zip")
    out = tmp_path / "out"
    log = tmp_path / "log.txt"
    with open(log, "w", encoding="utf-8") as stream:
        s = run_batch([inp], out, Options(formats=("html", "md")), workers=2, dossier_timeout=6,
                      stream=stream, work=_misbehave)
    text = log.read_text(encoding="utf-8")
    assert (s.done, s.failed, s.skipped) == (2, 3, 0), text
    rows = ledger_rows(out)
    assert {k: v["status"] for k, v in rows.items()} == {"slow": "failed", "crash": "failed", "boom": "failed",
                                                         "good": "done", "zipped-junk": "done"}
    assert "per-dossier time limit of 6 s" in rows["slow"]["error"]
    assert "worker died (exit code 3)" in rows["crash"]["error"]
    assert "RuntimeError: a reader bug" in rows["boom"]["error"]
    import jsonschema
    schema = json.loads((ROOT / "pipeline" / "schema" / "extraction.schema.json").read_text(encoding="utf-8"))
    for name in ("slow", "crash", "boom"):       # each failure leaves a record naming it, in the contract's shape
        ext = json.loads((out / name / "extraction.json").read_text(encoding="utf-8"))
        jsonschema.validate(ext, schema)
        assert ext["problems"][0]["kind"] in ("timeout", "crashed", "error")
        assert ext["problems"][0]["message"] == rows[name]["error"]
        assert rows[name]["error"] in (out / name / "memo.html").read_text(encoding="utf-8").replace("&#39;", "'")
    junk = json.loads((out / "zipped-junk" / "extraction.json").read_text(encoding="utf-8"))
    assert any("corrupt zip" in p["message"] for p in junk["problems"])
    assert (out / "good" / "memo.md").exists()
    table = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {t["编号"]: t["处理状态"] for t in table} == {"boom": "处理失败", "crash": "处理失败", "good": "已完成",
                                                     "slow": "处理失败", "zipped-junk": "已完成"}
    assert "失败 failed: slow" in text
    # a rerun retries the failures only
    with open(log, "w", encoding="utf-8") as stream:
        s = run_batch([inp], out, Options(formats=("html", "md")), workers=2, dossier_timeout=6,
                      stream=stream, work=_misbehave)
    assert (s.done, s.failed, s.skipped) == (0, 3, 2)


def test_one_run_at_a_time_per_output_folder(tmp_path):
    import fcntl

    from pipeline.runner import LOCK_NAME, RunLocked
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(RunLocked):
            run_batch([SAMPLES / "gs-dingxi-potato"], out, Options(formats=("md",)))
    finally:
        os.close(fd)


def test_progress_bar_on_a_terminal(tmp_path):
    import io
    buf = io.StringIO()
    p = Progress(4, buf, tty=True)
    for i in range(4):
        p.advance(f"d{i}", "done" if i else "failed", "pass", 1.0)
    p.close()
    text = buf.getvalue()
    assert "4/4" in text and "份" in text and "完成 3 失败 1" in text and "<" in text    # tqdm's ETA field
    assert "d0: pass" in text


def test_recover_puts_back_a_folder_left_aside(tmp_path):
    from pipeline.outputs import STAGING, recover
    old = tmp_path / STAGING / "12345" / "old" / "x"
    old.mkdir(parents=True)
    (old / "extraction.json").write_text("{}")
    (tmp_path / STAGING / "12345" / "new" / "x").mkdir(parents=True)
    assert recover(tmp_path) == ["x"]
    assert (tmp_path / "x" / "extraction.json").exists() and not (tmp_path / STAGING / "12345").exists()
    assert Ledger(tmp_path).dossiers() == []


def test_check_rewrites_findings_and_memos_of_a_corrected_extraction(reference, tmp_path):
    _, out, _ = reference
    folder = tmp_path / PICK[1]
    shutil.copytree(out / PICK[1], folder)
    path = folder / "extraction.json"
    ext = json.loads(path.read_text(encoding="utf-8"))
    ext["fields"]["cover.cluster_name"]["value"] = "更正后的集群名称"
    path.write_text(json.dumps(ext, ensure_ascii=False), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pipeline", "check", str(path), "--formats", "html,md"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"{PICK[1]}: ")
    html = (folder / "memo.html").read_text(encoding="utf-8")
    assert "<h1>更正后的集群名称</h1>" in html and "未附原件截图" in html
    assert (folder / "memo.md").read_text(encoding="utf-8").startswith("# 更正后的集群名称")
    assert json.loads(path.read_text(encoding="utf-8"))["fields"]["cover.cluster_name"]["value"] == "更正后的集群名称"


def test_without_a_cjk_font_the_run_and_the_dossier_say_so_and_no_pdf_is_written(tmp_path, monkeypatch):
    import pipeline.memo as memo
    import pipeline.memo.fonts as fonts
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    monkeypatch.setattr(memo, "find_cjk_font", lambda: None)
    (tmp_path / "in" / "mini").mkdir(parents=True)
    build(tmp_path / "in" / "mini" / "申报表.docx", MINI_FORM)
    log = tmp_path / "log.txt"
    with open(log, "w", encoding="utf-8") as stream:
        s = run_batch([tmp_path / "in"], tmp_path / "out", Options(formats=("md", "pdf")), stream=stream)
    assert s.done == 1
    assert "WARNING" in log.read_text(encoding="utf-8") and "fonts-noto-cjk" in log.read_text(encoding="utf-8")
    folder = tmp_path / "out" / "mini"
    assert not (folder / "memo.pdf").exists() and (folder / "memo.md").exists()
    problems = json.loads((folder / "extraction.json").read_text(encoding="utf-8"))["problems"]
    assert [p["kind"] for p in problems] == ["no_cjk_font"]
