"""Cleaning without losing provenance: boilerplate out of the sentence stream, offsets kept.

The text is read block by block (a block is a run of non-blank lines). Blocks that are web
furniture — "Breaking News", "Read more: …", a headline repeated verbatim, a credit line such as
"… - The Japan Times", a short line with no sentence punctuation (a heading or caption) — are
left out of the sentence stream and reported as notes. Everything kept is split into sentences
whose ``(start, end)`` offsets index the original text, so ``text[start:end]`` is the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.text.normalize import fold
from briefing.text.segment import sentence_spans

# Lines that are site furniture whatever else they contain.
_BOILERPLATE = re.compile(
    r"""^\W*(
        breaking(\s+news)?|developing(\s+story)?|exclusive|live(\s+updates)?|update[d]?|
        advertisement|sponsored(\s+content)?|promoted|
        read\s+(more|also|next|the\s+full\s+story)\b.*|see\s+also\b.*|related(\s+(articles?|stories|coverage|news))?\b.*|
        (also\s+)?recommended(\s+for\s+you)?|more\s+from\b.*|most\s+(read|popular|viewed)\b.*|
        (click|tap)\s+here\b.*|subscribe\b.*|sign\s+up\b.*|newsletter\b.*|
        follow\s+us\b.*|share\s+(this|on)\b.*|(share|tweet|email|print|comments?)(\s*[|/]\s*\w+)*|
        (all\s+rights\s+reserved|copyright|\(c\)|©)\b.*|
        (photo|image|video|graphic)(\s+credit)?\s*[:|].*|
        skip\s+to\b.*|back\s+to\s+top|loading\.*|cookie\b.*|accept\s+cookies\b.*
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Some headline - The Japan Times" / "Headline | Reuters": a credit line naming an outlet.
_CREDIT = re.compile(r"^.{3,200}?\s[-\u2013\u2014|]\s+(the\s+)?[A-Z][\w.&']*(\s+[A-Z][\w.&']*){0,4}\s*$")
_TERMINAL_MARKS = ".!?\u2026:;"
_CLOSING = "\"'\u2019\u201d)]"
_LINE = re.compile(r"[^\n]*\n?")
_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum accepts
HEADING_MAX_WORDS = 20
# Site furniture is a short line. (On a long line of punctuation the expression backtracks through
# every character, trying each alternative at each: seconds for a megabyte.)
BOILERPLATE_MAX_CHARS = 500
MAX_SENTENCE_CHARS = 2000  # a longer "sentence" (no punctuation for pages) is cut at spaces


def _terminal(line: str) -> bool:
    """Does the line end with sentence punctuation (then closing quotes or brackets, spaces)?"""
    last = line.rstrip().rstrip(_CLOSING)[-1:]
    return last != "" and last in _TERMINAL_MARKS


@dataclass(frozen=True)
class Dropped:
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanDocument:
    spans: list[tuple[int, int]]
    title: str | None
    dropped: list[Dropped] = field(default_factory=list)


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of non-blank lines, trailing whitespace excluded."""
    blocks: list[tuple[int, int]] = []
    start = None
    end = 0
    pos = 0
    for m in _LINE.finditer(text):
        line = m.group()
        if not line:
            break
        if line.strip():
            if start is None:
                start = pos + (len(line) - len(line.lstrip()))
            end = pos + len(line.rstrip())
        elif start is not None:
            blocks.append((start, end))
            start = None
        pos = m.end()
    if start is not None:
        blocks.append((start, end))
    return blocks


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if text.find("\n", start, end) < 0:  # one line (blocks start and end on non-blank characters)
        return [(start, end)]
    spans = []
    pos = start
    for line in text[start:end].split("\n"):
        stripped = line.strip()
        if stripped:
            offset = pos + line.index(stripped[0])
            spans.append((offset, offset + len(stripped)))
        pos += len(line) + 1
    return spans


def _classify(line: str, key: str, seen: set[str], first: bool) -> str | None:
    """Why a standalone line (``key``: folded, stripped, lower-cased) is not reporting, or ``None``
    when it is."""
    if len(line) <= BOILERPLATE_MAX_CHARS and _BOILERPLATE.match(line):
        return "boilerplate"
    if key in seen and len(key.split()) >= 3:
        return "repeated line"
    if _terminal(line):
        return None
    if line.lstrip().startswith("#"):
        return "title" if first else "heading"
    if len(line.split()) <= HEADING_MAX_WORDS:
        if _CREDIT.match(line) and not first:
            return "credit line"
        return "title" if first else "heading"
    return None


def clean(text: str) -> CleanDocument:
    """Sentence spans of the reporting in ``text``, the title if the text opens with one, and
    every left-out line with its reason."""
    spans: list[tuple[int, int]] = []
    dropped: list[Dropped] = []
    title: str | None = None
    seen: set[str] = set()
    first = True
    keys: dict[str, str] = {}  # line → key, and (line, first) → reason: a repeated line is looked at once
    reasons: dict[tuple[str, bool], str | None] = {}
    for block_start, block_end in _blocks(text):
        in_block = len(dropped)  # the lines dropped from here on lie in this block
        for line_start, line_end in _line_spans(text, block_start, block_end):
            line = text[line_start:line_end]
            key = keys.get(line)
            if key is None:
                key = keys[line] = fold(line).strip().lower()
            if key in seen and len(key.split()) >= 3:
                reason: str | None = _classify(line, key, seen, first)
            else:
                if (line, first) not in reasons:
                    reasons[(line, first)] = _classify(line, key, seen, first)
                reason = reasons[(line, first)]
            # A line without sentence punctuation inside a longer block is usually a wrapped
            # line of a paragraph, not a heading: only boilerplate and repeats are dropped there.
            if (
                reason in ("title", "heading", "credit line")
                and block_end - block_start > len(line) + 1
                and not _standalone(text, line_start, line_end)
            ):
                reason = None
            seen.add(key)
            if reason == "title" and title is None:
                title = line.lstrip("# ").strip()
                dropped.append(Dropped(line_start, line_end, line, "title"))
            elif reason:
                dropped.append(Dropped(line_start, line_end, line, reason))
            if reason != "boilerplate":
                first = False
        spans.extend(_block_sentences(text, block_start, block_end, dropped[in_block:]))
    if not spans:
        # Nothing but headline-like lines (a news flash, a one-line text): they are the content.
        kept = [d for d in dropped if d.reason in ("title", "heading")]
        spans = [piece for d in kept for piece in _within_length(text, d.start, d.end)]
        dropped = [d for d in dropped if d.reason not in ("title", "heading")]
    return CleanDocument(spans=spans, title=title, dropped=dropped)


def _standalone(text: str, start: int, end: int) -> bool:
    """A line that neither continues the previous line nor runs on into the next."""
    # Offsets, not slices of the text before and after: slicing is quadratic over many lines.
    b = start
    while b > 0 and text[b - 1] in " \t":
        b -= 1
    prev_line = text[text.rfind("\n", 0, b - 1) + 1:b].strip() if b else ""
    a = end
    while a < len(text) and text[a] in " \t\r":
        a += 1
    next_char = text[a + 1:a + 2] if text.startswith("\n", a) else ""
    prev_closed = not prev_line or _terminal(prev_line)
    return prev_closed and (not next_char or next_char.isupper() or not next_char.isalnum())


def _block_sentences(
    text: str, start: int, end: int, dropped: list[Dropped]
) -> list[tuple[int, int]]:
    """Sentences of a block, skipping the lines dropped inside it (``dropped``)."""
    if not dropped:
        cuts: list[tuple[int, int]] = []
    elif len(dropped) == 1:
        if dropped[0].start <= start and dropped[0].end >= end:
            return []  # the whole block was left out (a heading on its own)
        cuts = [(dropped[0].start, dropped[0].end)]
    else:
        cuts = sorted((d.start, d.end) for d in dropped)
    pieces: list[tuple[int, int]] = []
    pos = start
    for cut_start, cut_end in cuts:
        if cut_start > pos:
            pieces.append((pos, cut_start))
        pos = max(pos, cut_end)
    if pos < end:
        pieces.append((pos, end))
    out: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        for s, e in sentence_spans(text[piece_start:piece_end]):
            for a, b in _within_length(text, piece_start + s, piece_start + e):
                if _ALNUM.search(text, a, b):
                    out.append((a, b))
    return out


def _within_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence longer than ``MAX_SENTENCE_CHARS`` (text with no sentence punctuation) cut at
    spaces into pieces no longer than that: every quote, hit and citation stays small."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end if piece_end > start else cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces
