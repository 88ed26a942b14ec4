"""Each dossier worker's memory cap, so that all workers together stay below the machine's.

A hostile file that slips past every size check (a parser that balloons on a small input)
must cost its dossier, not the machine: each worker caps its own address space
(``RLIMIT_AS``, soft and hard, first thing after the fork — :func:`with_memory_cap` wraps the
worker's function) at its share of the physical memory; the reader children it forks inherit
the cap and may only lower it.  An allocation beyond it fails with ``MemoryError`` in that
worker or reader only, which the batch records against the dossier.
"""
from __future__ import annotations

import functools
import resource
from typing import Callable, Optional

import psutil

MiB = 1024 * 1024
MACHINE_SHARE = 0.85        # of physical memory, for all workers together
FLOOR_BYTES = 2048 * MiB    # never less per worker (the readers' libraries need address space)
PARENT_RESERVE_BYTES = 512 * MiB    # left for the batch process itself


def worker_memory_bytes(workers: int, total: Optional[int] = None) -> int:
    """Each worker's share: (share of physical memory − the parent's reserve) / workers."""
    total = psutil.virtual_memory().total if total is None else total
    return max(FLOOR_BYTES, int((total * MACHINE_SHARE - PARENT_RESERVE_BYTES) / max(1, workers)))


def cap_own_memory(cap: int) -> Optional[int]:
    """Cap this process's address space at ``cap`` bytes (never raising an existing cap);
    returns the cap in force, None where the system cannot set one."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        for limit in (soft, hard):
            if limit != resource.RLIM_INFINITY:
                cap = min(cap, limit)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))   # hard too: a reader cannot raise it
    except (OSError, ValueError):
        return None
    return cap


def _capped(cap: int, fn: Callable, *args, **kwargs):
    cap_own_memory(cap)
    return fn(*args, **kwargs)


def with_memory_cap(fn: Callable, workers: int) -> Callable:
    """``fn`` run under each worker's share of memory (the share computed here, in the batch)."""
    return functools.partial(_capped, worker_memory_bytes(workers), fn)
