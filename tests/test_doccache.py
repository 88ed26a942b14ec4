"""Never the same work twice: the document-model cache (hit on a rerun, a new reader version
misses, a killed or damaged write is never read back) and the reader pool (one child for many
files; time-outs and crashes still cost one file)."""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
from pathlib import Path

import pytest

import pipeline.doccache as doccache
from extractors.errors import ReadError
from pipeline.doccache import DocCache
from pipeline.dossiers import discover
from pipeline.isolation import ChildCrashed, ReaderPool, Timeout
from pipeline.model import Document
from pipeline.process import Options, process

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "dossiers" / "planted-gs-form"
SHA = "ab" * 32


def _doc(text: str = "申报表") -> Document:
    return Document(file="x.docx", format="docx", meta={"text": text})


def _fields(ext) -> dict:
    return {k: (f.value, f.confidence) for k, f in ext.fields.items()}


def test_rerun_takes_every_file_from_the_cache(tmp_path):
    d = discover([SAMPLE])[0]
    opts = Options(formats=("md",))
    first = process(d, opts, tmp_path)
    assert first.reads and not any(r.cached for r in first.reads)
    entries = list((tmp_path / ".cache" / "docmodel").glob("*.pickle"))
    assert len(entries) == len({r.source.sha256 for r in first.reads if r.doc is not None})
    again = process(d, opts, tmp_path)
    assert all(r.cached for r in again.reads if r.doc is not None)
    assert _fields(again.extraction) == _fields(first.extraction)
    assert again.extraction.verdict == first.extraction.verdict
    assert [s.format for s in again.extraction.sources] == [s.format for s in first.extraction.sources]


def test_without_cache_every_file_is_read(tmp_path):
    d = discover([SAMPLE])[0]
    process(d, Options(formats=("md",)), tmp_path)
    again = process(d, Options(formats=("md",), cache=False), tmp_path)
    assert not any(r.cached for r in again.reads)


def test_the_same_bytes_under_another_name_are_not_reported_under_the_first(tmp_path):
    """A reading depends on the file's name (its extension decides 'mislabelled'; the name is
    in every source and warning): a file shared by two dossiers under two names is read as
    each, never reported under the other's name."""
    form = next(p for p in SAMPLE.iterdir() if p.suffix == ".docx")
    for sub, name in (("a", "申报表.docx"), ("b", "申报表.pdf")):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / name).write_bytes(form.read_bytes())
    a = process(discover([tmp_path / "in" / "a"])[0], Options(formats=()), tmp_path / "out")
    b = process(discover([tmp_path / "in" / "b"])[0], Options(formats=()), tmp_path / "out")
    assert not any(p["kind"] == "mislabelled" for p in a.extraction.problems)
    assert any(p["kind"] == "mislabelled" and p["file"] == "申报表.pdf" for p in b.extraction.problems)
    assert all(p["file"] != "申报表.docx" for p in b.extraction.problems)


def test_an_unreadable_file_is_remembered_too(tmp_path):
    folder = tmp_path / "in" / "dossier"
    folder.mkdir(parents=True)
    (folder / "empty.docx").write_bytes(b"")
    d = discover([folder])[0]
    first = process(d, Options(formats=()), tmp_path / "out")
    assert first.extraction.sources[0].role == "unreadable" and not first.reads[0].cached
    again = process(d, Options(formats=()), tmp_path / "out")
    assert again.reads[0].cached
    assert [p["kind"] for p in again.extraction.problems] == [p["kind"] for p in first.extraction.problems]


def test_another_reader_version_does_not_see_old_entries(tmp_path):
    old, new = DocCache(tmp_path, version="0" * 16), DocCache(tmp_path, version="1" * 16)
    assert old.put(SHA, _doc())
    assert old.get(SHA).meta["text"] == "申报表"
    assert new.get(SHA) is None
    assert new.prune() == 1 and old.get(SHA) is None


def test_reader_version_follows_the_readers_code(tmp_path, monkeypatch):
    names = {p.relative_to(ROOT).as_posix() for p in doccache._source_files()}
    assert "extractors/docx_reader.py" in names and "pipeline/model/document.py" in names
    assert not any(n.startswith(("extractors/mapper/", "extractors/evidence/")) for n in names)
    src = tmp_path / "extractors" / "reader.py"
    src.parent.mkdir()
    src.write_text("VERSION = 1\n")
    monkeypatch.setattr(doccache, "ROOT", tmp_path)
    monkeypatch.setattr(doccache, "_source_files", lambda: [src])
    doccache.reader_version.cache_clear()
    try:
        before = doccache.reader_version()
        src.write_text("VERSION = 2\n")
        doccache.reader_version.cache_clear()
        assert doccache.reader_version() != before
    finally:
        doccache.reader_version.cache_clear()


