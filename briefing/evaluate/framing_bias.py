"""The NeuS framing-bias metric (Lee et al., NAACL 2022): arousal of the words a summary adds.

As coded in the NeuS authors' notebook (``HLTCHKUST/framing-bias-metric``, ``metric_code.ipynb``):

1. **Preprocess** the generated text and the reference alike: replace ``U.S.`` with ``USA``, lower-case,
   delete every character that is neither a word character nor whitespace (``re.sub(r'[^\\w\\s]', '', t)``:
   "don't" → "dont", "well-known" → "wellknown"), tokenise, lemmatise each token as a *noun*, join
   with spaces.
2. **Calibrate**: the unique tokens of the generated text that are absent from the reference.
3. For each such token that is a key of the NRC-VAD lexicon (exact match): valence > 0.65 adds its
   arousal to **Arousal+**, valence < 0.35 adds it to **Arousal-**; mid-valence words are not counted.
   Each word counts once per text; there is no length normalisation, so compare texts of equal length.
4. A system's figures are the means over its texts; **Arousal sum** = Arousal+ + Arousal-. Lower means
   less framing bias.

Two substitutions, applied to every system alike, because NLTK's data packages cannot be downloaded
here: the tokeniser is NLTK's ``TreebankWordTokenizer`` over ``briefing.text.segment.split_sentences``
(``nltk.word_tokenize`` is Punkt sentence splitting followed by an improved Treebank tokeniser; on text
without punctuation both leave little to split), and the lemmatiser is ``lemmatize_noun`` below, a
rule-based stand-in for ``WordNetLemmatizer().lemmatize(w)`` (pos ``n``). Given the WordNet 3.0
database files (``index.noun`` and ``noun.exc``, e.g. from Debian's ``wordnet-base`` package in
``/usr/share/wordnet``), ``WordNetNouns`` reproduces NLTK's lemmatiser exactly instead.

The lexicon is read at run time from a path (NRC-VAD may not be redistributed); nothing of it is
stored in the project.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.errors import LexiconMissing

POSITIVE = 0.65  # valence above this: a positive word
NEGATIVE = 0.35  # valence below this: a negative word

Lemmatizer = Callable[[str], str]


# --- the lexicon ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VAD:
    valence: float
    arousal: float
    dominance: float


def load_vad(path: Path) -> dict[str, VAD]:
    """``word<TAB>valence<TAB>arousal<TAB>dominance`` lines; a header or malformed line is skipped."""
    if not path.is_file():
        raise LexiconMissing(
            f"no NRC-VAD lexicon at {path}; pass its path with --lexicon "
            "(see eval-data/nrc-vad/SOURCE.md)"
        )
    lexicon: dict[str, VAD] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                continue
            try:
                lexicon[parts[0]] = VAD(float(parts[1]), float(parts[2]), float(parts[3]))
            except ValueError:
                continue
    return lexicon


# --- the offline noun lemmatiser -------------------------------------------------------------------

_IRREGULAR = {
    "children": "child", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth",
    "geese": "goose", "mice": "mouse", "lice": "louse", "oxen": "ox", "criteria": "criterion",
    "phenomena": "phenomenon", "media": "medium", "analyses": "analysis", "crises": "crisis",
    "theses": "thesis", "hypotheses": "hypothesis", "diagnoses": "diagnosis", "syntheses": "synthesis",
    "emphases": "emphasis", "parentheses": "parenthesis", "oases": "oasis", "quizzes": "quiz",
    "lives": "life", "wives": "wife", "knives": "knife", "leaves": "leaf", "halves": "half",
    "wolves": "wolf", "selves": "self", "shelves": "shelf", "thieves": "thief", "loaves": "loaf",
    "calves": "calf", "elves": "elf", "scarves": "scarf", "hooves": "hoof", "sheaves": "sheaf",
    "goes": "go", "heroes": "hero", "potatoes": "potato", "tomatoes": "tomato", "vetoes": "veto",
    "echoes": "echo", "torpedoes": "torpedo", "volcanoes": "volcano", "mosquitoes": "mosquito",
    "dominoes": "domino", "embargoes": "embargo", "tornadoes": "tornado",
}

# Words ending in s that are not plurals (or whose singular is the same word).
_INVARIANT = frozenset(
    "news series species politics economics physics mathematics athletics headquarters whereabouts "
    "chaos ethos pathos cosmos kudos lens bias alias atlas canvas christmas whereas pancreas "
    "perhaps always sometimes towards afterwards besides nevertheless".split()
)

# Nouns ending in -us whose plural is -uses (others ending in -uses drop only the s: causes → cause).
_US_NOUNS = frozenset(
    "bus virus bonus campus focus census status circus chorus surplus consensus genius prospectus "
    "syllabus apparatus hiatus sinus cactus octopus walrus lotus nexus fetus caucus stimulus "
    "thesaurus citrus exodus abacus minus plus onus corpus rebus".split()
)

# Nouns ending in -che (their plural looks like a -ches plural of a -ch word).
_CHE_NOUNS = frozenset(
    "ache headache toothache backache heartache stomachache earache niche cache cliche avalanche "
    "psyche quiche moustache mustache creche microfiche panache".split()
)

# Plurals that end in -ie + s rather than -y + ies.
_IE_NOUNS = frozenset(
    "movie cookie rookie zombie calorie brownie hippie selfie goalie prairie auntie veggie "
    "sweetie genie pixie smoothie boogie birdie bootie".split()
)

# Words ending in -men that are not plurals of -man.
_MEN_SINGULAR = frozenset(
    "amen omen specimen abdomen regimen stamen semen hymen yemen acumen lumen ramen bitumen "
    "albumen germen dolmen cyclamen".split()
)


def lemmatize_noun(word: str) -> str:
    """The singular of an English plural noun; any other word is returned unchanged.

    A rule-based, dictionary-free stand-in for WordNet's noun lemmatiser: irregular plurals from a
    list (``children`` → ``child``, ``wolves`` → ``wolf``), ``-ies`` → ``-y`` (``policies`` → ``policy``,
    short ones and ``-ie`` nouns drop the s: ``ties`` → ``tie``, ``movies`` → ``movie``), ``-sses``,
    ``-xes``, ``-zzes``, ``-ches``, ``-shes`` drop ``es`` (``taxes`` → ``tax``), ``-men`` → ``-man``,
    and otherwise a final ``s`` is dropped. Left alone: words of three letters or fewer, words with
    digits, words ending in ``ss``, ``us`` or ``is`` (``crisis``, ``status``), invariant words
    (``news``, ``politics``) and long ``-izes`` / ``-ifies`` verbs. Unlike WordNet it cannot tell
    whether the singular is a noun, so verb forms lose their s too (``threatens`` → ``threaten``,
    where WordNet keeps ``threatens`` because *threaten* is no noun).
    """
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha() or w in _INVARIANT:
        return w
    if w.endswith("men"):
        return w if w in _MEN_SINGULAR else w[:-3] + "man"
    if not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return w
    if (w.endswith("izes") and len(w) > 6) or w.endswith("ifies"):
        return w
    if w.endswith("ies"):
        if len(w) <= 4 or w[:-1] in _IE_NOUNS:
            return w[:-1]
        return w[:-3] + "y"
    if w.endswith("uses") and w[:-2] in _US_NOUNS:
        return w[:-2]
    if w.endswith(("sses", "xes", "zzes", "shes")):
        return w[:-2]
    if w.endswith("ches"):
        return w[:-1] if w[:-1] in _CHE_NOUNS else w[:-2]
    return w[:-1]


class WordNetNouns:
    """NLTK's ``WordNetLemmatizer().lemmatize(w)`` (pos ``n``) over WordNet database files.

    Reads ``index.noun`` and ``noun.exc`` from a WordNet 3.0 ``dict`` directory and applies WordNet's
    morphy as NLTK 3.7 codes it: the exception list, else the suffix rules once — then repeatedly
    while nothing found is a noun; of the forms that are nouns (the word itself included) the
    shortest wins; with none the word is returned unchanged.
    """

    SUBSTITUTIONS = (
        ("s", ""), ("ses", "s"), ("ves", "f"), ("xes", "x"), ("zes", "z"),
        ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y"),
    )

    def __init__(self, nouns: Iterable[str], exceptions: Mapping[str, list[str]]) -> None:
        self.nouns = frozenset(nouns)
        self.exceptions = dict(exceptions)

    @classmethod
    def from_dir(cls, path: Path) -> WordNetNouns:
        index, exc = path / "index.noun", path / "noun.exc"
        if not index.is_file() or not exc.is_file():
            raise LexiconMissing(
                f"no WordNet index.noun and noun.exc in {path}; give a WordNet 3.0 dict directory "
                "(Debian's wordnet-base installs one at /usr/share/wordnet) or leave --wordnet out"
            )
        with index.open(encoding="latin-1") as lines:
            nouns = [line.split(" ", 1)[0] for line in lines if line.strip() and not line.startswith(" ")]
        exceptions: dict[str, list[str]] = {}
        with exc.open(encoding="latin-1") as lines:
            for line in lines:
                parts = line.split()
                if len(parts) >= 2:
                    exceptions.setdefault(parts[0], []).extend(parts[1:])
        return cls(nouns, exceptions)

    def _rules(self, forms: list[str]) -> list[str]:
        return [f[: -len(old)] + new for f in forms for old, new in self.SUBSTITUTIONS if f.endswith(old)]

    def _nouns(self, forms: list[str]) -> list[str]:
        return list(dict.fromkeys(f for f in forms if f in self.nouns))

    def __call__(self, word: str) -> str:
        if word in self.exceptions:
            found = self._nouns([word, *self.exceptions[word]])
        else:
            forms = self._rules([word])
            found = self._nouns([word, *forms])
            while not found and forms:
                forms = self._rules(forms)
                found = self._nouns(forms)
        return min(found, key=len) if found else word


# --- preprocessing and the metric ------------------------------------------------------------------

_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1)
def _treebank() -> Callable[[str], list[str]]:
    from nltk.tokenize import TreebankWordTokenizer

    tokenize: Callable[[str], list[str]] = TreebankWordTokenizer().tokenize
    return tokenize


def tokenize(text: str) -> list[str]:
    """Our sentence splitter, then NLTK's Treebank tokeniser on each sentence (no NLTK data needed)."""
    from briefing.text.segment import split_sentences

    return [token for sentence in split_sentences(text) for token in _treebank()(sentence)]


