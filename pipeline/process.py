"""One dossier, start to finish: read every file, find the form, map it, link evidence,
validate, decide the verdict, write the outputs.

Each stage reads only what the stage before it produced.  Every file is read in an
isolated child with a time limit (``pipeline.isolation.ReaderPool``: one child forked per
dossier and reused for its files, replaced after a time-out or a crash); a file that cannot be
read is recorded against the dossier with a clear message and the rest goes on.  With an output
folder, each file's document model is taken from, or kept in, ``OUT/.cache/docmodel``
(``pipeline.doccache``), so a file already read by this version of the readers is not read again.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from extractors import read_file_within
from extractors.errors import ReadError
from extractors.mapper import form_score, map_form
from pipeline.doccache import DocCache, entry_key
from pipeline.dossiers import DossierInput, open_dossier
from pipeline.isolation import ChildCrashed, ReaderPool, Timeout
from pipeline.model import UNREADABLE_BELOW, Document, Extraction, SourceFile, load_catalogue, verdict_of
from pipeline.model.profiles import DEFAULT_PROFILE, detect_profile, load_profile

FORMAT_RANK = {"docx": 0, "doc": 1, "pdf": 2, "scan": 3, "image": 4, "xlsx": 9}


@dataclass
class Options:
    profile: Optional[str] = None
    file_timeout: Optional[float] = 600.0
    memory_mb: Optional[int] = 8192
    formats: tuple[str, ...] = ("html", "md", "docx", "pdf")
    keep_documents: bool = False
    ledger_url: Optional[str] = None     # where the clerks' corrections are kept (default: OUT's SQLite ledger)
    cache: bool = True                     # keep/take document models in OUT/.cache (with an output folder)


@dataclass
class ReadResult:
    source: SourceFile
    doc: Optional[Document] = None
    path: Optional[Path] = None
    seconds: float = 0.0
    cached: bool = False                   # the document model came from the cache


@dataclass
class DossierResult:
    extraction: Extraction
    reads: list[ReadResult] = field(default_factory=list)
    timings: dict = field(default_factory=dict)


def problem(file: Optional[str], kind: str, message: str) -> dict:
    return {"file": file, "kind": kind, "message": message}


def read_all(files, ext: Extraction, opts: Options, cache: Optional[DocCache] = None) -> list[ReadResult]:
    """Every file's document model (from ``cache`` when it holds one), problems into ``ext``."""
    out = []
    with ReaderPool(memory_mb=opts.memory_mb) as pool:
        for f in files:
            sf = SourceFile(file=f.name, sha256=f.sha256, role="evidence", format="unknown")
            rr = ReadResult(sf, path=f.path)
            t0 = time.perf_counter()
            key = entry_key(f.sha256, f.name)
            outcome = cache.get(key) if cache is not None else None
            rr.cached = outcome is not None
            if outcome is None:
                outcome = _read_one(pool, f, opts)
                if cache is not None and isinstance(outcome, (Document, ReadError)):
                    _keep(cache, key, outcome)
            _record(outcome, rr, ext)
            rr.seconds = time.perf_counter() - t0
            ext.sources.append(sf)
            out.append(rr)
    return out


def _keep(cache: DocCache, key: str, outcome) -> None:
    try:
        cache.put(key, outcome)
    except OSError:          # a full disk costs the cache, not the dossier
        pass


def _read_one(pool: ReaderPool, f, opts: Options):
    """The file's Document, or the exception that reading it ended with."""
    try:
        return pool.run(read_file_within, f.path, f.name, opts.file_timeout, timeout=opts.file_timeout)
    except Exception as e:  # a reader bug must still cost only this file
        return e


def _record(outcome, rr: ReadResult, ext: Extraction) -> None:
    """A read's outcome into the source's format/role and the dossier's problems."""
    sf, name = rr.source, rr.source.file
    if isinstance(outcome, Document):
        doc = outcome
        rr.doc = doc
        sf.format = doc.format
        sf.pages = len(doc.pages) or doc.meta.get("pages")
        for w in doc.warnings:
            ext.problems.append(problem(name, "mislabelled" if doc.meta.get("mislabelled") == w.split(": ", 1)[-1]
                                        else "warning", w))
        return
    if isinstance(outcome, ReadError):
        kind, msg = outcome.kind, outcome.message
    elif isinstance(outcome, Timeout):
        kind, msg = "timeout", str(outcome)
    elif isinstance(outcome, MemoryError):
        kind, msg = "too_large", "内存不足，文件过大或页面尺寸异常 — ran out of memory reading this file"
    elif isinstance(outcome, ChildCrashed):
        kind, msg = "crashed", str(outcome)
    else:
        kind, msg = "error", f"读取失败 — reader failed ({type(outcome).__name__}: {outcome})"
    sf.role, sf.problem = "unreadable", msg
    ext.problems.append(problem(name, kind, msg))


