"""Nothing a submission holds can break the season (issue 16): each hostile input gives a
clear per-dossier result, or a clear message and exit status for the run, with nothing lost
and nothing outside OUT touched."""
from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from extractors import read_file
from extractors.errors import ReadError
from pipeline.dossiers import discover_all, member_name, safe_extract
from pipeline.isolation import run_isolated
from pipeline.process import Options
from pipeline.runner import run_batch

from .docx_builder import build
from .test_bad_inputs import MINI_FORM

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DOCX = ROOT / "samples" / "dossiers" / "gd-yangjiang-knives"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def form_of(cluster: str) -> list:
    """MINI_FORM for another cluster."""
    return [x.replace("测试县测试产业", cluster) if isinstance(x, str) else
            {"rows": [[c.replace("测试县测试产业", cluster) for c in row] for row in x["rows"]]} for x in MINI_FORM]


def zip_folder(z: zipfile.ZipFile, folder: Path, prefix: str) -> None:
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            z.write(f, f"{prefix}/{f.relative_to(folder).as_posix()}")


def docx_bomb(path: Path, mib: int = 200) -> None:
    """A small .docx whose document.xml declares ``mib`` MiB (highly compressible XML)."""
    tmp = path.with_suffix(".tmp.docx")
    build(tmp, MINI_FORM)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info, src.read(info))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body>')
            chunk = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * 30000
            for _ in range(mib * 2**20 // len(chunk)):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    tmp.unlink()


def csv_rows(out: Path) -> dict:
    table = csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines())
    return {t["编号"]: t for t in table}


# --------------------------------------------------------------------------- one hostile season
@pytest.fixture(scope="module")
def season(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inp = root / "season"
    inp.mkdir()
    for reserved in ("ledger.sqlite", "summary.csv"):          # 1. dossiers named like OUT's own files
        (inp / reserved).mkdir()
        build(inp / reserved / "申报表.docx", form_of(f"{reserved}县"))
    one = root / "one"
    one.mkdir()
    build(one / "申报表.docx", form_of("索引县"))
    with zipfile.ZipFile(inp / "index.html.zip", "w") as z:
        zip_folder(z, one, "index.html")
    two = inp / "two-forms"                                     # 3. two clusters' forms in one folder
    two.mkdir()
    build(two / "甲申报表.docx", form_of("甲县机械"))
    build(two / "乙申报表.docx", form_of("乙县纺织"))
    with zipfile.ZipFile(inp / "两份材料.zip", "w") as z:       # 3. a zip of two dossier folders
        for name in ("丙县陶瓷", "丁县家具"):
            folder = root / name
            folder.mkdir()
            build(folder / "申报表.docx", form_of(name))
            zip_folder(z, folder, f"两份材料/{name}")
    bomb = inp / "docx-bomb"                                    # 4. a DOCX that expands without limit
    bomb.mkdir()
    build(bomb / "申报表.docx", form_of("炸弹县"))
    docx_bomb(bomb / "佐证材料.docx", 120)
    (inp / "nothing-readable").mkdir()                          # smaller: a folder with nothing readable
    (inp / "nothing-readable" / "说明.txt").write_text("只有说明", encoding="utf-8")
    out = inp / "预审结果"                                       # 2. OUT inside INPUT
    tmp = root / "tmp"                                          # the system's temporary folder, watched
    tmp.mkdir()
    runs = []
    for _ in range(2):
        runs.append(subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out),
                                    "--formats", "md", "--workers", "2"],
                                   cwd=ROOT, capture_output=True, text=True, timeout=600, env={**ENV, "TMPDIR": str(tmp)}))
    return inp, out, runs


def test_reserved_names_never_become_a_dossier_folder(season):
    inp, out, runs = season
    assert runs[0].returncode == 0, runs[0].stderr
    sqlite3.connect(out / "ledger.sqlite").execute("SELECT count(*) FROM dossiers").fetchone()   # still a ledger
    assert (out / "ledger.sqlite").is_file() and (out / "summary.csv").is_file() and (out / "index.html").is_file()
    rows = csv_rows(out)
    for name in ("ledger.sqlite", "summary.csv", "index.html"):
        assert f"材料-{name}" in rows and rows[f"材料-{name}"]["处理状态"] == "已完成", rows.keys()
        ext = json.loads((out / f"材料-{name}" / "extraction.json").read_text(encoding="utf-8"))
        assert any(f"已改为“材料-{name}”" in p["message"] for p in ext["problems"])
    assert "Traceback" not in runs[0].stderr + runs[1].stderr


