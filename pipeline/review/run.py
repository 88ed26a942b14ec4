"""The run a workbench serves: its dossiers by id, their extractions, their source files.

Every lookup goes by id: a dossier id is matched against the run's own list (the output
folders that hold an ``extraction.json`` and the ledger's ``dossiers`` rows), and a source file
against the names of the dossier's ``extraction.json``; the path read is built from the input
the ledger recorded for that dossier, never from a request.  A source whose bytes no longer
match the sha256 the run recorded is treated as absent (its crops would show something else).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from sqlalchemy import Engine, inspect, text

from pipeline.dossiers import DossierInput, file_sha256, open_dossier
from pipeline.memo import FORMATS
from pipeline.model import Extraction, Source

CROP_CACHE = 256        # crops kept in memory (PNG bytes; a few KB each)


@dataclass
class Entry:
    id: str
    folder: Optional[Path]          # OUT/<id> when it holds an extraction.json
    input: Optional[Path] = None    # the dossier's input (folder or zip) as the ledger recorded it
    kind: Optional[str] = None      # dir | zip
    status: Optional[str] = None    # the ledger's: done | failed | running
    error: Optional[str] = None


class Run:
    def __init__(self, out_dir: Path, engine: Engine):
        self.out = Path(out_dir).resolve()
        self.engine = engine
        self._crops: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    # -- dossiers -------------------------------------------------------------------------
    def _ledger_rows(self) -> dict[str, dict]:
        if not inspect(self.engine).has_table("dossiers"):
            return {}
        with self.engine.connect() as c:
            rows = c.execute(text("SELECT id, input, kind, status, error FROM dossiers"))
            return {r.id: dict(r._mapping) for r in rows}

    def entries(self) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        for d in sorted(self.out.iterdir()) if self.out.is_dir() else []:
            if d.is_dir() and not d.name.startswith(".") and (d / "extraction.json").is_file():
                out[d.name] = Entry(d.name, d)
        for did, r in self._ledger_rows().items():
            e = out.setdefault(did, Entry(did, None))
            e.input = Path(r["input"]) if r.get("input") else None
            e.kind, e.status, e.error = r.get("kind"), r.get("status"), r.get("error")
        return out

    def get(self, dossier_id: str) -> Optional[Entry]:
        return self.entries().get(dossier_id)

    def load(self, e: Entry) -> Optional[Extraction]:
        if e.folder is None:
            return None
        return Extraction.from_json(json.loads((e.folder / "extraction.json").read_text(encoding="utf-8")))

    def formats(self, e: Entry) -> tuple[str, ...]:
        """The memo formats the run wrote for this dossier (rewritten on each save)."""
        assert e.folder is not None
        return tuple(f for f in FORMATS if (e.folder / f"memo.{f}").is_file()) or ("html",)

    @contextlib.contextmanager
    def writing(self) -> Iterator[bool]:
        """Hold the run's lock file while a save rewrites a dossier's outputs; yields False
        (and holds nothing) when a ``pipeline run`` is writing to this folder right now."""
        from pipeline.runner import LOCK_NAME
        fd = os.open(self.out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- source files ---------------------------------------------------------------------
    @contextlib.contextmanager
    def files(self, e: Entry, ext: Extraction, only: Optional[Iterable[str]] = None) -> Iterator[dict[str, Path]]:
        """{file name: path} of the dossier's sources (or of ``only`` those) that are at hand
        and unchanged."""
        if e.input is None or not e.input.exists():
            yield {}
            return
        names = set(only) if only is not None else None
        want = {s.file: s.sha256 for s in ext.sources if names is None or s.file in names}
        d = DossierInput(e.id, e.input, e.kind or ("zip" if e.input.suffix.lower() == ".zip" else "dir"))
        if d.kind == "dir":
            root = e.input.resolve()
            found = {}
            for name, sha in want.items():
                p = (root / name).resolve()
                if root in p.parents and p.is_file() and file_sha256(p) == sha:
                    found[name] = p
            yield found
            return
        with open_dossier(d) as (files, _problems):
            yield {f.name: f.path for f in files if want.get(f.name) == f.sha256}

    def changed_files(self, e: Entry, ext: Extraction) -> list[str]:
        """Sources whose file is no longer what the run read (changed or gone)."""
        if e.input is None:
            return []
        with self.files(e, ext) as found:
            return [s.file for s in ext.sources if s.file not in found]

    def crop(self, e: Entry, ext: Extraction, src: Source) -> Optional[bytes]:
        """PNG of a page+bbox source location, cut from the dossier's file (cached)."""
        from extractors.crop import crop_png
        sha = next((s.sha256 for s in ext.sources if s.file == src.file), None)
        if sha is None or not src.page or not src.bbox:
            return None
        key = (sha, src.page, tuple(src.bbox))
        with self._lock:
            if key in self._crops:
                self._crops.move_to_end(key)
                return self._crops[key]
        with self.files(e, ext, only=[src.file]) as found:
            path: Optional[Path] = found.get(src.file)
            png = crop_png(path, src.page, src.bbox) if path is not None else None
        with self._lock:
            self._crops[key] = png
            while len(self._crops) > CROP_CACHE:
                self._crops.popitem(last=False)
        return png

