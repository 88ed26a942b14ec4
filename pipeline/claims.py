"""The dossiers a run still has to do, handed out one at a time as each is claimed in the ledger.

With the SQLite ledger in OUT the run owns the ledger (the lock file keeps other runs out):
a dossier is simply marked ``running``.  With a shared ledger (PostgreSQL) several runs, on
several machines, work through the same inputs: a dossier is claimed under a row lock just
before it is sent to a worker, with a lease this run renews while it works
(:meth:`Claims.tick`).  A dossier another live run holds is put aside and asked for again
every few seconds until that run finishes it (``settled``: counted as skipped here) or its
lease runs out because its machine died (then this run takes it over).  Claims are made one
free worker at a time, so runs that start together share the work instead of the first one
taking everything.
"""
from __future__ import annotations

import os
import socket
import time
from collections import deque
from typing import Iterable, Optional

from pipeline.atomic import gone_here
from pipeline.ledger import Ledger

CLAIM_LEASE_SECONDS = 60.0       # a claim not renewed for this long is taken over by another run


class Claims:
    def __init__(self, ledger: Ledger, items: Iterable[tuple], run_id: int, key: str,
                 lease: float = CLAIM_LEASE_SECONDS):
        self.ledger, self.run_id, self.key, self.lease = ledger, run_id, key, float(lease)
        self.exclusive = not ledger.shared
        self.host = socket.gethostname()
        self.owner = f"{self.host}:{os.getpid()}:{run_id}"
        run = ledger.run(run_id)
        self.since = run["started"] if run else ledger.now()
        self.queue: deque = deque(items)
        self.waiting: deque = deque()         # held by another run: asked for again later
        self.settled: list = []               # finished by another run since this one started
        self.poll_seconds = max(0.2, min(5.0, self.lease / 4))
        self._next_poll = 0.0
        self._next_renew = time.monotonic() + self.lease / 3

    def pending(self) -> bool:
        return bool(self.queue or self.waiting)

    def next(self) -> Optional[tuple]:
        """The next ``(dossier, fingerprint)`` claimed for this run, or None when every
        remaining dossier is held by another run (ask again after ``poll_seconds``)."""
        while True:
            while self.queue:
                d, fp = self.queue.popleft()
                state = self._claim(d, fp)
                if state == "claimed":
                    return d, fp
                (self.waiting.append if state == "busy" else self.settled.append)((d, fp))
            if not self.waiting or time.monotonic() < self._next_poll:
                return None
            self._next_poll = time.monotonic() + self.poll_seconds
            self.queue.extend(self.waiting)
            self.waiting.clear()

    def take_settled(self) -> list:
        out, self.settled = self.settled, []
        return out

    def _claim(self, d, fp) -> str:
        if self.exclusive:
            self.ledger.start(d.id, str(d.path), d.kind, fp, self.key, self.run_id)
            return "claimed"
        return self.ledger.claim(d.id, str(d.path), d.kind, fp, self.key, self.run_id, owner=self.owner,
                                 lease=self.lease, since=self.since, stale=self._stale)

    def _stale(self, owner: str) -> bool:
        """A claim of a run on this machine whose process is gone needs no lease to expire."""
        host, _, rest = owner.partition(":")
        return host == self.host and gone_here(host, rest.partition(":")[0])

    def tick(self) -> None:
        """Renew this run's leases when a third of the lease has passed."""
        if self.exclusive or time.monotonic() < self._next_renew:
            return
        self._next_renew = time.monotonic() + self.lease / 3
        self.ledger.renew(self.owner, self.lease)

    def release(self) -> None:
        """An interrupted run gives its unfinished claims back at once."""
        if not self.exclusive:
            self.ledger.release(self.owner)
