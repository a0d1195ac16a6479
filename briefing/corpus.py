"""The Python API: a corpus of documents you can search, cite, summarise and brief.

>>> corpus = Corpus.from_texts({"a": "Rain fell on Monday. Roads closed.", "b": "Roads closed after rain."})
>>> corpus.cite("a:2")[0].text
'Roads closed.'

``Corpus.open(path)`` keeps its index in a SQLite file and re-syncs it with the files on open;
``Corpus.from_texts`` lives in memory. Every method returns the frozen models of ``briefing.models``
that the CLI prints and the MCP tools return.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefing.errors import (
    CorpusNotFound,
    DocumentNotFound,
    InvalidCitation,
    PathNotAllowed,
    ReadOnlyError,
)
from briefing.models import Citation, DocumentHit, DocumentInfo, Hit, IngestReport, Sentence
from briefing.settings import Settings
from briefing.store import Store
from briefing.store import search as _search
from briefing.store import sync as _sync
from briefing.store.sqlite import FLAG_INSTRUCTIONS

if TYPE_CHECKING:
    from briefing.models import Brief, Comparison, Summary

CITATION = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*):(\d{1,9})\s*$")
CITATION_FORM = "<document id>:<sentence number>, e.g. 004:7"


def parse_citation(value: str) -> tuple[str, int]:
    m = CITATION.match(value or "")
    if not m:
        shown = value if len(value or "") <= 60 else value[:57] + "..."
        raise InvalidCitation(
            f"{shown!r} is not a citation id; ids look like {CITATION_FORM} (see 'briefing sources')"
        )
    return m.group(1).lower(), int(m.group(2))


class Corpus:
    """A searchable, citable set of documents backed by a ``Store``."""

    def __init__(self, store: Store, settings: Settings, roots: Sequence[Path] = ()) -> None:
        self.store = store
        self.settings = settings
        self.roots = list(roots)

    # --- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        db: str | Path | None = None,
        settings: Settings | None = None,
        sync: bool = True,
        progress: _sync.Progress | None = None,
    ) -> Corpus:
        """Open the corpus at ``path`` (default: settings, then the bundled seeds) and sync it."""
        settings = settings or Settings.from_env()
        if path is not None:
            settings = settings.with_(corpus=Path(path).expanduser())
        if db is not None:
            settings = settings.with_(db=Path(db).expanduser())
        corpus_path = settings.corpus
        if not corpus_path.exists():
            raise CorpusNotFound(
                f"the corpus path {str(corpus_path)!r} does not exist; pass a file or directory with "
                "--corpus (or BRIEFING_CORPUS), or unset it to use the bundled seed articles"
            )
        store = Store(settings.db_path)
        corpus = cls(store, settings, [corpus_path.absolute()])
        if sync:
            corpus.sync(progress=progress)
        return corpus

    @classmethod
    def from_texts(cls, texts: Mapping[str, str | Mapping[str, str | None]]) -> Corpus:
        """An in-memory corpus: ``{"id": "text"}`` or ``{"id": {"text": ..., "title": ..., "source": ..., "date": ...}}``."""
        corpus = cls(Store(":memory:"), Settings.from_env())
        corpus.add_texts(texts)
        return corpus

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def _all_roots(self) -> list[Path]:
        stored = [Path(r["path"]) for r in self.store.query("SELECT path FROM roots")]
        return list(dict.fromkeys([*self.roots, *stored]))

    def sync(self, progress: _sync.Progress | None = None, workers: int = 1) -> IngestReport:
        """Add new files, re-index changed ones and prune deleted ones under every root.

        The roots are the corpus path and every path added with ``ingest``; files indexed from
        elsewhere (the database used before with another corpus) are pruned as well.
        """
        return _sync.sync(
            self.store, self._all_roots(), self.settings, workers=workers, progress=progress,
            prune_outside=bool(self.roots),
        )

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        restrict: bool = False,
        progress: _sync.Progress | None = None,
        workers: int = 1,
    ) -> IngestReport:
        """Add files or directories to the corpus (they are re-synced from then on).

        With ``restrict`` (the MCP server's mode) every path must lie under the allowed roots.
        """
        if self.settings.read_only:
            raise ReadOnlyError("this corpus is read-only; restart without --read-only to add documents")
        resolved = [self._checked(Path(p), restrict) for p in paths]
        for path in resolved:
            if not path.exists() and not path.is_symlink():
                raise CorpusNotFound(f"{str(path)!r} does not exist; check the path and try again")
        with self.store.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO roots VALUES (?)", [(str(p),) for p in resolved])
        return _sync.sync(self.store, resolved, self.settings, workers=workers, progress=progress)

    def _checked(self, path: Path, restrict: bool) -> Path:
        absolute = path.expanduser().absolute()
        if not restrict:
            return absolute
        real = absolute.resolve()
        for root in self.settings.roots:
            if real == root or root in real.parents:
                return absolute
        raise PathNotAllowed(
            f"{str(path)!r} is outside the allowed roots; place the files under "
            f"{', '.join(str(r) for r in self.settings.roots)} or add a root with BRIEFING_ALLOWED_ROOTS"
        )

    def add_texts(self, texts: Mapping[str, str | Mapping[str, str | None]]) -> IngestReport:
        """Add raw texts under the given ids (an id already present is replaced)."""
        if self.settings.read_only:
            raise ReadOnlyError("this corpus is read-only; restart without --read-only to add documents")
        from briefing.ingest import Record

        added, duplicates = [], []
        with self.store.transaction() as conn:
            for key, value in texts.items():
                meta = {"text": value} if isinstance(value, str) else dict(value)
                text = meta.get("text") or ""
                if not text.strip():
                    continue
                origin = f"text:{key}"
                record = Record(
                    key=str(key), text=text, title=meta.get("title"), source=meta.get("source"),
                    date=meta.get("date"), url=meta.get("url"),
                )
                doc = _sync.prepare_record(origin, origin, str(key), record)
                self.store.remove_origin(conn, origin)
                doc_id = self.store.assign_id(conn, origin, _sync.id_candidates(str(key))[-1:])
                if self.store.write_document(conn, doc, doc_id):
                    added.append(doc_id)
                else:
                    duplicates.append(str(key))
            self.store.bump_version(conn)
        _sync.regroup(self.store, self.settings.near_duplicate_threshold)
        return IngestReport(added=added, duplicates=duplicates)

    # --- reading -------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.store.version

    def sources(self) -> list[DocumentInfo]:
        """Every document with its metadata, near-duplicate group and data-quality notes."""
        return self.store.documents()

    def document(self, doc_id: str) -> DocumentInfo:
        docs = self.store.documents([doc_id.lower()])
        if not docs:
            raise DocumentNotFound(f"no document {doc_id!r} in the corpus; list them with 'briefing sources'")
        return docs[0]

    def sentences(self, doc_id: str) -> list[Sentence]:
        self.document(doc_id)
        return self.store.sentences(doc_id.lower())

    def check_sources(self, sources: Sequence[str] | None) -> list[str] | None:
        """Normalise a list of document ids, naming any that is unknown."""
        if not sources:
            return None
        wanted = [s.strip().lower() for s in sources if s and s.strip()]
        known = set(self.store.refs(wanted))
        missing = [s for s in wanted if s not in known]
        if missing:
            raise DocumentNotFound(
                f"no document {missing[0]!r} in the corpus; list the ids with 'briefing sources'"
            )
        return list(dict.fromkeys(wanted)) or None

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        sources: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[Hit]:
        """Sentences ranked by BM25; every hit carries its citation id and document metadata."""
        return _search.search_sentences(
            self.store, query, limit=limit, sources=self.check_sources(sources),
            date_from=date_from, date_to=date_to,
        )

    def search_documents(
        self,
        query: str,
        *,
        limit: int = 10,
        sources: Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> list[DocumentHit]:
        """Documents ranked by their best matching sentences."""
        return _search.search_documents(
            self.store, query, limit=limit, sources=self.check_sources(sources),
            date_from=date_from, date_to=date_to,
        )

    def cite(self, ids: str | Sequence[str], context: int = 0) -> list[Citation]:
        """The verbatim sentence for each citation id, its offsets and ``context`` neighbours."""
        if isinstance(ids, str):
            ids = [ids]
        context = max(0, min(int(context), 20))
        out = []
        for value in ids:
            doc_id, n = parse_citation(value)
            refs = self.store.refs([doc_id])
            if doc_id not in refs:
                raise InvalidCitation(
                    f"no document {doc_id!r} for citation {value.strip()!r}; ids look like "
                    f"{CITATION_FORM} (see 'briefing sources')"
                )
            window = self.store.sentences(doc_id, n - context, n + context)
            target = next((s for s in window if s.n == n), None)
            if target is None:
                count = self.store.documents([doc_id])[0].sentences
                valid = f"{doc_id}:1 to {doc_id}:{count}" if count else "none"
                raise InvalidCitation(
                    f"{value.strip()!r} is not a sentence of document {doc_id!r}; its citation ids "
                    f"are {valid} (see 'briefing sources')"
                )
            out.append(Citation(
                citation=target.citation, text=target.text, start=target.start, end=target.end,
                document=refs[doc_id],
                before=[s for s in window if s.n < n], after=[s for s in window if s.n > n],
                instructions=bool(self.store.flags([(doc_id, n)]).get((doc_id, n), 0) & FLAG_INSTRUCTIONS),
            ))
        return out

    # --- summaries and briefs --------------------------------------------------------------------

    def summarize(
        self,
        *,
        query: str | None = None,
        sources: Sequence[str] | None = None,
        method: str = "default",
        sentences: int | None = None,
        words: int | None = None,
    ) -> Summary:
        """An extractive summary of the given sources, a query's matches or the whole corpus."""
        from briefing.summarize import summarize_corpus

        return summarize_corpus(
            self, query=query, sources=self.check_sources(sources), method=method,
            sentences=sentences, words=words,
        )

    def brief(
        self,
        topic: str | None = None,
        *,
        sources: Sequence[str] | None = None,
        max_documents: int = 50,
        max_points: int = 12,
        detail: Literal["short", "normal", "full"] = "normal",
    ) -> Brief:
        """The neutral multi-source brief: agreements, disputes and single-source points."""
        from briefing.brief import build_brief

        return build_brief(
            self, topic=topic, sources=self.check_sources(sources), max_documents=max_documents,
            max_points=max_points, detail=detail,
        )

    def compare(self, a: str, b: str, *, detail: Literal["short", "normal", "full"] = "normal") -> Comparison:
        """Two sources side by side: points both report, points only one reports, disputes."""
        from briefing.models import Comparison

        pair = self.check_sources([a, b]) or []
        if len(pair) != 2:
            raise DocumentNotFound("compare needs two different document ids; list them with 'briefing sources'")
        brief = self.brief(sources=pair, detail=detail, max_points=1000 if detail == "full" else 20)
        return Comparison(
            sources=pair, shared=brief.agreements, only=brief.single_source, disputes=brief.disputes
        )
