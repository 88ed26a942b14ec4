"""The ledger's one interface over its two backends: SQLite in OUT and a real PostgreSQL server
(tests/pg_server.py starts one; without one the PostgreSQL cases are skipped, saying why).
Schema creation and versioning, the record of a dossier, and claims with leases."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.ledger import LEDGER_NAME, SCHEMA_VERSION, Ledger, LedgerError, make_engine

from .pg_server import pg_server, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path):
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    lg = Ledger(tmp_path, url)
    yield lg
    lg.close()


def _claim(lg: Ledger, d_id: str, run_id: int, owner: str, lease: float = 30.0, since: float = 0.0, **kw) -> str:
    return lg.claim(d_id, f"/in/{d_id}", "dir", "fp1", "key", run_id, owner=owner, lease=lease, since=since, **kw)


def test_a_dossier_is_recorded_and_read_back_on_either_backend(ledger):
    assert ledger.schema_version() == SCHEMA_VERSION
    run = ledger.start_run(["/in"], {"profile": None}, 2)
    ledger.start("d1", "/in/d1", "dir", "fp1", "key", run)
    assert ledger.dossier("d1")["status"] == "running" and ledger.summaries() == []
    row = {"dossier_id": "d1", "verdict": "review", "cluster_name": "测试集群"}
    ledger.finish("d1", status="done", seconds=1.5, summary=row, timings={"read": 1.0},
                  files=[{"file": "申报表.docx", "sha256": "a" * 64, "role": "form", "format": "docx"}])
    assert ledger.is_done("d1", "fp1", "key") and not ledger.is_done("d1", "fp2", "key")
    assert ledger.summaries() == [row]
    assert [(f["name"], f["role"]) for f in ledger.files("d1")] == [("申报表.docx", "form")]
    d = ledger.dossier("d1")
    assert d["attempts"] == 1 and d["verdict"] == "review" and json.loads(d["timings"]) == {"read": 1.0}
    ledger.start("d1", "/in/d1", "dir", "fp2", "key", run)        # redone: one more attempt, files kept until done
    assert ledger.dossier("d1")["attempts"] == 2 and ledger.dossier("d1")["status"] == "running"
    assert ledger.update_summary("d1", {**row, "verdict": "pass"}) and not ledger.update_summary("nope", row)
    ledger.finish_run(run, 1, 0, 0, 2.0)
    assert ledger.run(run)["status"] == "finished" and ledger.run(run)["done"] == 1


def test_claims_exclude_each_other_until_the_lease_runs_out(ledger):
    run_a, run_b = ledger.start_run(["/in"], {}, 1), ledger.start_run(["/in"], {}, 1)
    since = ledger.now()
    assert _claim(ledger, "d1", run_a, "hostA:1:1", lease=1.0, since=since) == "claimed"
    assert _claim(ledger, "d1", run_b, "hostB:1:2", since=since) == "busy"
    ledger.renew("hostA:1:1", 1.0)
    time.sleep(1.3)                                         # A's machine died: its lease runs out
    assert _claim(ledger, "d1", run_b, "hostB:1:2", since=since) == "claimed"
    d = ledger.dossier("d1")
    assert d["claimed_by"] == "hostB:1:2" and d["attempts"] == 2
    ledger.finish("d1", status="done", seconds=1.0, summary={"dossier_id": "d1", "verdict": "pass"})
    # finished by B after A started: A must not do it again; a later run with the same files skips it too
    assert _claim(ledger, "d1", run_a, "hostA:1:1", since=since) == "settled"
    # a claim whose owner is known dead is taken over at once
    assert _claim(ledger, "d2", run_a, "hostA:1:1", since=since) == "claimed"
    assert _claim(ledger, "d2", run_b, "hostB:1:2", since=since, stale=lambda o: o.startswith("hostA")) == "claimed"
    ledger.release("hostB:1:2")
    assert ledger.dossier("d2")["lease_until"] == 0.0


def test_an_sqlite_ledger_of_schema_1_is_migrated_in_place(tmp_path):
    db = sqlite3.connect(tmp_path / LEDGER_NAME)
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL,
            inputs TEXT NOT NULL, options TEXT NOT NULL, workers INTEGER NOT NULL, done INTEGER DEFAULT 0,
            failed INTEGER DEFAULT 0, skipped INTEGER DEFAULT 0, seconds REAL, status TEXT NOT NULL DEFAULT 'running');
        CREATE TABLE dossiers (id TEXT PRIMARY KEY, input TEXT NOT NULL, kind TEXT NOT NULL, fingerprint TEXT,
            options TEXT, status TEXT NOT NULL, run_id INTEGER REFERENCES runs(id), attempts INTEGER NOT NULL DEFAULT 0,
            started REAL, finished REAL, seconds REAL, timings TEXT, error TEXT, verdict TEXT, summary TEXT);
        CREATE TABLE files (dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE, name TEXT NOT NULL,
            sha256 TEXT NOT NULL, role TEXT, format TEXT, problem TEXT, PRIMARY KEY (dossier_id, name));
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO dossiers (id, input, kind, fingerprint, options, status, attempts, summary)
            VALUES ('old', '/in/old', 'dir', 'fp', 'key', 'done', 1, '{"dossier_id": "old", "verdict": "pass"}');
    """)
    db.close()
    lg = Ledger(tmp_path)
    try:
        assert lg.schema_version() == SCHEMA_VERSION
        assert lg.is_done("old", "fp", "key") and lg.summaries() == [{"dossier_id": "old", "verdict": "pass"}]
        assert lg.dossier("old")["claimed_by"] is None
        db = sqlite3.connect(tmp_path / LEDGER_NAME)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
        db.commit()
        db.close()
    finally:
        lg.close()
    with pytest.raises(LedgerError, match="newer"):
        Ledger(tmp_path)


