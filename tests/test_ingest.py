"""Ingest: files of every supported format become documents whose sentences cite the source exactly.

The rule every test leans on: a sentence ``doc:n`` with offsets ``start``/``end`` quotes
``original[start:end]`` verbatim, where ``original`` is the decoded file text (or, for JSON and
HTML, the record's text). Bad files are skipped with a one-line reason; the rest still ingests.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import pytest
from builders import (
    ARTICLE,
    OTHER_ARTICLE,
    SEEDS,
    cited_sentences,
    doc_id_of,
    edit_file,
    make_files,
    open_corpus,
    original_text,
    seed_files,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import Corpus
from briefing.models import IngestReport, Skipped
from briefing.settings import Settings

# A sentence ends in sentence punctuation, possibly followed by closing quotes or brackets.
ENDS_LIKE_A_SENTENCE = re.compile(r"""[.!?\u2026]["'\u2019\u201d)\]]*$""")


def all_sentences(corpus: Corpus):
    return [s for s, _ in corpus.store.all_sentences()]


def skipped_for(report: IngestReport, name: str) -> list[Skipped]:
    return [s for s in report.skipped if Path(s.path).name == name]


# --- the seed articles -------------------------------------------------------------------------


def test_every_seed_citation_resolves_to_the_original_file_text(seeds_corpus: Corpus) -> None:
    docs = seeds_corpus.sources()
    assert len(docs) == len(seed_files())
    checked = 0
    for doc in docs:
        original = original_text(doc.path)
        sentences = seeds_corpus.sentences(doc.id)
        assert len(sentences) == doc.sentences > 0
        for s in sentences:
            assert original[s.start:s.end] == s.text
            [cited] = seeds_corpus.cite(s.citation)
            assert (cited.text, cited.start, cited.end) == (s.text, s.start, s.end)
            assert cited.document.path == doc.path
            checked += 1
    assert checked == len(all_sentences(seeds_corpus))


def test_seed_document_ids_are_the_file_name_prefixes(seeds_corpus: Corpus) -> None:
    assert [d.id for d in seeds_corpus.sources()] == [p.name.split("_")[0] for p in seed_files()]


def test_sentences_are_numbered_from_one_in_reading_order(seeds_corpus: Corpus) -> None:
    for doc in seeds_corpus.sources():
        sentences = seeds_corpus.sentences(doc.id)
        assert [s.n for s in sentences] == list(range(1, len(sentences) + 1))
        assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False))


def test_lines_without_sentence_punctuation_never_become_sentences(seeds_corpus: Corpus) -> None:
    """Headlines, subheadings, credit lines and "Read more: ..." links carry no final punctuation;
    every kept sentence does."""
    for s in all_sentences(seeds_corpus):
        assert ENDS_LIKE_A_SENTENCE.search(s.text), s


def test_no_seed_sentence_holds_a_line_repeated_verbatim_in_its_file(seeds_corpus: Corpus) -> None:
    for doc in seeds_corpus.sources():
        lines = [line.strip() for line in original_text(doc.path).splitlines() if line.strip()]
        repeated = {line for line in lines if lines.count(line) > 1}
        for s in seeds_corpus.sentences(doc.id):
            assert not any(line in s.text for line in repeated), s


def test_seed_004_boilerplate_is_left_out_and_noted(seeds_corpus: Corpus) -> None:
    original = original_text(SEEDS / "004_074d0d399cf2dab1.txt")
    furniture = [
        "Breaking News",
        "Putin And Xi Praise The Enduring Stability Of The China-Russia Partnership At The SCO Meeting",
        "Read more: North Korea Convened a Significant Party Meeting Following Putin Visit",
        "Putin meets Xi again as leaders hail ties - The Japan Times",
        "Joint visual impressions",
    ]
    assert all(line in original.splitlines() for line in furniture)  # the test data is as described

    sentences = seeds_corpus.sentences("004")
    for line in furniture:
        assert not any(line in s.text for s in sentences), line
    assert sentences[0].text.startswith("Russian President Vladimir Putin and Chinese leader Xi Jinping")

    doc = seeds_corpus.document("004")
    assert doc.title == furniture[1]
    notes = " | ".join(n.message for n in doc.notes if n.kind == "boilerplate")
    for reason in ("boilerplate", "repeated line", "credit line", "heading"):
        assert reason in notes
    # Everything in the file that is reporting is kept: each paragraph's words are in some sentence.
    kept = " ".join(s.text for s in sentences)
    for paragraph in original.split("\n\n"):
        paragraph = paragraph.strip()
        if paragraph and paragraph not in furniture:
            assert paragraph.split(". ")[0] in kept


