"""Checkable details of a sentence — numbers, years, names, list items — and their conflicts.

Two reports of one point dispute a fact when they give different values in the same slot:
``40 times`` vs ``30 times``, ``held in Astana`` vs ``held in Tashkent``, or lists that share
some items but each name items the other lacks (two versions of "three catastrophes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.text.normalize import fold
from briefing.text.tokens import content_stems, stem, stop_words

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%|\s*percent)?(?![\w])")
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30",
    "forty": "40", "fifty": "50", "hundred": "100", "dozen": "12",
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_ENTITY = re.compile(r"\b([A-Z][\w'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'-]*)*)")
_LIST_LEAD = re.compile(r"\b(include[sd]?|including|such as|namely)\b|:\s", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Details:
    numbers: dict[str, str]  # slot (the counted noun's stem, or "year") → value
    years: frozenset[str]
    entities: dict[str, str]  # entity (folded) → the word before it (its slot)
    items: tuple[frozenset[str], ...]  # list items as stem sets, when the sentence enumerates
    item_texts: tuple[str, ...] = ()  # the same items as written


def _next_stem(text: str, pos: int) -> str:
    stops = stop_words()
    for m in _WORD.finditer(text, pos):
        word = m.group().lower()
        if word not in stops and not word.isdigit():
            return stem(word)
    return ""


def _prev_word(text: str, pos: int) -> str:
    before = _WORD.findall(text[:pos])
    return before[-1].lower() if before else ""


@lru_cache(maxsize=16384)  # a brief asks for one sentence's details many times
def details(text: str) -> Details:
    folded = fold(text)
    numbers: dict[str, str] = {}
    years: set[str] = set()
    for m in _NUMBER.finditer(folded):
        value = m.group(1).replace(",", "")
        if len(value) == 4 and value.isdigit() and 1800 <= int(value) <= 2100 and not m.group(2):
            years.add(value)
            continue
        numbers[_next_stem(folded, m.end()) + ("%" if m.group(2) else "")] = value
    for m in _NUMBER_WORD.finditer(folded):
        numbers.setdefault(_next_stem(folded, m.end()), _NUMBER_WORDS[m.group(1).lower()])
    stops = stop_words()
    entities: dict[str, str] = {}
    for m in _ENTITY.finditer(folded):
        name = m.group(1)
        if m.start() == 0 or name.lower() in stops:
            continue
        key = re.sub(r"'s$", "", name.lower())
        entities[key] = _prev_word(folded, m.start())
    items, item_texts = _list_items(folded)
    return Details(numbers, frozenset(years), entities, items, item_texts)


def _list_items(text: str) -> tuple[tuple[frozenset[str], ...], tuple[str, ...]]:
    """Items of an enumeration introduced by "include(s)", "including", "such as", "namely" or a
    colon: at least three items, or two or more separated by semicolons."""
    lead = _LIST_LEAD.search(text)
    if not lead:
        return (), ()
    tail = text[lead.end():]
    # Semicolons separate items when present (items may contain commas); else commas and "and".
    splitter = r";\s*(?:and\s+)?" if ";" in tail else r",\s*(?:and\s+)?|\s+and\s+"
    parts = [p.strip(" .") for p in re.split(splitter, tail) if p.strip(" .")]
    if len(parts) < 3 and not (";" in tail and len(parts) >= 2):
        return (), ()
    if ";" not in tail and any(len(p.split()) > 12 for p in parts):
        return (), ()  # long comma-separated clauses are prose, not a list
    items, texts = [], []
    for part in parts:
        stems = frozenset(content_stems(part)) | frozenset(re.findall(r"\b\d{4}\b", part))
        if stems:
            items.append(stems)
            texts.append(part)
    return (tuple(items), tuple(texts)) if len(items) >= 2 else ((), ())


@dataclass(frozen=True)
class Conflict:
    kind: str  # "number" | "year" | "name" | "list"
    left: str
    right: str

    def describe(self) -> str:
        return f"{self.kind}: {self.left} / {self.right}"


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _items_match(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = a & b
    return bool(shared) and (len(shared) / min(len(a), len(b)) >= 0.34 or any(s.isdigit() for s in shared))


def conflicts(a: Details, b: Details) -> list[Conflict]:
    """Differences in the same slot between two reports of one point."""
    found: list[Conflict] = []
    for slot, value in a.numbers.items():
        other = b.numbers.get(slot)
        if slot and other is not None and other != value:
            found.append(Conflict("number", f"{value} {slot}", f"{other} {slot}"))
    if a.items and b.items:
        unmatched_a = [i for i in a.items if not any(_items_match(i, j) for j in b.items)]
        unmatched_b = [j for j in b.items if not any(_items_match(i, j) for i in a.items)]
        matched = [i for i in a.items if i not in unmatched_a]
        shared_numbers = any(x.isdigit() for i in matched for x in i)
        if (len(matched) >= 2 or (matched and shared_numbers)) and unmatched_a and unmatched_b:
            found.append(Conflict(
                "list",
                "; ".join(_short(a.item_texts[a.items.index(i)]) for i in unmatched_a),
                "; ".join(_short(b.item_texts[b.items.index(j)]) for j in unmatched_b),
            ))
    only_a = {e: slot for e, slot in a.entities.items() if e not in b.entities}
    only_b = {e: slot for e, slot in b.entities.items() if e not in a.entities}
    for ea, slot in only_a.items():
        for eb, slot_b in only_b.items():
            if ea in eb or eb in ea:
                continue
            if slot and slot == slot_b and slot in {"in", "at", "from", "by", "president", "minister", "leader", "mayor", "city"}:
                found.append(Conflict("name", ea, eb))
    return found
