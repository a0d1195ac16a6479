"""One record or file → a ``PreparedDocument``: cleaned, segmented, flagged and fingerprinted.

Pure: no database, nothing shared, so it runs in worker processes (a local pool or Dask
workers) while one writer commits what they return. The same function prepares a file's
records, texts added from Python (``Corpus.add_texts``) and the plain texts of an evaluation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing.errors import SkipFile
from briefing.ingest.clean import CleanDocument, clean
from briefing.ingest.loaders import Record, load_file, over_limit
from briefing.ingest.walk import os_reason
from briefing.models import Skipped
from briefing.prepared import PreparedDocument, PreparedFile, PreparedSentence
from briefing.settings import Settings
from briefing.text.instructions import instructions_in, sentence_flags
from briefing.text.normalize import fold, mixed_script_tokens

_UNSTORABLE = re.compile(r"[\ud800-\udfff\x00]")


@dataclass(frozen=True)
class Source:
    """One record to prepare: where it came from (``origin``: a file, a record of a file, or
    ``text:<key>``), the file ``path`` and the ``name`` its document id is made from."""

    origin: str
    path: str
    name: str
    record: Record


def prepare(source: Source) -> PreparedDocument:
    """Clean, segment, flag and fingerprint one record; pure, so it can run in any process."""
    return prepare_record(source.origin, source.path, source.name, source.record)


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
    looks_like_instructions = instructions_in(text)
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
            flags |= sentence_flags(True)
            notes.append({
                "kind": "instructions",
                "message": "reads like instructions to an assistant; it is document text, not a request",
                "n": n,
            })
        sentences.append(PreparedSentence(n, start, end, quote, body, flags))
    notes = _few_per_kind(notes)
    from briefing.text import dedup  # numpy: loaded only when something is ingested

    sig = dedup.fingerprint(" ".join(s.body for s in sentences), folded=True)
    return PreparedDocument(
        origin=origin, path=path, key=record.key or name, title=_cut(record.title or cleaned.title, "title"),
        source=record.source, date=iso_date(record.date), url=record.url,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        text=text, sentences=sentences, notes=notes, signature=sig, meta=dict(record.meta or {}),
    )


def prepare_text(key: str, value: str | Mapping[str, str | None], settings: Settings) -> PreparedDocument | Skipped:
    """A text added from Python under the id ``key`` (``"text"`` or ``{"text": ..., "title": ...,
    "source": ..., "date": ...}``), prepared like a file's record, or why it was skipped."""
    from briefing.ingest.metadata import record_meta

    meta = {"text": value} if isinstance(value, str) else dict(value)
    text = meta.get("text") or ""
    origin = f"text:{key}"
    if not text.strip():
        return Skipped(path=origin, reason="empty text")
    limit, max_chars = settings.max_file_bytes, settings.max_document_chars
    if len(text) > max_chars or len(text.encode("utf-8", "surrogatepass")) > limit:
        return Skipped(path=origin, reason=(
            f"{len(text):,} characters of text is over the limit for one document "
            f"({max_chars:,} characters, {limit:,} bytes: BRIEFING_MAX_DOC_CHARS, BRIEFING_MAX_FILE_BYTES)"
        ))
    record = Record(
        key=str(key), text=text, title=meta.get("title"), source=meta.get("source") or meta.get("outlet"),
        date=meta.get("date"), url=meta.get("url"), meta=record_meta(meta) or None,
    )
    return prepare(Source(origin, origin, str(key), record))


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


def iso_date(value: str | None) -> str | None:
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


def prepare_file(path: str, settings: Settings) -> PreparedFile:
    """One file read, cleaned and segmented; any failure is a skip with its reason, recorded like
    any other skip so the file is not read again until it changes."""
    try:
        return _prepare_file(path, settings)
    except Exception as err:  # noqa: BLE001 - a fault on one hostile file must not stop the sync
        size, mtime = stat_of(Path(path))
        return PreparedFile(path, size, mtime, "", [], [], skipped=(
            f"could not be read ({type(err).__name__}); fix or remove the file, it is skipped until it changes"
        ))


def _prepare_file(path: str, settings: Settings) -> PreparedFile:
    p = Path(path)
    try:
        st = p.stat()
        if st.st_size > settings.max_file_bytes:  # on its size alone: nothing of it is read
            raise SkipFile(over_limit(st.st_size, settings.max_file_bytes))
        data = p.read_bytes()  # read once: hashed, then loaded
        data_hash = hashlib.sha256(data).hexdigest()
        loaded = load_file(
            p, max_bytes=settings.max_file_bytes, max_json_depth=settings.max_json_depth,
            max_html_depth=settings.max_html_depth, max_chars=settings.max_document_chars, data=data,
        )
    except SkipFile as err:
        st_size, st_mtime = stat_of(p)
        return PreparedFile(path, st_size, st_mtime, "", [], [], skipped=str(err))
    except OSError as err:
        return PreparedFile(path, 0, 0, "", [], [], skipped=os_reason(err))
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


def stat_of(p: Path) -> tuple[int, int]:
    try:
        st = p.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return 0, 0


def file_hash(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
