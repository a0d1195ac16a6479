"""Stance: which sources assert a claim and which question, reject or debunk it.

Lexical, deterministic and offline. Each sentence is read once into *cues*:

* **refutation** — says something is untrue: ``hoax``, ``fake``, ``false``, ``denied``,
  ``debunked``, ``fabricated``, ``no evidence``, ``never happened``, ``rejected``, ``dismissed`` ...
* **skepticism** — doubts rather than denies: ``skeptical``, ``doubt``, ``questioned``,
  ``critics argue``, ``too good to be true``; weakest of all the verification hedges
  ``unverified``, ``unconfirmed``, ``could not be confirmed``, ``would not confirm or deny`` (the
  reporter could not check, which is not a rejection);
* **confirmation** — vouches for something (``confirmed``, ``genuine``, ``is true``), or negates a
  refutation or a doubt (``not a hoax``, ``did not deny``, ``no doubt``);
* **attribution** — reports someone's words: ``according to``, ``claimed``, ``said``, ``state media``;
* **hedge** — reports without vouching: ``reportedly``, ``allegedly``, ``may``, ``could``; a
  question is a hedge too (it asserts nothing);
* **negation** — a ``not``/``no``/``never`` that did not flip one of the cues above.

Every cue has a weight; weak ones (``wrong``, ``myth``, ``dismissed``, ``pushed back``) never
count as questioning on their own. Negation scope is local: a negator at most three words before
a refutation, skepticism or confirmation cue, in the same clause, flips it. Look-alikes are no
cue (``made up his mind``, ``the request was denied``, ``rejected the offer``, ``lying low``).

A document's stance toward a claim comes from its sentences about the claim. The claim's content
words are weighted by the share of documents using them (the story's anchor words). A sentence
*rejects* the claim as strongly as its strongest refutation or doubt, times the claim's weight
among the words around that cue, or, for a cue said of something told before (a sentence opening
with ``This``, ``The story``, ``These claims`` ...; ``the report is false``, ``said it was
untrue``, ``deny the news``), of the sentences just before; never less than a floor, the
documents being about the claim. A document's four strongest such sentences combine, so a
debunking article outweighs a stray denial. A document *reports the claim without questioning
it* when a sentence without refutation, doubt or hedge covers half its weight (``police said
...`` counts), or when its undoubted sentences cover half of it together and it raises little
doubt. A question claim (``Real or hoax?``) takes no side.

When the claim itself is negative (``... is a hoax``, ``X denies ...``, ``Y did not ...``; not an
imperative ``don't shoot``) the sides swap: debunking the story asserts the claim, and a document
that tells the story in plain sentences (no doubt, no hedge: ``reportedly`` only discusses it;
in its own voice: ``CNN reported ...``, ``according to a source`` only pass a report on)
while raising little doubt rejects it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from briefing.text.normalize import fold
from briefing.text.tokens import stem, stop_words

__all__ = [
    "Stance",
    "StanceEvidence",
    "claim_terms",
    "is_negative",
    "questions_assertion",
    "read",
    "sentence_cues",
    "stance_sides",
]

Stance = Literal["asserts", "rejects"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- lexicon -------------------------------------------------------------------------------------
# Comma-separated phrases as they read after tokenisation (``isn't`` reads ``is not``, ``made-up``
# reads ``made up``); a trailing ``*`` matches any word starting with the stem. The number is the
# cue's weight: how strongly it signals its class.

_LEXICON: dict[str, list[tuple[str, float]]] = {
    "refutation": [
        ("""hoax*, fake, fakes, faked, faking, fakery, false, falsely, falsehood*, untrue, debunk*,
        fabricat*, bogus, baseless, unfounded, groundless, satire, satirical, parody, spoof, phony, phoney,
        doctored, refute*, refuting, disprov*, discredited, misinformation,
        disinformation, not true, not real, never happened, did not happen, no evidence,
        no proof, no truth, no basis, made up, a lie, big lie, urban legend, not the case,
        no such thing, lied, liar, liars, could not be more wrong, not genuine, not authentic,
        fictitious, work of fiction, never existed, did not exist, does not exist, april fool*,
        digitally altered, digitally manipulated, falsified, falsification, forgery,
        could not have been more wrong, could not be further from the truth""", 1.0),
        ("""deny, denies, denied, denial, denials, denying, reject, rejects, rejected, rejecting,
        retract, retracted, retraction, erroneous, erroneously, incorrect, inaccurate, misleading,
        mislead, misled, exaggerated, exaggeration, scam, fraudulent, conspiracy theory,
        conspiracy theories, conspiracy theorist*, not accurate, out of context,
        set the record straight, contradict, contradicts, contradicted, contradicting,
        contradiction, contrary to, misrepresent*, distort, distorts, distorted, distorting,
        distortion, lying, prank, pranks, pranked, prankster*, publicity stunt, marketing stunt,
        photoshop*, misreport*, misattribut*, misquot*, misinterpret*, concocted,
        without evidence, without any evidence, without proof, lack of evidence""", 0.7),
        # Weak: mostly about something else ("went wrong", "a myth that ..."); never enough alone.
        ("""wrong, ridiculous, absurd, nonsense, rubbish, myth, myths, mistaken, dismiss,
        dismisses, dismissed, dismissing, nothing to do with""", 0.35),
    ],
    "skepticism": [
        ("""skeptic*, sceptic*, doubt, doubts, doubted, doubtful, doubting, dubious, questionable,
        unproven, unsubstantiated, implausible, unlikely that, improbable, far fetched, hard to believe,
        difficult to believe, grain of salt, pinch of salt, little evidence, scant evidence,
        too good to be true, too good to check, cast doubt,
        casts doubt, casting doubt, called into question, calls into question, raised questions,
        raises questions, raised eyebrows""", 0.6),
        ("""questioned, question whether, questions whether, questioned whether, suspicious,
        disputed, disputes, contested, critics, critic, detractors, contend, contends, contended,
        some argue, others argue, argue that, argued that, argues that, observers argue,
        observers say, analysts argue, opponents argue, opponents say, disagree, disagrees,
        disagreed""", 0.4),
        # Weak: as often about dates and courts ("pushed back the vote", "challenged in court").
        ("""at odds with, pushed back, pushing back, pushes back, challenged, challenges the,
        challenging the""", 0.35),
        ("""unverified, unconfirmed, neither confirmed nor denied, neither confirm nor deny,
        not confirm or deny, declined to confirm or deny, refused to confirm or deny,
        unclear whether, not clear whether, remains unclear, far from clear""", 0.2),
    ],
    "confirmation": [
        ("""confirm, confirms, confirmed, confirming, verified, genuine, authentic,
        authenticated, is true, was true, are true, is real, was real, are real, proves, proved,
        proven, little doubt, beyond doubt, beyond any doubt, without a doubt, undoubtedly""", 0.6),
    ],
    "attribution": [
        ("""said, says, say, told, tells, according to, claim, claims, claimed, claiming, reported,
        reports, reporting, state media, state television, described as, describes, so called,
        stated, wrote, tweeted, posted, insisted, insists, insist, maintained, maintains, alleges,
        announced, quoted, quoting, citing, cited, believes, believe, suggested, suggests,
        asserted, accused, accuses, argue, argues, argued, insisting, explained, added, noted""", 0.5),
    ],
    "hedge": [
        ("""reportedly, allegedly, alleged, purportedly, purported, apparently, supposedly,
        seemingly, may, might, could, possibly, possible, perhaps, maybe, likely, probably, seems, seem,
        seemed, appears to, appear to, appeared to, rumor*, rumour*, speculat*, believed to,
        said to be, thought to be, if true, whether, unclear""", 0.5),
    ],
    # Look-alikes that are no cue: matched first, so their words are not read as cues.
    "neutral": [
        ("""made up of, make up, makes up, made up his mind, made up her mind, made up their mind,
        made up their minds, made up my mind, made up our minds, made up your mind, was denied,
        were denied, been denied, be denied, is denied, are denied, being denied, denied access,
        denied entry, denied bail, denied permission, denied the request, false alarm, fake tan,
        the rejected, a rejected, his rejected, her rejected, their rejected,
        lying low, lying in, lying on, lying at, lying down, bomb hoax, hoax call, hoax calls,
        hoax caller, hoax callers""", 0.0),
    ],
}
# Turning down a proposal is an act, not a verdict on a claim: "Abbas rejected the offer".
_LEXICON["neutral"].append((", ".join(
    f"{verb} {det} {obj}".replace("  ", " ")
    for verb in sorted(_words("reject rejects rejected rejecting dismiss dismisses dismissed dismissing"))
    for det in ("", "the", "a", "an", "his", "her", "its", "their", "this", "that")
    for obj in sorted(_words("""deal offer proposal plan bid request idea appeal application motion
        bill amendment invitation demand demands call calls case lawsuit suit"""))
), 0.0))
_PRIORITY = {"neutral": 0, "refutation": 1, "skepticism": 2, "confirmation": 3, "hedge": 4, "attribution": 5}

_NEGATORS = _words("not no never neither nor none nobody nothing without")
_BOUNDARIES = frozenset([",", ";", ":", "(", ")", '"', "but", "and", "while", "although", "though"])
_FLIP = {"refutation": "confirmation", "skepticism": "confirmation", "confirmation": "skepticism"}
_SCOPE = 3            # a negator at most this many words before a cue flips it
_VERIFY_DOUBT = 0.2   # weight of "not confirmed": nobody vouched, which is not a rejection
_DOUBT = 0.4          # weakest refutation or doubt that counts as questioning something
_CONTRACTIONS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_IS_AFTER = frozenset(["it", "that", "this", "there", "what", "he", "she", "who", "here"])
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[,;:()\"]")
_QUESTION = re.compile(r"\?[\"')\]\s]*$")


@dataclass(frozen=True)
class Cue:
    """One cue in a sentence: its class, weight and word span ``[start, end)``."""

    kind: str
    weight: float
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """A sentence as the stance rules see it: its words and the cues found among them."""

    tokens: tuple[str, ...]
    cues: tuple[Cue, ...]

    @cached_property
    def stems(self) -> tuple[str | None, ...]:
        """Content stems aligned with ``tokens`` (None for stop words, numbers and punctuation)."""
        stops = stop_words()
        return tuple(stem(t) if len(t) > 1 and t.isalpha() and t not in stops else None for t in self.tokens)

    @cached_property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.cues)

    def strength(self, *kinds: str) -> float:
        """The weight of the strongest cue of these kinds (0 when there is none)."""
        return max((c.weight for c in self.cues if c.kind in kinds), default=0.0)

    def cue_positions(self) -> frozenset[int]:
        return frozenset(i for c in self.cues for i in range(c.start, c.end))


def _tokenize(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for m in _TOKEN.finditer(fold(text).lower()):
        word = m.group()
        if word.endswith("n't"):
            base = word[:-3]
            out.extend([_CONTRACTIONS.get(base, base), "not"] if base else ["not"])
        elif word.endswith("'s") and word[:-2] in _IS_AFTER:
            out.extend([word[:-2], "is"])
        else:
            out.append(word.split("'")[0])
    return tuple(w for w in out if w)


_Entry = tuple[tuple[str, ...], str, float]


def _compile() -> dict[str, list[_Entry]]:
    """Phrases indexed by their first word; a ``*`` first word is indexed by its first 3 letters."""
    index: dict[str, list[_Entry]] = {}
    for kind, groups in _LEXICON.items():
        for phrases, weight in groups:
            for phrase in (tuple(p.split()) for p in phrases.split(",")):
                if phrase:
                    key = phrase[0][:3] + "*" if phrase[0].endswith("*") else phrase[0]
                    index.setdefault(key, []).append((phrase, kind, weight))
    return index


_INDEX = _compile()


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _match_at(tokens: tuple[str, ...], i: int) -> tuple[int, str, float] | None:
    """The longest lexicon phrase starting at ``tokens[i]``: ``(length, kind, weight)``."""
    best: tuple[int, str, float] | None = None
    for phrase, kind, weight in _INDEX.get(tokens[i], []) + _INDEX.get(tokens[i][:3] + "*", []):
        n = len(phrase)
        if i + n > len(tokens) or not all(_word_matches(p, t) for p, t in zip(phrase, tokens[i : i + n], strict=True)):
            continue
        if best is None or (n, -_PRIORITY[kind]) > (best[0], -_PRIORITY[best[1]]):
            best = (n, kind, weight)
    return best


def _in_scope(tokens: tuple[str, ...], negator: int, cue: int) -> bool:
    return 0 < cue - negator <= _SCOPE and not any(t in _BOUNDARIES for t in tokens[negator + 1 : cue])


@lru_cache(maxsize=65536)
def read(text: str) -> Reading:
    """The sentence's words and cues, with negation scope applied."""
    tokens = _tokenize(text)
    found: list[Cue] = []
    negators: list[int] = []
    i = 0
    while i < len(tokens):
        match = _match_at(tokens, i)
        if match:
            n, kind, weight = match
            if kind != "neutral":
                found.append(Cue(kind, weight, i, i + n))
            i += n
            continue
        if tokens[i] in _NEGATORS:
            negators.append(i)
        i += 1
    used: set[int] = set()
    cues: list[Cue] = []
    for cue in found:
        scope = [j for j in negators if j not in used and _in_scope(tokens, j, cue.start)]
        if cue.kind in _FLIP and scope:
            used.add(scope[-1])
            weight = _VERIFY_DOUBT if cue.kind == "confirmation" else cue.weight
            cues.append(Cue(_FLIP[cue.kind], weight, scope[-1], cue.end))
        else:
            cues.append(cue)
    cues += [Cue("negation", 1.0, j, j + 1) for j in negators if j not in used]
    if _QUESTION.search(text.rstrip()):
        cues.append(Cue("hedge", 0.5, len(tokens), len(tokens)))
    return Reading(tokens, tuple(sorted(cues, key=lambda c: (c.start, c.kind))))