def preprocess(text: str, lemmatize: Lemmatizer = lemmatize_noun) -> str:
    """The notebook's ``preprocess_text``: U.S. → USA, lower case, no punctuation, noun lemmas."""
    text = _PUNCTUATION.sub("", text.replace("U.S.", "USA").lower())
    return " ".join(lemmatize(token) for token in tokenize(text))


@dataclass(frozen=True)
class Arousal:
    """Summed arousal of the positive and the negative words a text adds to its reference."""

    positive: float
    negative: float
    positive_words: tuple[str, ...] = ()
    negative_words: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return self.positive + self.negative


def added_words(generated: str, reference: str, lemmatize: Lemmatizer = lemmatize_noun) -> set[str]:
    """Unique preprocessed tokens of ``generated`` that the preprocessed reference lacks."""
    return set(tokenize(preprocess(generated, lemmatize))) - set(tokenize(preprocess(reference, lemmatize)))


def arousal(
    generated: str, reference: str, lexicon: Mapping[str, VAD], lemmatize: Lemmatizer = lemmatize_noun
) -> Arousal:
    """Arousal+ and Arousal- of one generated text against its reference (see the module doc)."""
    positive: list[str] = []
    negative: list[str] = []
    for word in sorted(added_words(generated, reference, lemmatize)):
        entry = lexicon.get(word)
        if entry is None:
            continue
        if entry.valence > POSITIVE:
            positive.append(word)
        elif entry.valence < NEGATIVE:
            negative.append(word)
    return Arousal(
        positive=sum(lexicon[w].arousal for w in positive),
        negative=sum(lexicon[w].arousal for w in negative),
        positive_words=tuple(positive),
        negative_words=tuple(negative),
    )
