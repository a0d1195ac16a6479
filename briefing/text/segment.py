"""Sentence segmentation for news text: rule-based, offline, deterministic and fast.

``sentence_spans(text)`` returns ``(start, end)`` offsets into the verbatim text, so sentence ids and
quotes always point back at the exact characters of the source. Every non-whitespace character lies
in exactly one span; spans are ordered, non-empty and stripped of surrounding whitespace.

How a boundary is decided, in three independent passes whose cut positions are merged:

1. **Blank lines** (a line holding only whitespace) always end a sentence: they separate paragraphs,
   headlines and boilerplate.
2. **Terminal punctuation** ``. ? ! …`` (runs such as ``?!`` or ``...`` included, closing quotes and
   brackets after it belong to the sentence) followed by whitespace is a *candidate*. It ends the
   sentence unless the word before it or the word after it says otherwise: ``Gen. Pinochet``,
   ``No. 5``, ``George W. Bush``, ``the U.S. Senate``, ``"Why?" she asked``. Ambiguous abbreviations
   (``U.S.``, ``a.m.``, ``St.``, ``Jan.``) end a sentence only before a closed-class word that
   typically opens one (``The``, ``He``, ``But``...), which is what they precede in news text when a
   sentence really ends there.
3. **Single line breaks** are plain whitespace in hard-wrapped text (newswire wrapped at 70 columns
   breaks mid-sentence, even right before a name: ``President\\nClinton``), but they end a sentence in
   headlines, lists and one-paragraph- or one-sentence-per-line files. A break is taken as intended,
   not as wrapping, when the next line starts like a sentence (capital, digit, opening quote or a
   list bullet) and the line could not have been wrapped there: it is short, or the first word of the
   next line would still have fitted on it given the text's own line width (a greedy wrapper would
   have put it there), or it is a heading (all capitals, or headline-style title case).

Speed: three C-level regex scans over the text plus a little Python per candidate; see
``bench/segmentation.py`` for measured throughput and accuracy against NLTK's Punkt.
Not handled: scripts whose full stops need no following space (``。``), and sentences that start
with an ordinary lower-case word (``...he said. the...``), which news text does not produce.
"""

from __future__ import annotations

import math
import re

__all__ = ["sentence_spans", "split_sentences"]

# --- word lists (lower case, without the final period) -------------------------------------------


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Titles and short forms that are virtually never the last word of a sentence: a capitalised word
# after them is a name (``Gen. Augusto Pinochet``, ``Roe v. Wade``, ``e.g. Paris``).
_NEVER_FINAL = _words(
    "mr mrs ms messrs mme mlle dr prof gen gens sen sens rep reps gov lt col capt cmdr cdr adm maj "
    "sgt cpl pvt brig lieut rev msgr fr hon pres supt insp det atty amb vs v cf viz e.g i.e approx"
)

# Abbreviations that do end sentences, but more often stand before a capitalised name or noun:
# ``St. Louis``, ``Jr. High``, ``Jan. Smith``... They end a sentence only before a typical sentence
# opener (see _STARTERS). Acronyms written with periods (``U.S.``, ``D.C.``, ``Ph.D.``) behave the
# same way and are recognised by shape (_ACRONYM) rather than listed.
_AMBIGUOUS = _words(
    "st mt ft jr sr al jan feb mar apr jun jul aug sep sept oct nov dec dept univ assn govt ave blvd "
    "rd hwy bldg"
)

# Company suffixes, ``etc.`` and clock times: in news text mostly sentence-final, so a capitalised
# word after them starts a new sentence, unless it is a stock ticker or time zone (``eBay Inc. EBAY``,
# ``9 a.m. EST``), a parenthesis (``Apple Inc. (NASDAQ: AAPL)``) or one of _CONTINUERS.
_USUALLY_FINAL = _words("inc corp co cos ltd llc plc bros etc a.m p.m")

# Words that continue a sentence after a usually-final abbreviation: ``Acme Corp. Tuesday reported``,
# ``9 a.m. Wednesday``, ``5 p.m. Eastern``.
_CONTINUERS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december eastern central mountain pacific local"
)

# Before a number these introduce it (``No. 5``, ``pp. 10-12``); otherwise they are ordinary words
# (``He said no. No one...``). Month names (in _AMBIGUOUS) also stay with a following number.
_BEFORE_NUMBER = _words("no nos vol vols p pp fig figs ch chap art sec sect para op nr tel ext")