def test_the_engine_is_shared_with_other_stores_and_a_bad_url_is_refused(tmp_path):
    engine = make_engine(tmp_path)
    assert engine.url.database == str((tmp_path / LEDGER_NAME).resolve())
    with engine.begin() as c:                                # another store's tables beside the ledger's
        c.exec_driver_sql("CREATE TABLE review_notes (id INTEGER PRIMARY KEY)")
    engine.dispose()
    lg = Ledger(tmp_path)
    assert "review_notes" in sa.inspect(lg.engine).get_table_names() and lg.schema_version() == SCHEMA_VERSION
    lg.close()
    with pytest.raises(LedgerError, match="unsupported"):
        Ledger(tmp_path, "mysql://x@y/z")


def test_concurrent_claims_on_postgresql_hand_each_dossier_to_one_run(tmp_path, pg_url):
    ids = [f"d{i:02d}" for i in range(30)]
    Ledger(tmp_path, pg_url).close()                 # the schema exists before the race
    won: dict[str, list[str]] = {}

    def runner(name: str) -> None:
        lg = Ledger(tmp_path, pg_url)
        run = lg.start_run(["/in"], {}, 1)
        since = lg.now()
        mine = [d for d in ids if _claim(lg, d, run, f"{name}:{os.getpid()}:{run}", since=since) == "claimed"]
        won[name] = mine
        lg.close()

    threads = [threading.Thread(target=runner, args=(f"host{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [d for mine in won.values() for d in mine]
    assert sorted(claimed) == ids, "every dossier claimed exactly once"
    lg = Ledger(tmp_path, pg_url)
    assert {d["attempts"] for d in lg.dossiers()} == {1}
    lg.close()


def test_two_runs_creating_the_schema_at_once_do_not_collide(tmp_path, pg_url):
    errors = []

    def open_it():
        try:
            Ledger(tmp_path, pg_url).close()
        except Exception as e:      # noqa: BLE001 — any failure is the test's finding
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    lg = Ledger(Path(tmp_path), pg_url)
    assert lg.schema_version() == SCHEMA_VERSION
    lg.close()
