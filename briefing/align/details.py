"""Checkable details of a sentence — numbers, years, names, list items — and their conflicts.

Two reports of one point dispute a fact when they give different values in the same slot:
``40 times`` vs ``30 times``, ``founded in 1998`` vs ``founded in 1999``, ``president X`` vs
``president Y``, or lists that share some items but each name items the other lacks (two versions
of "three catastrophes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from briefing.text.normalize import fold
from briefing.text.tokens import content_stems, name_stems, stem, stop_words

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
_CRITERION = re.compile(r"\s+(?:and|or)\s+(?:older|over|up|above|younger|under)\b", re.IGNORECASE)
_OF_TOTAL = re.compile(r"\s+(?:[^\W\d_]+\s+)?(?:out\s+)?of\s+(?:the\s+)?")  # between a part and its whole
_TOKEN = re.compile(r"[^\s,;:()\"“”]+")  # whole tokens, so "S&P" stays one name


@dataclass(frozen=True)
class Quantity:
    """What a number measures, as far as the words around it say."""

    role: str  # the first content stem after the counted noun: "shot" / "killed", "drop" / "rise"
    owner: str  # the capitalised name just before the number: "dow" / "s&p", "trudeau liberal party"
    bound: str  # "exact"; "lower" (at least, over, more than); "upper" (up to, under); "about"
    time: frozenset[str]  # time words of the sentence: "week", "last", "monday" …


@dataclass(frozen=True)
class Details:
    numbers: dict[str, str]  # slot (the counted noun's stem, or "year " and its event's) → value
    years: frozenset[str]
    entities: dict[str, str]  # entity (folded) → the word before it (its slot)
    items: tuple[frozenset[str], ...]  # list items as stem sets, when the sentence enumerates
    item_texts: tuple[str, ...] = ()  # the same items as written
    quantities: dict[str, Quantity] = field(default_factory=dict)  # slot → what its number measures
    values: frozenset[str] = frozenset()  # every figure the sentence gives ("to 5.7% from 5.9%": both)
    nouns: dict[str, str] = field(default_factory=dict)  # slot → the counted word as written
    names: frozenset[str] = frozenset()  # the stems of every capitalised word, the first one too


_LOWER = ("at least", "more than", "over", "above", "upwards of", "in excess of", "no fewer than", "no less than")
_UPPER = ("up to", "fewer than", "less than", "under", "below", "nearly", "almost", "no more than", "at most")
_RANGE_END = re.compile(r"\bbetween\s+\S*\d[\d,.]*(?:\s*(?:%|percent|thousand|million|billion|trillion))?\s+and\s+\S?$", re.IGNORECASE)
_ABOUT = ("about", "around", "approximately", "roughly", "some", "estimated", "an estimated", "close to")
# Words for the same role, read as one: "killed 50 people" and "49 people dead" count the dead.
_ROLES = {
    **dict.fromkeys(("killed", "dead", "died", "deaths", "slain", "fatalities", "lives", "death"), "dead"),
    **dict.fromkeys(("wounded", "injured", "hurt", "injuries", "injuring", "wounding"), "injured"),
    **dict.fromkeys(("shot", "shooting"), "shot"),
    **dict.fromkeys(("arrested", "detained", "arrests", "detentions"), "arrested"),
}
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
_TIME = frozenset({
    "today", "yesterday", "tomorrow", "week", "weeks", "month", "months", "year", "years", "day", "days",
    "last", "previous", "next", "prior", "this", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "quarter", "annual", "annually", "weekly", "monthly", "daily", "decade",
    "since", "total", "overall", "cumulative", "increase", "decrease", "rise", "fall", "drop", "jump",
})


def _quantity(text: str, start: int, end: int) -> Quantity:
    before = _WORD.findall(text[max(0, start - 40):start])
    lead = " ".join(w.lower() for w in before[-3:])
    bound = "exact"
    if _RANGE_END.search(text[max(0, start - 60):start]):
        bound = "upper"  # "between $70.5 billion and $72.5 billion": the range's top
    elif lead.endswith("between") or text[end:end + 1] == "+" or any(lead.endswith(p) for p in _LOWER):
        bound = "lower"
    elif any(lead.endswith(p) for p in _UPPER):
        bound = "upper"
    elif any(lead.endswith(p) for p in _ABOUT):
        bound = "about"
    owner = ""
    prefix = _TOKEN.findall(text[:start])
    def named(k: int) -> bool:
        w = prefix[k].strip(".'’")
        return bool(w[:1].isupper()) and w.lower() not in stop_words() and w.lower() not in _TIME and w.lower() not in _MONTHS

    for k in range(len(prefix) - 1, max(0, len(prefix) - 8), -1):  # never the sentence's first word
        if named(k):
            first = k
            while first > 1 and named(first - 1):
                first -= 1  # the whole name: "Trudeau's Liberal Party"
            owner = " ".join(_possessor(prefix[j]).lower() for j in range(first, k + 1))
            break
    verb_before = next((
        w.lower() for w in reversed(before[-2:])
        if w.lower().endswith("ed") or w.lower() in _ROLES or w.lower() in _IRREGULAR
    ), "")
    after = [w.lower() for w in _WORD.findall(text[end:end + 60])]
    content = [w for w in after if w not in stop_words() and not w.isdigit()]
    role_after = _role_after(text, end)
    role = role_after if role_after in _ROLES else verb_before or (content[1] if len(content) > 1 else "")
    role = _ROLES.get(role) or _IRREGULAR.get(role) or (stem(role) if role else "")
    near = _WORD.findall(text[max(0, start - 30):end + 40])  # the number's own phrase, not the dateline
    time = frozenset(w.lower() for w in near if w.lower() in _TIME or w.lower() in _MONTHS)
    return Quantity(role, owner, bound, time)


def _role_after(text: str, end: int) -> str:
    """The word right after the counted noun, when nothing stands between them: "50 people killed",
    "49 people dead". A word past a comma or a preposition ("157 seats, 13 short", "156 seats of the
    338 in the Canadian House") says nothing about what the number counts."""
    words = _WORD_GAP.findall(text[end:end + 60])
    stops = stop_words()
    if len(words) < 2 or words[0][0].strip():  # the noun must follow the number directly
        return ""
    gap, word = words[1]
    word = word.lower()
    if gap.strip() or word in stops or word.isdigit():
        return ""
    return word


_WORD_GAP = re.compile(r"([^\w]*?)([^\W_]+)")
# Verbs whose past tense does not end in "-ed", read as one role each: "took 156 seats" and "won 157".
_IRREGULAR = {
    **dict.fromkeys(("won", "win", "wins", "took", "take", "takes", "secured", "captured", "gained"), "won"),
    **dict.fromkeys(("lost", "lose", "loses"), "lost"),
    **dict.fromkeys(("fell", "fall", "falls", "dropped", "declined", "slid", "sank"), "fell"),
    **dict.fromkeys(("rose", "rise", "rises", "jumped", "climbed", "grew", "increased"), "rose"),
}


def _next_word(text: str, pos: int) -> str:
    """The first content word after ``pos``, as written (lower-cased): what a number counts."""
    stops = stop_words()
    for m in _WORD.finditer(text, pos):
        word = m.group().lower()
        if word not in stops and not word.isdigit():
            return word
    return ""


def _next_stem(text: str, pos: int) -> str:
    word = _next_word(text, pos)
    return stem(word) if word else ""


YEAR = "year "  # the slot of a sentence's one year: "year " and the stem of the event it dates
_YEAR_LEAD = frozenset({"in", "since", "by", "until", "from", "during", "before", "after", "of"})


def _event(text: str, start: int, end: int) -> str:
    """What a year dates: the word before "in 1998" ("founded in 1998"), else the word after it
    ("the 2014 annexation"); a month or day between them is skipped."""
    before = [w.lower() for w in _WORD.findall(text[max(0, start - 60):start])]
    while before and (before[-1] in _MONTHS or before[-1].isdigit()):
        before.pop()
    if before and before[-1] in _YEAR_LEAD:
        stops = stop_words()
        content = [w for w in before[:-1] if w not in stops and not w.isdigit()]
        return _YEAR_ROLE.get(before[-1], "") + stem(content[-1]) if content else ""
    return _next_stem(text, end)


# A year after "from" or "since" is a baseline, after "by" or "until" a deadline: "emissions cut
# from 2005 levels" and "emissions cut by 2030" date different things.
_YEAR_ROLE = {"from": "since ", "since": "since ", "by": "by ", "until": "by ", "before": "by "}


def _prev_word(text: str, pos: int) -> str:
    before = _WORD.findall(text[:pos])
    return before[-1].lower() if before else ""


_SCALE_ONLY = re.compile(r"\s+(?:thousand|million|billion|trillion)\s*(?:\.{2,}|…)?\s*$", re.IGNORECASE)
_CURRENCY = frozenset("$£€¥")
_SCALE = {"bn": " billion", "tn": " trillion", "trn": " trillion", "m": " million"}
SCALED = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(bn|tn|trn|m)\b")  # "$60bn", "£5m"


@lru_cache(maxsize=16384)  # a brief asks for one sentence's details many times
def details(text: str) -> Details:
    folded = SCALED.sub(lambda m: m.group(1) + _SCALE[m.group(2)], fold(text))  # "$60bn": 60 billion
    numbers: dict[str, str] = {}
    quantities: dict[str, Quantity] = {}
    nouns: dict[str, str] = {}  # slot → the counted word as written ("people" for "peopl")
    years: set[str] = set()
    dated: list[tuple[str, str]] = []  # (year, the stem of the event it dates)
    every: set[str] = set()
    part_end, part_slot = -1, ""
    for m in _NUMBER.finditer(folded):
        value = m.group(1).replace(",", "")
        every.add(value)
        if _is_year(value) and not m.group(2):
            years.add(value)
            dated.append((value, _event(folded, m.start(), m.end())))
            continue
        if _CRITERION.match(folded, m.end()):
            continue  # "people 65 and older": who is meant, not a figure reported
        if _SCALE_ONLY.match(folded, m.end()) and folded[max(0, m.start() - 1):m.start()].strip(" ") not in _CURRENCY:
            continue  # "with nearly 2.6 million...": a figure of nothing named
        slot = _next_stem(folded, m.end()) + ("%" if m.group(2) else "")
        if part_slot and _OF_TOTAL.fullmatch(folded, part_end, m.start()):
            slot = part_slot + " total"  # "157 of 338 seats", "156 seats of the 338": the whole, not the count
        part_end, part_slot = m.end(), slot
        numbers[slot] = value
        quantities[slot] = _quantity(folded, m.start(), m.end())
        nouns[slot] = ("%" if m.group(2) else "") or _next_word(folded, m.end())
    for m in _NUMBER_WORD.finditer(folded):
        slot = _next_stem(folded, m.end())
        if slot not in numbers:
            numbers[slot] = _NUMBER_WORDS[m.group(1).lower()]
            quantities[slot] = _quantity(folded, m.start(), m.end())
            nouns[slot] = _next_word(folded, m.end())
    if len(dated) == 1 and dated[0][1]:  # one year, of a named event: a figure of that event
        year, event = dated[0]
        numbers[YEAR + event] = year
        nouns[YEAR + event] = ""
    stops = stop_words()
    entities: dict[str, str] = {}
    for m in _ENTITY.finditer(folded):
        name = m.group(1)
        if m.start() == 0 or name.lower() in stops:
            continue
        key = re.sub(r"'s$", "", name.lower())
        entities[key] = _prev_word(folded, m.start())
    items, item_texts = _list_items(folded)
    names = frozenset(stem(w.strip(".'’").lower()) for w in _TOKEN.findall(folded) if w[:1].isupper())
    return Details(numbers, frozenset(years), entities, items, item_texts, quantities, frozenset(every), nouns, names)


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
    left: str  # as shown: "300 people"
    right: str
    left_key: str = ""  # as compared: "300 peopl" ("" when the shown text is the key)
    right_key: str = ""

    @property
    def keys(self) -> tuple[str, str]:
        return self.left_key or self.left, self.right_key or self.right

    def describe(self) -> str:
        return f"{self.kind}: {self.left} / {self.right}"


def _figure(value: str, noun: str) -> str:
    return f"{value}{noun}" if noun == "%" else f"{value} {noun}".strip()


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _items_match(a: frozenset[str], b: frozenset[str]) -> bool:
    shared = a & b
    return bool(shared) and (len(shared) / min(len(a), len(b)) >= 0.34 or any(s.isdigit() for s in shared))


# A name after one of these words holds an office: two names there disagree on who holds it.
# Places and agents after "in", "at", "by" or "from" were measured too and dropped: on the gold
# clusters they paired a place with a month and one pollster with another.
_TITLES = frozenset({"president", "minister", "leader", "mayor", "governor", "secretary", "chairman", "ceo", "premier"})
NEAR = 0.1  # "about X" allows values within a fifth of X


def _same_quantity(a: Details, b: Details, slot: str, x: str, y: str) -> bool:
    """Two values in one slot measure the same thing and differ beyond rounding: the same role
    (people *shot* is not people *killed*), owner (the Dow is not the S&P 500) and time words
    (this week is not last week), and neither value is an approximation of the other."""
    qa, qb = a.quantities.get(slot), b.quantities.get(slot)
    if qa is None or qb is None:
        return True  # a year ("founded in 1998"): exact, and its slot already names its event
    if not measure_alike(qa, qb):
        return False
    for q, other in ((qa, b), (qb, a)):
        if q.owner and not other.quantities[slot].owner and not name_stems(q.owner) & other.names:
            return False  # "Native Americans grew to 3.7 million" / "204.3 million people described themselves as white"
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return True
    gap = abs(fx - fy) / max(abs(fx), abs(fy), 1e-9)
    if _rounded(x, y):
        return False
    if qa.bound == qb.bound and qa.bound in ("lower", "upper"):
        return True  # "at least 12" and "at least 40": two different counts of one thing
    return not (_within(qa.bound, fx, fy, gap) or _within(qb.bound, fy, fx, gap))


def named_quantities(d: Details) -> dict[str, Quantity]:
    """The quantities a sentence names in full, by slot: what is counted, by whom and how ("the
    Liberals took 156 seats", "Trudeau's Liberal Party had won 157 seats"). Two sentences giving one
    such quantity report one fact, however little else they share."""
    return {slot: q for slot, q in d.quantities.items() if slot in d.numbers and q.role and q.owner}


def measure_alike(a: Quantity, b: Quantity) -> bool:
    """Nothing the two figures' words say tells them apart: roles, owners and time words agree
    where both give them. Owners agree when their names share a word ("the Liberals" and
    "Trudeau's Liberal Party" are one party, "the Dow" and "the S&P 500" two indexes)."""
    return (
        not (a.role and b.role and a.role != b.role)
        and not (a.owner and b.owner and not name_stems(a.owner) & name_stems(b.owner))
        and not (a.time and b.time and a.time != b.time)
    )


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1800 <= int(word) <= 2100




def _possessor(token: str) -> str:
    return re.sub(r"['’]s?$", "", token.strip(".'’")) or token


def _significant(value: str) -> int:
    digits = value.replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in value else len(digits)


def _rounded(x: str, y: str) -> bool:
    """One value is the other rounded ($1.4 trillion and $1.37 trillion; 2,700 and 2,702) to two or
    more significant digits: 156 and 157 seats, or 50 and 49 dead, are two different counts."""
    short, long = sorted((x, y), key=_significant)
    digits = _significant(short)
    if digits < 2 or digits >= _significant(long):
        return False
    fs, fl = float(short), float(long)
    if fl == 0:
        return False
    scale = 10 ** (len(str(int(abs(fl)))) - digits) if abs(fl) >= 1 else 10 ** -digits
    return abs(round(fl / scale) * scale - fs) <= scale * 1e-6


def _within(bound: str, stated: float, other: float, gap: float) -> bool:
    """Is ``other`` what a value given as ``bound stated`` allows ("over 1 million" allows 1.11)?"""
    if bound == "lower":
        return other >= stated
    if bound == "upper":
        return other <= stated
    return bound == "about" and gap <= 2 * NEAR


def conflicts(a: Details, b: Details) -> list[Conflict]:
    """Differences in the same slot between two reports of one point."""
    found: list[Conflict] = []
    for slot, value in a.numbers.items():
        other = b.numbers.get(slot)
        if (slot and other is not None and other != value and value not in b.values and other not in a.values
                and _same_quantity(a, b, slot, value, other)):
            found.append(Conflict(
                "number", _figure(value, a.nouns.get(slot, slot)), _figure(other, b.nouns.get(slot, slot)),
                f"{value} {slot}", f"{other} {slot}",
            ))
    if a.items and b.items:
        unmatched_a = [i for i in a.items if not any(_items_match(i, j) for j in b.items)]
        unmatched_b = [j for j in b.items if not any(_items_match(i, j) for i in a.items)]
        matched = [i for i in a.items if i not in unmatched_a]
        shared_numbers = any(_is_year(x) for i in matched for x in i)  # "21" in "raises the age to 21" dates nothing
        # Two versions of one enumeration: they share dated items ("the 2008 war, the 2014
        # annexation"). Lists that share undated items are two selections from a longer list
        # ("the bill includes ..."), not a conflict (measured on the gold clusters).
        if matched and shared_numbers and unmatched_a and unmatched_b:
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
            if slot and slot == slot_b and slot in _TITLES:
                found.append(Conflict("name", ea, eb))
    return found