def sentence_cues(text: str) -> frozenset[str]:
    """The cue classes in a sentence: ``refutation``, ``skepticism``, ``confirmation``,
    ``attribution``, ``hedge``, ``negation``. ``did not deny`` and ``not a hoax`` read as
    confirmation, ``not confirmed`` as (weak) skepticism."""
    return read(text).kinds


_DOUBTING = frozenset(["refutation", "skepticism"])
_NOT_PLAIN = _DOUBTING | {"hedge"}


def _questions(reading: Reading) -> bool:
    """The sentence refutes or doubts something (beyond a mere verification hedge)."""
    return reading.strength("refutation", "skepticism") >= _DOUBT


# --- the claim -----------------------------------------------------------------------------------

# Words a claim uses to talk about itself: they say nothing about what is claimed.
_META = frozenset(stem(w) for w in _words(
    """report reports reported claim claims story stories news rumor rumour article source sources
    media say says said tell told week month year day today yesterday people just really actually
    finally reason reasons thing things"""
))
_AUXILIARIES = _words("do does did is are was were has have had will would can could should must")


def claim_terms(claim: str) -> frozenset[str]:
    """The claim's content stems, without its cue words (``hoax``, ``denies``) or self-reference."""
    reading = read(claim)
    skip = reading.cue_positions()
    return frozenset(s for i, s in enumerate(reading.stems) if s and i not in skip and s not in _META)


