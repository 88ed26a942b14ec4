"""The run ledger: an SQLite file in OUT (``OUT/ledger.sqlite``) recording what was processed.

* ``dossiers`` — one row per dossier id: its input path, fingerprint (sha256 over its files),
  the options that shape its outputs, status (``running`` → ``done`` | ``failed``), attempts,
  timings, the error of a failure, and its summary row (for summary.csv / index.html);
* ``files`` — each file of a dossier by name and sha256, its role and format, any problem;
* ``runs`` — each invocation: inputs, options, counts, time.

A rerun skips a dossier whose row is ``done`` with the same fingerprint and options.  Only the
batch's parent process writes here, each change in its own transaction; the journal is WAL
with ``synchronous=FULL``, so a run killed at any point (``kill -9``) leaves the ledger as of
its last committed change: a dossier caught ``running`` is simply done again next time.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterable, Optional

LEDGER_NAME = "ledger.sqlite"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL, finished REAL,
    inputs TEXT NOT NULL, options TEXT NOT NULL, workers INTEGER NOT NULL,
    done INTEGER DEFAULT 0, failed INTEGER DEFAULT 0, skipped INTEGER DEFAULT 0, seconds REAL,
    status TEXT NOT NULL DEFAULT 'running');
CREATE TABLE IF NOT EXISTS dossiers (
    id TEXT PRIMARY KEY,
    input TEXT NOT NULL, kind TEXT NOT NULL,
    fingerprint TEXT, options TEXT,
    status TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    attempts INTEGER NOT NULL DEFAULT 0,
    started REAL, finished REAL, seconds REAL,
    timings TEXT, error TEXT, verdict TEXT, summary TEXT);
CREATE TABLE IF NOT EXISTS files (
    dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    name TEXT NOT NULL, sha256 TEXT NOT NULL, role TEXT, format TEXT, problem TEXT,
    PRIMARY KEY (dossier_id, name));
CREATE INDEX IF NOT EXISTS files_by_sha256 ON files (sha256);
"""


class Ledger:
    def __init__(self, out: Path):
        self.path = Path(out) / LEDGER_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.tx():
            for statement in _statements(SCHEMA):     # executescript would commit on its own
                self.db.execute(statement)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    # -- transactions --------------------------------------------------------------------
    def tx(self):
        return _Tx(self.db)

    def close(self) -> None:
        self.db.close()

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, inputs: Iterable[str], options: dict, workers: int) -> int:
        with self.tx():
            cur = self.db.execute("INSERT INTO runs (started, inputs, options, workers) VALUES (?, ?, ?, ?)",
                                  (time.time(), json.dumps(list(inputs), ensure_ascii=False),
                                   json.dumps(options, ensure_ascii=False, sort_keys=True), workers))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, done: int, failed: int, skipped: int, seconds: float,
                   status: str = "finished") -> None:
        with self.tx():
            self.db.execute("UPDATE runs SET finished=?, done=?, failed=?, skipped=?, seconds=?, status=? WHERE id=?",
                            (time.time(), done, failed, skipped, seconds, status, run_id))

    # -- dossiers ------------------------------------------------------------------------
    def is_done(self, dossier_id: str, fingerprint: str, options_key: str) -> bool:
        row = self.db.execute("SELECT status, fingerprint, options FROM dossiers WHERE id=?", (dossier_id,)).fetchone()
        return bool(row) and row["status"] == "done" and row["fingerprint"] == fingerprint \
            and row["options"] == options_key

    def start(self, dossier_id: str, input_path: str, kind: str, fingerprint: Optional[str], options_key: str,
              run_id: int) -> None:
        with self.tx():
            self.db.execute(
                "INSERT INTO dossiers (id, input, kind, fingerprint, options, status, run_id, attempts, started) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?, 1, ?) "
                "ON CONFLICT(id) DO UPDATE SET input=excluded.input, kind=excluded.kind, "
                "fingerprint=excluded.fingerprint, options=excluded.options, status='running', "
                "run_id=excluded.run_id, attempts=dossiers.attempts+1, started=excluded.started, "
                "finished=NULL, seconds=NULL, error=NULL",
                (dossier_id, input_path, kind, fingerprint, options_key, run_id, time.time()))

    def finish(self, dossier_id: str, *, status: str, seconds: float, summary: dict,
               files: Iterable[dict] = (), timings: Optional[dict] = None, error: Optional[str] = None) -> None:
        """Record a dossier's end (``done`` or ``failed``) and its files, in one transaction."""
        with self.tx():
            self.db.execute("UPDATE dossiers SET status=?, finished=?, seconds=?, timings=?, error=?, verdict=?, "
                            "summary=? WHERE id=?",
                            (status, time.time(), seconds, json.dumps(timings or {}), error, summary.get("verdict"),
                             json.dumps(summary, ensure_ascii=False), dossier_id))
            self.db.execute("DELETE FROM files WHERE dossier_id=?", (dossier_id,))
            self.db.executemany(
                "INSERT OR REPLACE INTO files (dossier_id, name, sha256, role, format, problem) VALUES (?, ?, ?, ?, ?, ?)",
                [(dossier_id, f["file"], f.get("sha256", ""), f.get("role"), f.get("format"), f.get("problem"))
                 for f in files])

    def dossier(self, dossier_id: str) -> Optional[dict]:
        row = self.db.execute("SELECT * FROM dossiers WHERE id=?", (dossier_id,)).fetchone()
        return dict(row) if row else None

    def dossiers(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM dossiers ORDER BY id")]

    def summaries(self) -> list[dict]:
        """The summary row of every dossier that has finished (done or failed), by id."""
        out = []
        for r in self.db.execute("SELECT id, status, summary FROM dossiers WHERE status IN ('done', 'failed') "
                                 "ORDER BY id"):
            out.append(json.loads(r["summary"]) if r["summary"] else {"dossier_id": r["id"], "status": r["status"]})
        return out

    def files(self, dossier_id: str) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM files WHERE dossier_id=? ORDER BY name", (dossier_id,))]


class _Tx:
    """``with ledger.tx():`` — BEGIN IMMEDIATE … COMMIT, ROLLBACK on error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> Any:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
