"""The store keeps the database in step with the files, and a citation id never moves.

Re-syncing unchanged files writes nothing; an edited file is re-indexed alone; a deleted file is
pruned; ids come from file names, collisions are settled by path order, and an id once given
stays with its file. Exact copies are stored once; near-copies share a near-duplicate group.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from builders import (
    ARTICLE,
    OTHER_ARTICLE,
    SEEDS,
    cited_sentences,
    copy_seeds,
    doc_id_of,
    edit_file,
    make_files,
    open_corpus,
    table_rows,
)

from briefing.corpus import Corpus
from briefing.errors import CorpusNotFound, InvalidCitation, StoreError
from briefing.settings import default_db_path
from briefing.store import Store

SEED_003 = "003_9d2b0d004868b454.txt"

# Every test here runs on both stores: its database (BRIEFING_DB) is a SQLite file, then a
# PostgreSQL database (skipped without one; see conftest.py).
pytestmark = pytest.mark.usefixtures("database")


def sentence_rowids(corpus: Corpus) -> dict[str, list[int]]:
    """Each document's sentence rowids: they change only when the document is rewritten."""
    out: dict[str, list[int]] = {}
    for rowid, doc_id in table_rows(corpus, "SELECT rowid, doc_id FROM sentences ORDER BY rowid"):
        out.setdefault(str(doc_id), []).append(int(rowid))  # type: ignore[call-overload]
    return out


