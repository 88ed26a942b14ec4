"""Evidence linker: start-up (spaCy blank zh + jieba + Matcher) and seconds per evidence file and
per dossier on the committed samples (documents already read; reading is the readers' figure)."""
from __future__ import annotations

import statistics
import time

from extractors import read_file
from extractors.errors import ReadError
from pipeline.model import Extraction, FieldValue, SourceFile
from tests.expected import DOSSIERS, expected_files, load_expected

ROUNDS = 1          # the matcher caches texts it has seen: a second round would time the cache


def main() -> None:
    t0 = time.perf_counter()
    from extractors.evidence import link_document, warm_up
    warm_up()
    start = time.perf_counter() - t0
    jobs = []
    for f in expected_files():
        exp = load_expected(f.stem)
        ext = Extraction(exp["dossier_id"], reporting_years=exp["reporting_years"],
                         fields={k: FieldValue(v) for k, v in exp["fields"].items()})
        docs = []
        for e in exp["evidence"]:
            try:
                docs.append(read_file(DOSSIERS / exp["dossier_id"] / e["file"]))
            except ReadError:
                pass
        jobs.append((ext, docs))
    per_file, per_dossier = [], []
    for _ in range(ROUNDS):
        for ext, docs in jobs:
            t_d = time.perf_counter()
            for doc in docs:
                t = time.perf_counter()
                link_document(ext, SourceFile(doc.file, "", "evidence", doc.format), doc)
                per_file.append(time.perf_counter() - t)
            per_dossier.append(time.perf_counter() - t_d)
    print(f"start-up (spaCy blank zh, jieba dictionary, Matcher): {start:.2f} s once per process")
    print(f"{len(jobs)} dossiers, {len(per_file) // ROUNDS} readable evidence files, {ROUNDS} rounds")
    print(f"per evidence file: median {statistics.median(per_file) * 1000:.0f} ms, max {max(per_file) * 1000:.0f} ms")
    print(f"per dossier:       median {statistics.median(per_dossier):.2f} s, max {max(per_dossier):.2f} s")


if __name__ == "__main__":
    main()