def test_a_document_cut_short_is_not_kept(tmp_path):
    doc = _doc()
    doc.warnings.append("x.pdf: 读取超过 10 秒 — time budget of 10 s spent, read 2 of 9 pages")
    cache = DocCache(tmp_path, version="0" * 16)
    assert not cache.put(SHA, doc)
    assert cache.put(SHA, ReadError("x.pdf", "corrupt", "损坏"))
    assert isinstance(cache.get(SHA), ReadError)


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path):
    cache = DocCache(tmp_path, version="0" * 16)
    cache.put(SHA, _doc())
    path = cache.path(SHA)
    path.write_bytes(path.read_bytes()[:40])          # a partial file (disk error, foreign copy)
    assert cache.get(SHA) is None and not path.exists()
    path.write_bytes(pickle.dumps({"not": "a document"}))
    assert cache.get(SHA) is None and not path.exists()


def _killed_while_writing(folder: str) -> None:
    cache = DocCache(Path(folder), version="0" * 16)

    def die_before_the_rename(fd):      # the bytes are in the temporary file, not yet renamed
        os.kill(os.getpid(), signal.SIGKILL)
    os.fsync = die_before_the_rename    # in this forked child only
    cache.put(SHA, _doc())


def test_a_write_killed_midway_leaves_no_entry(tmp_path):
    p = mp.get_context("fork").Process(target=_killed_while_writing, args=(str(tmp_path),))
    p.start()
    p.join(60)
    assert p.exitcode == -signal.SIGKILL
    cache = DocCache(tmp_path, version="0" * 16)
    assert cache.get(SHA) is None
    left = list(cache.folder.iterdir())
    assert left and all(f.name.startswith(".") for f in left)      # only the temporary file
    assert cache.prune(tmp_age=3600) == 0                          # a write in progress is left alone
    assert cache.prune(tmp_age=0) == len(left) and not list(cache.folder.iterdir())
    assert cache.put(SHA, _doc()) and cache.get(SHA) is not None


def _pid(_x=None) -> int:
    return os.getpid()


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _die() -> None:
    os._exit(3)


def _fail() -> None:
    raise ReadError("f.docx", "corrupt", "文件损坏 — corrupt")


def test_the_pool_reuses_one_child_for_many_files():
    with ReaderPool(memory_mb=2048) as pool:
        pids = {pool.run(_pid, i, timeout=30) for i in range(5)}
        assert len(pids) == 1 and os.getpid() not in pids
        assert pool.forks == 1
    assert pool.last_exitcode == 0                 # it left when asked, it was not killed


def test_the_pool_kills_a_slow_call_and_goes_on():
    with ReaderPool(memory_mb=2048) as pool:
        first = pool.run(_pid, timeout=30)
        with pytest.raises(Timeout):
            pool.run(_sleep, 30, timeout=0.5)
        after = pool.run(_pid, timeout=30)
        assert after != first and pool.forks == 2
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)


def test_after_a_failed_read_the_next_file_gets_a_fresh_child(tmp_path):
    from extractors import read_file_within
    from tests.pdf_fixtures import text_page, write_pdf
    (tmp_path / "locked.pdf").write_bytes(write_pdf([text_page(["x"])], user_password="1234"))
    (tmp_path / "blank.pdf").write_bytes(write_pdf([]))
    kinds = []
    with ReaderPool(memory_mb=4096) as pool:
        for name in ("locked.pdf", "blank.pdf"):
            with pytest.raises(ReadError) as e:
                pool.run(read_file_within, tmp_path / name, name, 60.0, timeout=60)
            kinds.append(e.value.kind)
        assert pool.forks == 2
    assert kinds == ["encrypted", "no_pages"]      # pdfium's stale error code stays in the first child


def test_the_pool_reports_a_crash_and_a_typed_error():
    with ReaderPool(memory_mb=2048) as pool:
        with pytest.raises(ChildCrashed):
            pool.run(_die, timeout=30)
        with pytest.raises(ReadError) as e:
            pool.run(_fail, timeout=30)
        assert e.value.kind == "corrupt"
        assert pool.run(_pid, timeout=30) != os.getpid()


def test_a_printed_memo_is_kept_by_its_html(tmp_path):
    from pipeline.memo.to_pdf import render_pdf
    html = "<html><body><p>预审备忘录 1</p></body></html>"
    first = render_pdf(html, tmp_path)
    kept = list(tmp_path.glob("*.pdf"))
    assert first.startswith(b"%PDF-") and len(kept) == 1 and kept[0].read_bytes() == first
    kept[0].write_bytes(b"not a pdf")                    # damaged: printed again, and kept again
    assert render_pdf(html, tmp_path) != b"not a pdf"
    assert kept[0].read_bytes().startswith(b"%PDF-")
    other = render_pdf(html.replace("1", "2"), tmp_path)
    assert other != first and len(list(tmp_path.glob("*.pdf"))) == 2


def _pool_then_die(conn) -> None:
    pool = ReaderPool(memory_mb=2048)
    conn.send(pool.run(_pid, timeout=30))
    os._exit(0)                                   # the worker dies without closing its pool


def test_the_reader_child_dies_with_its_worker():
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe()
    p = ctx.Process(target=_pool_then_die, args=(there,))
    p.start()
    child = here.recv()
    p.join(30)
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
