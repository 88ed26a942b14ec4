"""Every file's document model kept by its sha256, so no file is read or OCR'd twice.

A reader's result depends on the file's bytes and on the reader's code, nothing else, so it is
kept under ``OUT/.cache/docmodel/<sha256>.<reader version>.pickle`` in the run's output folder
(names starting with ``.`` in OUT are never dossiers).  A forced rerun, a rerun after an
interrupted batch, and a dossier that shares a file with another one then take the model from
the cache instead of reading (or OCR-ing) the file again.

* **Versioned.** :func:`reader_version` is a digest of the readers' source (``extractors/``
  without the mapper, the evidence linker and the memo's cropping, which use the model or the
  file and do not make the model),
  the document model's own source (``pipeline/model/document.py``) and the versions of the
  libraries that parse (python-docx, openpyxl, pdfplumber, pypdfium2, RapidOCR, onnxruntime,
  OpenCV).  Any change to a reader gives a new version and old entries are simply not found
  (:func:`prune` removes them); nobody has to remember to bump a number.
* **Safe against a kill.** An entry is written to a temporary file in the same folder,
  flushed to disk and renamed over its name (an atomic rename), so a reader sees a whole
  entry or none.  A damaged entry (a disk error, a foreign file) is treated as missing and
  removed; it never fails the dossier.
* **What is kept.** A document read in full, and a ``ReadError`` (an empty, corrupt,
  encrypted or unsupported file is so on every read).  A document whose reading stopped at
  its time budget, and a time-out, a crash or a memory failure are not kept: they depend on
  the limits and on the machine, and a rerun should try again.

The entries are pickles: the cache lives in the run's own output folder, written by this
program only, and is as trusted as the program (do not point ``--out`` at a folder others
can write to).
"""
from __future__ import annotations

import hashlib
import pickle
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Optional, Union

from extractors.errors import ReadError
from pipeline.atomic import write_atomic
from pipeline.model import Document

CACHE_DIR = Path(".cache") / "docmodel"
SUFFIX = ".pickle"
ROOT = Path(__file__).resolve().parents[1]
# Sources that make the document model (the mapper, the evidence linker and crop.py only use it).
READER_SOURCES = ("extractors",)
READER_EXCLUDED = ("extractors/mapper", "extractors/evidence", "extractors/crop.py")
MODEL_SOURCES = ("pipeline/model/document.py",)
READER_LIBRARIES = ("python-docx", "openpyxl", "pdfplumber", "pdfminer.six", "pypdfium2", "rapidocr-onnxruntime",
                    "onnxruntime", "opencv-python-headless", "numpy", "Pillow")
# A reader's warning when it kept only the pages read in time (extractors.budget)
CUT_SHORT_MARK = "time budget of"
TMP_AGE_SECONDS = 3600.0          # a temporary entry older than this was left by a killed run

Entry = Union[Document, ReadError]


def _source_files() -> list[Path]:
    files: list[Path] = []
    for top in READER_SOURCES:
        for p in sorted((ROOT / top).rglob("*")):
            rel = p.relative_to(ROOT).as_posix()
            if p.suffix in (".py", ".yaml", ".json") and not rel.startswith(READER_EXCLUDED):
                files.append(p)
    files.extend(ROOT / m for m in MODEL_SOURCES)
    return files


@lru_cache(maxsize=1)
def reader_version() -> str:
    """16 hex digits naming the readers' code and libraries (computed once per process)."""
    h = hashlib.sha256()
    for p in _source_files():
        h.update(p.relative_to(ROOT).as_posix().encode())
        h.update(p.read_bytes())
    for lib in READER_LIBRARIES:
        try:
            h.update(f"{lib}=={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} absent".encode())
    return h.hexdigest()[:16]


def entry_key(sha256: str, name: str) -> str:
    """The cache key of a file: its content and the name it was read under.  A reading depends
    on the name too (the extension decides 'mislabelled', the name is in every source and
    warning), so the same bytes under another name are read again rather than reported
    under a name that is not theirs."""
    return hashlib.sha256(f"{sha256}\0{name}".encode("utf-8")).hexdigest()


def cacheable(entry: Entry) -> bool:
    """Whether a reader's outcome is the same on every read (see the module's notes)."""
    if isinstance(entry, ReadError):
        return True
    return isinstance(entry, Document) and not any(CUT_SHORT_MARK in w for w in entry.warnings)


class DocCache:
    """The document models of one output folder, by file sha256 and reader version."""

    def __init__(self, out_root: Path, version: Optional[str] = None):
        self.folder = Path(out_root) / CACHE_DIR
        self.version = version or reader_version()
        self.hits = 0
        self.misses = 0

    def path(self, sha256: str) -> Path:
        if not sha256 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.folder / f"{sha256}.{self.version}{SUFFIX}"

    def get(self, sha256: str) -> Optional[Entry]:
        """The kept outcome of reading the file with this sha256, or None."""
        p = self.path(sha256)
        try:
            with open(p, "rb") as f:
                entry = pickle.load(f)
        except FileNotFoundError:
            self.misses += 1
            return None
        except Exception:             # a damaged entry is a miss, and is removed
            p.unlink(missing_ok=True)
            self.misses += 1
            return None
        if not isinstance(entry, (Document, ReadError)):
            p.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, sha256: str, entry: Entry) -> bool:
        """Keep a reader's outcome (atomically); False when it is not to be kept."""
        if not cacheable(entry):
            return False
        write_atomic(self.path(sha256), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL),
                     prefix=f".{sha256[:16]}.")
        return True

    def prune(self, tmp_age: float = TMP_AGE_SECONDS) -> int:
        """Remove entries of other reader versions, and temporary files a kill left (older
        than ``tmp_age`` seconds, so a worker's write in progress is left alone); returns how
        many were removed."""
        if not self.folder.is_dir():
            return 0
        gone, now = 0, time.time()
        for p in self.folder.iterdir():
            try:
                if p.name.startswith("."):
                    stale = now - p.stat().st_mtime > tmp_age
                else:
                    stale = not p.name.endswith(f".{self.version}{SUFFIX}")
                if stale and p.is_file():
                    p.unlink(missing_ok=True)
                    gone += 1
            except OSError:
                continue
        return gone