def test_cleaning_leaves_out_each_kind_of_web_furniture(tmp_path: Path) -> None:
    headline = "Council Approves Budget After Long Debate"
    text = "\n\n".join([
        "Breaking News",
        headline,
        headline,
        ARTICLE,
        "Read more: Storm Floods Coastal Roads",
        "Council approves budget - The Daily Example",
        "What Happens Next",
        OTHER_ARTICLE,
        "Advertisement",
    ])
    corpus = open_corpus(make_files(tmp_path / "docs", {"story.txt": text}))
    [doc] = corpus.sources()
    kept = [s.text for s in corpus.sentences(doc.id)]

    assert doc.title == headline
    assert kept[0] == "The city council approved a new budget on Tuesday after a long debate."
    assert kept[-1] == "Forecasters expect the weather to clear by the weekend."
    assert len(kept) == 7  # four sentences of ARTICLE, three of OTHER_ARTICLE, nothing else


def test_mixed_script_names_are_noted_with_their_citation(seeds_corpus: Corpus) -> None:
    for doc_id in ("001", "002"):
        notes = [n for n in seeds_corpus.document(doc_id).notes if n.kind == "mixed_script"]
        assert notes and notes[0].citation, doc_id
        [cited] = seeds_corpus.cite(notes[0].citation)
        assert "Xiao Ган" in cited.text
        assert "'Gan'" in notes[0].message


PIECES = st.sampled_from([
    "Rain fell.", "Mr. Smith left", " the U.S. Senate", "Why?", "\u2026", " ", "\n", "\n\n", "\r\n",
    "\t", "“Quoted,” she said.", "Breaking News", "Read more: Other story", " - The Daily Example",
    "# Heading", "Xiao Ган", "café", "1. Item", "\u00a0", "\u2028", "...", "(", ")", "x", "42",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=60).map("".join))
def test_any_text_gives_sentences_that_cite_their_own_characters(text: str) -> None:
    corpus = Corpus.from_texts({"t": text})
    previous_end = 0
    for s in corpus.sentences("t") if corpus.sources() else []:
        assert text[s.start:s.end] == s.text == s.text.strip() != ""
        assert s.start >= previous_end
        previous_end = s.end
        assert corpus.cite(s.citation)[0].text == s.text


# --- formats -----------------------------------------------------------------------------------


def test_plain_text_with_windows_line_endings(tmp_path: Path) -> None:
    text = "Budget Vote\r\n\r\nThe council met on Monday.\r\nIt approved the plan.\r\n"
    corpus = open_corpus(make_files(tmp_path / "docs", {"crlf.txt": text}))
    [doc] = corpus.sources()
    assert doc.title == "Budget Vote"
    assert [s.text for s in corpus.sentences(doc.id)] == ["The council met on Monday.", "It approved the plan."]
    for s in corpus.sentences(doc.id):
        assert text[s.start:s.end] == s.text


def test_markdown_heading_is_the_title_and_not_a_sentence(tmp_path: Path) -> None:
    text = "# Harbour Bridge Reopens\n\nThe bridge reopened on Tuesday. Traffic is flowing again.\n"
    corpus = open_corpus(make_files(tmp_path / "docs", {"bridge.md": text}))
    [doc] = corpus.sources()
    assert doc.title == "Harbour Bridge Reopens"
    assert [s.text for s in corpus.sentences(doc.id)] == [
        "The bridge reopened on Tuesday.", "Traffic is flowing again."
    ]


