"""The run ledger: what was processed, when, with which result — one interface, two backends.

By default the ledger is an SQLite file in OUT (``OUT/ledger.sqlite``); ``--ledger URL`` puts
the same tables in PostgreSQL (``postgresql+psycopg://user@host/db``) so that several runs on
several machines share one season.  Everything that reads or writes the ledger (the runner,
the summary, ``check``, the review workbench) goes through :class:`Ledger`; the tables are
SQLAlchemy Core, created and versioned here (``meta.schema_version``, see ``MIGRATIONS``).

* ``dossiers`` — one row per dossier id: its input path, fingerprint (sha256 over its files),
  the options that shape its outputs, status (``new`` → ``running`` → ``done`` | ``failed``),
  attempts, timings, the error of a failure, its summary row (for summary.csv / index.html),
  and the claim of the run processing it (``claimed_by``, ``lease_until``);
* ``files`` — each file of a dossier by name and sha256, its role and format, any problem;
* ``runs`` — each invocation: inputs, options, counts, time.

Each change is its own transaction.  SQLite: WAL journal with ``synchronous=FULL`` and
``BEGIN IMMEDIATE``, so a run killed at any point (``kill -9``) leaves the ledger as of its
last committed change.  PostgreSQL: a dossier is claimed under a row lock (``SELECT … FOR
UPDATE SKIP LOCKED``) with a lease its run renews; a claim whose lease ran out (its machine
died) is taken over by the next run that asks.  Times are the database's clock, so the
machines' clocks need not agree.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy import event

LEDGER_NAME = "ledger.sqlite"
SCHEMA_VERSION = 2

metadata = sa.MetaData()
meta = sa.Table("meta", metadata,
                sa.Column("key", sa.Text, primary_key=True),
                sa.Column("value", sa.Text, nullable=False))
runs = sa.Table("runs", metadata,
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("started", sa.Double, nullable=False), sa.Column("finished", sa.Double),
                sa.Column("inputs", sa.Text, nullable=False), sa.Column("options", sa.Text, nullable=False),
                sa.Column("workers", sa.Integer, nullable=False),
                sa.Column("done", sa.Integer, server_default="0"), sa.Column("failed", sa.Integer, server_default="0"),
                sa.Column("skipped", sa.Integer, server_default="0"), sa.Column("seconds", sa.Double),
                sa.Column("status", sa.Text, nullable=False, server_default="running"),
                sqlite_autoincrement=True)
dossiers = sa.Table("dossiers", metadata,
                    sa.Column("id", sa.Text, primary_key=True),
                    sa.Column("input", sa.Text, nullable=False), sa.Column("kind", sa.Text, nullable=False),
                    sa.Column("fingerprint", sa.Text), sa.Column("options", sa.Text),
                    sa.Column("status", sa.Text, nullable=False),
                    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
                    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("started", sa.Double), sa.Column("finished", sa.Double), sa.Column("seconds", sa.Double),
                    sa.Column("timings", sa.Text), sa.Column("error", sa.Text), sa.Column("verdict", sa.Text),
                    sa.Column("summary", sa.Text),
                    sa.Column("claimed_by", sa.Text), sa.Column("lease_until", sa.Double))
files_table = sa.Table("files", metadata,
                 sa.Column("dossier_id", sa.Text, sa.ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True),
                 sa.Column("name", sa.Text, primary_key=True),
                 sa.Column("sha256", sa.Text, nullable=False), sa.Column("role", sa.Text),
                 sa.Column("format", sa.Text), sa.Column("problem", sa.Text))
sa.Index("files_by_sha256", files_table.c.sha256)

# version -> statements that bring a ledger of the version before up to it
MIGRATIONS: dict[int, list[str]] = {
    2: ["ALTER TABLE dossiers ADD COLUMN claimed_by TEXT", "ALTER TABLE dossiers ADD COLUMN lease_until REAL"],
}
_PG_SCHEMA_LOCK = 150015          # pg_advisory_xact_lock key: one run creates/migrates the schema at a time


class LedgerError(Exception):
    pass


def ledger_url(out: Path, url: Optional[str] = None) -> str:
    """The ledger's URL for an output folder: ``url`` if given, else the SQLite file in OUT."""
    return url or f"sqlite:///{(Path(out) / LEDGER_NAME).resolve()}"


