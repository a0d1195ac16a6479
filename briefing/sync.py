"""Keep the database in step with the files: add new, re-index changed, prune deleted.

The path a file takes: ``ingest.walk`` finds it; unchanged files (same size and modification
time, or same bytes) are skipped without parsing; ``ingest.parallel`` has it prepared
(``ingest.prepare``: no database) here, in worker processes started once per sync, or on Dask
workers; and this process alone writes (``store.write``): files in batches of whole files, one
transaction per batch (``BATCH_DOCUMENTS`` documents or ``BATCH_SECONDS``, whichever comes
first), so an interrupted sync leaves whole documents only, loses at most the batch it was
writing, and a re-run completes it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from briefing.errors import SkipFile
from briefing.ingest.loaders import SUPPORTED_SUFFIXES, decode, over_limit
from briefing.ingest.parallel import prepare_files
from briefing.ingest.prepare import file_hash, stat_of
from briefing.ingest.walk import OUTSIDE, walk
from briefing.models import IngestReport, Skipped
from briefing.prepared import PreparedFile
from briefing.settings import Settings
from briefing.store.sqlite import Store
from briefing.store.write import Written, regroup, write_batch

__all__ = ["BATCH_DOCUMENTS", "BATCH_SECONDS", "Progress", "read_registries", "sync"]

BATCH_DOCUMENTS = 100  # documents written per transaction ...
BATCH_SECONDS = 1.0  # ... or fewer, when preparing them takes longer than this

Progress = Callable[[int, int], None]


def sync(
    store: Store,
    roots: list[Path],
    settings: Settings,
    *,
    prune: bool = True,
    prune_outside: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
    confined: Collection[Path] = (),
    scheduler: str | None = None,
) -> IngestReport:
    """Bring the store in line with the files under ``roots``.

    With ``prune_outside`` the roots are the whole corpus: files indexed from anywhere else (the
    same database used before with another corpus directory) are pruned too. Files under the
    ``confined`` roots must resolve under the settings' allowed roots (see ``walk``). Files are
    prepared by ``workers`` processes, or on Dask workers with a ``scheduler``
    (``ingest.parallel``); this process alone writes.
    """
    with store.bulk():  # the full-text index commits once at the end (and along the way)
        return _sync(store, roots, settings, prune=prune, prune_outside=prune_outside, workers=workers,
                     progress=progress, confined=confined, scheduler=scheduler)


def _sync(
    store: Store,
    roots: list[Path],
    settings: Settings,
    *,
    prune: bool,
    prune_outside: bool,
    workers: int,
    progress: Progress | None,
    confined: Collection[Path],
    scheduler: str | None,
) -> IngestReport:
    found = walk(roots, confined=confined, allowed=settings.roots)
    known = {r["path"]: r for r in store.query("SELECT * FROM files")}
    todo: list[str] = []
    touched: list[tuple[int, int, str]] = []
    unchanged = 0
    skipped = list(found.skipped) + read_registries(
        store, roots, confined=confined, allowed=settings.roots, max_bytes=settings.max_file_bytes
    )
    for path in found.files:
        key = str(path)
        size, mtime = stat_of(path)
        row = known.get(key)
        if row and row["size"] == size and row["mtime_ns"] == mtime:
            unchanged += 1
            if row["skipped"]:
                skipped.append(Skipped(path=key, reason=row["skipped"]))
            continue
        if row and not row["skipped"] and row["file_hash"] and size <= settings.max_file_bytes:
            try:
                same = file_hash(path) == row["file_hash"]
            except OSError:
                same = False
            if same:
                touched.append((size, mtime, key))
                unchanged += 1
                continue
        todo.append(key)

    if touched:  # the same bytes under a new modification time: remember the new one
        with store.transaction() as conn:
            conn.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", touched)

    written = Written()
    batch: list[PreparedFile] = []
    batch_documents = 0
    batch_started = 0.0
    for done, prepared in enumerate(prepare_files(todo, settings, workers=workers, scheduler=scheduler), start=1):
        if progress:
            progress(done, len(todo))
        if prepared.skipped:
            skipped.append(Skipped(path=prepared.path, reason=prepared.skipped))
        skipped.extend(Skipped(path=prepared.path, reason=p) for p in prepared.problems)
        if not batch:
            batch_started = time.monotonic()
        batch.append(prepared)
        batch_documents += len(prepared.documents)
        if batch_documents >= BATCH_DOCUMENTS or time.monotonic() - batch_started >= BATCH_SECONDS:
            write_batch(store, batch, known, written)
            batch, batch_documents = [], 0
    if batch:
        write_batch(store, batch, known, written)
    added, updated, duplicates = written.added, written.updated, written.duplicates

    removed: list[str] = []
    if prune:
        present = {str(p) for p in found.files}
        # What was indexed through a symlink that now leads outside the allowed roots goes.
        outside = [Path(s.path) for s in found.skipped if s.reason == OUTSIDE]
        for path in known:
            if path in present:
                continue
            if _under(path, roots) and not _under(path, outside):
                if Path(path).exists() and Path(path).suffix.lower() in SUPPORTED_SUFFIXES:
                    continue  # unreadable right now, not deleted: keep what is stored
            elif not prune_outside:
                continue
            with store.transaction() as conn:
                for (origin,) in conn.execute("SELECT origin FROM origins WHERE path = ?", (path,)).fetchall():
                    store.remove_origin(conn, origin)
                conn.execute("DELETE FROM files WHERE path = ?", (path,))
                store.bump_version(conn)
            removed.append(path)

    if added or updated or removed:
        regroup(store, settings.near_duplicate_threshold)
    return IngestReport(
        added=added, updated=updated, unchanged=unchanged, removed=removed,
        duplicates=duplicates, skipped=skipped,
    )


def read_registries(
    store: Store, roots: list[Path], *, confined: Collection[Path] = (), allowed: Sequence[Path] = (),
    max_bytes: int | None = None,
) -> list[Skipped]:
    """Remember the sources registry (``outlets.csv``) of each root directory; its unreadable
    rows are reported, the others apply to every document of the corpus from now on. A registry
    is confined like the files beside it (``walk``): a symlink leading out of the allowed roots
    is reported, never read; so is one over ``max_bytes``."""
    from briefing.ingest.metadata import parse_registry, registry_file

    boxed = {str(r.expanduser().absolute()) for r in confined}
    allowed_real = [os.path.realpath(a) for a in allowed]
    problems: list[Skipped] = []
    for root in roots:
        root = root.expanduser().absolute()
        path = registry_file(root)
        if path is None:
            if root.is_dir():
                store.set_registry(str(root), None)
            continue
        inside = allowed_real if str(root) in boxed else [*allowed_real, os.path.realpath(root)]
        real = os.path.realpath(path)
        if not any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in inside):
            problems.append(Skipped(path=str(path), reason=OUTSIDE))
            continue
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise SkipFile(over_limit(size, max_bytes))
            text, _ = decode(path.read_bytes())
        except (OSError, SkipFile) as err:
            problems.append(Skipped(path=str(path), reason=f"sources registry unreadable: {err}"))
            continue
        _, bad = parse_registry(text)
        problems += [Skipped(path=str(path), reason=f"sources registry {p}") for p in bad]
        store.set_registry(str(root), text)
    return problems


def _under(path: str, roots: list[Path]) -> bool:
    for root in roots:
        r = str(root.expanduser().absolute())
        if path == r or path.startswith(r.rstrip(os.sep) + os.sep):
            return True
    return False
