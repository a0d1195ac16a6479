"""Both full-text backends (``tantivy``, the default, and SQLite FTS5) answer alike and stay in
step with the tables: through replaced and deleted documents, a changed normaliser, a crash
between the tables and the index, another process, and a switch from one backend to the other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.corpus import Corpus
from briefing.ingest import Record
from briefing.ingest.prepare import prepare_record
from briefing.prepared import PreparedDocument
from briefing.settings import Settings
from briefing.store import Store

BACKENDS = ["tantivy", "sqlite"]

TEXTS = {
    "jan": {"text": "Rain flooded the harbour road in January. Crews cleared it.", "source": "Courier",
            "date": "2024-01-15"},
    "feb": {"text": "Rain returned to the harbour in February. The road stayed open.", "date": "2024-02-10"},
    "mar": {"text": "Dry weather in March ended the rain. The harbour reopened fully.", "date": "2024-03-05"},
    "erd": {"text": "President Erdoğan met Putin in Astana. The harbour road was not discussed."},
}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BRIEFING_SEARCH", request.param)
    return str(request.param)


def citations(corpus: Corpus, query: str, **filters: object) -> set[str]:
    return {h.citation for h in corpus.search(query, limit=50, **filters)}  # type: ignore[arg-type]


def in_step(store: Store) -> bool:
    return store.index.rowids() == {r[0] for r in store.query("SELECT rowid FROM sentences")}


def document(key: str, text: str) -> PreparedDocument:
    return prepare_record(f"text:{key}", f"text:{key}", key, Record(key=key, text=text))


# --- the same answers --------------------------------------------------------------------------


def test_both_backends_find_the_same_sentences(backend: str) -> None:
    corpus = Corpus.from_texts(TEXTS)
    assert corpus.store.index.name == backend
    assert citations(corpus, "harbour road") == {"jan:1", "erd:2"}
    assert citations(corpus, '"harbour road"') == {"jan:1", "erd:2"}
    assert citations(corpus, "crews dry") == {"jan:2", "mar:1"}  # no sentence has both: either
    assert citations(corpus, "floods") == {"jan:1"}  # stems
    assert citations(corpus, "erdogan") == {"erd:1"}  # accents
    assert citations(corpus, "harbour", sources=["feb", "mar"]) == {"feb:1", "mar:2"}
    assert citations(corpus, "rain", date_from="2024-02") == {"feb:1", "mar:1"}
    assert citations(corpus, "rain", date_to="2024-01") == {"jan:1"}
    assert citations(corpus, "zeppelin") == set()
    hits = corpus.search("harbour", limit=3)
    assert len(hits) == 3 and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_dates_kept_verbatim_compare_as_text_in_either_backend(backend: str) -> None:
    corpus = Corpus.from_texts({
        "year": {"text": "Rain fell all year.", "date": "2023"},
        "month": {"text": "Rain fell all month.", "date": "2023-05"},
        "vague": {"text": "Rain fell in spring.", "date": "spring 2023"},
        "day": {"text": "Rain fell on the day.", "date": "2023-05-17"},
    })
    assert {d.id: d.date for d in corpus.sources()}["month"] == "2023-05"  # not a full date: verbatim
    found = {h.document.id for h in corpus.search("rain", date_from="2023")}
    assert found == {"year", "month", "day"}
    assert {h.document.id for h in corpus.search("rain", date_from="2023-05", date_to="2023-05")} == {"month", "day"}
    assert {h.document.id for h in corpus.search("rain", date_to="2023-04")} == {"year"}


def test_query_syntax_of_either_engine_is_only_words(backend: str) -> None:
    corpus = Corpus.from_texts({"t": "Talks went NEAR the border, and or not, said officials: body."})
    for query in ("NEAR(", "AND OR", "body:talks", "talks*", "-talks", "+talks", "^talks", "{talks}"):
        assert [h.citation for h in corpus.search(query)] == ["t:1"], query


# --- in step with the tables -------------------------------------------------------------------


def test_replacing_and_removing_documents_keeps_the_index_in_step(backend: str) -> None:
    corpus = Corpus.from_texts(TEXTS)
    corpus.add_texts({"jan": "Snow closed the mountain pass in January."})
    assert citations(corpus, "harbour road") == {"erd:2"}
    assert citations(corpus, "mountain pass") == {"jan:1"}
    with corpus.store.transaction() as conn:
        corpus.store.remove_origin(conn, "text:erd")
    assert citations(corpus, "astana") == set()
    assert citations(corpus, "harbour") == {"feb:1", "mar:2"}
    assert in_step(corpus.store)


def test_a_rolled_back_write_leaves_nothing_in_the_index(backend: str) -> None:
    corpus = Corpus.from_texts(TEXTS)
    with pytest.raises(RuntimeError), corpus.store.transaction() as conn:
        corpus.store.write_document(conn, document("new", "Zeppelins landed at the harbour."), "new")
        raise RuntimeError("interrupted")
    assert citations(corpus, "zeppelins") == set()
    assert in_step(corpus.store)


def test_a_changed_normaliser_rebuilds_the_index_before_anything_is_deleted(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contentless FTS5 table deletes a row by re-folding its text: with another ``fold`` than the
    one it was indexed with, that would corrupt the index; so the index is rebuilt first."""
    db = tmp_path / "corpus.sqlite3"
    store = Store(db, search=backend)
    with store.transaction() as conn:
        store.write_document(conn, document("a", "The café reopened on Monday."), "a")
    store.close()

    import briefing.store.fulltext_sqlite as fts
    import briefing.store.fulltext_tantivy as tv

    for module in (fts, tv):
        monkeypatch.setattr(module, "fold", lambda text: text.upper())
        monkeypatch.setattr(module, "FOLD_VERSION", 99)
    monkeypatch.setattr(tv, "FORMAT", "1.99")
    store = Store(db, search=backend)
    with store.transaction() as conn:
        store.remove_origin(conn, "text:a")
        store.write_document(conn, document("b", "A new café opened on Tuesday."), "b")
    assert in_step(store)
    assert [h.citation for h in Corpus(store, Settings()).search("cafe")] == ["b:1"]


