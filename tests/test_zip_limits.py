"""Zips are read safely: bombs, floods of members, damaged and encrypted members, links and
escaping paths cost the member (or the archive), never the batch or the disk."""
from __future__ import annotations

import stat
import zipfile

import pytest

import pipeline.dossiers as dossiers
from pipeline.dossiers import DossierInput, UnsafeArchive, open_dossier, safe_extract


def test_a_highly_compressed_member_is_skipped_as_a_bomb(tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("申报表.docx", b"\0" * (64 * 2**20))          # 64 MB of zeros: ratio ~1000:1
        zf.writestr("证明.pdf", b"%PDF-1.4 small and honest")
    out = tmp_path / "x"
    problems = safe_extract(z, out)
    assert any("申报表.docx" in p and "压缩炸弹" in p for p in problems), problems
    assert not (out / "申报表.docx").exists()
    assert (out / "证明.pdf").read_bytes().startswith(b"%PDF")


def test_too_many_members_refuses_the_archive(tmp_path, monkeypatch):
    monkeypatch.setattr(dossiers, "MAX_MEMBERS", 50)
    z = tmp_path / "flood.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for i in range(51):
            zf.writestr(f"f{i}.pdf", b"x")
    with pytest.raises(UnsafeArchive, match="too many members"):
        safe_extract(z, tmp_path / "x")


def test_total_expanded_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(dossiers, "MAX_TOTAL_BYTES", 3 * 2**20)
    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        for i in range(4):
            zf.writestr(f"scan{i}.png", bytes(range(256)) * 4096)    # 1 MB each, incompressible-ish
    with pytest.raises(UnsafeArchive, match="size limit"):
        safe_extract(z, tmp_path / "x")


def test_a_member_that_lies_about_its_size_or_checksum_costs_that_member(tmp_path):
    z = tmp_path / "crc.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("申报表.docx", b"hello world " * 2000)
        zf.writestr("证明.pdf", b"%PDF-1.4 ok")
    data = bytearray(z.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 14:local + 18] = b"\0\0\0\0"          # wrong CRC-32, in both headers
    data[central + 16:central + 20] = b"\0\0\0\0"
    z.write_bytes(bytes(data))
    out = tmp_path / "x"
    problems = safe_extract(z, out)
    assert any("申报表.docx" in p and "CRC" in p for p in problems), problems
    assert not (out / "申报表.docx").exists() and (out / "证明.pdf").exists()


def test_links_and_escaping_paths_are_skipped(tmp_path):
    z = tmp_path / "links.zip"
    with zipfile.ZipFile(z, "w") as zf:
        link = zipfile.ZipInfo("link.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("../../escape.pdf", b"x")
        zf.writestr("/abs.pdf", b"x")
        zf.writestr("C:/win.pdf", b"x")
        zf.writestr("ok/证明.pdf", b"%PDF")
    out = tmp_path / "x"
    problems = safe_extract(z, out)
    assert len(problems) == 4, problems
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["ok/证明.pdf"]
    assert not (tmp_path / "escape.pdf").exists()


def test_a_corrupt_zip_is_a_problem_of_its_dossier_not_an_exception(tmp_path):
    z = tmp_path / "坏的.zip"
    z.write_bytes(b"PK\x03\x04 not a zip at all")
    with open_dossier(DossierInput("坏的", z, "zip")) as (files, problems):
        assert files == []
        assert problems and "corrupt zip" in problems[0]