def _negated_verb(tokens: tuple[str, ...], at: int) -> bool:
    """``not`` after an auxiliary that has a subject: ``Seth Rich did not send``, not the
    imperative ``Hands up, don't shoot``."""
    return at >= 2 and tokens[at - 1] in _AUXILIARIES and tokens[at - 2] not in _BOUNDARIES | {"please"}


def is_negative(claim: str) -> bool:
    """The claim itself refutes, doubts or denies something: ``... is a hoax``, ``X denies ...``,
    ``critics question ...``, or a negated verb (``did not send``, ``has not banned``). A question
    (``Real or hoax?``) takes no side, so it is never negative."""
    reading = read(claim)
    if _QUESTION.search(claim.rstrip()):
        return False
    for cue in reading.cues:
        if cue.kind == "refutation" or (cue.kind == "skepticism" and cue.weight >= _DOUBT):
            return True
        if cue.kind == "negation" and _negated_verb(reading.tokens, cue.start):
            return True
    return False


# --- a document's stance toward a claim ----------------------------------------------------------

# Words that point back at what was just said: "The story is a hoax", "These claims are false".
_REFERS_BACK = _words(
    """it this that these those such story stories report reports claim claims rumor rumors rumour
    rumours photo photos photograph photographs picture pictures image images video videos footage
    news tale tales article articles post posts narrative account allegation allegations"""
)