# Closed-class and common sentence-opening words. After an ambiguous abbreviation or an initial a
# capitalised word from this list starts a new sentence (``...in the U.S. The talks...``), any other
# capitalised word continues it (``the U.S. Senate``, ``George W. Bush``).
_STARTERS = _words(
    "a an the he she it they we i you his her its their our my your this that these those there here "
    "but and or so yet nor if when while although though as after before since because once until "
    "unless whether in on at for with by from to of under over during about against among despite "
    "without within through into many some most all both each every few several no not only also "
    "however still meanwhile then now thus instead indeed yes why what how who whom whose where which "
    "such other another last next even just more much according earlier later today yesterday "
    "mr mrs ms"
)

# Lower-case name particles that can open a sentence: ``...said. de Klerk was...``.
_PARTICLES = _words("de van von der den du da di le la")

# Function words: lower case in a title-cased headline, except that headline style capitalises them
# too (``Putin And Xi Praise The...``), which running prose never does.
_SMALL_WORDS = _words(
    "a an and are as at be but by for from his her if in into is its not of off on or out over per "
    "so than that the their to up via vs was with"
)

# --- patterns ------------------------------------------------------------------------------------

_OPENERS = "\"'“‘`«‹([{¿¡"
_CLOSERS = "\"'”’»›)]}"

# A candidate: the punctuation run (group 1: ``.``, ``?!``, ``...``, ``…``, spaced ``. . .``) and the
# closing quotes/brackets after it (2), followed by whitespace. The word before it is found by
# looking back from the match, which keeps this scan a simple, fast one.
# It starts only where a run of punctuation starts: tried inside a long run (``.....``) it would
# rescan the rest of the run from every position, quadratic time on a line of dots. The pattern
# opens with the punctuation class and checks the character before it afterwards, so the regex
# engine skips ahead to the next punctuation mark instead of trying every position (4x faster).
_PUNCT = "[.?!…‽]"
_CANDIDATE = re.compile(
    r"(" + _PUNCT + r"(?<!" + _PUNCT + _PUNCT + r")(?:(?<=\.)(?: \.)+|" + _PUNCT + r"*))"
    r"([" + re.escape(_CLOSERS) + r"]*)(?=\s)"
)
_LOOKBACK = 64  # characters searched for the word before a candidate; longer tokens are URLs

# What follows a candidate: whitespace (1), opening quotes/brackets (2), the next token (3).
_AFTER = re.compile(r"(\s+)([" + re.escape(_OPENERS) + r"]*)(\S*)")

# Letters-and-periods acronyms: U.S, U.S.A, a.m, Ph.D, D.C (the final period is not part of it).
# Segments of at most two letters keep domain names (``cnn.com``) out.
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_WORD = re.compile(r"[^\W\d_]+")
_TICKER = re.compile(r"[A-Z]{2,5}\b(?![.\-])")
_ENUMERATOR = re.compile(r"\d{1,3}|[A-Za-z]|[ivxIVX]{1,4}")
_BLANK_LINE = re.compile(r"\n\s*\n|\u2029")
# A line break whose next line does not start with an ASCII lower-case word (cheap pre-filter).
_LINE_BREAK = re.compile(r"\n[^\S\n]*(?=[^\sa-z]|[a-z][.)]\s)")
_BULLET = re.compile(r"(?:[-*•▪‣◦·–—]|[a-z][.)]|\(\w{1,3}\))\s")  # ``1.`` starts with a digit anyway

# Line-break thresholds. Nobody hard-wraps prose narrower than _MIN_WRAP columns, so a shorter line
# ended on purpose; and a text whose long lines exceed _MAX_WRAP columns is not hard-wrapped at all.
# _WRAP_SLACK: the estimated width may exceed the wrapper's by a column (some wrappers keep lines
# strictly shorter than their width). On the original hard-wrapped DUC 2003 files it brings the
# documents segmented differently from their unwrapped text from 56 to 40 of 298.
_MIN_WRAP = 40
_MAX_WRAP = 100
_WRAP_SLACK = 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of each sentence in `text`, in order; text[start:end] is the
    sentence with surrounding whitespace stripped. Never empty spans; every non-whitespace char of
    `text` lies in exactly one span."""
    line_cuts = _line_cuts(text) if "\n" in text else []
    cuts = [m.start() for m in _BLANK_LINE.finditer(text)]
    breaks = frozenset(line_cuts)
    cuts.extend(m.end() for m in _CANDIDATE.finditer(text) if _ends_sentence(text, m, breaks))
    cuts.extend(line_cuts)
    cuts.sort()
    cuts.append(len(text))
    spans = []
    start = 0
    for cut in cuts:
        if cut <= start:
            continue
        piece = text[start:cut]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            spans.append((start + left, start + right))
        start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each stripped: ``[text[s:e] for s, e in sentence_spans(text)]``."""
    return [text[s:e] for s, e in sentence_spans(text)]


