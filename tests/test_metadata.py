"""Document metadata: front matter, JSON fields and the sources registry (outlets.csv)."""

from __future__ import annotations

import json
import sqlite3

from builders import make_files, open_corpus, original_text

from briefing.ingest.metadata import front_matter, parse_registry
from briefing.render.text import sources as sources_text

STORY = "The council approved the budget on Tuesday after a long debate. The plan raises school spending."
HEADER = """---
outlet: Daily Planet
leaning: center
country: US
author: Lois Lane
date: 2024-03-05
url: https://www.dailyplanet.com/budget
section: metro
---
"""


def test_front_matter_gives_the_metadata_and_citations_still_index_the_original_file(tmp_path):
    corpus = open_corpus(make_files(tmp_path / "c", {"a.md": HEADER + STORY}))
    doc = corpus.document("a")
    assert (doc.source, doc.leaning, doc.country, doc.author, doc.date) == (
        "Daily Planet", "center", "US", "Lois Lane", "2024-03-05"
    )
    assert doc.url == "https://www.dailyplanet.com/budget"
    assert doc.extra == {"section": "metro"}  # unknown fields are kept
    first = corpus.cite("a:1")[0]
    assert first.text == STORY.split(". ")[0] + "."  # the header is no sentence
    assert original_text(doc.path)[first.start:first.end] == first.text


def test_a_malformed_header_is_a_message_for_that_file_and_the_text_is_still_indexed(tmp_path):
    files = {
        "bad.md": "---\ntitle: [unclosed\n---\n" + STORY,
        "open.txt": "---\noutlet: Nowhere\n" + STORY,
        "list.md": "---\n- one\n- two\n---\n" + STORY.replace("Tuesday", "Monday"),
    }
    root = make_files(tmp_path / "c", files)
    corpus = open_corpus(root)
    report = corpus.sync()  # nothing changed: the messages were given on the first sync
    assert report.unchanged == 3
    notes = {d.path.rsplit("/", 1)[-1]: [n.message for n in d.notes if n.kind == "metadata"] for d in corpus.sources()}
    assert "not valid YAML" in notes["bad.md"][0] and "indexed without its metadata" in notes["bad.md"][0]
    assert "never closes" in notes["open.txt"][0]
    assert "key: value" in notes["list.md"][0]
    assert corpus.cite("bad:1")[0].text.startswith("The council approved")


def test_ingesting_a_file_with_a_malformed_header_says_so_in_the_report(tmp_path):
    from briefing.corpus import Corpus

    root = make_files(tmp_path / "c", {"bad.md": "---\ntitle: [unclosed\n---\n" + STORY})
    corpus = Corpus.from_texts({"x": STORY})
    corpus.roots = []
    report = corpus.ingest([root / "bad.md"])
    assert report.added == [str(root / "bad.md")]
    assert [s.reason for s in report.skipped][0].startswith("front matter is not valid YAML at line 3")


def test_front_matter_parser_reads_yaml_and_finds_the_body():
    header = front_matter("---\nleaning: left\n---\nBody.")
    assert header.fields == {"leaning": "left"} and "---\nleaning: left\n---\nBody."[header.body_start:] == "Body."
    assert front_matter("No header here.\n---\n").body_start == 0


def test_json_fields_give_outlet_leaning_country_author_and_keep_unknown_fields(tmp_path):
    record = {"id": "x1", "text": STORY, "outlet": "The Ledger", "leaning": "right", "country": "UK",
              "author": ["A. Smith", "B. Jones"], "date": "2024-01-02", "url": "https://ledger.example/a",
              "section": "politics", "body_html": "<p>" + "x" * 500 + "</p>"}
    corpus = open_corpus(make_files(tmp_path / "c", {"feed.jsonl": json.dumps(record) + "\n"}))
    doc = corpus.document("x1")
    assert (doc.source, doc.leaning, doc.country, doc.author) == ("The Ledger", "right", "UK", "A. Smith, B. Jones")
    assert doc.extra == {"section": "politics"}  # (a long field is text, not metadata)
    assert corpus.search("council")[0].document.leaning == "right"
    assert "“The Ledger” (right)" in sources_text(corpus.sources())


def test_json_metadata_of_the_wrong_shape_is_left_out_not_a_crash(tmp_path):
    record = {"id": "x2", "text": STORY, "leaning": {"side": "left"}, "country": ["US", {"x": 1}], "author": None}
    corpus = open_corpus(make_files(tmp_path / "c", {"feed.json": json.dumps([record])}))
    doc = corpus.document("x2")
    assert (doc.leaning, doc.country, doc.author, doc.extra) == (None, None, None, {})