WINDOW = 10         # claim words within this many words of a cue make the cue about the claim
SATURATION = 0.4    # a sentence covering this share of the claim's weight is fully about it
BACK_REACH = 4      # a referring-back word among a sentence's first words, before its cue ...
BACK_DECAY = 0.8    # ... inherits this share of the relevance of the two sentences before
FLOOR = 0.3         # relevance granted to any cue in a document about the claim
TOP = 4             # a document's strongest rejecting sentences that combine
REJECT_MIN = 0.6    # combined strength a document needs to reject the claim
ASSERT_MIN = 0.5    # share of the claim's weight a plain sentence must cover to assert it ...
TOLD_MIN = 0.5      # ... or its undoubted sentences together (its plain ones, against a
                    # negative claim), in a document ...
TOLD_DOUBT = 0.35   # ... that raises no more doubt than this


@dataclass(frozen=True)
class _Topic:
    """The claim's terms weighted by the share of documents that use them: the anchor words."""

    weights: Mapping[str, float]
    total: float

    @classmethod
    def build(cls, terms: frozenset[str], documents: Iterable[Sequence[Reading]]) -> _Topic:
        df: Counter[str] = Counter()
        n = 0
        for readings in documents:
            n += 1
            df.update(terms.intersection(s for r in readings for s in r.stems if s))
        weights = {t: df[t] / n for t in terms if df[t]}
        return cls(weights, math.fsum(weights.values()))

    def coverage(self, stems: Iterable[str | None]) -> float:
        """The share of the claim's weight among ``stems``."""
        if not self.total:
            return 0.0
        return math.fsum(self.weights.get(s, 0.0) for s in set(stems) if s) / self.total

    def relevance(self, stems: Iterable[str | None]) -> float:
        """Coverage, saturated: a sentence need not repeat the whole claim to be about it."""
        return min(1.0, self.coverage(stems) / SATURATION)