# --- punctuation ---------------------------------------------------------------------------------


def _ends_sentence(text: str, m: re.Match[str], line_cuts: frozenset[int]) -> bool:
    """Does the candidate punctuation `m` end a sentence, judging by the words around it?
    `line_cuts` holds the line breaks already found to end a sentence (for list labels)."""
    after = _AFTER.match(text, m.end())
    if after is None:  # cannot happen: the candidate pattern guarantees whitespace follows
        return False
    space, openers, following = after.groups()
    if space.count("\n") > 1:  # blank line: a paragraph break, cut there anyway
        return True
    start = m.start()
    before = text[max(0, start - _LOOKBACK) : start]
    token = "" if not before or before[-1].isspace() else before.rsplit(None, 1)[-1]
    prev = token.lstrip(_OPENERS)
    punct = m.group(1)
    kind = _kind(prev) if punct == "." else "word"
    first = following[:1]

    if first.islower():
        # A lower-case word continues the sentence (``e.g. the``, ``"Why?" she asked``, ``5 p.m.
        # today``) unless it is a name that is written in lower case and may open one: ``iPhone``,
        # ``eBay``, ``de Klerk``. Only trusted after an ordinary word, never after an abbreviation.
        return kind == "word" and _lower_case_opener(following, text, after.end())
    if punct != ".":
        # ``?``, ``!``, ``?!``, ``...`` and ``…`` end a sentence before anything not lower case.
        return True
    if len(prev) <= 4 and _is_list_label(text, start - len(token), prev, line_cuts):
        return False  # ``1. First item`` / ``b. Second item``
    if first.isdigit():
        # ``No. 5``, ``Sept. 11``, ``U.S. 10-year notes``: a number after an abbreviation belongs to
        # it; after an ordinary word (``...in 1999. 2000 was...``) it opens a sentence.
        return kind in ("word", "final")
    if kind in ("word", "number"):
        return True
    if kind == "never":
        return False
    if kind == "final":
        return not (
            openers.startswith("(")
            or _TICKER.match(following)
            or following.lower().rstrip(".,;:") in _CONTINUERS
        )
    # Ambiguous abbreviation, acronym or initial: decide on the next word.
    if any(q in openers for q in "\"'“‘`«‹"):  # ``U.S. "The...``: a quotation opens
        return True
    return _is_starter(following)


def _kind(prev: str) -> str:
    """Classify the token before a period: an ordinary word or one of the abbreviation kinds."""
    if len(prev) > 7 and "." not in prev:
        return "word"  # fast path: no listed abbreviation is that long
    if len(prev) == 1 and prev.isupper():
        return "initial"  # ``J. R. R. Tolkien``, ``James P. Rubin``; ``Plan B. The...`` still cuts
    low = prev.lower()
    if low in _NEVER_FINAL:
        return "never"
    if low in _USUALLY_FINAL:
        return "final"
    if low in _BEFORE_NUMBER:
        return "number"
    if low in _AMBIGUOUS:
        return "ambiguous"
    if "." in prev and _ACRONYM.fullmatch(prev):
        return "ambiguous"
    return "word"


def _is_starter(following: str) -> bool:
    word = _WORD.match(following)
    if word is None:
        return False
    w = word.group()
    if len(w) == 1 and following[1:2] == ".":
        return False  # ``J. A. Smith``: another initial, not the article ``A``
    return w.lower() in _STARTERS and w[0].isupper()


def _lower_case_opener(following: str, text: str, pos: int) -> bool:
    """``iPhone``/``eBay`` (a capital after the first letter) or a name particle (``de Klerk``)."""
    word = _WORD.match(following)
    if word is None:
        return False
    w = word.group()
    if any(c.isupper() for c in w[1:]):
        return True
    return w in _PARTICLES and len(following) == len(w) and text[pos + 1 : pos + 2].isupper()


