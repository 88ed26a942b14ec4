"""Each dossier worker's memory cap, so that all workers together stay below the machine's.

A hostile file that slips past every size check (a parser that balloons on a small input)
must cost its dossier, not the machine: each worker's address space is capped
(``RLIMIT_AS``, set by the batch on the forked worker with ``prlimit``, inherited by the
reader children it forks) at its share of the physical memory.  An allocation beyond it
fails with ``MemoryError`` in that worker or reader only, which the batch records.
"""
from __future__ import annotations

import resource
from typing import Optional

import psutil

MiB = 1024 * 1024
MACHINE_SHARE = 0.85        # of physical memory, for all workers together
FLOOR_BYTES = 2048 * MiB    # never less per worker (the readers' libraries need address space)
PARENT_RESERVE_BYTES = 512 * MiB    # left for the batch process itself


def worker_memory_bytes(workers: int, total: Optional[int] = None) -> int:
    """Each worker's share: (share of physical memory − the parent's reserve) / workers."""
    total = psutil.virtual_memory().total if total is None else total
    return max(FLOOR_BYTES, int((total * MACHINE_SHARE - PARENT_RESERVE_BYTES) / max(1, workers)))


def cap_worker_memory(pid: int, workers: int) -> Optional[int]:
    """Cap the address space of process ``pid`` at its share; returns the cap (None where the
    system cannot set it)."""
    cap = worker_memory_bytes(workers)
    try:
        _, hard = resource.prlimit(pid, resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.prlimit(pid, resource.RLIMIT_AS, (cap, cap))     # hard too: a reader cannot raise it
    except (OSError, ValueError, AttributeError):       # not Linux, or the worker is already gone
        return None
    return cap