_STORY = _REFERS_BACK - _words("it this that these those such")
_PRONOUNS = _words("it this that these those they")
_COPULAS = _words("is was are were be been")
_SAID_OF = _REFERS_BACK | _PRONOUNS  # subjects of a verdict on what was told before


def _anaphoric(reading: Reading, cue: Cue) -> bool:
    """The cue's subject is a pronoun (``said it was untrue``, ``this is a hoax``): its target is
    whatever was said before, not the words around it."""
    before = reading.tokens[max(cue.start - 3, 0) : cue.start]
    return any(t in _PRONOUNS and nxt in _COPULAS for t, nxt in zip(before, before[1:], strict=False))


def _said_of_before(reading: Reading, cue: Cue) -> bool:
    """Is the cue said of something mentioned before? Its sentence opens with a referring word
    (``This story is false``), its subject is a pronoun or the story itself (``... said it was
    untrue``, ``experts say the report is false``), or so is its object (``deny the news``,
    ``dismissed these claims``)."""
    before = reading.tokens[max(cue.start - 3, 0) : cue.start]
    after = reading.tokens[cue.end : cue.end + 3]
    return bool(
        _REFERS_BACK.intersection(reading.tokens[: min(cue.start, BACK_REACH)])
        or any(t in _SAID_OF and nxt in _COPULAS for t, nxt in zip(before, before[1:], strict=False))
        or _STORY.intersection(after)
        or (after and after[0] in _PRONOUNS)
    )


def _rejection(readings: Sequence[Reading], i: int, topic: _Topic) -> float:
    """How strongly sentence ``i`` refutes or doubts the claim: cue weight x relevance near it
    (or, for a cue said of something before, of the two sentences before)."""
    reading = readings[i]
    best = 0.0
    for cue in reading.cues:
        if cue.kind not in _DOUBTING:
            continue
        relevance = topic.relevance(reading.stems[max(cue.start - WINDOW, 0) : cue.end + WINDOW])
        if _said_of_before(reading, cue):
            before = [topic.relevance(readings[j].stems) for j in range(max(i - 2, 0), i)]
            relevance = max(relevance, BACK_DECAY * max(before, default=0.0))
        best = max(best, cue.weight * max(relevance, FLOOR))
    return best