def _is_list_label(text: str, token_start: int, prev: str, line_cuts: frozenset[int]) -> bool:
    """``1.``, ``b.``, ``iv.`` opening a line that starts afresh (the text's first line, one after a
    blank line or after a break that ends a sentence). A wrapped line may also start with a number
    that ends a sentence: ``...and Philip,\n7. He capered...``."""
    if not _ENUMERATOR.fullmatch(prev):
        return False
    # Back over the spaces before the token only: searching (or slicing) back to the start of a long
    # line for every candidate on it would take quadratic time.
    line_start = token_start
    while line_start and text[line_start - 1] != "\n":
        if not text[line_start - 1].isspace():
            return False
        line_start -= 1
    if line_start == 0 or line_start - 1 in line_cuts:
        return True
    previous_start = text.rfind("\n", 0, line_start - 1) + 1
    return not text[previous_start : line_start - 1].strip()


# --- line breaks ---------------------------------------------------------------------------------


def _line_cuts(text: str) -> list[int]:
    """Offsets of single line breaks that end a sentence (see the module docstring, pass 3)."""
    cuts: list[int] = []
    width: int | None = None  # the text's wrap width, computed only if some break needs it
    for m in _LINE_BREAK.finditer(text):
        nl = m.start()
        line_start = text.rfind("\n", 0, nl) + 1
        line = text[line_start:nl].rstrip()
        if not line.strip():
            continue  # after a blank line: already cut
        nxt = m.end()
        following = text[nxt : nxt + 40].lstrip(_OPENERS)
        first = following[:1]
        if not (first.isupper() or first.isdigit() or _BULLET.match(text, nxt)):
            continue  # lower case or a symbol: the sentence goes on (a wrapped line)
        if len(line) < _MIN_WRAP or (line.isupper() and not _next_line(text, nxt).isupper()):
            cuts.append(nl)  # short, or a heading in capitals (not one wrapped onto the next line)
            continue
        after_cut = bool(cuts) and cuts[-1] == line_start - 1
        if _is_heading(text, line, line_start, after_cut, nxt):
            cuts.append(nl)
            continue
        if width is None:
            width = _wrap_width(text)
        next_word = len(text[nxt : nxt + 60].split(None, 1)[0])
        if width > _MAX_WRAP or len(line) + 1 + next_word <= width - _WRAP_SLACK:
            # Not hard-wrapped, or the next word would have fitted on this line: a wrapper would have
            # put it there, so the break was made on purpose.
            cuts.append(nl)
    return cuts


def _wrap_width(text: str) -> int:
    """The text's line width: the 95th-percentile line length, so a few over-long unbreakable lines
    (URLs, tables) do not hide hard wrapping. With few lines this is the longest line."""
    lengths = sorted(len(line.rstrip()) for line in text.split("\n") if line.strip())
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, math.ceil(0.95 * (len(lengths) - 1)))]


def _is_heading(text: str, line: str, line_start: int, after_cut: bool, next_start: int) -> bool:
    """A headline in title case standing on its own line, like ``Putin And Xi Praise The...``.

    Inside a hard-wrapped paragraph a run of names (``Greer and Kermit Independent School District
    Superintendent Bill``) looks title-cased too, so the test is strict: every word capitalised except
    function words, at least one function word capitalised after the first word (headline style,
    never prose), no final punctuation; the line opens a paragraph (first line, or after a blank
    line or another line that ended on purpose); and the next line is not the rest of a headline
    wrapped in two (``...Noted for His Heartfelt War\nReporting``).
    """
    words = line.split()
    if len(words) < 3 or line[-1] in ".?!…,;:":
        return False
    headline_style = False
    for i, w in enumerate(words):
        if _capitalised(w):
            headline_style = headline_style or (i > 0 and w.lower() in _SMALL_WORDS)
        elif w not in _SMALL_WORDS:
            return False  # a lower-case content word, or a dateline symbol (``(AP) _``)
    if not headline_style:
        return False
    if line_start and not after_cut:
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        if text[previous_start : line_start - 1].strip():
            return False
    return not all(_capitalised(w) or w in _SMALL_WORDS for w in _next_line(text, next_start).split())


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit() or (word[0].isalpha() and not word.islower())


def _next_line(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]