def test_the_registry_labels_each_outlet_once_by_name_or_by_url_domain(tmp_path):
    root = make_files(tmp_path / "c", {
        "feed.jsonl": "\n".join(json.dumps(r) for r in [
            {"id": "n1", "text": STORY, "source": "CNN (Online News)"},
            {"id": "n2", "text": STORY.replace("Tuesday", "Friday"), "url": "https://edition.foxnews.com/p"},
            {"id": "n3", "text": STORY.replace("Tuesday", "Sunday"), "source": "Reuters", "leaning": "left"},
        ]) + "\n",
        "outlets.csv": "outlet,domain,leaning,country,owner\nCNN,cnn.com,left,US,Warner\n"
                       "Fox News,foxnews.com,right,US,Fox Corp\nReuters,,center,UK,Thomson\n",
    })
    corpus = open_corpus(root)
    docs = {d.id: d for d in corpus.sources()}
    assert (docs["n1"].leaning, docs["n1"].owner) == ("left", "Warner")
    assert (docs["n2"].source, docs["n2"].leaning) == ("Fox News", "right")  # by the URL's domain
    assert docs["n3"].leaning == "left"  # the document's own label wins over the registry


def test_an_edited_registry_applies_on_the_next_sync_without_reindexing(tmp_path):
    root = make_files(tmp_path / "c", {
        "a.md": "---\noutlet: CNN\n---\n" + STORY,
        "outlets.csv": "outlet,leaning\nCNN,left\n",
    })
    corpus = open_corpus(root)
    assert corpus.document("a").leaning == "left"
    (root / "outlets.csv").write_text("outlet,leaning\nCNN,center\n")
    report = corpus.sync()
    assert report.unchanged == 1 and corpus.document("a").leaning == "center"
    (root / "outlets.csv").unlink()
    corpus.sync()
    assert corpus.document("a").leaning is None


def test_search_hits_carry_the_registry_and_title_as_they_are_now(tmp_path):
    # A hit's document metadata is kept between searches until the corpus changes: never stale.
    root = make_files(tmp_path / "c", {
        "a.md": "---\noutlet: CNN\ntitle: First title\n---\n" + STORY,
        "outlets.csv": "outlet,leaning\nCNN,left\n",
    })
    corpus = open_corpus(root)
    word = "council"
    [hit] = corpus.search(word, limit=1)
    assert (hit.document.title, hit.document.leaning) == ("First title", "left")
    (root / "outlets.csv").write_text("outlet,leaning\nCNN,center\n")
    corpus.sync()
    assert corpus.search(word, limit=1)[0].document.leaning == "center"
    (root / "a.md").write_text("---\noutlet: CNN\ntitle: Second title\n---\n" + STORY)
    corpus.sync()
    assert corpus.search(word, limit=1)[0].document.title == "Second title"


def test_malformed_registry_rows_are_reported_by_line_and_the_rest_apply(tmp_path):
    registry, problems = parse_registry("outlet,leaning\nCNN,left\n,\n\"A, B\",right,extra\n,center\n")
    assert registry.lookup("CNN", None).leaning == "left"  # type: ignore[union-attr]
    assert problems == [
        "line 4: more fields than the header's 2 columns; quote a value holding a comma",
        "line 5: no outlet name or domain; give the outlet's name in the first column",
    ]
    assert parse_registry("name,leaning\nCNN,left\n")[1][0].startswith("line 1: the header must name an 'outlet'")
    root = make_files(tmp_path / "c", {"a.md": STORY, "outlets.csv": "outlet,leaning\n,center\n"})
    corpus = open_corpus(root)
    report = corpus.ingest([root])
    assert any("sources registry line 2" in s.reason for s in report.skipped)


def test_a_database_from_before_metadata_is_migrated(tmp_path):
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, path TEXT, title TEXT, source TEXT, date TEXT,"
                 " url TEXT, content_hash TEXT NOT NULL UNIQUE, text TEXT NOT NULL, n_sentences INTEGER NOT NULL,"
                 " notes TEXT NOT NULL DEFAULT '[]', dup_group TEXT, signature BLOB)")
    conn.commit()
    conn.close()
    corpus = open_corpus(make_files(tmp_path / "c", {"a.md": HEADER + STORY}), db=db)
    assert corpus.document("a").leaning == "center"


def test_texts_added_from_python_carry_their_leaning():
    from briefing.corpus import Corpus

    corpus = Corpus.from_texts({"a": {"text": STORY, "source": "CNN", "leaning": "left"}})
    assert corpus.document("a").leaning == "left"
