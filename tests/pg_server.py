"""A real PostgreSQL server for the ledger tests, started in a temporary folder.

``PIPELINE_TEST_PG_URL`` (an admin URL such as ``postgresql+psycopg://postgres@db:5432/postgres``)
uses a server you already have.  Otherwise Debian's ``initdb``/``pg_ctl``
(``/usr/lib/postgresql/*/bin``, package ``postgresql``; ``make sysdeps`` installs it) start
one on 127.0.0.1 at a free port, as the ``postgres`` user when we are root (both refuse to run
as root), with fsync off (a test server).  Each test gets a fresh database from
:func:`PgServer.new_database`.  Where neither is possible the tests are skipped, saying why.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Optional

import pytest


class PgServer:
    def __init__(self, admin_url: str, stop=None):
        self.admin_url = admin_url
        self._stop = stop

    def new_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import sqlalchemy as sa
        name = f"ledger_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return str(sa.engine.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False))

    def stop(self) -> None:
        if self._stop:
            self._stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bindir() -> Optional[Path]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-c", " ".join(cmd)]


def start_server() -> PgServer:
    """Start a server (or use ``PIPELINE_TEST_PG_URL``); raises RuntimeError saying why not."""
    url = os.environ.get("PIPELINE_TEST_PG_URL")
    if url:
        return PgServer(url)
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl): install the Debian package "
                           "postgresql (make sysdeps) or set PIPELINE_TEST_PG_URL")
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no postgres user to run initdb/pg_ctl as")
    root = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
    if os.geteuid() == 0:
        os.chown(root, pw.pw_uid, pw.pw_gid)
    data, port = root / "data", _free_port()

    def run(*cmd, timeout=120):
        r = subprocess.run(_as_postgres([str(c) for c in cmd]), capture_output=True, text=True, timeout=timeout)
        if r.returncode:
            raise RuntimeError(f"{Path(str(cmd[0])).name} failed: {r.stderr.strip() or r.stdout.strip()}")

    def stop():
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)

    try:
        run(bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync",
            "--no-instructions")
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=100"
        run(bindir / "pg_ctl", "-D", data, "-o", f"'{opts}'" if os.geteuid() == 0 and not shutil.which("runuser")
            else opts, "-l", root / "server.log", "-w", "-t", "60", "start")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
        stop()
        raise RuntimeError(f"could not start PostgreSQL: {e}")
    return PgServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop)


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = start_server()
    except RuntimeError as e:
        pytest.skip(f"PostgreSQL tests skipped: {e}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the session's server."""
    return pg_server.new_database()
