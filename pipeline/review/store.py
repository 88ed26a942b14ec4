"""The workbench's tables: reviewer accounts, the append-only corrections, dossier reviews.

SQLAlchemy Core tables on their own ``MetaData``; :func:`engine_for` gives the engine
(default: the run's ledger file, ``sqlite:///OUT/ledger.sqlite``, so the corrections sit in
the ledger beside the run's records; a ``url`` such as ``postgresql+psycopg://…`` puts them in
the same database as a shared ledger).  Nothing here ever updates or deletes a correction:
the value of a field is its latest row.
"""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any, Iterable, Optional

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
)
from werkzeug.security import check_password_hash, generate_password_hash

LEDGER_NAME = "ledger.sqlite"
metadata = MetaData()

users = Table(
    "review_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),      # werkzeug scrypt, salted
    Column("created", Float, nullable=False),
)

corrections = Table(
    "review_corrections", metadata,                     # append-only: never updated, never deleted
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier", String(200), nullable=False, index=True),
    Column("field", String(200), nullable=False),
    Column("action", String(16), nullable=False),        # corrected | confirmed
    Column("old_value", Text),                           # JSON: the value before this change
    Column("new_value", Text),                           # JSON: the value after it
    Column("read_value", Text),                          # JSON: the machine's reading
    Column("reviewer", String(64), nullable=False),
    Column("at", Float, nullable=False),                 # unix time
    Column("reason", Text),
    Column("source_file", Text),                         # the file the value was read from …
    Column("source_sha256", String(64)),                 # … and its sha256 when corrected
)

reviews = Table(
    "review_reviews", metadata,                          # a dossier marked reviewed (or reopened)
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dossier", String(200), nullable=False, index=True),
    Column("reviewer", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Column("status", String(16), nullable=False),        # reviewed | reopened
)

settings = Table(
    "review_settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def engine_for(out_dir: Path, url: Optional[str] = None) -> Engine:
    """The engine of the workbench's tables: the run's ledger database (``url``, else the
    SQLite ledger in ``out_dir``), set up by the ledger's own :func:`pipeline.ledger.make_engine`
    so the corrections live beside the dossiers' rows, in SQLite or PostgreSQL alike."""
    from pipeline.ledger import make_engine
    return make_engine(Path(out_dir), url)


def create_all(engine: Engine) -> None:
    metadata.create_all(engine)


def has_tables(engine: Engine) -> bool:
    return inspect(engine).has_table(corrections.name)


def now() -> float:
    return dt.datetime.now(dt.timezone.utc).timestamp()


def iso(t: float) -> str:
    """A time as clerks read it (UTC+8, the offices' time), to the second."""
    return dt.datetime.fromtimestamp(t, dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")


# -- users ---------------------------------------------------------------------------------
def add_user(engine: Engine, name: str, password: str) -> None:
    """A reviewer account; the password is kept only as a salted scrypt hash.  Re-adding a
    name sets its password anew."""
    name = name.strip()
    if not name or len(name) > 64:
        raise ValueError("用户名须为 1–64 个字符 — the user name must be 1–64 characters")
    if len(password) < 8:
        raise ValueError("密码至少 8 个字符 — the password must have at least 8 characters")
    h = generate_password_hash(password, method="scrypt")
    with engine.begin() as c:
        row = c.execute(select(users.c.id).where(users.c.name == name)).first()
        if row:
            c.execute(users.update().where(users.c.id == row.id).values(password_hash=h))
        else:
            c.execute(insert(users).values(name=name, password_hash=h, created=now()))


def check_user(engine: Engine, name: str, password: str) -> bool:
    with engine.connect() as c:
        row = c.execute(select(users.c.password_hash).where(users.c.name == name)).first()
    if row is None:
        check_password_hash(generate_password_hash("x", method="scrypt"), password)   # same time either way
        return False
    return check_password_hash(row.password_hash, password)


def user_exists(engine: Engine, name: str) -> bool:
    with engine.connect() as c:
        return c.execute(select(users.c.id).where(users.c.name == name)).first() is not None


def has_users(engine: Engine) -> bool:
    with engine.connect() as c:
        return c.execute(select(users.c.id).limit(1)).first() is not None


def secret_key(engine: Engine) -> str:
    """The session signing key, made once and kept (sessions survive a restart)."""
    with engine.begin() as c:
        row = c.execute(select(settings.c.value).where(settings.c.key == "secret_key")).first()
        if row:
            return row.value
        key = secrets.token_hex(32)
        c.execute(insert(settings).values(key="secret_key", value=key))
        return key


# -- corrections ---------------------------------------------------------------------------
def add_correction(engine: Engine, row: dict) -> int:
    with engine.begin() as c:
        key = c.execute(insert(corrections).values(**row)).inserted_primary_key
        assert key is not None
        return int(key[0])


def corrections_of(engine: Engine, dossier: str) -> list[dict]:
    """Every correction of a dossier, oldest first."""
    with engine.connect() as c:
        rows = c.execute(select(corrections).where(corrections.c.dossier == dossier).order_by(corrections.c.id))
        return [dict(r._mapping) for r in rows]


def latest_by_field(rows: Iterable[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in rows:
        out[r["field"]] = r
    return out


# -- reviews -------------------------------------------------------------------------------
def add_review(engine: Engine, dossier: str, reviewer: str, status: str) -> None:
    with engine.begin() as c:
        c.execute(insert(reviews).values(dossier=dossier, reviewer=reviewer, at=now(), status=status))


def last_activity(engine: Engine) -> dict[str, dict[str, Any]]:
    """{dossier: {reviewed: bool, by, at, corrections: n}} from the reviews and corrections."""
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as c:
        for r in c.execute(select(reviews).order_by(reviews.c.id)):
            out.setdefault(r.dossier, {"corrections": 0})
            out[r.dossier].update(reviewed=r.status == "reviewed", by=r.reviewer, at=r.at)
        for r in c.execute(select(corrections).order_by(corrections.c.id)):
            d = out.setdefault(r.dossier, {"corrections": 0})
            d["corrections"] += 1
            if d.get("at") is None or r.at > d["at"]:
                d.update(by=r.reviewer, at=r.at)
    return out
