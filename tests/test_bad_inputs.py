"""Bad inputs give a clear message naming the file, are recorded in the dossier's output,
and never stop the batch."""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from extractors import read_file
from extractors.errors import ReadError

from .docx_builder import build

ROOT = Path(__file__).resolve().parents[1]

MINI_FORM = [
    "贵州省中小企业特色产业集群申报表",
    "集群名称：中小企业特色产业集群（测试县测试产业）",
    "填报说明",
    "一、基本情况",
    {"rows": [["集群名称", "中小企业特色产业集群（测试县测试产业）"], ["集群运营管理机构", "测试运营中心"],
              ["集群占地面积（平方公里）", "12.50"]]},
    "二、主导产业情况",
    {"rows": [["主导产业情况（近三年）", "2020年", "2021年", "2022年"], ["集群总产值（亿元）", "45.60", "50.20", "56.30"]]},
    "三、创新能力情况", "四、数字化升级情况", "五、绿色化转型情况", "六、开放合作情况", "七、治理和服务水平",
    "九、真实性声明及推荐意见", {"rows": [["真实性声明"]]},
]


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def out_of(out: Path, dossier: str) -> dict:
    return json.loads((out / dossier / "extraction.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("bad")
    root = tmp_path / "in"
    good = root / "good"
    good.mkdir(parents=True)
    build(good / "申报表.docx", MINI_FORM)
    # a corrupt .docx and an empty .docx beside a good form
    broken = root / "broken"
    broken.mkdir()
    build(broken / "申报表.docx", MINI_FORM)
    (broken / "损坏的证明.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (broken / "空文件.docx").write_bytes(b"")
    # a folder whose only .docx is not a 申报表
    noform = root / "noform"
    noform.mkdir()
    build(noform / "情况说明.docx", ["关于集群发展情况的说明", "本集群近年来发展良好。"])
    # a DOCX saved with a .pdf extension
    mis = root / "mislabelled"
    mis.mkdir()
    build(mis / "申报表.pdf", MINI_FORM)
    # a zip with a path that tries to escape
    z = root / "zipped.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(good / "申报表.docx", "zipped/申报表.docx")
        zf.writestr("../../escape.txt", "x")
    out = tmp_path / "out"
    r = run_cli("run", root, "--out", out, "--formats", "html")  # memos in every format: test_memo.py
    return r, out, tmp_path


def test_batch_goes_on_and_every_dossier_has_output(batch):
    r, out, _ = batch
    assert r.returncode == 0, r.stderr
    for d in ("good", "broken", "noform", "mislabelled", "zipped"):
        assert (out / d / "extraction.json").exists(), d
        assert (out / d / "memo.html").exists(), d
    assert out_of(out, "good")["fields"]["industry.total_output.2022"]["value"] == 56.3


def test_corrupt_and_empty_files_are_recorded_by_name(batch):
    _, out, _ = batch
    e = out_of(out, "broken")
    probs = {p["file"]: p for p in e["problems"]}
    assert probs["损坏的证明.docx"]["kind"] in ("corrupt", "unsupported")
    assert probs["空文件.docx"]["kind"] == "empty"
    assert "空" in probs["空文件.docx"]["message"]
    roles = {s["file"]: s["role"] for s in e["sources"]}
    assert roles == {"申报表.docx": "form", "损坏的证明.docx": "unreadable", "空文件.docx": "unreadable"}
    # the form was still read
    assert e["fields"]["industry.total_output.2020"]["value"] == 45.6
    memo = (out / "broken" / "memo.html").read_text(encoding="utf-8")
    assert "损坏的证明.docx" in memo


def test_folder_without_a_form(batch):
    _, out, _ = batch
    e = out_of(out, "noform")
    assert e["fields"] == {}
    assert any(p["kind"] == "no_form" and "未找到申报表" in p["message"] for p in e["problems"])
    assert e["verdict"] == "review"


def test_mislabelled_file_is_read_by_content_and_reported(batch):
    _, out, _ = batch
    e = out_of(out, "mislabelled")
    assert e["sources"][0]["format"] == "docx" and e["sources"][0]["role"] == "form"
    assert any(p["kind"] == "mislabelled" and p["file"] == "申报表.pdf" for p in e["problems"])
    assert e["fields"]["industry.total_output.2021"]["value"] == 50.2


def test_zip_paths_never_escape(batch):
    _, out, tmp = batch
    e = out_of(out, "zipped")
    assert not (tmp / "escape.txt").exists() and not (tmp.parent / "escape.txt").exists()
    assert any("escape" in p["message"] or "跳出" in p["message"] for p in e["problems"])
    assert e["fields"]["industry.total_output.2022"]["value"] == 56.3


def test_not_a_form_docx_read_error_messages(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"")
    with pytest.raises(ReadError) as ei:
        read_file(tmp_path / "a.docx")
    assert ei.value.kind == "empty" and "a.docx" in str(ei.value)
    (tmp_path / "b.docx").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ReadError) as ei:
        read_file(tmp_path / "b.docx")
    assert "b.docx" in str(ei.value)


def test_missing_input_is_a_run_error(tmp_path):
    r = run_cli("run", tmp_path / "nope", "--out", tmp_path / "o")
    assert r.returncode == 2 and "nope" in r.stderr