def test_json_records_carry_their_metadata(tmp_path: Path) -> None:
    records = [
        {"id": "budget", "title": "Budget approved", "source": "Daily Example",
         "url": "https://daily.example/budget", "date": "2024-03-05", "text": ARTICLE},
        {"id": "storm", "headline": "Storm floods roads", "outlet": "Coastal Courier",
         "link": "https://courier.example/storm", "published": "2024-03-06T10:00:00Z",
         "body": OTHER_ARTICLE},
    ]
    corpus = open_corpus(make_files(tmp_path / "docs", {"news.json": json.dumps(records)}))
    docs = {d.id: d for d in corpus.sources()}
    assert set(docs) == {"budget", "storm"}
    budget, storm = docs["budget"], docs["storm"]
    assert (budget.title, budget.source, budget.url, budget.date) == (
        "Budget approved", "Daily Example", "https://daily.example/budget", "2024-03-05")
    assert (storm.title, storm.source, storm.url, storm.date) == (
        "Storm floods roads", "Coastal Courier", "https://courier.example/storm", "2024-03-06")
    for doc_id, record_text in (("budget", ARTICLE), ("storm", OTHER_ARTICLE)):
        for s in corpus.sentences(doc_id):
            assert record_text[s.start:s.end] == s.text


def test_json_object_with_a_documents_list(tmp_path: Path) -> None:
    data = {"documents": [{"text": ARTICLE}, {"text": OTHER_ARTICLE}]}
    corpus = open_corpus(make_files(tmp_path / "docs", {"batch.json": json.dumps(data)}))
    assert len(corpus.sources()) == 2


def test_jsonl_one_record_per_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": ARTICLE, "source": "Daily Example", "date": "2024-03-05"}),
        "",
        json.dumps({"text": OTHER_ARTICLE, "source": "Coastal Courier"}),
    ]
    corpus = open_corpus(make_files(tmp_path / "docs", {"feed.jsonl": "\n".join(lines)}))
    assert sorted(str(d.source) for d in corpus.sources()) == ["Coastal Courier", "Daily Example"]


def test_json_records_with_the_same_id_are_both_kept(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "7", "text": ARTICLE}), json.dumps({"id": "7", "text": OTHER_ARTICLE})]
    corpus = open_corpus(make_files(tmp_path / "docs", {"feed.jsonl": "\n".join(lines)}))
    texts = sorted(corpus.sentences(d.id)[0].text for d in corpus.sources())
    assert texts == sorted([
        "The city council approved a new budget on Tuesday after a long debate.",
        "A storm brought heavy rain to the coast overnight, flooding several roads.",
    ])


HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour bridge reopens after repairs | Coastal Courier</title>
  <meta property="og:title" content="Harbour bridge reopens after repairs">
  <meta property="og:site_name" content="Coastal Courier">
  <meta property="article:published_time" content="2024-03-05T08:00:00Z">
  <link rel="canonical" href="https://courier.example/news/harbour-bridge">
  <script>var tracking = "SCRIPT TEXT"; window.dataLayer = [];</script>
  <style>body { font-family: sans-serif; }</style>
</head>
<body>
  <header><nav><ul>
    <li><a href="/">Home</a></li><li><a href="/world">World News Menu</a></li>
    <li><a href="/sport">Sport Section Link</a></li>
  </ul></nav></header>
  <main><article>
    <h1>Harbour bridge reopens after repairs</h1>
    <p>The harbour bridge reopened to traffic on Tuesday after eight months of repairs to its steel
    frame. Engineers replaced more than two hundred rusted bolts and repainted the main span.</p>
    <p>City officials said the work finished two weeks ahead of schedule and slightly under budget.
    Commuters had faced long detours through the industrial district while the bridge was closed.</p>
    <p>The transport department will monitor the structure with new sensors that report vibration
    and strain every minute. A full inspection is planned for next spring.</p>
  </article></main>
  <aside><h3>Most read</h3><ul><li><a href="/a">Sidebar headline one</a></li></ul></aside>
  <footer><p>Copyright 2024 Coastal Courier. All rights reserved. Footer contact link.</p></footer>
  <script>console.log("ANOTHER SCRIPT");</script>