def test_out_inside_input_is_not_read_back_in(season):
    inp, out, runs = season
    assert runs[1].returncode == 0, runs[1].stderr
    first = sorted(csv_rows(out))
    assert not any("预审结果" in r for r in first)
    assert "the output folder inside the input is not read" in runs[1].stderr
    assert "skipped 7 unchanged" in runs[1].stderr, runs[1].stderr
    assert all("预审结果" not in r["dossier_id"] for r in _ledger(out))


def _ledger(out: Path) -> list[dict]:
    db = sqlite3.connect(out / "ledger.sqlite")
    db.row_factory = sqlite3.Row
    return [dict(r, dossier_id=r["id"]) for r in db.execute("SELECT * FROM dossiers")]


def test_two_clusters_forms_in_one_folder_are_a_conflict_the_clerk_sees(season):
    inp, out, runs = season
    row = csv_rows(out)["two-forms"]
    assert "甲县机械" in row["处理错误"] and "乙县纺织" in row["处理错误"], row
    assert row["预审结论"] != "通过"
    ext = json.loads((out / "two-forms" / "extraction.json").read_text(encoding="utf-8"))
    conflicts = [p for p in ext["problems"] if p["kind"] == "form_conflict"]
    assert len(conflicts) == 1 and "split the folder" in conflicts[0]["message"]
    assert "another copy" not in json.dumps(ext, ensure_ascii=False)


def test_a_zip_of_two_dossier_folders_is_two_dossiers(season):
    inp, out, runs = season
    assert not list((inp.parent / "tmp").glob("dossier-*"))          # unpacked inside OUT, not in /tmp
    assert not (out / ".staging").exists() or not any((out / ".staging").iterdir())
    rows = csv_rows(out)
    assert {"丙县陶瓷", "丁县家具"} <= set(rows), rows.keys()
    for name in ("丙县陶瓷", "丁县家具"):
        ext = json.loads((out / name / "extraction.json").read_text(encoding="utf-8"))
        assert name in ext["fields"]["basic.cluster_name"]["value"]
        assert [s["file"] for s in ext["sources"]] == ["申报表.docx"]


def test_a_docx_bomb_is_refused_and_the_form_beside_it_read(season):
    inp, out, runs = season
    ext = json.loads((out / "docx-bomb" / "extraction.json").read_text(encoding="utf-8"))
    bomb = [p for p in ext["problems"] if p["file"] == "佐证材料.docx"]
    assert bomb and bomb[0]["kind"] == "too_large" and "已拒绝" in bomb[0]["message"], ext["problems"]
    assert ext["meta"]["form_file"] == "申报表.docx"


def test_a_folder_with_nothing_readable_is_named_in_the_summary(season):
    inp, out, runs = season
    rows = csv_rows(out)
    key = str(inp / "nothing-readable")
    assert rows[key]["处理状态"] == "未找到申报材料" and "no dossier found" in rows[key]["处理错误"]
    assert "nothing-readable" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["empty", "lone"])
def test_an_empty_input_or_a_lone_file_says_no_dossier_found(tmp_path, kind):
    if kind == "empty":
        inp = tmp_path / "空文件夹"
        inp.mkdir()
    else:
        inp = tmp_path / "申报表.docx"
        build(inp, MINI_FORM)
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--formats", "md"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0 and "no dossier found" in r.stderr, r.stderr
    row = csv_rows(out)[str(inp)]
    assert row["处理状态"] == "未找到申报材料"
    assert ("a single file is not a dossier" in row["处理错误"]) == (kind == "lone")


# --------------------------------------------------------------------------- zips
def test_one_bad_member_fails_only_that_member(tmp_path):
    z = tmp_path / "bad-members.zip"
    good = tmp_path / "good.docx"
    build(good, MINI_FORM)
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(good, "申报表.docx")
        zf.writestr("长" * 100 + ".pdf", b"%PDF-1.4 name of 300 bytes")        # 300 bytes of UTF-8
        zf.writestr("同名", b"a file")
        zf.writestr("同名/证明.pdf", b"%PDF-1.4 under a folder of the same name")
    out = tmp_path / "x"
    problems = safe_extract(z, out)
    assert (out / "申报表.docx").read_bytes() == good.read_bytes()
    assert any("长" * 100 in p and "cannot write this member" in p for p in problems), problems
    assert any("同名/证明.pdf" in p for p in problems), problems
    assert len(problems) == 2