def choose_form(reads: list[ReadResult]) -> Optional[ReadResult]:
    """The file whose content is the 申报表 (most section markers; a DOCX over a scan of it)."""
    cat = load_catalogue()
    best, best_key = None, None
    for rr in reads:
        if rr.doc is None:
            continue
        hits, need = form_score(rr.doc, cat)
        if hits < need:
            continue
        key = (hits, -FORMAT_RANK.get(rr.doc.format, 5))
        if best_key is None or key > best_key:
            best, best_key = rr, key
    return best


def process(d: DossierInput, opts: Options, out_root: Optional[Path] = None) -> DossierResult:
    """Run the whole flow for one dossier; writes OUT/<id>/ when out_root is given."""
    from pipeline.outputs import scratch_dir, write_dossier  # rendering is the last stage only
    cat = load_catalogue()
    ext = Extraction(dossier_id=d.id)
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    with open_dossier(d, scratch_dir(out_root)) as (files, zip_problems):
        for p in zip_problems:
            ext.problems.append(problem(d.path.name, "archive", p))
        if not files:
            ext.problems.append(problem(None, "empty", "申报材料中没有任何文件 — the dossier holds no files"))
        t0 = time.perf_counter()
        cache = DocCache(out_root) if out_root is not None and opts.cache else None
        reads = read_all(files, ext, opts, cache)
        timings["read"] = time.perf_counter() - t0
        form = choose_form(reads)
        if form is None:
            readable = [r for r in reads if r.doc is not None]
            ext.problems.append(problem(None, "no_form",
                                        "未找到申报表：没有任何文件包含申报表的章节和栏目 — no file in the dossier is the "
                                        f"application form ({len(readable)} readable file(s) checked)"))
            ext.profile = opts.profile or DEFAULT_PROFILE
            ext.verdict = verdict_of([], readable=False)
        else:
            form.source.role = "form"
            t0 = time.perf_counter()
            mapped = map_form(form.doc, cat)
            duplicates = other_forms(form, mapped, reads, ext, cat)
            timings["map"] = time.perf_counter() - t0
            ext.fields = mapped.fields
            ext.reporting_years = mapped.reporting_years
            ext.problems.extend(problem(form.source.file, "form_structure", w) for w in mapped.warnings)
            detected = detect_profile(mapped.header_text)
            ext.profile = opts.profile or detected or DEFAULT_PROFILE
            ext.meta.update({"form_file": form.source.file, "issuer_detected": detected,
                             "application_year": mapped.application_year,
                             "application_date": mapped.application_date,
                             "catalogue": cat.edition})
            t0 = time.perf_counter()
            evidence_docs = [(rr.source, rr.doc) for rr in reads if rr is not form and rr.doc is not None
                             and rr.source.role == "evidence" and id(rr) not in duplicates]
            link_evidence(ext, evidence_docs)
            timings["evidence"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            run_validators(ext)
            if any(p["kind"] == "form_conflict" for p in ext.problems) and ext.verdict == "pass":
                ext.verdict = "review"           # a second cluster's form: the clerk must split the folder
            timings["validate"] = time.perf_counter() - t0
        result = DossierResult(ext, reads, timings)
        timings["total"] = time.perf_counter() - t_all
        ext.meta["timings"] = {k: round(v, 3) for k, v in timings.items()}
        if out_root is not None:
            t0 = time.perf_counter()
            # -- the clerks' corrections of unchanged files are kept across reruns (pipeline.review)
            if ext.has_form and reapply_corrections(ext, Path(out_root), opts.ledger_url):
                run_validators(ext)
            # --
            write_dossier(result, Path(out_root), opts)
            timings["write"] = time.perf_counter() - t0
    return result


SAME_CLUSTER_SIMILARITY = 0.8      # names this alike (difflib ratio) may be one cluster's, one misread


def _cluster_name(fields: dict) -> str:
    """The form's 集群名称 without spaces and punctuation; "" when absent or read doubtfully
    (a scanned copy's name misread is no second cluster)."""
    for fid in ("cover.cluster_name", "basic.cluster_name"):
        fv = fields.get(fid)
        if fv is not None and fv.value and fv.confidence >= UNREADABLE_BELOW:
            return re.sub(r"[\s　（）()“”\"'·,，。:：]", "", str(fv.value))
    return ""


def _conflict_message(form: str, mine: str, other: str, theirs: str) -> str:
    from difflib import SequenceMatcher
    if SequenceMatcher(None, mine, theirs).ratio() >= SAME_CLUSTER_SIMILARITY:
        return (f"两份申报表的集群名称不一致：{form}（{mine}）与 {other}（{theirs}），请核实是否为同一集群；本备忘录"
                f"只审查前者 — two forms name different clusters (or one name is misread): {form} was checked, "
                f"{other} was not; check, and split the folder if they are two clusters")
    return (f"同一份材料中有两个集群的申报表：{form}（{mine}）与 {other}（{theirs}），本备忘录只审查前者，请拆分为"
            f"两份材料后重新提交 — two clusters' forms in one dossier: {form} was checked, {other} was not; "
            "split the folder")


def other_forms(form: ReadResult, mapped, reads: list[ReadResult], ext: Extraction, cat) -> set:
    """Every other file that is a 申报表 too: another copy of this cluster's form (same 集群名称,
    or a name that cannot be read), or a *different* cluster's form — a conflict the clerk must
    see, with both clusters named (the folder holds two dossiers).  Returns their ids, which
    are no evidence."""
    mine = _cluster_name(mapped.fields)
    others = set()
    for rr in reads:
        if rr is form or rr.doc is None:
            continue
        hits, need = form_score(rr.doc, cat)
        if hits < need:
            continue
        others.add(id(rr))
        theirs = _cluster_name(map_form(rr.doc, cat).fields)
        if mine and theirs and mine != theirs:      # never taken for a copy: the clerk sees both names
            ext.problems.append(problem(rr.source.file, "form_conflict",
                                        _conflict_message(form.source.file, mine, rr.source.file, theirs)))
        else:
            ext.problems.append(problem(rr.source.file, "duplicate_form",
                                        f"另一份申报表（以 {form.source.file} 为准）— another copy of the form; "
                                        f"{form.source.file} was used"))
    return others


def link_evidence(ext: Extraction, evidence_docs: list) -> None:
    """Stage: evidence files → links and the numbers they state (extractors.evidence)."""
    try:
        from extractors.evidence import link_evidence as linker
    except ImportError:
        return
    ext.evidence = linker(ext, evidence_docs)


def reapply_corrections(ext: Extraction, out_root: Path, ledger_url: Optional[str] = None) -> bool:
    """Stage: the corrections clerks made in the review workbench, re-applied where the file a
    value came from is unchanged (``pipeline.review.corrections.reapply``); True if any was."""
    from pipeline.review import store
    from pipeline.review.corrections import reapply
    engine = store.engine_for(out_root, ledger_url) if ledger_url else None
    return reapply(ext, out_root, engine=engine)


def recheck(ext: Extraction, folder: Path, formats, files=None) -> None:
    """Re-run every check on an extraction and rewrite its findings, verdict and memos in
    ``folder`` (``python -m pipeline check``, and the review workbench on each save).
    ``files`` (name → path) lets the memo crop scanned cells when the sources are at hand."""
    from pipeline.outputs import render_into
    ext.problems = [p for p in ext.problems if p.get("kind") not in ("render", "no_cjk_font")]
    run_validators(ext)
    render_into(ext, Path(folder), formats, files)


def run_validators(ext: Extraction) -> None:
    """Stage: every rule under the dossier's profile, the result of each of its criteria
    thresholds (the memo's 认定标准对照表); then the verdict."""
    from validators import evaluate
    profile = load_profile(ext.profile)
    ext.findings, ext.criteria = evaluate(ext, profile)
    ext.verdict = verdict_of(ext.findings, readable=ext.has_form)