def _best(scores: Iterable[tuple[float, int]]) -> tuple[float, int]:
    return max(scores, key=lambda x: (x[0], -x[1]), default=(0.0, -1))


# A sentence that passes a story on ("CNN reported ...", "according to a source", "a report has
# claimed") tells what was said, not what happened.
_PASSED_ON = _words(
    """report reports reported reporting according claim claims claimed claiming alleges alleged
    allegedly rumor rumors rumour rumours"""
)


def _passes_on(reading: Reading) -> bool:
    return bool(_PASSED_ON.intersection(reading.tokens))


def _told(readings: Sequence[Reading], topic: _Topic, excluded: frozenset[str], own: bool = False) -> tuple[float, int]:
    """The claim's weight covered by the sentences free of the ``excluded`` cues (and, when
    ``own``, of those that pass a report on), together; and the one of them that covers most."""
    kept = [i for i, r in enumerate(readings) if not r.kinds & excluded and not (own and _passes_on(r))]
    best = _best((topic.coverage(readings[i].stems), i) for i in kept)
    return topic.coverage(s for i in kept for s in readings[i].stems), best[1]


@dataclass(frozen=True)
class _Verdict:
    """A document's evidence: ``(strength, sentence index)`` for each way it can side."""

    reject: tuple[float, int]   # its strongest rejections, combined; the strongest sentence
    plain: tuple[float, int]    # its best plain statement of the claim
    told: tuple[float, int]     # the claim's weight its undoubted sentences cover together
    plainly_told: tuple[float, int]  # ... its plain sentences in its own voice (no doubt, no
                                     # hedge, no report passed on)


def _verdict(readings: Sequence[Reading], topic: _Topic) -> _Verdict:
    rejections = sorted(((_rejection(readings, i, topic), i) for i in range(len(readings))), key=lambda x: (-x[0], x[1]))
    combined = 1.0 - math.prod(1.0 - min(r, 0.95) for r, _ in rejections[:TOP])
    return _Verdict(
        (combined, rejections[0][1] if rejections else -1),
        _best((0.0 if r.kinds & _NOT_PLAIN else topic.coverage(r.stems), i) for i, r in enumerate(readings)),
        _told(readings, topic, _DOUBTING),
        _told(readings, topic, _NOT_PLAIN, own=True),
    )


def _stance(verdict: _Verdict, negative: bool) -> tuple[Stance, int, float] | None:
    """The document's stance toward the claim, its evidence sentence and the stance's strength."""
    (reject, reject_at), (plain, plain_at) = verdict.reject, verdict.plain
    if reject >= REJECT_MIN:
        return ("asserts" if negative else "rejects"), reject_at, reject
    if not negative:
        if plain >= ASSERT_MIN:
            return "asserts", plain_at, plain
        told, told_at = verdict.told
        return ("asserts", told_at, told) if told >= TOLD_MIN and reject <= TOLD_DOUBT else None
    # Against a debunking claim, a document that tells the story in plain sentences, raising
    # little doubt, takes the other side; one that hedges it ("reportedly") or passes it on as
    # a report ("CNN reported ...") only discusses it.
    told, told_at = verdict.plainly_told
    return ("rejects", told_at, told) if told >= TOLD_MIN and reject <= TOLD_DOUBT else None


@dataclass(frozen=True)
class StanceEvidence:
    """The sentence that shows a document's stance; ``index`` points into the sentences passed in."""

    doc_id: str
    index: int
    stance: Stance
    score: float


def stance_sides(claim: str, documents: Mapping[str, Sequence[str]]) -> dict[Stance, list[StanceEvidence]] | None:
    """The documents that assert ``claim`` and those that question or reject it, or None.

    ``documents`` maps a document id to its sentences. Each side holds at most one entry per
    document (its strongest sentence), sorted by document id. None unless both sides have one:
    all asserting, all discussing or all debunking is no dispute.
    """
    readings = {doc_id: [read(s) for s in sentences] for doc_id, sentences in documents.items()}
    topic = _Topic.build(claim_terms(claim), readings.values())
    if not topic.total:
        return None
    negative = is_negative(claim)
    sides: dict[Stance, list[StanceEvidence]] = {"asserts": [], "rejects": []}
    for doc_id in sorted(readings):
        found = _stance(_verdict(readings[doc_id], topic), negative)
        if found:
            stance, index, score = found
            sides[stance].append(StanceEvidence(doc_id, index, stance, round(score, 4)))
    return sides if sides["asserts"] and sides["rejects"] else None