def _with_raw_name(path: Path, placeholder: str, raw: bytes) -> None:
    """Rewrite a member's stored name bytes (local and central headers), without the UTF-8 flag."""
    data = path.read_bytes()
    assert len(placeholder.encode()) == len(raw)
    path.write_bytes(data.replace(placeholder.encode(), raw))


def test_zip_names_utf8_without_the_flag_then_unicode_path_then_gbk(tmp_path):
    z = tmp_path / "names.zip"
    utf8, gbk = "佐证材料/统计证明.pdf".encode(), "申报表.docx".encode("gbk")
    p1, p2 = "a" * len(utf8), "b" * len(gbk)
    upath = "营业执照.pdf"
    info = zipfile.ZipInfo("scan0001.pdf")
    info.extra = struct.pack("<HHB", 0x7075, 5 + len(upath.encode()), 1) + \
        struct.pack("<I", zlib.crc32(b"scan0001.pdf")) + upath.encode()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(p1, b"%PDF-1.4 one")
        zf.writestr(p2, b"PK two")
        zf.writestr(info, b"%PDF-1.4 three")
    _with_raw_name(z, p1, utf8)
    _with_raw_name(z, p2, gbk)
    with zipfile.ZipFile(z) as zf:
        names = [member_name(i) for i in zf.infolist()]
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    assert names == ["佐证材料/统计证明.pdf", "申报表.docx", "营业执照.pdf"]
    safe_extract(z, tmp_path / "x")
    assert (tmp_path / "x" / "佐证材料" / "统计证明.pdf").exists() and (tmp_path / "x" / "营业执照.pdf").exists()


def test_declared_sizes_are_counted_before_anything_is_written(tmp_path, monkeypatch):
    import pipeline.dossiers as dossiers
    monkeypatch.setattr(dossiers, "MAX_TOTAL_BYTES", 20 * 2**20)
    z = tmp_path / "zeros.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(30):                                  # 30 × 1 MiB of zeros: each ~1000:1
            zf.writestr(f"scan{i}.pdf", b"\0" * 2**20)
    problems = safe_extract(z, tmp_path / "x")
    assert len(problems) == 30 and all("zip bomb suspected" in p for p in problems)   # the ratio, any size
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        for i in range(30):
            zf.writestr(f"scan{i}.pdf", os.urandom(2**20))
    with pytest.raises(dossiers.UnsafeArchive, match="size limit"):
        safe_extract(z, tmp_path / "y")
    assert not (tmp_path / "y").exists() or not any((tmp_path / "y").iterdir())   # nothing written first


# --------------------------------------------------------------------------- readers
def test_a_truncated_docx_is_named_in_chinese_without_the_absolute_path(tmp_path):
    data = (SAMPLE_DOCX / "阳江市阳江刀剪产业集群申报表.docx").read_bytes() if \
        (SAMPLE_DOCX / "阳江市阳江刀剪产业集群申报表.docx").exists() else next(SAMPLE_DOCX.glob("*.docx")).read_bytes()
    p = tmp_path / "申报表.docx"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError) as e:
        read_file(p, "申报表.docx")
    assert e.value.kind == "corrupt" and "已损坏或不完整" in e.value.message
    assert str(tmp_path) not in str(e.value) and "Package not found" not in str(e.value)
    assert str(e.value).startswith("申报表.docx: ")


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_package_that_expands_without_limit_is_refused_under_2gb(tmp_path, kind):
    p = tmp_path / f"bomb.{kind}"
    if kind == "docx":
        docx_bomb(p, 120)
    else:
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for _ in range(120):
                    f.write(b"<row><c><v>0</v></c></row>" * 40000)
    assert p.stat().st_size < 5 * 2**20
    with pytest.raises(ReadError) as e:
        run_isolated(read_file, p, p.name, timeout=60, memory_mb=2048)
    assert e.value.kind == "too_large", e.value


def test_each_worker_is_capped_at_its_share_of_the_machine():
    from pipeline.memcap import worker_memory_bytes
    total = 16 * 2**30
    for n in (1, 2, 4):
        assert worker_memory_bytes(n, total) * n < total


