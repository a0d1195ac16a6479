"""The Python API: a corpus of documents you can search, cite, summarise and brief.

>>> corpus = Corpus.from_texts({"a": "Rain fell on Monday. Roads closed.", "b": "Roads closed after rain."})
>>> corpus.cite("a:2")[0].text
'Roads closed.'

``Corpus.open(path)`` keeps its index in a SQLite file and re-syncs it with the files on open
(read-only settings open it read-only and never sync); ``Corpus.from_texts`` lives in memory. Every method returns the frozen models of ``briefing.models``
that the CLI prints and the MCP tools return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefing import sync as _sync
from briefing.errors import (
    CorpusNotFound,
    DocumentNotFound,
    InvalidCitation,
    PathNotAllowed,
    ReadOnlyError,
    StoreError,
    shown,
)
from briefing.ids import CITATION, CITATION_FORM, citation, parse_citation
from briefing.ingest import SUPPORTED_SUFFIXES
from briefing.models import (
    Citation,
    DocumentHit,
    DocumentInfo,
    Hit,
    IngestReport,
    Sentence,
    Skipped,
)
from briefing.settings import MAX_POINTS, Detail, Settings, bundled_seeds, is_database_url
from briefing.store import Store
from briefing.store import search as _search
from briefing.store.location import open_store
from briefing.text.instructions import flagged_instructions

if TYPE_CHECKING:
    from briefing.models import Brief, Comparison, Summary

__all__ = ["CITATION", "CITATION_FORM", "Corpus", "parse_citation", "shown", "user_path"]


def user_path(value: str | Path, what: str = "the path") -> Path:
    """A path as the user wrote it, ``~`` expanded; a NUL or an unknown ``~user`` is an error."""
    text = str(value)
    if "\x00" in text:
        raise CorpusNotFound(f"{what} {shown(text)} contains a NUL character; pass a real file or directory")
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "~nosuchuser/..."
        raise CorpusNotFound(f"{what} {shown(text)} names an unknown user's home; write the full path") from None


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):  # e.g. a name too long for the file system
        return False


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
        """Open the corpus at ``path`` (default: settings, then the bundled seeds) and sync it.

        With ``settings.read_only`` the database is opened read-only and never synced, so the
        process cannot change it (another process may keep it up to date with ``briefing sync``);
        when there is no database yet, it is built once from the corpus first.
        """
        settings = settings or Settings.from_env()
        if path is not None:
            settings = settings.with_(corpus=user_path(path, "the corpus path"))
        if db is not None:
            settings = settings.with_(db=db if is_database_url(db) else user_path(db, "the database path"))
        if path is None and settings.corpus == bundled_seeds():
            # No corpus named: a database built from another corpus keeps it. Syncing it against
            # the seed articles instead would prune every document it holds.
            built_from = _built_from(settings.db_path)
            if built_from is not None:
                settings = settings.with_(corpus=built_from, db=settings.db_path)
        corpus_path = settings.corpus
        if not _exists(corpus_path):
            raise CorpusNotFound(
                f"the corpus path {shown(corpus_path, 200)} does not exist; pass a file or directory with "
                "--corpus (or BRIEFING_CORPUS), or unset it to use the bundled seed articles"
            )
        roots = [corpus_path.absolute()]
        if settings.read_only:
            if not is_database_url(settings.db_path) and not _exists(Path(settings.db_path)):
                with cls(open_store(settings.db_path, search=settings.search), settings.with_(read_only=False),
                         roots) as first:
                    first.store.set_meta("corpus", str(roots[0]))
                    first.sync(progress=progress)
            return cls(open_store(settings.db_path, read_only=True, search=settings.search), settings, roots)
        corpus = cls(open_store(settings.db_path, search=settings.search), settings, roots)
        corpus.store.set_meta("corpus", str(roots[0]))
        if sync:
            corpus.sync(progress=progress)
        return corpus

    @classmethod
    def from_texts(cls, texts: Mapping[str, str | Mapping[str, str | None]]) -> Corpus:
        """An in-memory corpus: ``{"id": "text"}`` or ``{"id": {"text": ..., "title": ..., "source": ..., "date": ...}}``."""
        settings = Settings.from_env().with_(read_only=False)
        corpus = cls(Store(":memory:", search=settings.search), settings)
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
        stored = [Path(p) for p in self.store.roots()]
        return list(dict.fromkeys([*self.roots, *stored]))

    def _confined_roots(self) -> list[Path]:
        return [Path(p) for p in self.store.roots(confined=True)]

    def _check_writable(self) -> None:
        if self.settings.read_only:
            raise ReadOnlyError(
                "this corpus is read-only; restart without --read-only (BRIEFING_READ_ONLY) to change "
                "it, or run 'briefing sync' in another process to update its index"
            )

    def sync(self, progress: _sync.Progress | None = None, workers: int = 1) -> IngestReport:
        """Add new files, re-index changed ones and prune deleted ones under every root.

        The roots are the corpus path and every path added with ``ingest``; files indexed from
        elsewhere (the database used before with another corpus) are pruned as well. Roots a
        client added (``ingest(restrict=True)``) stay confined to the allowed roots.
        """
        self._check_writable()
        return _sync.sync(
            self.store, self._all_roots(), self.settings, workers=workers, progress=progress,
            prune_outside=bool(self.roots), confined=self._confined_roots(),
        )

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        restrict: bool = False,
        progress: _sync.Progress | None = None,
        workers: int = 1,
        scheduler: str | None = None,
    ) -> IngestReport:
        """Add files or directories to the corpus (they are re-synced from then on).

        With ``restrict`` (the MCP server's mode) every path must lie under the allowed roots, and
        so must every file found under it, symlinks resolved: one leading elsewhere is skipped.
        Such a root stays confined when it is synced again later. Files are prepared by
        ``workers`` processes, or with a Dask ``scheduler`` address (``"local"``: a LocalCluster
        of ``workers`` processes) on its workers; this process alone writes.
        """
        self._check_writable()
        resolved = [self._checked(p, restrict) for p in paths]
        for path in resolved:
            if not _exists(path):
                raise CorpusNotFound(f"{shown(path, 200)} does not exist; check the path and try again")
        with self.store.transaction() as conn:
            self.store.add_roots(conn, [str(p) for p in resolved], confined=restrict)
        return _sync.sync(
            self.store, resolved, self.settings, workers=workers, progress=progress,
            confined=resolved if restrict else (), scheduler=scheduler,
        )

    def _checked(self, value: str | Path, restrict: bool) -> Path:
        """The absolute path to ingest; with ``restrict``, resolved and under the allowed roots."""
        path = user_path(value)
        try:
            if not restrict:
                return path.absolute()
            real = path.absolute().resolve()
        except (OSError, RuntimeError) as err:  # a symlink loop, a name too long
            raise CorpusNotFound(f"cannot follow {shown(value)}: {err}; check the path") from None
        roots = self.settings.roots
        if not any(real == root or root in real.parents for root in roots):
            raise PathNotAllowed(
                f"{shown(value)} is outside the allowed roots; place the files under "
                f"{', '.join(str(r) for r in roots)} or add a root with BRIEFING_ALLOWED_ROOTS"
            )
        try:
            is_file = real.is_file()
        except OSError as err:  # a name too long for the file system, a permission problem
            raise CorpusNotFound(f"cannot read {shown(value)}: {err.strerror or err}; check the path") from None
        if is_file and real.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise PathNotAllowed(
                f"{shown(value)} is not a document; only {', '.join(SUPPORTED_SUFFIXES)} files are read"
            )
        return real

    def add_texts(self, texts: Mapping[str, str | Mapping[str, str | None]]) -> IngestReport:
        """Add raw texts under the given ids (an id already present is replaced)."""
        self._check_writable()
        from briefing.ingest.prepare import prepare_text
        from briefing.store.write import regroup, write_texts

        prepared = [prepare_text(str(key), value, self.settings) for key, value in texts.items()]
        skipped = [p for p in prepared if isinstance(p, Skipped)]
        added, duplicates = write_texts(self.store, [p for p in prepared if not isinstance(p, Skipped)])
        regroup(self.store, self.settings.near_duplicate_threshold)
        return IngestReport(added=added, duplicates=duplicates, skipped=skipped)

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

    def candidates(
        self, prefix: str = "", kinds: Sequence[str] = ("document", "outlet", "leaning"), limit: int = 100
    ) -> list[str]:
        """Document ids, outlet names and leanings starting with ``prefix`` (any case), for
        completing an argument as it is typed."""
        from briefing.leaning import leaning_order, outlet_name

        docs = self.store.cached(("candidates",), self.store.documents)
        wanted = prefix.strip().lower()
        found: list[str] = []
        if "document" in kinds:
            found += [d.id for d in docs]
        if "outlet" in kinds:
            found += sorted({outlet_name(d) for d in docs if d.source or d.url}, key=str.lower)
        if "leaning" in kinds:
            found += leaning_order({d.leaning.lower() for d in docs if d.leaning})
        return [x for x in dict.fromkeys(found) if x.lower().startswith(wanted)][:limit]

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
        any_term: bool = False,
    ) -> list[DocumentHit]:
        """Documents ranked by their best matching sentences; with ``any_term`` every document
        sharing some query word is a candidate (those sharing more rank higher), not only those
        matching all of them."""
        return _search.search_documents(
            self.store, query, limit=limit, sources=self.check_sources(sources),
            date_from=date_from, date_to=date_to, any_term=any_term,
        )

    def topic_documents(
        self, topic: str, *, limit: int = 50, sources: Sequence[str] | None = None
    ) -> list[DocumentHit]:
        """The documents a brief on ``topic`` reads: BM25 for the topic and for the words that go
        with it in this corpus (pseudo-relevance feedback, ``briefing.store.expand``), so a topic
        of "immigration" also finds the reports that only say "migrants"."""
        from briefing.store.expand import expanded_documents

        return expanded_documents(self.store, topic, limit=limit, sources=self.check_sources(sources))

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
                    f"no document {doc_id!r} for citation {shown(value.strip())}; ids look like "
                    f"{CITATION_FORM} (see 'briefing sources')"
                )
            window = self.store.sentences(doc_id, n - context, n + context)
            target = next((s for s in window if s.n == n), None)
            if target is None:
                count = self.store.documents([doc_id])[0].sentences
                valid = f"{citation(doc_id, 1)} to {citation(doc_id, count)}" if count else "none"
                raise InvalidCitation(
                    f"{shown(value.strip())} is not a sentence of document {doc_id!r}; its citation ids "
                    f"are {valid} (see 'briefing sources')"
                )
            flags = self.store.flags([(doc_id, s.n) for s in window])
            window = [
                s.model_copy(update={"instructions": True})
                if flagged_instructions(flags.get((doc_id, s.n), 0)) else s
                for s in window
            ]
            out.append(Citation(
                citation=target.citation, text=target.text, start=target.start, end=target.end,
                document=refs[doc_id],
                before=[s for s in window if s.n < n], after=[s for s in window if s.n > n],
                instructions=flagged_instructions(flags.get((doc_id, n), 0)),
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
            self.store, query=query, sources=self.check_sources(sources), method=method,
            sentences=sentences, words=words,
        )

    def brief(
        self,
        topic: str | None = None,
        *,
        sources: Sequence[str] | None = None,
        max_documents: int = 50,
        max_points: int = MAX_POINTS,
        detail: Detail = "normal",
    ) -> Brief:
        """The neutral multi-source brief: agreements, disputes and single-source points, each
        with its outlets and their leanings, coverage per leaning and blindspots."""
        from briefing.brief import build_brief
        from briefing.brief_views import scoped
        from briefing.leaning import with_leanings

        result = build_brief(
            self.store, topic=topic, sources=self.check_sources(sources), max_documents=max_documents,
            max_points=max_points, detail=detail, max_sentences=self.settings.brief_max_sentences,
            seconds=self.settings.brief_seconds,
        )
        result = with_leanings(result, {d.id: d for d in self.store.documents(result.sources)})
        return scoped(result, self.store.counts()[0])

    def full_brief(self, topic: str | None = None, *, sources: Sequence[str] | None = None) -> Brief:
        """The brief at full detail (up to 50 points of each kind), computed once per corpus
        version: the pages, points and comparisons the MCP tools return are read from it."""
        wanted = self.check_sources(sources)
        key = ("full_brief", topic, tuple(wanted or ()))
        return self.store.cached(key, lambda: self.brief(topic, sources=wanted, max_points=50, detail="full"))

    def compare(
        self,
        a: str,
        b: str,
        *,
        by: Literal["document", "outlet", "leaning"] = "document",
        topic: str | None = None,
        detail: Detail = "normal",
    ) -> Comparison:
        """Two documents, outlets or leanings side by side, read off the brief that covers them:
        points both report, points only one reports, disputes where they take different sides."""
        from briefing.brief_views import compare, side

        if by == "document":
            pair = self.check_sources([a, b]) or []
            if len(pair) != 2:
                raise DocumentNotFound("compare needs two different document ids; list them with 'briefing sources'")
            a, b = pair
        elif a.strip().lower() == b.strip().lower():
            raise DocumentNotFound(f"compare needs two different {by}s; list them with 'briefing sources'")
        # The brief the comparison is read from: the topic's, or the whole corpus's latest 50,
        # with the two documents compared added when they are not among them.
        brief = self.full_brief(topic) if topic else None
        scope = list(brief.sources) if brief else self.store.latest(50)
        if by == "document" and not {a, b} <= set(scope):
            scope, brief = sorted({*scope, a, b}), None
        if brief is None:
            brief = self.full_brief(None, sources=sorted(scope))
        docs = self.store.documents(brief.sources)
        sides = (side(docs, a, by), side(docs, b, by))
        result = compare(brief, (a, b), sides, by)
        if detail != "full":
            limit = 3 if detail == "short" else 12
            result = result.model_copy(update={
                "shared": result.shared[:limit], "only": result.only[:limit * 2],
                "only_points": result.only_points[:limit], "disputes": result.disputes[:limit],
            })
        return result


def _built_from(db_path: Path | str) -> Path | None:
    """The corpus path an existing database was last opened with, when it is not the seeds."""
    if not is_database_url(db_path) and not Path(db_path).is_file():
        return None
    try:
        store = open_store(db_path, read_only=True)
    except StoreError:
        return None  # not a database: opening it for real reports that
    try:
        value = store.meta("corpus")
    finally:
        store.close()
    if not value or Path(value) == bundled_seeds().absolute():
        return None
    recorded = Path(value)
    if not _exists(recorded):
        raise CorpusNotFound(
            f"the database {shown(db_path, 200)} was built from {shown(recorded, 200)}, which no longer "
            "exists; pass --corpus (or BRIEFING_CORPUS) to say which corpus it should hold now"
        )
    return recorded