# --- point-level stance --------------------------------------------------------------------------

# "Officials, however, insist ...": a contrary view set against the point, without a cue word.
_CONTRAST = _words("however nevertheless nonetheless contrary")
_COUNTER = _words("insist insists insisted insisting maintain maintains maintained counter counters countered argue argues argued")


def _shares_content(a: Reading, b: Reading, near: slice | None = None, least: int = 1) -> bool:
    """Do ``a`` and ``b`` (or its ``near`` span) share ``least`` content words, or ``a``'s first
    one (its subject, as a rule: "The ceasefire collapsed" and "... insist the ceasefire held")?"""
    own = [s for s in a.stems if s]
    shared = set(own).intersection(s for s in (b.stems[near] if near else b.stems) if s)
    return bool(shared) and (len(shared) >= least or own[0] in shared)


_CLAUSE_BREAKS = frozenset([";", "but", "while", "although", "though", "whereas"])


def _clause(reading: Reading, cue: Cue) -> slice:
    """The words around ``cue`` (at most ``WINDOW`` each way) up to a clause break."""
    start = cue.start
    while start > max(cue.start - WINDOW, 0) and reading.tokens[start - 1] not in _CLAUSE_BREAKS:
        start -= 1
    end = cue.end
    while end < min(cue.end + WINDOW, len(reading.tokens)) and reading.tokens[end] not in _CLAUSE_BREAKS:
        end += 1
    return slice(start, end)


# A sentence that passes on a claim or report states nothing itself: "Reports claimed she ...".
_DISTANCING = _words("claim claims claimed claiming alleges report reports reported rumor rumors rumour rumours")
SHARED = 2  # content words a doubt's clause must share with the assertion (or its first one)


def questions_assertion(assertion: str, other: str, other_context: str | None = None) -> bool:
    """Does ``other`` question, reject or attribute-and-dispute what ``assertion`` states?

    For two sentences already judged to be about the same point. ``other`` disputes when it
    refutes or doubts (``... was a hoax``, ``critics argue ...``), or sets an attributed view
    against it (``Officials, however, insist ...``), and ``assertion`` does not do the same; or
    when it vouches for what ``assertion`` refutes (``it is not a hoax`` against ``... was a
    hoax``). A negated or hedged assertion (``he did not ...``, a question) is never taken as
    questioned: a refutation may well agree with it.

    An assertion that only passes on a claim (``Reports claimed she ...``, ``a rumour that ...``)
    states nothing to question.

    The doubt must touch the assertion: two content words in common (or the assertion's first,
    its subject as a rule) in the cue's clause, or, when the cue points back (``This narrative,
    however, is false``, ``... said it was untrue``), a content word shared by the assertion and
    ``other_context``, the sentence before ``other`` (accepted when not given).
    """
    a, o = read(assertion), read(other)
    if "hedge" in a.kinds or "negation" in a.kinds:
        return False
    if _questions(a):
        return "confirmation" in o.kinds and not _questions(o) and _shares_content(a, o)
    if _DISTANCING.intersection(a.tokens):
        return False
    cues = [c for c in o.cues if c.kind in ("refutation", "skepticism") and c.weight >= _DOUBT]
    if not cues and _CONTRAST.intersection(o.tokens):
        cues = [c for c in o.cues if c.kind == "attribution" and _COUNTER.intersection(o.tokens[c.start : c.end])]
    if not cues:
        return False
    points_back = bool(_REFERS_BACK.intersection(o.tokens[:BACK_REACH]))
    for cue in cues:
        if _anaphoric(o, cue):
            points_back = True
        elif _shares_content(a, o, _clause(o, cue), SHARED):
            return True
    return points_back and (other_context is None or _shares_content(a, read(other_context)))
