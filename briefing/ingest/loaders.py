"""Loaders per format: bytes on disk → ``Record`` (text plus metadata), or ``SkipFile`` with a reason.

The text of a record is what citations index into: the decoded file for ``.txt``/``.md``, the
record's text field for ``.json``/``.jsonl``, the extracted article text for ``.html``.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import MetadataError, SkipFile
from briefing.ingest.metadata import front_matter, record_meta

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm", ".json", ".jsonl")

_TEXT_KEYS = ("text", "body", "content", "article", "maintext")
_TITLE_KEYS = ("title", "headline")
_SOURCE_KEYS = ("source", "outlet", "publisher", "site", "sitename", "domain")
_DATE_KEYS = ("date", "published", "published_at", "publish_date", "date_publish", "pubdate")
_URL_KEYS = ("url", "link", "news_link")


@dataclass(frozen=True)
class Record:
    key: str | None
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    encoding_note: str | None = None
    meta: dict[str, Any] | None = None  # leaning, country, author, owner, extra (see ingest.metadata)
    body_start: int = 0  # a front-matter header ends here: the reporting starts after it
    meta_note: str | None = None  # why the header could not be read


def decode(data: bytes) -> tuple[str, str | None]:
    """Bytes → text and an encoding note (``None`` for clean UTF-8)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "decoded as UTF-16"
        except UnicodeDecodeError:
            raise SkipFile("UTF-16 byte-order mark but invalid UTF-16; re-save the file as UTF-8") from None
    head = data[:4096]
    if b"\x00" in head or b"\x00" in data:
        # UTF-16 without a BOM: the high byte of ASCII (Latin, spaces and punctuation in any script)
        # is NUL, so NULs fall on one side, every other byte.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        codec = "utf-16-be" if even > odd * 4 else "utf-16-le" if odd > even * 4 else None
        if codec and len(data) % 2 == 0:
            try:
                text = data.decode(codec)
                # Text has spaces; UTF-8 with a stray NUL read as UTF-16 gives spaceless ideographs.
                spaced = sum(ch.isspace() for ch in text[:2048]) >= min(len(text), 2048) // 20
                if spaced and _printable_share(text) > 0.95:
                    return text, f"decoded as {codec.upper()} (no byte-order mark)"
            except UnicodeDecodeError:
                pass
        raise SkipFile("binary file (NUL bytes); only text, Markdown, HTML and JSON are read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text = data.decode("cp1252", errors="replace")
        if _printable_share(text) < 0.9:
            raise SkipFile(f"not text: invalid UTF-8 at byte {err.start}") from None
        return text, f"invalid UTF-8 at byte {err.start}; decoded as Windows-1252"
    if _printable_share(text) < 0.9:
        raise SkipFile("not text: mostly control characters")
    return text, None


_PRINTABLE_ASCII = bytes(c for c in range(128) if chr(c).isprintable() or chr(c).isspace())


def _printable_share(text: str) -> float:
    sample = text[:4096]
    if not sample:
        return 1.0
    # The usual cases, decided at C speed: nothing but printable characters and whitespace.
    if sample.isascii():
        if not sample.encode("ascii").translate(None, _PRINTABLE_ASCII):
            return 1.0
    elif (
        sample.replace("\n", "").replace("\r", "").replace("\t", "").isprintable()
        or "".join(sample.split()).isprintable()  # other spaces too (no-break, thin): split at each
    ):
        return 1.0
    good = sum(1 for ch in sample if ch.isprintable() or ch.isspace())
    return good / len(sample)


@dataclass(frozen=True)
class Loaded:
    records: list[Record]
    problems: list[str]  # records inside the file that were skipped, each with its reason


MAX_PROBLEMS = 20  # skipped records named one by one in a file; the rest are counted in one line


def _counted(problems: list[str]) -> list[str]:
    """At most ``MAX_PROBLEMS`` reasons, then one line counting the others."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"and {rest:,} more record{'s' if rest != 1 else ''} skipped"]


def over_limit(size: int, max_bytes: int) -> str:
    return f"{size:,} bytes is over the {max_bytes:,}-byte limit (BRIEFING_MAX_FILE_BYTES)"


def load_file(
    path: Path, *, max_bytes: int, max_json_depth: int, max_html_depth: int = 2000,
    max_chars: int | None = None, data: bytes | None = None,
) -> Loaded:
    """Read one file into records (``data``: its bytes, read already). Raises ``SkipFile`` for
    anything that is not ingestible; a record whose text is longer than ``max_chars`` is left out
    with its reason."""
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise SkipFile(f"cannot read: {err.strerror or err}") from None
        if size > max_bytes:
            raise SkipFile(over_limit(size, max_bytes))
        try:
            data = path.read_bytes()
        except OSError as err:
            raise SkipFile(f"cannot read: {err.strerror or err}") from None
    elif len(data) > max_bytes:
        raise SkipFile(over_limit(len(data), max_bytes))
    if not data.strip():
        raise SkipFile("empty file")
    text, note = decode(data)
    if not text.strip():
        raise SkipFile("empty file (whitespace only)")
    suffix = path.suffix.lower()
    problems: list[str] = []
    if suffix in (".html", ".htm"):
        records = [_html_record(text, max_html_depth)]
    elif suffix == ".json":
        records, problems = _json_records(_parse_json(text, max_json_depth))
    elif suffix == ".jsonl":
        records, problems = _jsonl_records(text, max_json_depth)
    else:
        records = [_text_record(text)]
        problems = [r.meta_note for r in records if r.meta_note]
    if max_chars is not None:
        records, problems = _within(records, problems, max_chars)
    if note:
        records = [_with_note(r, note) for r in records]
    return Loaded(records, _counted(problems))


def _within(records: list[Record], problems: list[str], max_chars: int) -> tuple[list[Record], list[str]]:
    """The records no longer than ``max_chars``; the others become problems (all of them: a skip)."""
    kept = []
    for number, record in enumerate(records, start=1):
        if len(record.text) <= max_chars:
            kept.append(record)
            continue
        where = f"record {number}: " if len(records) > 1 else ""
        problems = [*problems, (
            f"{where}{len(record.text):,} characters of text is over the {max_chars:,}-character "
            "limit for one document (BRIEFING_MAX_DOC_CHARS)"
        )]
    if not kept:
        raise SkipFile(problems[-1] if len(records) == 1 else f"every record is too long; {problems[-1]}")
    return kept, problems


def load_text(key: str, text: str, **meta: Any) -> Record:
    return Record(key=key, text=text, **meta)


def _with_note(record: Record, note: str) -> Record:
    return dataclasses.replace(record, encoding_note=note)


def _text_record(text: str) -> Record:
    """A plain-text or Markdown file, its front-matter header (if any) read as metadata."""
    try:
        header = front_matter(text)
    except MetadataError as err:
        return Record(key=None, text=text, body_start=err.body_start,
                      meta_note=f"{err}; the file is indexed without its metadata")
    if not header.body_start:
        return Record(key=None, text=text)
    fields = header.fields
    return Record(
        key=None, text=text, title=_first(fields, _TITLE_KEYS), source=_first(fields, _SOURCE_KEYS),
        date=_first(fields, _DATE_KEYS), url=_first(fields, _URL_KEYS), meta=record_meta(fields) or None,
        body_start=header.body_start,
    )


# --- HTML --------------------------------------------------------------------------------------

_OPEN = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9]*)")
_CLOSE = re.compile(r"<\s*/\s*[a-zA-Z][a-zA-Z0-9]*\s*>")
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}


def _html_depth(html: str) -> int:
    """The deepest nesting of non-void tags, in one pass (linear in the length of ``html``).

    A tag runs from ``<`` to the next ``>``; the position of that ``>`` is found once and reused
    by every ``<`` before it, so a run of ``<`` with no ``>`` costs no rescans.
    """
    depth = deepest = pos = 0
    gt = -1
    while True:
        lt = html.find("<", pos)
        if lt < 0:
            break
        if gt < lt:
            gt = html.find(">", lt)
            if gt < 0:
                break  # no tag can close any more
        opened = _OPEN.match(html, lt, gt)
        if opened:
            if html[gt - 1] != "/" and opened.group(1).lower() not in _VOID:
                depth += 1
                deepest = max(deepest, depth)
            pos = gt + 1
        elif _CLOSE.match(html, lt, gt + 1):
            depth = max(0, depth - 1)
            pos = gt + 1
        else:
            pos = lt + 1
    return deepest


def _html_record(html: str, max_depth: int) -> Record:
    if _html_depth(html) > max_depth:
        raise SkipFile(f"HTML nested deeper than {max_depth:,} tags (BRIEFING_MAX_HTML_DEPTH)")
    import trafilatura
    from trafilatura.deduplication import LRU_SIZE, LRUCache

    try:
        # Repeated paragraphs are dropped within this page only: trafilatura's default cache is
        # shared by every page a process extracts, so a page read once already (or a worker
        # forked from a process that read it) would lose its text, and the result would depend
        # on which process read which page.
        text = trafilatura.extract(
            html, output_format="txt", include_comments=False, include_tables=False,
            include_links=False, favor_precision=True, deduplicate=LRUCache(maxsize=LRU_SIZE),
        )
        # Not the extensive date search: it scans the whole page with many expressions (6 s for a
        # megabyte of "<"); the date comes from the page's metadata and markup.
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as err:  # noqa: BLE001 - a third-party parser failing on hostile input
        raise SkipFile(f"could not extract article text from HTML ({type(err).__name__})") from None
    if not text or not text.strip():
        raise SkipFile("no article text found in the HTML")
    return Record(
        key=None,
        text=text,
        title=getattr(meta, "title", None) if meta else None,
        source=getattr(meta, "sitename", None) if meta else None,
        date=getattr(meta, "date", None) if meta else None,
        url=getattr(meta, "url", None) if meta else None,
    )


# --- JSON --------------------------------------------------------------------------------------


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def _parse_json(text: str, max_depth: int) -> Any:
    # (nesting is never deeper than the number of openers: most records need no scan)
    if text.count("[") + text.count("{") > max_depth and _bracket_depth(text) > max_depth:
        raise SkipFile(f"JSON nested deeper than {max_depth} levels (BRIEFING_MAX_JSON_DEPTH)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise SkipFile(f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}") from None
    except RecursionError:
        raise SkipFile(f"JSON nested deeper than {max_depth} levels (BRIEFING_MAX_JSON_DEPTH)") from None
    except ValueError as err:  # e.g. an integer literal longer than Python converts
        raise SkipFile(f"unreadable JSON: {str(err).split(';')[0]}") from None


def _bracket_depth(text: str) -> int:
    """Nesting depth of ``[``/``{`` outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in "]}":
            depth -= 1
    return deepest


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = obj.get(key)
        if hasattr(value, "isoformat"):  # a front-matter date YAML read as a date
            return str(value.isoformat())  # type: ignore[union-attr]
        if isinstance(value, (str, int, float)) and str(value).strip():
            return str(value).strip()
    return None


def _record(obj: Any) -> Record:
    if isinstance(obj, str):
        return Record(key=None, text=obj)
    if not isinstance(obj, dict):
        raise SkipFile("a record must be an object with a 'text' field")
    text = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if text is None or not text.strip():
        raise SkipFile(f"record has no text; give it one of the fields {', '.join(_TEXT_KEYS)}")
    return Record(
        key=_first(obj, ("id", "doc_id", "document_id")),
        text=text,
        title=_first(obj, _TITLE_KEYS),
        source=_first(obj, _SOURCE_KEYS),
        date=_first(obj, _DATE_KEYS),
        url=_first(obj, _URL_KEYS),
        meta=record_meta(obj) or None,
    )


def _json_records(data: Any) -> tuple[list[Record], list[str]]:
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    items = data if isinstance(data, list) else [data]
    records: list[Record] = []
    problems: list[str] = []
    for number, item in enumerate(items, start=1):
        try:
            records.append(_record(item))
        except SkipFile as err:
            problems.append(f"record {number}: {err}" if len(items) > 1 else str(err))
    if not records:
        raise SkipFile(problems[0] if problems else "no records in the JSON file")
    return records, problems


_NOT_A_RECORD = "not a JSON object"


def _jsonl_records(text: str, max_depth: int) -> tuple[list[Record], list[str]]:
    records: list[Record] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(problems) >= MAX_PROBLEMS and line.lstrip()[:1] not in ('{', '[', '"'):
            problems.append(_NOT_A_RECORD)  # (only counted from here on: no record can start so)
            continue
        try:
            found, _ = _json_records(_parse_json(line, max_depth))
            records.extend(found)
        except SkipFile as err:
            problems.append(f"line {number}: {err}")
    if not records:
        raise SkipFile(problems[0] if problems else "no records in the JSONL file")
    return records, problems
