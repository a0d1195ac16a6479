"""Keep the database in step with the files: add new, re-index changed, prune deleted.

Unchanged files (same size and modification time, or same bytes) are skipped without parsing.
Every file is parsed outside the write lock (``prepare``), in worker processes started once per
sync, while this process writes: files are written in batches of whole files, one transaction per
batch (``BATCH_DOCUMENTS`` documents or ``BATCH_SECONDS``, whichever comes first), so an
interrupted sync leaves whole documents only, loses at most the batch it was writing, and a
re-run completes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.ingest import SUPPORTED_SUFFIXES, CleanDocument, Record, SkipFile, clean, load_file
from briefing.ingest.loaders import decode, over_limit
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
_UNSTORABLE = re.compile(r"[\ud800-\udfff\x00]")
MAX_ID_LENGTH = 40
BATCH_DOCUMENTS = 100  # documents written per transaction ...
BATCH_SECONDS = 1.0  # ... or fewer, when preparing them takes longer than this


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

    Every file and directory found must resolve under an ``allowed`` root or, unless its root is
    ``confined`` (one a client added), under the root itself: a symlink leading anywhere else is
    reported, never followed, whatever path led here (start-up sync, ``sync``, ``ingest``).
    """
    files: dict[str, Path] = {}
    skipped: list[Skipped] = []
    boxed = {str(r.expanduser().absolute()) for r in confined}
    allowed_real = [os.path.realpath(a) for a in allowed]
    inside: list[str] = []

    def escapes(path: str | Path) -> bool:
        real = os.path.realpath(path)
        return not any(real == a or real.startswith(a.rstrip(os.sep) + os.sep) for a in inside)

    for root in roots:
        root = root.expanduser()
        confine = str(root.absolute()) in boxed
        # A root the user named is read wherever it is; a client's must lie under the allowed roots.
        inside = allowed_real if confine else [*allowed_real, os.path.realpath(root)]
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
            if escapes(real):
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
                # (its directory resolved inside: only a symlink can lead out)
                if (confine or path.is_symlink()) and escapes(path):
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
    record = _short_metadata(record)
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
    looked_at: dict[str, tuple[list[tuple[int, int, str, str]], bool, str]] = {}  # a repeated text: once
    for n, (start, end) in enumerate(cleaned.spans, start=1):
        quote = text[start:end]
        found = looked_at.get(quote)
        if found is None:
            found = looked_at[quote] = (mixed_script_tokens(quote), looks_like_instructions(quote), fold(quote))
        mixed, instructions, body = found
        flags = 0
        for _, _, word, read_as in mixed:
            notes.append({
                "kind": "mixed_script",
                "message": f"{word!r} mixes Cyrillic/Greek letters into Latin text; matched as {read_as!r}",
                "n": n,
            })
        if instructions:
            flags |= FLAG_INSTRUCTIONS
            notes.append({
                "kind": "instructions",
                "message": "reads like instructions to an assistant; it is document text, not a request",
                "n": n,
            })
        sentences.append(PreparedSentence(n, start, end, quote, body, flags))
    notes = _few_per_kind(notes)
    from briefing.store import dedup  # numpy: loaded only when something is ingested

    sig = dedup.fingerprint(" ".join(s.body for s in sentences), folded=True)
    return PreparedDocument(
        origin=origin, path=path, key=record.key or name, title=_cut(record.title or cleaned.title, "title"),
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


METADATA_CHARS = {"title": 500, "source": 200, "date": 100, "url": 2000}  # longer is cut (with "…")
META_CHARS = 200  # each leaning, country, author, owner or extra field (and extra field name)
NOTES_PER_KIND = 20  # a document's notes of one kind; the rest are counted in one more note


def _short_metadata(record: Record) -> Record:
    """Metadata travels with every hit and quote: a megabyte of title must not. The other
    metadata (leaning, country, author, owner, extra fields) is cut the same way, and a NUL or a
    lone surrogate in it becomes U+FFFD."""
    title, source, date, url = (_cut(getattr(record, name), name) for name in METADATA_CHARS)
    meta = _short_meta(record.meta) if record.meta else record.meta
    if (title, source, date, url, meta) == (record.title, record.source, record.date, record.url, record.meta):
        return record
    return replace(record, title=title, source=source, date=date, url=url, meta=meta)


def _short_meta(meta: dict[str, Any]) -> dict[str, Any]:
    def tidy(value: Any) -> Any:
        if isinstance(value, str):
            value = _UNSTORABLE.sub("\ufffd", value)
            return value[: META_CHARS - 1] + "\u2026" if len(value) > META_CHARS else value
        if isinstance(value, dict):
            return {tidy(k): tidy(v) for k, v in value.items()}
        return value

    return {k: tidy(v) for k, v in meta.items()}


def _cut(value: str | None, name: str) -> str | None:
    limit = METADATA_CHARS[name]
    return value[: limit - 1] + "\u2026" if value and len(value) > limit else value


def _few_per_kind(notes: list[dict[str, object]]) -> list[dict[str, object]]:
    """At most ``NOTES_PER_KIND`` notes of each kind, then one counting the rest of that kind."""
    seen: dict[object, int] = {}
    kept: list[dict[str, object]] = []
    for note in notes:
        seen[note["kind"]] = seen.get(note["kind"], 0) + 1
        if seen[note["kind"]] <= NOTES_PER_KIND:
            kept.append(note)
    for kind, count in seen.items():
        if count > NOTES_PER_KIND:
            kept.append({"kind": kind, "message": f"and {count - NOTES_PER_KIND:,} more notes of this kind"})
    return kept


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:  # (encoding fails exactly on a lone surrogate, and is much faster than a regex scan)
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storable(record: Record) -> Record:
    """Lone surrogates (JSON ``"\\ud800"`` escapes) cannot be stored as UTF-8, and a NUL (from a
    raw text) ends a string for SQLite and terminals: each becomes U+FFFD, one character for one,
    so offsets into the text are unchanged."""
    fields = (record.text, record.title, record.source, record.date, record.url)
    if not any(f and (_has_surrogate(f) or "\x00" in f) for f in fields):
        return record
    text, title, source, date, url = (_UNSTORABLE.sub("\ufffd", f) if f else f for f in fields)
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
    """One file read, cleaned and segmented; any failure is a skip with its reason, recorded like
    any other skip so the file is not read again until it changes."""
    try:
        return _prepare_file(path, settings)
    except Exception as err:  # noqa: BLE001 - a fault on one hostile file must not stop the sync
        size, mtime = _stat(Path(path))
        return PreparedFile(path, size, mtime, "", [], [], skipped=(
            f"could not be read ({type(err).__name__}); fix or remove the file, it is skipped until it changes"
        ))


def _prepare_file(path: str, settings: Settings) -> PreparedFile:
    p = Path(path)
    try:
        st = p.stat()
        if st.st_size > settings.max_file_bytes:  # on its size alone: nothing of it is read
            raise SkipFile(over_limit(st.st_size, settings.max_file_bytes))
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
        size, mtime = _stat(path)
        row = known.get(key)
        if row and row["size"] == size and row["mtime_ns"] == mtime:
            unchanged += 1
            if row["skipped"]:
                skipped.append(Skipped(path=key, reason=row["skipped"]))
            continue
        if row and not row["skipped"] and row["file_hash"] and size <= settings.max_file_bytes:
            try:
                same = _file_hash(path) == row["file_hash"]
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

    written = _Written()
    batch: list[PreparedFile] = []
    batch_documents = 0
    batch_started = 0.0
    for done, prepared in enumerate(_prepared(todo, settings, workers), start=1):
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
            _write_batch(store, batch, known, written)
            batch, batch_documents = [], 0
    if batch:
        _write_batch(store, batch, known, written)
    added, updated, duplicates = written.added, written.updated, written.duplicates

    removed: list[str] = []
    if prune:
        present = {str(p) for p in found.files}
        # What was indexed through a symlink that now leads outside the allowed roots goes.
        outside = [Path(s.path) for s in found.skipped if s.reason == _OUTSIDE]
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


@dataclass
class _Written:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _write_batch(store: Store, batch: list[PreparedFile], known: dict[str, Any], written: _Written) -> None:
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
                doc_id = store.assign_id(conn, doc.origin, id_candidates(doc.key))
                if store.write_document(conn, doc, doc_id):
                    changed = True
                else:
                    written.duplicates.append(doc.origin)
            if prepared.documents:
                (written.updated if prepared.path in known else written.added).append(prepared.path)
            changed = changed or bool(old)
        if changed:
            store.bump_version(conn)


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
            problems.append(Skipped(path=str(path), reason=_OUTSIDE))
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


def _prepared(paths: list[str], settings: Settings, workers: int) -> Iterable[PreparedFile]:
    if workers <= 1 or len(paths) < 8:
        for path in paths:
            yield prepare_file(path, settings)
        return
    # (imported here: a command that only reads never starts workers)

    from briefing.store import dedup  # noqa: F401  (numpy, imported once here, not in every worker)

    # Workers are forked once for the whole sync; each takes files in chunks (fewer round trips)
    # small enough that both stay busy to the end.
    chunk = max(1, min(32, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(prepare_file, paths, [settings] * len(paths), chunksize=chunk)


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