def counts(corpus: Corpus) -> dict[str, int]:
    tables = ("documents", "sentences", "origins", "ids", "files", "lsh", "near_dups")
    return {t: int(corpus.store.query(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}


# --- re-syncing --------------------------------------------------------------------------------


def test_reingesting_unchanged_seeds_changes_nothing(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    first = open_corpus(seeds)
    before = (counts(first), cited_sentences(first), sentence_rowids(first), first.version)
    first.close()

    again = open_corpus(seeds)
    report = again.sync()
    assert report.changed is False
    assert report.unchanged == 5
    assert (counts(again), cited_sentences(again), sentence_rowids(again), again.version) == before


def test_ingesting_the_same_directory_twice_changes_nothing(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    corpus = open_corpus(make_files(tmp_path / "corpus", {}))
    assert len(corpus.ingest([docs]).added) == 2
    before = (counts(corpus), cited_sentences(corpus), corpus.version)
    report = corpus.ingest([docs])
    assert report.changed is False and report.unchanged == 2
    assert (counts(corpus), cited_sentences(corpus), corpus.version) == before


def test_touching_a_file_without_changing_it_rewrites_nothing(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    corpus = open_corpus(seeds)
    before = sentence_rowids(corpus)
    path = seeds / SEED_003
    edit_file(path, path.read_bytes())
    report = corpus.sync()
    assert report.changed is False and report.unchanged == 5
    assert sentence_rowids(corpus) == before


def test_editing_one_file_reindexes_only_that_file(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    corpus = open_corpus(seeds)
    before = sentence_rowids(corpus)
    path = seeds / SEED_003
    edit_file(path, path.read_text(encoding="utf-8") + "\nA sentence added by the editor.\n")

    report = corpus.sync()

    assert report.updated == [str(path)]
    assert report.added == [] and report.removed == [] and report.unchanged == 4
    after = sentence_rowids(corpus)
    assert {k: v for k, v in after.items() if k != "003"} == {k: v for k, v in before.items() if k != "003"}
    assert len(after["003"]) == len(before["003"]) + 1
    assert corpus.sentences("003")[-1].text == "A sentence added by the editor."
    assert corpus.search("editor")[0].citation == f"003:{len(after['003'])}"


def test_an_edited_file_is_no_longer_found_by_its_old_words(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    assert corpus.search("mayor")
    edit_file(docs / "a.txt", "The library extended its opening hours.")
    corpus.sync()
    assert corpus.search("mayor") == []
    assert [h.citation for h in corpus.search("library")] == ["a:1"]


def test_a_deleted_file_is_pruned(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    corpus = open_corpus(seeds)
    (seeds / SEED_003).unlink()

    report = corpus.sync()

    assert report.removed == [str(seeds / SEED_003)]
    assert [d.id for d in corpus.sources()] == ["000", "001", "002", "004"]
    assert all(h.document.id != "003" for h in corpus.search("catastrophe"))
    with pytest.raises(InvalidCitation):
        corpus.cite("003:1")


def test_a_new_file_is_added(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    corpus = open_corpus(seeds)
    before = sentence_rowids(corpus)
    make_files(seeds, {"005_5ca1ab1e.txt": ARTICLE})

    report = corpus.sync()

    assert report.added == [str(seeds / "005_5ca1ab1e.txt")] and report.unchanged == 5
    assert corpus.cite("005:1")[0].text.startswith("The city council")
    assert {k: v for k, v in sentence_rowids(corpus).items() if k != "005"} == before


def test_a_file_deleted_while_the_corpus_is_closed_is_pruned_on_open(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    open_corpus(docs).close()
    (docs / "b.txt").unlink()
    assert [d.id for d in open_corpus(docs).sources()] == ["a"]


def test_one_database_opened_with_another_corpus_holds_only_that_corpus(tmp_path: Path) -> None:
    """``--db`` (or BRIEFING_DB) shared by two corpus directories: each open shows its own files."""
    one = make_files(tmp_path / "one", {"a.txt": ARTICLE})
    two = make_files(tmp_path / "two", {"b.txt": OTHER_ARTICLE})
    assert [d.id for d in open_corpus(one).sources()] == ["a"]
    assert [d.id for d in open_corpus(two).sources()] == ["b"]
    assert open_corpus(two).search("mayor") == []


def test_a_database_opened_without_a_corpus_keeps_the_corpus_it_was_built_from(tmp_path: Path, database: str) -> None:
    """``briefing ingest new/ --db big.sqlite3`` without ``--corpus`` adds to the big corpus; it
    does not re-point the database at the seed articles and prune everything else."""
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    db = database
    Corpus.open(docs, db=db).close()
    extra = make_files(tmp_path / "extra", {"b.txt": OTHER_ARTICLE})
    corpus = Corpus.open(db=db)
    corpus.ingest([extra])
    assert [d.id for d in corpus.sources()] == ["a", "b"]


def test_a_database_whose_corpus_is_gone_asks_which_corpus_to_hold(tmp_path: Path, database: str) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    db = database
    Corpus.open(docs, db=db).close()
    (docs / "a.txt").unlink()
    docs.rmdir()
    with pytest.raises(CorpusNotFound, match="--corpus"):
        Corpus.open(db=db)
    assert [d.id for d in Corpus.open(SEEDS, db=db).sources()] == [p.stem.split("_")[0] for p in sorted(SEEDS.glob("*.txt"))]


def test_ingested_paths_stay_part_of_the_corpus(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    extra = make_files(tmp_path / "extra", {"b.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    report = corpus.ingest([extra])
    assert report.added == [str(extra / "b.txt")]
    corpus.close()
    assert [d.id for d in open_corpus(docs).sources()] == ["a", "b"]


# --- ids ---------------------------------------------------------------------------------------


def test_a_trailing_hash_is_dropped_from_the_id(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"007_0123456789abcdef.txt": ARTICLE, "Storm Report.md": OTHER_ARTICLE})
    assert [d.id for d in open_corpus(docs).sources()] == ["007", "storm-report"]


COLLIDING = {"x_aaaaaaaa1.txt": ARTICLE, "x_bbbbbbbb2.txt": OTHER_ARTICLE}


def test_colliding_short_ids_are_settled_by_path_order(tmp_path: Path) -> None:
    corpus = open_corpus(make_files(tmp_path / "docs", COLLIDING))
    assert doc_id_of(corpus, "x_aaaaaaaa1.txt") == "x"
    assert doc_id_of(corpus, "x_bbbbbbbb2.txt") == "x_bbbbbbbb2"


def test_collisions_resolve_the_same_whatever_order_the_files_were_written(tmp_path: Path) -> None:
    forward = make_files(tmp_path / "forward", COLLIDING)
    backward = make_files(tmp_path / "backward", dict(reversed(COLLIDING.items())))
    os.utime(backward / "x_aaaaaaaa1.txt", ns=(10**18, 10**18))  # newest file first, for good measure
    ids_forward = {n: doc_id_of(open_corpus(forward), n) for n in COLLIDING}
    ids_backward = {n: doc_id_of(open_corpus(backward, tmp_path / "b.sqlite3"), n) for n in COLLIDING}
    assert ids_forward == ids_backward


def test_an_id_stays_with_its_file_when_a_colliding_file_arrives_later(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"x_bbbbbbbb2.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    assert doc_id_of(corpus, "x_bbbbbbbb2.txt") == "x"
    quote = corpus.cite("x:1")[0].text

    make_files(docs, {"x_aaaaaaaa1.txt": ARTICLE})
    corpus.sync()

    assert doc_id_of(corpus, "x_bbbbbbbb2.txt") == "x"
    assert doc_id_of(corpus, "x_aaaaaaaa1.txt") == "x_aaaaaaaa1"
    assert corpus.cite("x:1")[0].text == quote


def test_an_id_is_never_handed_to_another_file(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"x_aaaaaaaa1.txt": ARTICLE})
    corpus = open_corpus(docs)
    (docs / "x_aaaaaaaa1.txt").unlink()
    make_files(docs, {"x_cccccccc3.txt": OTHER_ARTICLE})
    corpus.sync()
    assert doc_id_of(corpus, "x_cccccccc3.txt") == "x_cccccccc3"
    with pytest.raises(InvalidCitation):
        corpus.cite("x:1")


def test_an_edited_file_keeps_its_id(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", COLLIDING)
    corpus = open_corpus(docs)
    edit_file(docs / "x_aaaaaaaa1.txt", "A new first sentence. " + ARTICLE)
    corpus.sync()
    assert doc_id_of(corpus, "x_aaaaaaaa1.txt") == "x"
    assert corpus.cite("x:1")[0].text == "A new first sentence."


# --- exact and near duplicates -----------------------------------------------------------------


def test_an_exact_copy_is_stored_once_with_both_paths(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "copy-of-a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    docs_by_id = {d.id: d for d in corpus.sources()}
    assert sorted(docs_by_id) == ["a", "b"]
    assert docs_by_id["a"].paths == [str(docs / "a.txt"), str(docs / "copy-of-a.txt")]
    assert any(n.kind == "duplicate" for n in docs_by_id["a"].notes)
    assert len(cited_sentences(corpus)) == 4 + 3


def test_the_sync_report_names_the_copy(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE})
    corpus = open_corpus(docs)
    make_files(docs, {"copy-of-a.txt": ARTICLE})
    report = corpus.sync()
    assert [Path(p).name for p in report.duplicates] == ["copy-of-a.txt"]


def test_deleting_the_original_keeps_the_copy(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "copy-of-a.txt": ARTICLE})
    corpus = open_corpus(docs)
    (docs / "a.txt").unlink()
    corpus.sync()
    [doc] = corpus.sources()
    assert doc.paths == [str(docs / "copy-of-a.txt")] and doc.path == str(docs / "copy-of-a.txt")
    assert corpus.cite(f"{doc.id}:1")[0].text.startswith("The city council")


def test_editing_one_of_two_identical_files_splits_them(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "copy-of-a.txt": ARTICLE})
    corpus = open_corpus(docs)
    edit_file(docs / "a.txt", OTHER_ARTICLE)

    report = corpus.sync()

    assert report.updated == [str(docs / "a.txt")]
    a, copy = doc_id_of(corpus, "a.txt"), doc_id_of(corpus, "copy-of-a.txt")
    assert a == "a" and copy != a
    assert corpus.cite(f"{a}:1")[0].text.startswith("A storm")
    assert corpus.cite(f"{copy}:1")[0].text.startswith("The city council")
    assert [d.paths for d in corpus.sources()] == [[str(docs / "a.txt")], [str(docs / "copy-of-a.txt")]]


def lightly_edited(text: str) -> str:
    return text.replace("skepticism", "doubt").replace("steadfast", "firm").replace("Critics", "Opponents")


def test_a_lightly_edited_copy_is_in_the_same_near_duplicate_group(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    original = (seeds / SEED_003).read_text(encoding="utf-8")
    assert lightly_edited(original) != original
    make_files(seeds, {"reprint.txt": lightly_edited(original), "unrelated.txt": ARTICLE + " " + OTHER_ARTICLE})

    groups = {d.id: d.near_duplicate_group for d in open_corpus(seeds).sources()}

    assert groups["003"] is not None and groups["reprint"] == groups["003"]
    assert groups["unrelated"] is None
    assert [d for d, g in groups.items() if g == groups["003"]] == ["003", "reprint"]


def test_a_near_duplicate_group_dissolves_when_the_copy_is_deleted(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path / "seeds")
    make_files(seeds, {"reprint.txt": lightly_edited((seeds / SEED_003).read_text(encoding="utf-8"))})
    corpus = open_corpus(seeds)
    assert corpus.document("003").near_duplicate_group is not None
    (seeds / "reprint.txt").unlink()
    corpus.sync()
    assert corpus.document("003").near_duplicate_group is None


# --- opening -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_with_no_configuration_the_bundled_seeds_are_the_corpus(isolated: Path) -> None:
    with Corpus.open() as corpus:
        assert corpus.settings.corpus == SEEDS
        assert [d.id for d in corpus.sources()] == ["000", "001", "002", "003", "004"]
    assert isolated.exists()  # the test database, not one in the user's directory


@pytest.mark.sqlite_only
def test_without_a_db_setting_the_database_goes_to_the_user_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BRIEFING_DB")
    with Corpus.open() as corpus:
        assert Path(corpus.store.path) == default_db_path(SEEDS)
    assert Path(corpus.store.path).is_relative_to(tmp_path / "user-data")
    assert Path(corpus.store.path).exists()


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a.sqlite3"
    bad.write_bytes(b"this is not a database file" * 100)
    with pytest.raises(StoreError, match="pass another --db"):
        Store(bad)


@pytest.mark.sqlite_only
def test_a_database_path_under_a_file_gives_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("x")
    with pytest.raises(StoreError, match="another --db"):
        Store(tmp_path / "plain.txt" / "db.sqlite3")


@pytest.mark.sqlite_only
def test_a_directory_as_the_database_gives_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(StoreError, match="another --db"):
        Store(tmp_path / "dir.sqlite3")


def test_the_seed_corpus_in_memory_matches_the_one_on_disk(seeds_corpus: Corpus) -> None:
    texts = {p.name.split("_")[0]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    memory = Corpus.from_texts(texts)
    assert cited_sentences(memory) == cited_sentences(seeds_corpus)


def texts_corpus(tmp_path: Path, texts: dict[str, object]) -> Corpus:
    """A corpus of raw texts (``Corpus.add_texts``) in the test's database."""
    corpus = open_corpus((tmp_path / "empty").resolve())
    corpus.add_texts(texts)  # type: ignore[arg-type]
    return corpus


def test_reads_take_lists_of_ids_longer_than_sqlite_allows_parameters(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    corpus = texts_corpus(tmp_path, {"budget": ARTICLE, "storm": OTHER_ARTICLE})
    if isinstance(corpus.store.conn, sqlite3.Connection):
        # SQLite builds allow from 999 to 250,000 '?' parameters per statement: take the smallest.
        corpus.store.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    many = ["budget", *(f"missing-{i}" for i in range(5_000)), "storm"]
    assert [d.id for d in corpus.store.documents(many)] == ["budget", "storm"]
    assert {s.doc_id for s, _ in corpus.store.all_sentences(many)} == {"budget", "storm"}
    assert len(corpus.store.sentences_by_rowid(list(range(1, 5_000)))) == 7
    assert sorted(corpus.store.refs(many)) == ["budget", "storm"]


def test_latest_orders_by_date_newest_first_then_undated_by_id(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    corpus = texts_corpus(tmp_path, {
        "old": {"text": ARTICLE, "date": "2020-01-01"},
        "undated-b": OTHER_ARTICLE + " B.",
        "new": {"text": ARTICLE + " New.", "date": "2024-05-01"},
        "undated-a": OTHER_ARTICLE + " A.",
    })
    assert corpus.store.latest(10) == ["new", "old", "undated-a", "undated-b"]
    assert corpus.store.latest(2, ["old", "undated-a", "new"]) == ["new", "old"]