</body>
</html>
"""


def test_html_article_text_is_extracted_without_navigation_or_scripts(tmp_path: Path) -> None:
    corpus = open_corpus(make_files(tmp_path / "docs", {"bridge.html": HTML_PAGE}))
    [doc] = corpus.sources()
    assert doc.title == "Harbour bridge reopens after repairs"
    assert doc.source == "Coastal Courier"
    assert doc.date == "2024-03-05"
    assert doc.url == "https://courier.example/news/harbour-bridge"

    sentences = corpus.sentences(doc.id)
    kept = " ".join(s.text for s in sentences)
    assert sentences[0].text.startswith("The harbour bridge reopened to traffic on Tuesday")
    assert "A full inspection is planned for next spring." in kept
    for furniture in ("SCRIPT", "tracking", "World News Menu", "Sport Section Link",
                      "Sidebar headline", "Footer contact", "font-family"):
        assert furniture not in kept
    stored = corpus.store.text(doc.id)
    assert stored is not None
    for s in sentences:
        assert stored[s.start:s.end] == s.text


def test_a_text_that_is_only_a_headline_is_one_sentence(tmp_path: Path) -> None:
    corpus = open_corpus(make_files(tmp_path / "docs", {"flash.txt": "Storm closes coastal roads\n"}))
    [doc] = corpus.sources()
    assert [s.text for s in corpus.sentences(doc.id)] == ["Storm closes coastal roads"]
    assert [h.citation for h in corpus.search("storm")] == [f"{doc.id}:1"]


def test_html_without_article_text_is_skipped(tmp_path: Path) -> None:
    page = (
        '<!doctype html><html><head><title>News App</title><script src="/app.js"></script></head>'
        '<body><div id="root"></div><noscript>Enable JavaScript to run this app.</noscript></body></html>'
    )
    docs = make_files(tmp_path / "docs", {"menu.html": page, "good.txt": ARTICLE})
    report = Corpus.open(docs, sync=False).sync()
    [skip] = skipped_for(report, "menu.html")
    assert "no article text" in skip.reason


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T23:30:00+01:00", "2024-03-05"),
        ("2024/03/05", "2024-03-05"),
        ("March 5, 2024", "2024-03-05"),
        ("5 March 2024", "2024-03-05"),
        ("5 Mar 2024", "2024-03-05"),
        ("Tue, 05 Mar 2024 08:00:00 GMT", "2024-03-05"),
        ("sometime in spring", "sometime in spring"),
    ],
)
def test_record_dates_are_stored_as_iso_dates_where_they_parse(tmp_path: Path, written: str, stored: str) -> None:
    record = {"text": ARTICLE, "date": written}
    corpus = open_corpus(make_files(tmp_path / "docs", {"a.json": json.dumps(record)}))
    assert [d.date for d in corpus.sources()] == [stored]


# --- encodings ---------------------------------------------------------------------------------

ENCODED = "The café reopened on Monday. Its owner, Zoë, served crème brûlée."


@pytest.mark.parametrize(
    ("data", "decoded", "note"),
    [
        pytest.param(codecs.BOM_UTF8 + ENCODED.encode("utf-8"), ENCODED, None, id="utf-8 with BOM"),
        pytest.param(ENCODED.encode("utf-16"), ENCODED, "UTF-16", id="utf-16 with BOM"),
        pytest.param(ENCODED.encode("utf-16-le"), ENCODED, "UTF-16-LE", id="utf-16-le without BOM"),
        pytest.param(ENCODED.encode("utf-16-be"), ENCODED, "UTF-16-BE", id="utf-16-be without BOM"),
        pytest.param(ENCODED.encode("cp1252"), ENCODED, "invalid UTF-8", id="windows-1252"),
    ],
)
def test_other_encodings_are_decoded_and_noted(tmp_path: Path, data: bytes, decoded: str, note: str | None) -> None:
    corpus = open_corpus(make_files(tmp_path / "docs", {"cafe.txt": data}))
    [doc] = corpus.sources()
    assert corpus.store.text(doc.id) == decoded
    assert [s.text for s in corpus.sentences(doc.id)] == [
        "The café reopened on Monday.", "Its owner, Zoë, served crème brûlée."
    ]
    encoding_notes = [n.message for n in doc.notes if n.kind == "encoding"]
    if note is None:
        assert encoding_notes == []
    else:
        assert len(encoding_notes) == 1 and note in encoding_notes[0]


# --- bad inputs --------------------------------------------------------------------------------

DEEP_JSON = "[" * 5000 + "]" * 5000
HUGE_NUMBER = '{"text": "A number follows.", "n": ' + "9" * 5000 + "}"


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "missing-target.txt")


def _file_loop(path: Path) -> None:
    other = path.with_name("loop-b.txt")
    path.symlink_to(other)
    other.symlink_to(path)


# name, how to make it (bytes, or a function of the path), what the reason says
BAD_FILES = [
    pytest.param("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary", id="binary"),
    pytest.param("garbage.txt", bytes([0x81, 0x02, 0xFE, 0x1B]) * 512, "not text", id="invalid utf-8 garbage"),
    pytest.param("control.txt", bytes([0x01, 0x02, 0x1B, 0x7F, 0x41]) * 400, "not text", id="control characters"),
    pytest.param("nul.txt", b"\x00\x01\x02\x03" * 64, "binary", id="utf-8 with NUL bytes"),
    pytest.param("empty.txt", b"", "empty", id="empty"),
    pytest.param("blank.txt", b"  \n\t\n\r\n  ", "empty", id="whitespace only"),
    pytest.param("nbsp.txt", "\u00a0\u3000\n\u2003\n".encode(), "empty", id="unicode whitespace only"),
    pytest.param("bom.txt", codecs.BOM_UTF8, "empty", id="byte-order mark only"),
    pytest.param("blank16.txt", " \n \n".encode("utf-16"), "empty", id="utf-16 whitespace only"),
    pytest.param("broken.json", b'{"text": "An unfinished record', "malformed JSON", id="malformed json"),
    pytest.param("deep.json", DEEP_JSON.encode(), "nested deeper than", id="deeply nested json"),
    pytest.param("huge.json", HUGE_NUMBER.encode(), "JSON", id="json number too long"),
    pytest.param("notext.json", b'[{"title": "No body"}, 3]', "no text", id="json without text"),
    pytest.param("fifo.txt", _fifo, "not a regular file", id="named pipe"),
    pytest.param("dangling.txt", _dangling, "no such file", id="dangling symlink"),
    pytest.param("loop-a.txt", _file_loop, "symlink loop", id="file symlink loop"),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES)
def test_a_bad_file_is_skipped_with_a_reason_and_the_rest_ingests(
    tmp_path: Path, name: str, make: bytes | object, reason: str
) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE})
    if isinstance(make, bytes):
        (docs / name).write_bytes(make)
    else:
        make(docs / name)  # type: ignore[operator]

    corpus = Corpus.open(docs, sync=False)
    report = corpus.sync()

    [skip] = skipped_for(report, name)
    assert reason in skip.reason
    assert "\n" not in skip.reason
    assert [Path(p).name for p in report.added] == ["good.txt"]
    [doc] = corpus.sources()
    assert corpus.sentences(doc.id)[0].text.startswith("The city council")


def test_a_file_over_the_size_limit_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = make_files(tmp_path / "docs", {"small.txt": OTHER_ARTICLE, "big.txt": ARTICLE * 3})
    monkeypatch.setenv("BRIEFING_MAX_FILE_BYTES", str(len(ARTICLE) * 2))
    corpus = Corpus.open(docs, sync=False)
    report = corpus.sync()
    [skip] = skipped_for(report, "big.txt")
    assert "limit" in skip.reason and "BRIEFING_MAX_FILE_BYTES" in skip.reason
    assert [Path(p).name for p in report.added] == ["small.txt"]


def test_the_size_limit_can_be_set_in_settings(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"small.txt": OTHER_ARTICLE, "big.txt": ARTICLE * 3})
    settings = Settings.from_env(max_file_bytes=len(ARTICLE) * 2)
    corpus = Corpus.open(docs, settings=settings, sync=False)
    assert [Path(s.path).name for s in corpus.sync().skipped] == ["big.txt"]


def make_unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Take away read permission. File modes do not stop root (as CI runs), so there opening the
    file also fails the way the kernel fails it for anyone else: ``PermissionError``, EACCES."""
    import errno

    path.chmod(0)
    if os.geteuid() == 0:
        target, real_open = path.resolve(), Path.open

        def open_(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self.resolve() == target:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", open_)


def test_an_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE, "secret.txt": OTHER_ARTICLE})
    make_unreadable(docs / "secret.txt", monkeypatch)
    report = Corpus.open(docs, sync=False).sync()
    [skip] = skipped_for(report, "secret.txt")
    assert "permission denied" in skip.reason
    assert [Path(p).name for p in report.added] == ["good.txt"]


