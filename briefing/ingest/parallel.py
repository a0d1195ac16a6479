"""Prepare many files at once: in this process, a local process pool, or Dask workers.

Whatever runs ``prepare_file``, the prepared files come back in the order of ``paths``, so the
one writer commits them in the same order and a parallel ingest gives the same database,
byte for byte, as a sequential one. Workers start once per ingest and take files in chunks
of about half a megabyte (few round trips, the first back soon, all workers busy to the end);
at most a few chunks per worker are prepared ahead of the writer, so memory stays bounded on a
large corpus.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from briefing.errors import ConfigError
from briefing.ingest.prepare import prepare_file
from briefing.prepared import PreparedFile
from briefing.settings import Settings

LOCAL = "local"  # ``--scheduler local``: start a Dask LocalCluster for this ingest
DASK_INSTALL = "pip install 'briefing[dask]'"
AHEAD = 4  # chunks per worker submitted before the writer has taken the first
CONNECT_TIMEOUT = "10s"  # to reach a scheduler given by address


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1)) if sys.platform != "win32" else 1


CHUNK_FILES = 32  # at most this many files per task ...
CHUNK_BYTES = 512 * 1024  # ... and about this many bytes: a tenth of a second or so of preparing


def chunks(paths: Sequence[str], workers: int) -> list[list[str]]:
    """Consecutive files grouped into tasks: up to ``CHUNK_FILES`` files and ``CHUNK_BYTES``
    (a big file, such as a shard of a thousand records, alone), at least eight tasks per worker,
    so that the first comes back soon, the writer is fed all along, and every worker is busy to
    the end."""
    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    limit = max(1, min(CHUNK_BYTES, sum(sizes) // (workers * 8)))
    files = max(1, min(CHUNK_FILES, len(paths) // (workers * 8)))
    out: list[list[str]] = []
    chunk: list[str] = []
    held = 0
    for path, size in zip(paths, sizes, strict=True):
        if chunk and (held + size > limit or len(chunk) >= files):
            out.append(chunk)
            chunk, held = [], 0
        chunk.append(path)
        held += size
    if chunk:
        out.append(chunk)
    return out


def prepare_files(
    paths: Sequence[str], settings: Settings, *, workers: int = 1, scheduler: str | None = None
) -> Iterator[PreparedFile]:
    """``prepare_file`` of every path, in order: on Dask workers with a ``scheduler`` (an address
    such as ``tcp://10.0.0.5:8786``, or ``local`` for a LocalCluster of ``workers`` processes),
    else in a pool of ``workers`` processes, else (one worker or a few files) here."""
    if scheduler:
        yield from _on_dask(list(paths), settings, workers, scheduler)
        return
    if workers <= 1 or len(paths) < 8:
        for path in paths:
            yield prepare_file(path, settings)
        return
    from briefing.text import dedup  # noqa: F401  (numpy, imported once here, not in every worker)

    # Workers are forked once for the whole ingest.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from _in_order(lambda chunk: pool.submit(prepare_chunk, chunk, settings), chunks(paths, workers),
                             AHEAD * workers)


def _in_order(submit: Callable[[list[str]], Any], tasks: list[list[str]], ahead: int) -> Iterator[PreparedFile]:
    """The prepared files of every task, in order, with at most ``ahead`` tasks submitted and not
    yet taken by the writer (memory stays bounded however large the corpus)."""
    pending: deque[Any] = deque()
    next_task = 0
    while next_task < len(tasks) or pending:
        while next_task < len(tasks) and len(pending) < ahead:
            pending.append(submit(tasks[next_task]))
            next_task += 1
        future = pending.popleft()
        prepared = future.result()
        release = getattr(future, "release", None)  # (a Dask future: its result leaves the cluster)
        if release is not None:
            release()
        yield from prepared


# A cluster started for one ingest samples nothing: the workers' statistical profiler (every
# 10 ms) and GIL monitor (every 1 ms) cost CPU that preparing files needs.
QUIET_WORKERS = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.gil.enabled": False}


def local_cluster(workers: int) -> Any:
    """A ``distributed.LocalCluster`` of ``workers`` processes, one thread each, on free ports."""
    import logging

    import dask
    from distributed import LocalCluster

    with dask.config.set(QUIET_WORKERS):
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
            silence_logs=logging.ERROR,
        )


def prepare_chunk(paths: list[str], settings: Settings) -> list[PreparedFile]:
    """One Dask task: a chunk of files prepared on a worker."""
    return [prepare_file(path, settings) for path in paths]


def _on_dask(paths: list[str], settings: Settings, workers: int, scheduler: str) -> Iterator[PreparedFile]:
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError(
            f"--scheduler needs Dask distributed, which is not installed; install it with {DASK_INSTALL}"
        ) from None
    if not paths:
        return
    cluster: Any = None
    try:
        if scheduler == LOCAL:
            cluster = local_cluster(max(1, workers))
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        raise ConfigError(
            f"cannot reach the Dask scheduler {scheduler!r} ({err}); start one with 'dask scheduler' "
            "and 'dask worker ADDRESS', or pass --scheduler local"
        ) from None
    try:
        n_workers = len(client.scheduler_info().get("workers", {})) or max(1, workers)
        yield from _in_order(lambda chunk: client.submit(prepare_chunk, chunk, settings, pure=False),
                             chunks(paths, n_workers), AHEAD * n_workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