def make_engine(out: Path, url: Optional[str] = None) -> sa.engine.Engine:
    """An Engine on the ledger's database (SQLite pragmas and ``BEGIN IMMEDIATE`` set up), for
    the ledger and for other stores that keep their tables beside it (the review workbench)."""
    u = sa.engine.make_url(ledger_url(out, url))
    if u.get_backend_name() == "sqlite":
        engine = sa.create_engine(u, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            dbapi_conn.isolation_level = None          # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if u.get_backend_name() == "postgresql":
        return sa.create_engine(u, pool_pre_ping=True)
    raise LedgerError(f"不支持的台账地址 — unsupported ledger URL {u.render_as_string(hide_password=True)} "
                      "(sqlite:///… or postgresql+psycopg://…)")


class Ledger:
    """The ledger of one season.  ``Ledger(out)`` opens (and creates) ``OUT/ledger.sqlite``;
    ``Ledger(out, url)`` the database at ``url``."""

    def __init__(self, out: Path, url: Optional[str] = None):
        self.url = ledger_url(out, url)
        self.engine = make_engine(out, url)
        self.backend = self.engine.dialect.name            # "sqlite" | "postgresql"
        self.path = Path(out) / LEDGER_NAME if self.backend == "sqlite" and not url else None
        self._ensure_schema()
        self._skew = 0.0                                    # SQLite is on this machine: its clock is ours
        if self.backend == "postgresql":                    # the database's clock, read once
            with self.engine.connect() as c:
                db_now = c.execute(sa.text("SELECT EXTRACT(EPOCH FROM clock_timestamp())")).scalar_one()
            self._skew = float(db_now) - time.time()

    @property
    def shared(self) -> bool:
        """True where several runs may use this ledger at once (PostgreSQL)."""
        return self.backend != "sqlite"

    def now(self) -> float:
        return time.time() + self._skew

    def close(self) -> None:
        self.engine.dispose()

    def tx(self):
        """``with ledger.tx() as c:`` — one transaction (SQLite: BEGIN IMMEDIATE)."""
        return self.engine.begin()

    # -- schema ----------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        with self.tx() as c:
            if self.backend == "postgresql":
                c.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SCHEMA_LOCK})
            had_meta = sa.inspect(c).has_table("meta")
            found = c.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar() \
                if had_meta else None
            if found is None:
                metadata.create_all(c)
                _upsert(c, meta, {"key": "schema_version", "value": str(SCHEMA_VERSION)}, ["key"], ["value"])
                return
            version = int(found)
            if version > SCHEMA_VERSION:
                raise LedgerError(f"台账版本 {version} 比本程序新 — the ledger's schema {version} is newer than this "
                                  f"program's ({SCHEMA_VERSION}); update the program")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS.get(v, []):
                    c.exec_driver_sql(statement)
            if version < SCHEMA_VERSION:
                c.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))

    def schema_version(self) -> int:
        with self.engine.connect() as c:
            return int(c.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())

    # -- runs ------------------------------------------------------------------------------
    def start_run(self, inputs: Iterable[str], options: dict, workers: int) -> int:
        with self.tx() as c:
            return int(c.execute(runs.insert().values(
                started=self.now(), inputs=json.dumps(list(inputs), ensure_ascii=False),
                options=json.dumps(options, ensure_ascii=False, sort_keys=True), workers=workers,
                status="running").returning(runs.c.id)).scalar_one())

    def run(self, run_id: int) -> Optional[dict]:
        with self.engine.connect() as c:
            row = c.execute(runs.select().where(runs.c.id == run_id)).mappings().first()
        return dict(row) if row else None

    def finish_run(self, run_id: int, done: int, failed: int, skipped: int, seconds: float,
                   status: str = "finished") -> None:
        with self.tx() as c:
            c.execute(runs.update().where(runs.c.id == run_id).values(
                finished=self.now(), done=done, failed=failed, skipped=skipped, seconds=seconds, status=status))

    # -- dossiers --------------------------------------------------------------------------
    def is_done(self, dossier_id: str, fingerprint: str, options_key: str) -> bool:
        row = self.dossier(dossier_id)
        return bool(row) and row["status"] == "done" and row["fingerprint"] == fingerprint \
            and row["options"] == options_key

    def start(self, dossier_id: str, input_path: str, kind: str, fingerprint: Optional[str], options_key: str,
              run_id: int) -> None:
        """Mark a dossier ``running`` for this run without asking (a run that owns the ledger)."""
        with self.tx() as c:
            _upsert(c, dossiers, {"id": dossier_id, "input": input_path, "kind": kind, "status": "new",
                                  "attempts": 0}, ["id"], [])
            c.execute(_start(dossier_id, input_path, kind, fingerprint, options_key, run_id, self.now(), None, None))

    def claim(self, dossier_id: str, input_path: str, kind: str, fingerprint: Optional[str], options_key: str,
              run_id: int, *, owner: str, lease: float, since: float,
              stale: Callable[[str], bool] = lambda owner: False) -> str:
        """Claim a dossier for this run before processing it; one transaction, the row locked.

        Returns ``"claimed"`` (now ``running`` for ``owner`` until ``now + lease``), ``"busy"``
        (another run holds it under a live lease, or holds its row lock this instant) or
        ``"settled"`` (another run finished it with these files and options after ``since``, the
        start of this run: doing it again would do it twice).  A lease that ran out, or whose
        owner ``stale(owner)`` says is dead, is taken over."""
        now = self.now()
        with self.tx() as c:
            _upsert(c, dossiers, {"id": dossier_id, "input": input_path, "kind": kind, "status": "new",
                                  "attempts": 0}, ["id"], [])
            q = sa.select(dossiers.c.status, dossiers.c.fingerprint, dossiers.c.options, dossiers.c.run_id,
                          dossiers.c.finished, dossiers.c.claimed_by, dossiers.c.lease_until
                          ).where(dossiers.c.id == dossier_id)
            if self.backend == "postgresql":
                q = q.with_for_update(skip_locked=True)
            row = c.execute(q).mappings().first()
            if row is None:
                return "busy"
            if row["status"] == "running" and row["claimed_by"] not in (None, owner) \
                    and (row["lease_until"] or 0) > now and not stale(row["claimed_by"]):
                return "busy"
            if row["status"] in ("done", "failed") and row["run_id"] != run_id and (row["finished"] or 0) >= since \
                    and row["fingerprint"] == fingerprint and row["options"] == options_key:
                return "settled"
            c.execute(_start(dossier_id, input_path, kind, fingerprint, options_key, run_id, now, owner, now + lease))
            return "claimed"

    def renew(self, owner: str, lease: float) -> int:
        """Extend the lease of every dossier ``owner`` is still running; returns how many."""
        with self.tx() as c:
            return c.execute(dossiers.update().where(dossiers.c.claimed_by == owner, dossiers.c.status == "running")
                             .values(lease_until=self.now() + lease)).rowcount

    def release(self, owner: str) -> None:
        """Give back the claims of an interrupted run at once (their dossiers stay ``running``
        for the next run, without waiting for the lease to run out)."""
        with self.tx() as c:
            c.execute(dossiers.update().where(dossiers.c.claimed_by == owner, dossiers.c.status == "running")
                      .values(lease_until=0.0))

    def add_attempts(self, dossier_id: str, n: int) -> None:
        """Count ``n`` further attempts (a worker that died under the dossier and was replaced)."""
        if n > 0:
            with self.tx() as c:
                c.execute(dossiers.update().where(dossiers.c.id == dossier_id)
                          .values(attempts=dossiers.c.attempts + n))

    def finish(self, dossier_id: str, *, status: str, seconds: float, summary: dict,
               files: Iterable[dict] = (), timings: Optional[dict] = None, error: Optional[str] = None) -> None:
        """Record a dossier's end (``done`` or ``failed``) and its files, in one transaction."""
        rows = [{"dossier_id": dossier_id, "name": f["file"], "sha256": f.get("sha256", ""), "role": f.get("role"),
                 "format": f.get("format"), "problem": f.get("problem")} for f in files]
        with self.tx() as c:
            c.execute(dossiers.update().where(dossiers.c.id == dossier_id).values(
                status=status, finished=self.now(), seconds=seconds, timings=json.dumps(timings or {}), error=error,
                verdict=summary.get("verdict"), summary=json.dumps(summary, ensure_ascii=False), lease_until=None))
            c.execute(files_table.delete().where(files_table.c.dossier_id == dossier_id))
            if rows:
                c.execute(files_table.insert(), list({r["name"]: r for r in rows}.values()))

    def update_summary(self, dossier_id: str, summary: dict) -> bool:
        """Replace a finished dossier's verdict and summary row (``check`` after a clerk's
        correction); False when the ledger does not know the dossier."""
        with self.tx() as c:
            return c.execute(dossiers.update().where(dossiers.c.id == dossier_id).values(
                verdict=summary.get("verdict"), summary=json.dumps(summary, ensure_ascii=False))).rowcount > 0

    def dossier(self, dossier_id: str) -> Optional[dict]:
        with self.engine.connect() as c:
            row = c.execute(dossiers.select().where(dossiers.c.id == dossier_id)).mappings().first()
        return dict(row) if row else None

    def dossiers(self) -> list[dict]:
        with self.engine.connect() as c:
            return [dict(r) for r in c.execute(dossiers.select().order_by(dossiers.c.id)).mappings()]

    def summaries(self) -> list[dict]:
        """The summary row of every dossier that has finished (done or failed), by id."""
        with self.engine.connect() as c:
            rs = c.execute(sa.select(dossiers.c.id, dossiers.c.status, dossiers.c.summary)
                           .where(dossiers.c.status.in_(("done", "failed"))).order_by(dossiers.c.id)).all()
        return [json.loads(s) if s else {"dossier_id": i, "status": st} for i, st, s in rs]

    def files(self, dossier_id: str) -> list[dict]:
        with self.engine.connect() as c:
            return [dict(r) for r in c.execute(files_table.select().where(files_table.c.dossier_id == dossier_id)
                                                .order_by(files_table.c.name)).mappings()]


def _start(dossier_id: str, input_path: str, kind: str, fingerprint: Optional[str], options_key: str, run_id: int,
           now: float, owner: Optional[str], lease_until: Optional[float]):
    return dossiers.update().where(dossiers.c.id == dossier_id).values(
        input=input_path, kind=kind, fingerprint=fingerprint, options=options_key, status="running", run_id=run_id,
        attempts=dossiers.c.attempts + 1, started=now, finished=None, seconds=None, error=None,
        claimed_by=owner, lease_until=lease_until)


def _upsert(c, table: sa.Table, values: dict[str, Any], keys: list[str], update: list[str]) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update (DO NOTHING without ``update``)."""
    if c.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(**values)
    if update:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={k: stmt.excluded[k] for k in update})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    c.execute(stmt)