def test_a_stored_file_that_turns_unreadable_keeps_what_was_stored_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE, "secret.txt": OTHER_ARTICLE})
    corpus = Corpus.open(docs)
    stored = cited_sentences(corpus)
    edit_file(docs / "secret.txt", OTHER_ARTICLE + " The roads reopened on Sunday.")
    make_unreadable(docs / "secret.txt", monkeypatch)
    report = corpus.sync()
    [skip] = skipped_for(report, "secret.txt")
    assert "permission denied" in skip.reason
    assert report.removed == [] and report.updated == [] and report.added == []
    assert cited_sentences(corpus) == stored
    assert "storm" in corpus.cite([f"{doc_id_of(corpus, 'secret.txt')}:1"])[0].text


def test_a_file_name_that_is_not_utf8_is_skipped(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE})
    with open(os.path.join(os.fsencode(docs), b"caf\xe9.txt"), "wb") as fh:
        fh.write(OTHER_ARTICLE.encode())
    report = Corpus.open(docs, sync=False).sync()
    [skip] = report.skipped
    assert skip.path.endswith("caf\ufffd.txt") and "not valid UTF-8" in skip.reason
    assert [Path(p).name for p in report.added] == ["good.txt"]


def test_a_directory_named_like_a_file_is_read_as_a_directory(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE, "folder.txt/inner.txt": OTHER_ARTICLE})
    report = Corpus.open(docs, sync=False).sync()
    assert sorted(Path(p).name for p in report.added) == ["good.txt", "inner.txt"]
    assert report.skipped == []