def test_changes_the_index_missed_are_replayed_on_the_next_open(backend: str, tmp_path: Path) -> None:
    """The tables commit first; if the process dies before the index does, the log brings it back."""
    db = tmp_path / "corpus.sqlite3"
    store = Store(db, search=backend)
    store.index.flush = lambda *a, **k: None  # type: ignore[method-assign]  # dies before every flush
    store.index.committed = lambda: None  # type: ignore[method-assign]
    with store.transaction() as conn:
        store.write_document(conn, document("a", "Ferries stopped at noon."), "a")
    store.conn.close()  # no clean close

    reopened = Corpus(Store(db, search=backend), Settings())
    assert [h.citation for h in reopened.search("ferries")] == ["a:1"]
    assert in_step(reopened.store)


def test_a_reader_process_sees_what_a_writer_process_added(backend: str, tmp_path: Path) -> None:
    db = tmp_path / "corpus.sqlite3"
    writer = Store(db, search=backend)
    with writer.transaction() as conn:
        writer.write_document(conn, document("a", "Ferries stopped at noon."), "a")
    reader = Corpus(Store(db, read_only=True, search=backend), Settings())
    assert [h.citation for h in reader.search("ferries")] == ["a:1"]
    with writer.transaction() as conn:
        writer.write_document(conn, document("b", "Ferries resumed at dusk."), "b")
    assert {h.citation for h in reader.search("ferries")} == {"a:1", "b:1"}


def test_switching_backends_on_one_database_rebuilds_what_went_stale(tmp_path: Path) -> None:
    db = tmp_path / "corpus.sqlite3"
    first = Store(db, search="tantivy")
    with first.transaction() as conn:
        first.write_document(conn, document("a", "Ferries stopped at noon."), "a")
    first.close()
    second = Store(db, search="sqlite")
    with second.transaction() as conn:
        second.write_document(conn, document("b", "Ferries resumed at dusk."), "b")
        second.remove_origin(conn, "text:a")
    assert [h.citation for h in Corpus(second, Settings()).search("ferries")] == ["b:1"]
    second.close()
    third = Store(db, search="tantivy")
    assert [h.citation for h in Corpus(third, Settings()).search("ferries")] == ["b:1"]
    assert in_step(third)


def test_a_process_whose_view_is_stale_adopts_another_process_s_flush(tmp_path: Path) -> None:
    """A server that was open while another process ingested picks up that process's index
    commit instead of rebuilding the index."""
    db = tmp_path / "corpus.sqlite3"
    server = Store(db, search="tantivy")
    assert server.index.rowids() == set()  # opened, up to date
    other = Store(db, search="tantivy")
    with other.bulk():
        for key in ("a", "b", "c"):
            with other.transaction() as conn:
                other.write_document(conn, document(key, f"Ferries stopped at noon in port {key}."), key)
    other.close()
    rebuilt = []
    server.index._add_rows = lambda *a: rebuilt.append(a)  # type: ignore[attr-defined]
    assert {h.citation for h in Corpus(server, Settings()).search("ferries")} == {"a:1", "b:1", "c:1"}
    assert rebuilt == []


def test_a_sentence_another_process_indexed_first_is_found_once(tmp_path: Path) -> None:
    """The writer adds what it just committed straight to the index. When another process has
    flushed that log entry in the meantime (it found the index free) and trimmed the log, the
    writer rebuilds the index from the tables: without its own pending additions, which would
    otherwise be found twice."""
    db = tmp_path / "corpus.sqlite3"
    ingest, server = Store(db, search="tantivy"), Store(db, search="tantivy")
    committed = ingest.index.committed

    def server_replays_first() -> None:  # the server's flush lands between the commit and the add
        server.index.flush()
        committed()

    ingest.index.committed = server_replays_first  # type: ignore[method-assign]
    with ingest.transaction() as conn:
        ingest.write_document(conn, document("a", "Ferries stopped at noon in Portvale."), "a")
    ingest.index.flush()
    ingest.close()
    hits = [h.citation for h in Corpus(Store(db, search="tantivy"), Settings()).search("Portvale")]
    assert hits == ["a:1"]
