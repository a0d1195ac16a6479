"""The one writer: prepared documents in, whole documents only; near-duplicate groups after.

What ``ingest.prepare`` made is written here: a file's documents in one transaction with its
``files`` row (``write_batch``: a batch of whole files per transaction, so an interrupted sync
leaves whole documents only), or texts added from Python (``write_texts``). Both give every
document its stable id through ``write_document``. ``regroup`` then verifies the new
near-duplicate candidates and regroups the corpus. Nothing here reads or parses a file.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefing.ids import id_candidates
from briefing.prepared import PreparedDocument, PreparedFile
from briefing.store.sqlite import Store
from briefing.text.normalize import fold

if TYPE_CHECKING:
    import sqlite3

    import numpy as np


def write_document(store: Store, conn: sqlite3.Connection, doc: PreparedDocument, *, exact_id: bool = False) -> str | None:
    """Store one prepared document under its stable id (``ids.id_candidates`` of its key; with
    ``exact_id`` only the full key, as a text added under a chosen id). Its id, or ``None`` when
    its exact text is stored already (then only its origin is recorded)."""
    candidates = id_candidates(doc.key)
    doc_id = store.assign_id(conn, doc.origin, candidates[-1:] if exact_id else candidates)
    return doc_id if store.write_document(conn, doc, doc_id) else None


def write_texts(store: Store, docs: Sequence[PreparedDocument]) -> tuple[list[str], list[str]]:
    """Texts added under chosen ids, each replacing what its origin held, in one transaction:
    the ids written and the keys whose text was stored already."""
    added: list[str] = []
    duplicates: list[str] = []
    with store.transaction() as conn:
        for doc in docs:
            store.remove_origin(conn, doc.origin)
            doc_id = write_document(store, conn, doc, exact_id=True)
            if doc_id is not None:
                added.append(doc_id)
            else:
                duplicates.append(doc.key)
        store.bump_version(conn)
    return added, duplicates


@dataclass
class Written:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def write_batch(store: Store, batch: list[PreparedFile], known: dict[str, Any], written: Written) -> None:
    """Store the prepared files of one batch in one transaction: all of them, or (a crash) none."""
    changed = False
    with store.transaction() as conn:
        for prepared in batch:
            conn.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                (prepared.path, prepared.size, prepared.mtime_ns, prepared.file_hash, prepared.skipped),
            )
            if prepared.skipped:
                continue  # a file that turned unreadable keeps what was stored from it before
            old = [r[0] for r in conn.execute("SELECT origin FROM origins WHERE path = ?", (prepared.path,))]
            for origin in old:
                store.remove_origin(conn, origin)
            for doc in prepared.documents:
                if write_document(store, conn, doc) is not None:
                    changed = True
                else:
                    written.duplicates.append(doc.origin)
            if prepared.documents:
                (written.updated if prepared.path in known else written.added).append(prepared.path)
            changed = changed or bool(old)
        if changed:
            store.bump_version(conn)


SHINGLE_CACHE = 20_000  # documents whose shingles regroup keeps at hand (about 3 KB each)


def regroup(store: Store, threshold: float) -> None:
    """Verify the near-duplicate candidates of every document not checked yet, then regroup all.

    Candidates are documents sharing an LSH bucket (found in memory from the stored signatures);
    each pair's shingle containment is stored, so a changed threshold regroups without
    re-verifying, and only new documents' pairs are looked at. Documents signed by an older
    MinHash recipe are signed again first.
    """
    import numpy as np

    from briefing.text import dedup

    _resign(store)
    rows = store.query(
        "SELECT id, signature, id IN (SELECT doc_id FROM dedup_checked) FROM documents ORDER BY id"
    )
    new_ids = [r[0] for r in rows if not r[2]]
    signed = [r for r in rows if r[1]]
    found = dedup.candidate_pairs(
        dedup.signatures([r[1] for r in signed]), np.array([not r[2] for r in signed], dtype=bool)
    )
    pairs = sorted((signed[i][0], signed[j][0]) for i, j in found)  # ids in order: i < j
    cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def shingles(doc_id: str) -> np.ndarray:
        if doc_id in cache:
            cache.move_to_end(doc_id)
        else:
            cache[doc_id] = dedup.shingles(_joined(store, doc_id), folded=True)
            if len(cache) > SHINGLE_CACHE:
                cache.popitem(last=False)
        return cache[doc_id]

    verified = [(a, b, dedup.containment(shingles(a), shingles(b))) for a, b in pairs]
    with store.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO near_dups VALUES (?, ?, ?)", verified)
        conn.executemany("INSERT OR IGNORE INTO dedup_checked VALUES (?)", [(d,) for d in new_ids])
        edges = [(a, b) for a, b in conn.execute("SELECT a, b FROM near_dups WHERE score >= ?", (threshold,))]
        ids = [r[0] for r in conn.execute("SELECT id FROM documents")]
        groups = dedup.components(ids, edges)
        sizes: dict[str, int] = {}
        for g in groups.values():
            sizes[g] = sizes.get(g, 0) + 1
        conn.execute("UPDATE documents SET dup_group = NULL WHERE dup_group IS NOT NULL")
        conn.executemany(
            "UPDATE documents SET dup_group = ? WHERE id = ?",
            [(g, d) for d, g in groups.items() if sizes[g] > 1],
        )
        store.bump_version(conn)


def _joined(store: Store, doc_id: str) -> str:
    """The document's folded sentences joined by spaces, as ``prepare_record`` fingerprints them."""
    rows = store.query("SELECT text FROM sentences WHERE doc_id = ? ORDER BY n", (doc_id,))
    return " ".join(fold(r[0]) for r in rows)


def _resign(store: Store) -> None:
    """Sign again, with the current recipe, the documents whose signatures another one made."""
    from briefing.text import dedup

    stale = [r[0] for r in store.query(
        "SELECT id FROM documents WHERE length(signature) > 0 AND substr(signature, -?) != ?",
        (len(dedup.TAG), dedup.TAG),
    )]
    if not stale:
        return
    signed = [(doc_id, dedup.fingerprint(_joined(store, doc_id), folded=True)) for doc_id in stale]
    with store.transaction() as conn:
        conn.executemany("UPDATE documents SET signature = ? WHERE id = ?", [(sig, d) for d, sig in signed])
        conn.executemany("DELETE FROM lsh WHERE doc_id = ?", [(d,) for d in stale])  # buckets of old
        conn.executemany("DELETE FROM dedup_checked WHERE doc_id = ?", [(d,) for d in stale])
