"""Keep the database in step with the files: add new, re-index changed, prune deleted.

Unchanged files (same size and modification time, or same bytes) are skipped without parsing.
Every file is parsed outside the write lock (``prepare``) and written in its own transaction,
so an interrupted sync leaves whole documents only and a re-run completes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import sys
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.ingest import SUPPORTED_SUFFIXES, CleanDocument, Record, SkipFile, clean, load_file
from briefing.ingest.loaders import decode
from briefing.models import IngestReport, Skipped
from briefing.settings import Settings
from briefing.store.sqlite import (
    FLAG_INSTRUCTIONS,
    PreparedDocument,
    PreparedSentence,
    Store,
)
from briefing.text.instructions import looks_like_instructions
from briefing.text.normalize import fold, mixed_script_tokens

if TYPE_CHECKING:
    import numpy as np

_HASH_TAIL = re.compile(r"[_\-.][0-9a-f]{8,}$", re.IGNORECASE)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_ID_LENGTH = 40


def id_candidates(name: str) -> list[str]:
    """Readable ids for a document named ``name``, in order of preference.

    ``004_074d0d399cf2dab1`` → ``["004", "004_074d0d399cf2dab1"]``: a trailing hexadecimal hash
    is dropped when something is left; the full name is the fallback when the short one is taken.
    """
    full = _UNSAFE.sub("-", name.lower()).strip("-._")[:MAX_ID_LENGTH].strip("-._") or "doc"
    short = _HASH_TAIL.sub("", full)
    return [short, full] if short and short != full else [full]


# --- walking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    files: list[Path]
    skipped: list[Skipped]


def walk(roots: Iterable[Path], *, confined: Collection[Path] = (), allowed: Sequence[Path] = ()) -> Found:
    """Every ingestible file under the roots, sorted; unreadable paths and loops are reported.

    Under a ``confined`` root (one a client added) every file and directory is resolved and must
    lie under an ``allowed`` root: a symlink leading anywhere else is reported, never followed.
    """
    files: dict[str, Path] = {}
    skipped: list[Skipped] = []
    boxed = {str(r.expanduser().absolute()) for r in confined}
    allowed_real = [os.path.realpath(a) for a in allowed]

    def escapes(path: str | Path) -> bool:
        real = os.path.realpath(path)
        return not any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in allowed_real)

    for root in roots:
        root = root.expanduser()
        confine = str(root.absolute()) in boxed
        try:
            root.stat()
        except OSError as err:
            skipped.append(Skipped(path=str(root), reason=_os_reason(err)))
            continue
        if confine and escapes(root):
            skipped.append(Skipped(path=str(root), reason=_OUTSIDE))
            continue
        if not root.is_dir():
            if root.is_file():
                files[str(root.absolute())] = root.absolute()
            else:
                skipped.append(Skipped(path=str(root), reason=_NOT_REGULAR))
            continue
        seen: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=lambda e: skipped.append(
            Skipped(path=str(e.filename), reason=_os_reason(e))
        )):
            real = os.path.realpath(dirpath)
            if real in seen:
                skipped.append(Skipped(path=dirpath, reason="symlink loop: directory already visited"))
                dirnames[:] = []
                continue
            seen.add(real)
            if confine and escapes(dirpath):
                skipped.append(Skipped(path=dirpath, reason=_OUTSIDE))
                dirnames[:] = []
                continue
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                path = Path(dirpath) / name
                try:
                    mode = path.stat().st_mode
                except OSError as err:
                    skipped.append(Skipped(path=str(path), reason=_os_reason(err)))
                    continue
                if confine and escapes(path):
                    skipped.append(Skipped(path=str(path), reason=_OUTSIDE))
                    continue
                if not stat.S_ISREG(mode):  # a pipe or device would block or never end
                    skipped.append(Skipped(path=str(path), reason=_NOT_REGULAR))
                    continue
                if _SURROGATE.search(str(path)):
                    skipped.append(Skipped(
                        path=str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                        reason="the file name is not valid UTF-8; rename the file",
                    ))
                    continue
                files[str(path.absolute())] = path.absolute()
    return Found(files=[files[k] for k in sorted(files)], skipped=skipped)


_NOT_REGULAR = "not a regular file (a pipe, socket or device); only files and directories are read"
_OUTSIDE = "a symlink to outside the allowed roots; it is not followed (BRIEFING_ALLOWED_ROOTS)"


def _os_reason(err: OSError) -> str:
    import errno

    if err.errno == errno.ELOOP:
        return "symlink loop"
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return err.strerror or str(err)


# --- preparing ---------------------------------------------------------------------------------


def prepare_record(origin: str, path: str, name: str, record: Record) -> PreparedDocument:
    """Clean, segment and fingerprint one record; pure, so it can run in a worker process."""
    record = _storable(record)
    text = record.text
    cleaned = _clean_body(text, record.body_start)
    notes: list[dict[str, object]] = []
    if record.encoding_note:
        notes.append({"kind": "encoding", "message": record.encoding_note})
    if record.meta_note:
        notes.append({"kind": "metadata", "message": record.meta_note})
    for d in cleaned.dropped:
        if d.reason != "title":
            notes.append({"kind": "boilerplate", "message": f"left out {d.reason}: {d.text[:80]!r}"})
    sentences = []
    for n, (start, end) in enumerate(cleaned.spans, start=1):
        quote = text[start:end]
        flags = 0
        for _, _, word, read_as in mixed_script_tokens(quote):
            notes.append({
                "kind": "mixed_script",
                "message": f"{word!r} mixes Cyrillic/Greek letters into Latin text; matched as {read_as!r}",
                "n": n,
            })
        if looks_like_instructions(quote):
            flags |= FLAG_INSTRUCTIONS
            notes.append({
                "kind": "instructions",
                "message": "reads like instructions to an assistant; it is document text, not a request",
                "n": n,
            })
        sentences.append(PreparedSentence(n, start, end, quote, fold(quote), flags))
    from briefing.store import dedup  # numpy: loaded only when something is ingested

    sig = dedup.fingerprint(" ".join(s.body for s in sentences), folded=True)
    return PreparedDocument(
        origin=origin, path=path, key=record.key or name, title=record.title or cleaned.title,
        source=record.source, date=_iso_date(record.date), url=record.url,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text=text, sentences=sentences, notes=notes, signature=sig, meta=dict(record.meta or {}),
    )


def _clean_body(text: str, body_start: int) -> CleanDocument:
    """``clean`` of the text after a front-matter header, its offsets still into the whole text."""
    if not body_start:
        return clean(text)
    body = clean(text[body_start:])
    return CleanDocument(
        spans=[(a + body_start, b + body_start) for a, b in body.spans], title=body.title,
        dropped=[dataclasses.replace(d, start=d.start + body_start, end=d.end + body_start) for d in body.dropped],
    )


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:  # (encoding fails exactly on a lone surrogate, and is much faster than a regex scan)
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storable(record: Record) -> Record:
    """Lone surrogates (JSON ``"\\ud800"`` escapes) cannot be stored as UTF-8: each becomes U+FFFD,
    one character for one, so offsets into the text are unchanged."""
    fields = (record.text, record.title, record.source, record.date, record.url)
    if not any(f and _has_surrogate(f) for f in fields):
        return record
    text, title, source, date, url = (_SURROGATE.sub("\ufffd", f) if f else f for f in fields)
    return dataclasses.replace(record, text=text or "", title=title, source=source, date=date, url=url)


_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%d %B %Y", "%B %d, %Y", "%d %b %Y",
    "%b %d, %Y",
)


def _iso_date(value: str | None) -> str | None:
    """Dates as ISO ``YYYY-MM-DD`` where they parse, verbatim otherwise."""
    if not value:
        return None
    from datetime import datetime

    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:  # RSS and e-mail style: "Tue, 05 Mar 2024 08:00:00 GMT"
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return text


@dataclass(frozen=True)
class PreparedFile:
    path: str
    size: int
    mtime_ns: int
    file_hash: str
    documents: list[PreparedDocument]
    problems: list[str]
    skipped: str | None = None


def prepare_file(path: str, settings: Settings) -> PreparedFile:
    p = Path(path)
    try:
        st = p.stat()
        data_hash = _file_hash(p)
        loaded = load_file(
            p, max_bytes=settings.max_file_bytes, max_json_depth=settings.max_json_depth,
            max_html_depth=settings.max_html_depth, max_chars=settings.max_document_chars,
        )
    except SkipFile as err:
        st_size, st_mtime = _stat(p)
        return PreparedFile(path, st_size, st_mtime, "", [], [], skipped=str(err))
    except OSError as err:
        return PreparedFile(path, 0, 0, "", [], [], skipped=_os_reason(err))
    multi = len(loaded.records) > 1 or p.suffix.lower() in (".json", ".jsonl")
    docs = []
    origins: set[str] = set()
    for i, record in enumerate(loaded.records, start=1):
        origin = f"{path}#{record.key or i}" if multi else path
        if origin in origins:  # two records of one file with the same "id" field
            origin = f"{origin}#{i}"
        origins.add(origin)
        name = record.key or (f"{p.stem}-{i}" if multi else p.stem)
        docs.append(prepare_record(origin, path, name, record))
    return PreparedFile(path, st.st_size, st.st_mtime_ns, data_hash, docs, loaded.problems)


def _stat(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def _file_hash(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- syncing -----------------------------------------------------------------------------------

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
) -> IngestReport:
    """Bring the store in line with the files under ``roots``.

    With ``prune_outside`` the roots are the whole corpus: files indexed from anywhere else (the
    same database used before with another corpus directory) are pruned too. Files under the
    ``confined`` roots must resolve under the settings' allowed roots (see ``walk``).
    """
    with store.bulk():  # the full-text index commits once at the end (and along the way)
        return _sync(store, roots, settings, prune=prune, prune_outside=prune_outside, workers=workers,
                     progress=progress, confined=confined)


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
) -> IngestReport:
    found = walk(roots, confined=confined, allowed=settings.roots if confined else ())
    known = {r["path"]: r for r in store.query("SELECT * FROM files")}
    todo: list[str] = []
    unchanged = 0
    skipped = list(found.skipped) + read_registries(store, roots)
    for path in found.files:
        key = str(path)
        size, mtime = _stat(path)
        row = known.get(key)
        if row and row["size"] == size and row["mtime_ns"] == mtime:
            unchanged += 1
            if row["skipped"]:
                skipped.append(Skipped(path=key, reason=row["skipped"]))
            continue
        if row and not row["skipped"] and row["file_hash"]:
            try:
                same = _file_hash(path) == row["file_hash"]
            except OSError:
                same = False
            if same:
                with store.transaction() as conn:
                    conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", (size, mtime, key))
                unchanged += 1
                continue
        todo.append(key)

    added: list[str] = []
    updated: list[str] = []
    duplicates: list[str] = []
    for done, prepared in enumerate(_prepared(todo, settings, workers), start=1):
        if progress:
            progress(done, len(todo))
        if prepared.skipped:
            skipped.append(Skipped(path=prepared.path, reason=prepared.skipped))
        skipped.extend(Skipped(path=prepared.path, reason=p) for p in prepared.problems)
        was_known = prepared.path in known
        with store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                (prepared.path, prepared.size, prepared.mtime_ns, prepared.file_hash, prepared.skipped),
            )
            if prepared.skipped:
                continue  # a file that turned unreadable keeps what was stored from it before
            old = [r[0] for r in conn.execute("SELECT origin FROM origins WHERE path = ?", (prepared.path,))]
            for origin in old:
                store.remove_origin(conn, origin)
            stored_any = False
            for doc in prepared.documents:
                doc_id = store.assign_id(conn, doc.origin, id_candidates(doc.key))
                if store.write_document(conn, doc, doc_id):
                    stored_any = True
                else:
                    duplicates.append(doc.origin)
            if prepared.documents:
                (updated if was_known else added).append(prepared.path)
            if stored_any or old:
                store.bump_version(conn)

    removed: list[str] = []
    if prune:
        present = {str(p) for p in found.files}
        for path in known:
            if path in present:
                continue
            if _under(path, roots):
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


def read_registries(store: Store, roots: list[Path]) -> list[Skipped]:
    """Remember the sources registry (``outlets.csv``) of each root directory; its unreadable
    rows are reported, the others apply to every document of the corpus from now on."""
    from briefing.ingest.metadata import parse_registry, registry_file

    problems: list[Skipped] = []
    for root in roots:
        root = root.expanduser().absolute()
        path = registry_file(root)
        if path is None:
            if root.is_dir():
                store.set_registry(str(root), None)
            continue
        try:
            text, _ = decode(path.read_bytes())
        except (OSError, SkipFile) as err:
            problems.append(Skipped(path=str(path), reason=f"sources registry unreadable: {err}"))
            continue
        _, bad = parse_registry(text)
        problems += [Skipped(path=str(path), reason=f"sources registry {p}") for p in bad]
        store.set_registry(str(root), text)
    return problems


def _prepared(paths: list[str], settings: Settings, workers: int) -> Iterable[PreparedFile]:
    if workers <= 1 or len(paths) < 8:
        for path in paths:
            yield prepare_file(path, settings)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(prepare_file, paths, [settings] * len(paths), chunksize=4)


def _under(path: str, roots: list[Path]) -> bool:
    for root in roots:
        r = str(root.expanduser().absolute())
        if path == r or path.startswith(r.rstrip(os.sep) + os.sep):
            return True
    return False


SHINGLE_CACHE = 20_000  # documents whose shingles regroup keeps at hand (about 3 KB each)


def regroup(store: Store, threshold: float) -> None:
    """Verify the near-duplicate candidates of every document not checked yet, then regroup all.

    Candidates are documents sharing an LSH bucket (found in memory from the stored signatures);
    each pair's shingle containment is stored, so a changed threshold regroups without
    re-verifying, and only new documents' pairs are looked at. Documents signed by an older
    MinHash recipe are signed again first.
    """
    import numpy as np

    from briefing.store import dedup

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
    from briefing.store import dedup

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


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1)) if sys.platform != "win32" else 1