def _greedy(d, opts, out):
    """Ask for more than the worker's share without touching it (numpy.empty): refused under
    the cap; were the cap missing, the memory would only be reserved, never used."""
    import numpy

    from pipeline.memcap import worker_memory_bytes
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    share = worker_memory_bytes(2)
    numpy.empty(share + 2**30, dtype=numpy.uint8)
    raise RuntimeError(f"not capped: RLIMIT_AS {soft}, {hard}, share {share}")


def test_a_worker_beyond_its_memory_share_fails_that_dossier_only(tmp_path):
    inp = tmp_path / "in" / "greedy"
    inp.mkdir(parents=True)
    build(inp / "申报表.docx", MINI_FORM)
    out = tmp_path / "out"
    with open(tmp_path / "log.txt", "w", encoding="utf-8") as stream:
        s = run_batch([inp.parent], out, Options(formats=("md",)), workers=2, stream=stream, work=_greedy)
    assert (s.done, s.failed) == (0, 1)
    assert "MemoryError" in csv_rows(out)["greedy"]["处理错误"], csv_rows(out)["greedy"]["处理错误"]


# --------------------------------------------------------------------------- the run itself
def _run_limited(inp: Path, out: Path, fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "--out", str(out), "--formats", "md"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=ENV, preexec_fn=limit)


@pytest.fixture
def one_dossier(tmp_path):
    inp = tmp_path / "in" / "a"
    inp.mkdir(parents=True)
    build(inp / "申报表.docx", MINI_FORM)
    return inp.parent


def test_an_out_behind_a_file_says_so_without_a_traceback(tmp_path, one_dossier):
    (tmp_path / "blocker").write_text("a file, not a folder")
    r = _run_limited(one_dossier, tmp_path / "blocker" / "out")
    assert r.returncode == 2 and "无法写入输出目录" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_out_says_so_without_a_traceback(tmp_path, one_dossier):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        r = _run_limited(one_dossier, out)
    finally:
        out.chmod(0o755)
    assert r.returncode == 2 and "没有写入权限" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.mark.parametrize("fsize,status", [(0, 2), (5000, 3)])
def test_a_full_disk_says_so_without_a_traceback(tmp_path, one_dossier, fsize, status):
    """RLIMIT_FSIZE makes every write beyond ``fsize`` bytes fail as a full device would (EFBIG):
    at 0 the check before the run fails (2), at 5000 the check passes (4 KB) and the ledger's
    log fails during the run (3)."""
    out = tmp_path / "out"
    r = _run_limited(one_dossier, out, fsize)
    assert r.returncode == status and "无法写入输出目录" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "in" / "a" / "ledger.sqlite").exists()


def test_a_run_interrupted_during_start_up_is_not_left_running(tmp_path, one_dossier, monkeypatch):
    import pipeline.runner as runner

    def interrupted():
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "_warm_up", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch([one_dossier], out, Options(formats=("md",)), stream=open(os.devnull, "w"))
    status = sqlite3.connect(out / "ledger.sqlite").execute("SELECT status FROM runs").fetchall()
    assert status == [("interrupted",)]


def test_after_an_interrupt_the_index_lists_the_unfinished_dossiers(tmp_path, one_dossier, monkeypatch):
    import pipeline.runner as runner
    (one_dossier / "b").mkdir()
    build(one_dossier / "b" / "申报表.docx", MINI_FORM)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "_schedule", interrupted)
    monkeypatch.setattr(runner, "_warm_up", lambda: None)
    out = tmp_path / "out"
    s = run_batch([one_dossier], out, Options(formats=("md",)), stream=open(os.devnull, "w"))
    assert s.interrupted
    rows = csv_rows(out)
    assert {k: v["处理状态"] for k, v in rows.items()} == {"a": "未完成", "b": "未完成"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("未完成") >= 2 and ">a<" in index


def test_discovery_alone_names_what_it_leaves_out(tmp_path):
    (tmp_path / "in" / "d").mkdir(parents=True)
    build(tmp_path / "in" / "d" / "申报表.docx", MINI_FORM)
    (tmp_path / "in" / "empty").mkdir()
    (tmp_path / "in" / "out").mkdir()
    found = discover_all([tmp_path / "in"], exclude=(tmp_path / "in" / "out",))
    assert [d.id for d in found.dossiers] == ["d"]
    assert [Path(n.path).name for n in found.not_found] == ["empty"]
    assert found.excluded == [str(tmp_path / "in" / "out")]
