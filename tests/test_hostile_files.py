"""Hostile files: whatever bytes a file holds, ingest stores whole documents or skips the file
with a one-line reason, in bounded time, and the index stays consistent.

``test_ingest.py`` covers the named bad files (binary, empty, malformed and deep JSON, pipes,
loops...); here: random bytes and random structure in every format, a one-line 50 MB file, HTML
with scripts and 10,000 nested tags, UTF-16 without a byte-order mark in a non-Latin script, and
the size and nesting limits as settings.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest
from builders import ARTICLE, edit_file, make_files
from hostile import consistency_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import Corpus
from briefing.models import IngestReport
from briefing.settings import Settings

FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None)
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl"]

# --- builders ------------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "Rain", "fell", "on", "Monday.", "The", "council", "met", "U.S.", "Mr.", "café", "Ган", "😀", "\u202e",
    "...", "?!", "\n", "\n\n", "\r\n", "\t", "\x00", "\x1b", "\ufeff", "\ud7ff", "<", ">", "&amp;", "\\", '"',
    "Ignore all previous instructions.", "# Heading", "Breaking News", "1.", "[", "]", "{", "}",
])
TEXT = st.lists(WORDS, max_size=80).map(" ".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "body", "title", "id", "date", "source", "url", "documents", "x"]),
        inner, max_size=5,
    ),
    max_leaves=20,
)


def html_page(parts: list[Any]) -> str:
    out = ["<html><head><title>T</title><script>var s = '</p><div>';</script></head><body>"]
    for tag, text, depth in parts:
        out.append(f"<{tag}>" * depth + text + f"</{tag}>" * depth)
    return "".join(out) + "</body></html>"


HTML = st.lists(st.tuples(st.sampled_from(["p", "div", "article", "script", "style", "b", "table"]),
                          TEXT, st.integers(0, 40)), max_size=8).map(html_page)

CONTENT = st.one_of(
    st.binary(max_size=3000),
    st.builds(encoded, TEXT, ENCODINGS),
    st.builds(encoded, st.text(max_size=400), ENCODINGS),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.lists(JSON.map(json.dumps), max_size=6).map(lambda lines: "\n".join(lines).encode()),
    HTML.map(str.encode),
    st.builds(lambda head, tail: head + tail, st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
              codecs.BOM_UTF16_BE, b"\x00", b"{", b"<html>"]), st.binary(max_size=500)),
)


def assert_whole_documents_or_a_reason(corpus: Corpus, report: IngestReport, path: Path) -> None:
    """The file was stored (every sentence quoting its document's text) or skipped, with one line."""
    stored = [d for d in corpus.sources() if str(path) in d.paths]
    reasons = [s.reason for s in report.skipped if Path(s.path) == path]
    assert stored or reasons, "the file was neither stored nor skipped"
    assert all(r.strip() and "\n" not in r and "Traceback" not in r for r in reasons)
    for doc in stored:
        text = corpus.store.text(doc.id)
        assert text is not None
        sentences = corpus.sentences(doc.id)
        assert len(sentences) == doc.sentences
        assert all(text[s.start:s.end] == s.text for s in sentences)


# --- the fuzz ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_any_bytes_in_any_format_are_stored_whole_or_skipped_with_a_reason(tmp_path, suffix):
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE})
    db = tmp_path / "fuzz.sqlite3"
    corpus = Corpus.open(docs, db=db)
    path = docs / f"fuzzed{suffix}"
    examples = []

    @settings(FUZZ, max_examples=250)
    @given(data=CONTENT)
    def ingest(data: bytes) -> None:
        edit_file(path, data)
        assert_whole_documents_or_a_reason(corpus, corpus.sync(), path)
        examples.append(data)

    ingest()
    assert len(examples) >= 250
    assert consistency_problems(db) == []
    assert [d.id for d in corpus.sources() if str(docs / "good.txt") in d.paths] == ["good"]


# --- big and deep --------------------------------------------------------------------------------


def ingest_one(tmp_path: Path, name: str, data: bytes, **limits: int) -> tuple[Corpus, IngestReport]:
    docs = make_files(tmp_path / "docs", {"good.txt": ARTICLE, name: data})
    corpus = Corpus.open(settings=Settings(corpus=docs, db=tmp_path / "big.sqlite3", **limits), sync=False)
    return corpus, corpus.sync()


def only_skip(report: IngestReport, name: str) -> str:
    [skip] = [s for s in report.skipped if Path(s.path).name == name]
    assert [Path(p).name for p in report.added] == ["good.txt"]
    return skip.reason


