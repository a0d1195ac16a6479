"""What ingestion hands to the store: prepared documents and files, plain data.

``ingest.prepare`` makes them (in any process: a local worker pool or Dask workers); the store
writes them, one transaction per batch of whole files. They are pickled compactly, since every
one of them crosses a process boundary on a parallel ingest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class PreparedSentence(NamedTuple):  # a tuple: cheap to make and to pass between processes
    n: int
    start: int
    end: int
    text: str
    body: str  # folded text for the full-text index
    flags: int


@dataclass(frozen=True)
class PreparedDocument:
    origin: str
    path: str
    key: str
    title: str | None
    source: str | None
    date: str | None
    url: str | None
    content_hash: str
    text: str
    sentences: list[PreparedSentence]
    notes: list[dict[str, object]]
    signature: bytes
    meta: dict[str, object] = field(default_factory=dict)  # leaning, country, author, owner, extra

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled compactly (prepared in a worker process, written by another): a quote that is
        the text's slice, and a folded body equal to its quote, are not sent twice."""
        text = self.text
        packed = [
            (s.n, s.start, s.end, None if s.text == text[s.start:s.end] else s.text,
             None if s.body == s.text else s.body, s.flags)
            for s in self.sentences
        ]
        return _unpack_document, (
            self.origin, self.path, self.key, self.title, self.source, self.date, self.url,
            self.content_hash, text, packed, self.notes, self.signature, self.meta,
        )


def _unpack_document(origin: str, path: str, key: str, title: str | None, source: str | None,
                     date: str | None, url: str | None, content_hash: str, text: str,
                     packed: list[tuple[int, int, int, str | None, str | None, int]],
                     notes: list[dict[str, object]], signature: bytes,
                     meta: dict[str, object] | None = None) -> PreparedDocument:
    sentences = []
    for n, start, end, quote, body, flags in packed:
        quote = text[start:end] if quote is None else quote
        sentences.append(PreparedSentence(n, start, end, quote, quote if body is None else body, flags))
    return PreparedDocument(origin, path, key, title, source, date, url, content_hash, text, sentences,
                            notes, signature, meta or {})


@dataclass(frozen=True)
class PreparedFile:
    """One file read and prepared: its documents, or the reason it was skipped."""

    path: str
    size: int
    mtime_ns: int
    file_hash: str
    documents: list[PreparedDocument]
    problems: list[str]
    skipped: str | None = None