def test_a_directory_symlink_loop_is_reported_once_and_not_followed(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE, "sub/inner.txt": OTHER_ARTICLE})
    (docs / "sub" / "up").symlink_to(docs, target_is_directory=True)
    corpus = Corpus.open(docs, sync=False)
    report = corpus.sync()
    assert sorted(Path(p).name for p in report.added) == ["good.txt", "inner.txt"]
    [loop] = report.skipped
    assert loop.path.endswith("up") and "symlink loop" in loop.reason
    assert len(corpus.sources()) == 2


def test_jsonl_with_one_bad_line_keeps_the_good_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": ARTICLE}),
        '{"text": "broken',
        json.dumps({"text": OTHER_ARTICLE}),
        "[" * 500 + "]" * 500,
    ]
    docs = make_files(tmp_path / "docs", {"feed.jsonl": "\n".join(lines)})
    corpus = Corpus.open(docs, sync=False)
    report = corpus.sync()
    assert len(corpus.sources()) == 2
    reasons = [s.reason for s in skipped_for(report, "feed.jsonl")]
    assert len(reasons) == 2
    assert reasons[0].startswith("line 2: malformed JSON")
    assert reasons[1].startswith("line 4: JSON nested deeper than")


def test_json_text_with_lone_surrogates_is_stored(tmp_path: Path) -> None:
    record = '{"title": "Odd \\udc80 title", "text": "A lone \\ud800 surrogate here. The rest is fine."}'
    corpus = open_corpus(make_files(tmp_path / "docs", {"odd.json": record}))
    [doc] = corpus.sources()
    assert [s.text for s in corpus.sentences(doc.id)][1] == "The rest is fine."