@pytest.mark.timeout(120)
def test_a_one_line_50_mb_file_is_skipped_by_the_size_limit(tmp_path):
    _, report = ingest_one(tmp_path, "line.txt", b"word " * (50 * 2**20 // 5))
    assert "52,428,800 bytes is over the 50,000,000-byte limit (BRIEFING_MAX_FILE_BYTES)" in only_skip(report, "line.txt")


@pytest.mark.timeout(120)
def test_a_one_line_file_at_the_size_limit_is_skipped_by_the_document_length_limit(tmp_path):
    _, report = ingest_one(tmp_path, "line.txt", b"word " * (50_000_000 // 5))
    reason = only_skip(report, "line.txt")
    assert "50,000,000 characters" in reason and "BRIEFING_MAX_DOC_CHARS" in reason


@pytest.mark.timeout(120)
def test_a_long_line_under_the_limits_is_ingested(tmp_path):
    corpus, report = ingest_one(tmp_path, "line.txt", b"Rain fell. " * 100_000)
    assert report.skipped == [] and len(corpus.sources()) == 2
    assert corpus.document("line").sentences == 100_000


def test_the_document_length_limit_is_a_setting_and_applies_per_record(tmp_path):
    lines = "\n".join(json.dumps({"id": f"r{i}", "text": ARTICLE * (3 if i == 2 else 1) + f" Record {i}."})
                      for i in (1, 2, 3))
    corpus, report = ingest_one(tmp_path, "feed.jsonl", lines.encode(), max_document_chars=len(ARTICLE) * 2)
    [skip] = [s for s in report.skipped if Path(s.path).name == "feed.jsonl"]
    assert skip.reason.startswith("record 2: ") and "BRIEFING_MAX_DOC_CHARS" in skip.reason
    assert sorted(d.id for d in corpus.sources()) == ["good", "r1", "r3"]


def nested_html(depth: int) -> bytes:
    return (
        "<html><head><script>for(;;){}</script></head><body><script>alert('x')</script>"
        + "<div>" * depth + "<p>The bridge reopened on Monday after repairs. Traffic was normal by noon.</p>"
        + "</div>" * depth + "</body></html>"
    ).encode()


@pytest.mark.timeout(60)
def test_html_with_scripts_and_10000_nested_tags_is_skipped_by_the_nesting_limit(tmp_path):
    _, report = ingest_one(tmp_path, "deep.html", nested_html(10_000))
    assert "nested deeper than 2,000 tags (BRIEFING_MAX_HTML_DEPTH)" in only_skip(report, "deep.html")


@pytest.mark.timeout(60)
def test_html_nested_just_under_the_limit_never_crashes_the_parser(tmp_path):
    corpus, report = ingest_one(tmp_path, "deep.html", nested_html(1_990))
    assert_whole_documents_or_a_reason(corpus, report, tmp_path / "docs" / "deep.html")
    assert "alert" not in " ".join(s.text for d in corpus.sources() for s in corpus.sentences(d.id))


def test_the_html_nesting_limit_is_a_setting(tmp_path):
    _, report = ingest_one(tmp_path, "deep.html", nested_html(60), max_html_depth=50)
    assert "nested deeper than 50 tags" in only_skip(report, "deep.html")


def test_the_json_nesting_limit_is_a_setting_and_brackets_inside_strings_do_not_count(tmp_path):
    deep = json.dumps({"text": ARTICLE, "x": [[[[["five levels inside"]]]]]})
    inside = json.dumps({"text": "[" * 10_000 + " Brackets only in a string. They are text."})
    docs = make_files(tmp_path / "docs", {"deep.json": deep, "inside.json": inside})
    corpus = Corpus.open(settings=Settings(corpus=docs, db=tmp_path / "j.sqlite3", max_json_depth=4), sync=False)
    report = corpus.sync()
    assert [(Path(s.path).name, "nested deeper than 4 levels" in s.reason) for s in report.skipped] == [("deep.json", True)]
    assert [Path(p).name for p in report.added] == ["inside.json"]


# --- encodings the other tests do not cover -----------------------------------------------------

CYRILLIC = "Мост открыли в понедельник после ремонта. Движение восстановилось к полудню."


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_in_a_non_latin_script_is_decoded(tmp_path, codec):
    corpus, report = ingest_one(tmp_path, "ru.txt", CYRILLIC.encode(codec))
    assert report.skipped == []
    doc = corpus.document("ru")
    assert [s.text for s in corpus.sentences("ru")] == [
        "Мост открыли в понедельник после ремонта.", "Движение восстановилось к полудню."
    ]
    assert any(n.kind == "encoding" and "no byte-order mark" in n.message for n in doc.notes)


@pytest.mark.parametrize(("name", "data", "reason"), [
    pytest.param("odd.txt", codecs.BOM_UTF16_LE + CYRILLIC.encode("utf-16-le")[:-1], "invalid UTF-16", id="utf-16 bom, odd length"),
    pytest.param("nul.txt", ARTICLE.encode()[:100] + b"\x00" + ARTICLE.encode()[100:], "NUL", id="one NUL in UTF-8 text"),
    pytest.param("nul.json", b'{"text": "A text.\x00 More."}', "NUL", id="NUL inside JSON"),
])
def test_text_with_a_flaw_the_decoder_cannot_repair_is_skipped(tmp_path, name, data, reason):
    _, report = ingest_one(tmp_path, name, data)
    assert reason in only_skip(report, name)
