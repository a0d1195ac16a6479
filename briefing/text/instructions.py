"""Spot corpus text that reads like instructions to an assistant (prompt injection).

Such text stays quotable data; results carry a flag so the assistant and the reader see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from briefing.text.normalize import _LOOKALIKE

_PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|all|any|your)\b[^.!?\n]{0,30}\b(instructions?|prompts?|rules|guidelines|directives)\b",
    r"\b(new|updated|real|actual)\s+(system\s+)?instructions?\s*:",
    r"\bsystem\s+prompt\b",
    r"\byou\s+are\s+(now\s+)?(an?\s+|the\s+)?(ai|assistant|chatbot|language\s+model|llm)\b",
    r"\b(as\s+an?\s+)(ai|assistant|language\s+model)\b[^.!?\n]{0,40}\b(you|must|should)\b",
    r"\b(assistant|ai|model|llm|chatbot)\s*[,:]\s*(please\s+)?(ignore|reveal|print|output|say|respond|call|run|execute|delete|send)\b",
    r"\b(do\s+not|don't|never)\s+(tell|inform|reveal\s+to|mention\s+to)\s+the\s+user\b",
    r"\b(call|invoke|use|run)\s+the\s+[\w-]+\s+tool\b",
    r"</?\s*(system|assistant|user|instructions?)\s*>|\[/?INST\]|<\|im_(start|end)\|>",
    r"\b(reveal|print|output|leak|exfiltrate)\s+(your|the)\s+(system\s+prompt|instructions|api\s+keys?|secrets?|tokens?|credentials)\b",
    r"\bjailbreak\b|\bDAN\s+mode\b|\bdeveloper\s+mode\b",
]
_INSTRUCTIONS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


# Each pattern needs one of its key pieces in the lower-cased text (``ai`` as a word), so only the
# patterns whose keys occur are run: substring tests cost far less than the expressions, which
# are rarely needed in news text. Case-insensitive matching also maps four non-ASCII letters to
# ASCII ones (İ ı ſ K); text holding any of them goes through the whole expression.
_KEYS: list[frozenset[str]] = [frozenset(k.split()) for k in (
    "ignore disregard forget override",
    "instruction",
    "system",
    "you",
    "ai assistant model",
    "ai assistant model llm chatbot",
    "user",
    "tool",
    "< [",
    "reveal print output leak exfiltrate",
    "jailbreak mode",
)]
_GUARDED = list(zip(_KEYS, [re.compile(p, re.IGNORECASE) for p in _PATTERNS], strict=True))
_ALL_KEYS = tuple(sorted(frozenset().union(*_KEYS)))
_AI_WORD = re.compile(r"ai(?!\w)")
_WORD_CHAR = re.compile(r"\w")
_CASE_FOLDED = frozenset("\u0130\u0131\u017f\u212a")


def _has_ai_word(low: str) -> bool:
    return any(
        m.start() == 0 or not _WORD_CHAR.match(low, m.start() - 1) for m in _AI_WORD.finditer(low)
    )


# Characters that change nothing a reader sees but split a word for a matcher: zero-width and
# joiner characters, the soft hyphen, bidirectional controls, variation selectors, fillers.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_BREAKS = re.compile(r"\s+")
_SPACING = re.compile(r"[^\S ]|  ")  # any space but a single one: a line break, a tab, two spaces
_LOOKS_LATIN = str.maketrans(_LOOKALIKE)
_LOOKALIKE_CHARS = re.compile("[" + "".join(_LOOKALIKE) + "]")


def folded(text: str) -> str:
    """The text as a reader sees it, for detection only: invisible characters dropped, NFKC
    (full-width letters become ASCII), Cyrillic and Greek look-alikes read as Latin letters, and
    every run of spaces and line breaks one space."""
    if not text.isascii():
        text = _fold_letters(text)
    return _BREAKS.sub(" ", text) if not text.isascii() or _SPACING.search(text) else text


def _fold_letters(text: str) -> str:
    """Invisible characters dropped, NFKC, look-alike letters read as Latin; each step only where
    it changes something (the text itself comes back when none does)."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _LOOKALIKE_CHARS.search(text):
        text = text.translate(_LOOKS_LATIN)
    return text


@lru_cache(maxsize=65536)  # titles, sources and metadata are checked on every read of a document
def looks_like_instructions(text: str) -> bool:
    """True when the text addresses an assistant rather than reporting something (read as folded:
    a zero-width space, soft hyphen, look-alike letter or line break does not hide it)."""
    if _matches(text):
        return True
    plain = folded(text)
    return plain != text and _matches(plain)


def instructions_in(text: str) -> Callable[[str], bool]:
    """``looks_like_instructions`` for the sentences of ``text`` (a document), with the same
    answers: the key pieces the patterns need are looked for once in the whole text, and in each
    sentence only those the text holds (lower-casing a sentence gives a part of the lower-cased
    text). A sentence that folding changes beyond its spaces is looked at with every key."""
    low = text.lower()
    keys = tuple(filter(low.__contains__, _ALL_KEYS))

    def check(sentence: str) -> bool:
        if _matches(sentence, keys):
            return True
        if sentence.isascii() and not _SPACING.search(sentence):
            return False  # folding changes nothing
        letters = _fold_letters(sentence) if not sentence.isascii() else sentence
        plain = _BREAKS.sub(" ", letters)
        return plain != sentence and _matches(plain, keys if letters is sentence else _ALL_KEYS)

    return check


def _matches(text: str, keys: Sequence[str] = _ALL_KEYS) -> bool:
    """Does a pattern match? (``keys``: only these of its key pieces can be in the text.)"""
    if not text.isascii() and not _CASE_FOLDED.isdisjoint(text):
        return _INSTRUCTIONS.search(text) is not None
    low = text.lower()
    found = set(filter(low.__contains__, keys))  # (the substring tests, run in C)
    if "ai" in found and not _has_ai_word(low):
        found.discard("ai")
    return bool(found) and any(
        pattern.search(text) is not None for keys, pattern in _GUARDED if not keys.isdisjoint(found)
    )


# --- the sentence flag ---------------------------------------------------------------------------

FLAG_INSTRUCTIONS = 1  # a stored sentence's ``flags`` bit: it reads like instructions


def sentence_flags(instructions: bool) -> int:
    """The ``flags`` stored with a sentence (``looks_like_instructions`` of its text)."""
    return FLAG_INSTRUCTIONS if instructions else 0


def flagged_instructions(flags: int) -> bool:
    """Does a stored sentence's ``flags`` say it reads like instructions? (The one place the bit
    is read: the store, the search hits, citations, briefs and summaries all ask here.)"""
    return bool(flags & FLAG_INSTRUCTIONS)