GOES_BAD = [
    pytest.param("a.txt", b"\x00\x01\x02\x03" * 64, id="binary"),
    pytest.param("a.txt", b"", id="empty"),
    pytest.param("a.txt", b"   \n\n  ", id="whitespace"),
    pytest.param("a.txt", ARTICLE.encode() * 10, id="over the size limit"),
    pytest.param("a.json", b'{"text": "cut off', id="malformed json"),
    pytest.param("a.json", DEEP_JSON.encode(), id="deeply nested json"),
]


@pytest.mark.parametrize(("name", "garbage"), GOES_BAD)
def test_a_good_file_that_turns_bad_keeps_its_stored_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, garbage: bytes
) -> None:
    monkeypatch.setenv("BRIEFING_MAX_FILE_BYTES", str(len(ARTICLE) * 4))
    good = json.dumps({"text": ARTICLE}) if name.endswith(".json") else ARTICLE
    docs = make_files(tmp_path / "docs", {name: good, "other.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    before = cited_sentences(corpus)

    edit_file(docs / name, garbage)
    report = corpus.sync()

    assert [Path(s.path).name for s in report.skipped] == [name]
    assert cited_sentences(corpus) == before
    assert corpus.sync().changed is False  # and the next sync leaves it alone too


def test_a_file_that_turns_bad_and_is_fixed_again_keeps_its_id(tmp_path: Path) -> None:
    docs = make_files(tmp_path / "docs", {"a.txt": ARTICLE, "b.txt": OTHER_ARTICLE})
    corpus = open_corpus(docs)
    doc_id = doc_id_of(corpus, "a.txt")
    for content in (b"\x00" * 100, (ARTICLE + " One more sentence.").encode()):
        edit_file(docs / "a.txt", content)
        corpus.sync()
    assert doc_id_of(corpus, "a.txt") == doc_id
    assert corpus.sentences(doc_id)[-1].text == "One more sentence."


def test_a_prepared_document_reaches_the_writing_process_unchanged(tmp_path: Path) -> None:
    """Workers send prepared documents compactly (quotes that are slices of the text, and bodies
    equal to their quotes, are not sent twice): what arrives equals what was prepared."""
    import pickle

    from briefing.ingest.prepare import prepare_file
    from briefing.prepared import PreparedSentence

    path = tmp_path / "a.txt"
    path.write_text("Ｆｕｌｌ width police said so. Мoscow “quoted” words — here.\n\nA second one.", encoding="utf-8")
    doc = prepare_file(str(path), Settings(corpus=tmp_path)).documents[0]
    odd = doc.sentences[0]._replace(text="not a slice", body="not folded")  # kept as they are
    for prepared in (doc, doc.__class__(**{**doc.__dict__, "sentences": [odd, *doc.sentences[1:]]})):
        arrived = pickle.loads(pickle.dumps(prepared))
        assert arrived == prepared
        assert all(isinstance(s, PreparedSentence) for s in arrived.sentences)
    assert any(s.body != s.text for s in doc.sentences)  # the folded body differs somewhere


def test_an_html_page_reads_the_same_however_many_pages_the_process_read_before(tmp_path: Path) -> None:
    """Repeated paragraphs are dropped within one page only: the same page read a second time in
    one process (a re-sync, a copy, a worker forked after it was read) keeps all of its text."""
    from briefing.ingest.prepare import prepare_file

    page = f"<html><body><h1>Storm</h1><p>{OTHER_ARTICLE}</p></body></html>"
    paths = [make_files(tmp_path / d, {"page.html": page}) / "page.html" for d in ("a", "b")]
    first, second = (prepare_file(str(p), Settings(corpus=tmp_path)) for p in paths)
    assert first.skipped is None and second.skipped is None
    assert [s.text for s in second.documents[0].sentences] == [s.text for s in first.documents[0].sentences]
