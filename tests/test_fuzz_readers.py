"""Fuzzing harness: damaged copies of real DOCX, XLSX, PDF, image and zip files, read by every
reader, each yield a Document or a typed ReadError, in bounded time and memory — never an
uncaught exception, a crash or a hang.

Bounded for the test suite (a few examples per kind, derandomized so CI sees the same inputs
every time, no deadline: the bound is the reader's own time limit); ``make fuzz`` runs many
more, random, with ``FUZZ_EXAMPLES`` and ``FUZZ_RANDOM=1``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from extractors import read_file_within
from extractors.errors import ReadError
from pipeline.dossiers import DossierInput, open_dossier
from pipeline.isolation import ChildCrashed, Timeout, run_isolated
from pipeline.model import Document

from .fuzz_inputs import damage_member, damaged, flip_bits, seeds, splice, zero_range

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
TIME_LIMIT = 120.0          # seconds per damaged file: the bound a hang would hit
READER_LIMIT = 60.0         # the readers' own budget (--file-timeout), well inside it
MEMORY_MB = 2048            # per damaged file


def fuzz_settings(examples: int):
    return settings(max_examples=EXAMPLES or examples, deadline=None, derandomize=not RANDOM, database=None,
                    suppress_health_check=list(HealthCheck), print_blob=True,
                    phases=[Phase.explicit, Phase.generate])      # no shrinking: each try costs a fork


def read_damaged(path: Path, name: str):
    """What a worker does with one file: Document, or ReadError; anything else is a finding."""
    return run_isolated(read_file_within, path, name, READER_LIMIT, timeout=TIME_LIMIT, memory_mb=MEMORY_MB)


def check(kind: str, name: str, data: bytes, what: str) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            if kind == "zip":
                docs = run_isolated(_read_zip_safely, path, timeout=TIME_LIMIT * 2, memory_mb=MEMORY_MB)
                assert all(isinstance(d, (Document, ReadError)) for d in docs), (what, docs)
            else:
                assert isinstance(read_damaged(path, name), Document), what
        except ReadError as e:
            assert e.kind and e.message and str(e).startswith(name), (what, e)
            assert tmp not in str(e), f"{what}: the message shows a temporary path: {e}"
        except (Timeout, ChildCrashed, MemoryError) as e:
            pytest.fail(f"{kind} {what}: {type(e).__name__}: {e}")
        except Exception as e:
            pytest.fail(f"{kind} {what}: uncaught {type(e).__name__}: {e}")


def _read_zip_safely(path: Path) -> list:
    out = []
    with open_dossier(DossierInput("fuzz", path, "zip")) as (files, problems):
        for f in files:
            try:
                out.append(read_file_within(f.path, f.name, READER_LIMIT))
            except ReadError as e:
                out.append(e)
    return out


@fuzz_settings(20)
@given(damaged(("docx",)))
def test_damaged_docx(case):
    check(*case)


@fuzz_settings(20)
@given(damaged(("xlsx",)))
def test_damaged_xlsx(case):
    check(*case)


@fuzz_settings(10)
@given(damaged(("pdf",)))
def test_damaged_pdf(case):
    check(*case)


@fuzz_settings(4)
@given(damaged(("png", "jpeg", "tiff")))
def test_damaged_images(case):
    check(*case)


@fuzz_settings(12)
@given(damaged(("zip",)))
def test_damaged_zip_dossiers(case):
    check(*case)


# every failure the fuzzing found, kept as a fixed case (docs/hostile-inputs.md lists the fixes)
FOUND = [
    ("xlsx", lambda d, s: flip_bits(d, [3167]), "flip bits [3167]: zlib.error escaped the XLSX reader"),
    ("png", lambda d, s: splice(d, s["png"][1], 21, 279, 817), "splice: PIL's message held the temporary path"),
    ("pdf", lambda d, s: zero_range(d, 160, 284), "zero 284 at 160: pdfium could not load the page"),
    ("zip", lambda d, s: damage_member(d, 102, "method", 102), "member method LZMA: LZMAError escaped the zip"),
]


@pytest.mark.parametrize("kind,mutate,what", FOUND, ids=[f[0] for f in FOUND])
def test_damaged_files_found_by_fuzzing(kind, mutate, what):
    all_seeds = seeds()
    name, data = all_seeds[kind]
    check(kind, name, mutate(data, all_seeds), what)
