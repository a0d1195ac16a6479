"""Static sentence vectors: the mean of small token vectors distilled from a sentence encoder.

``briefing/data/token_vectors.npz`` holds one 64-dimensional vector (int8 codes and a scale) for each WordPiece token of
all-MiniLM-L6-v2 (Apache-2.0), encoded alone by that model and reduced by PCA
(``bench/distill_vectors.py`` rebuilds it; numpy reads it, nothing else is needed at run time).
Words are split into WordPiece tokens the way the encoder's tokenizer does (lower-cased, accents
stripped, greedy longest match), so "migrants" and "immigrants" or "slain" and "killed" get
related vectors although they share no stem.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np

from briefing.text.tokens import stem, stop_words, words

DIMS = 64
_MAX_WORD = 40  # longer "words" (URLs, hashes) carry no meaning worth a vector


class _Table:
    """The token vectors as shipped: int8 codes and one scale per token. A token's vector is its
    codes times its scale in float32, worked out for the tokens a brief reads only (the whole
    table in float32 is 7 MB that a brief of a few documents would build and barely read)."""

    def __init__(self, codes: np.ndarray, scale: np.ndarray) -> None:
        self.codes = codes
        self.scale = scale.astype(np.float32)

    def __getitem__(self, ids: list[int]) -> np.ndarray:
        return self.codes[ids].astype(np.float32) * self.scale[ids][:, None]


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, int], _Table]:
    with files("briefing").joinpath("data/token_vectors.npz").open("rb") as fh:
        data = np.load(fh)
        vocab = data["vocab"].tobytes().decode("utf-8").split("\n")
        table = _Table(data["codes"], data["scale"])
    return {t: i for i, t in enumerate(vocab)}, table


def _strip_accents(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=200_000)
def word_pieces(word: str) -> tuple[int, ...]:
    """Token ids of one lower-cased word: greedy longest match, ``##`` for continuations."""
    vocab, _ = _table()
    word = _strip_accents(word)
    if len(word) > _MAX_WORD:
        return ()
    ids: list[int] = []
    for part in word.replace("'", " ' ").replace("-", " - ").replace(".", " . ").split():
        start = 0
        while start < len(part):
            end = len(part)
            found = -1
            while end > start:
                piece = part[start:end] if start == 0 else "##" + part[start:end]
                if piece in vocab:
                    found = vocab[piece]
                    break
                end -= 1
            if found < 0:
                break  # an unknown piece: the rest of the word carries no vector
            ids.append(found)
            start = end
    return tuple(ids)


@lru_cache(maxsize=200_000)
def _content_piece(word: str) -> tuple[str, tuple[int, ...]] | None:
    """``(stem, token ids)`` of a content word; ``None`` for a stop word or one character."""
    if word in stop_words() or len(word) <= 1:
        return None
    return stem(word), word_pieces(word)


@lru_cache(maxsize=65536)  # a brief reads each sentence once per pass; corpora repeat sentences
def _pieces(text: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``(stem, token ids)`` for each content word of the text."""
    return tuple(p for p in map(_content_piece, words(text)) if p is not None)


def sentence_vectors(texts: Sequence[str], exclude: Collection[str] = frozenset()) -> np.ndarray:
    """One unit-length vector per text: the mean of its content words' token vectors, leaving
    out words whose stem is in ``exclude`` (a story's anchor words)."""
    _, table = _table()
    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    ids: list[int] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for row, text in enumerate(texts):
        before = len(ids)
        ids.extend(i for s, pieces in _pieces(text) if not (exclude and s in exclude) for i in pieces)
        counts[row] = len(ids) - before
    rows = np.flatnonzero(counts)
    if len(rows):
        # each text's mean in one go: its vectors summed row by row (``np.add.reduceat``, as
        # ``mean`` sums them), then divided in float32
        starts = np.concatenate([[0], np.cumsum(counts[rows])[:-1]])
        sums = np.add.reduceat(table[ids], starts, axis=0)
        out[rows] = sums / counts[rows].astype(np.float32)[:, None]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
