"""Extractive summaries: a registry of summarisers behind one call signature.

``METHODS`` (the CLI's ``--method`` choices and the MCP enum) imports nothing heavy; the
summarisers and their dependencies (sumy, numpy, scipy) load when a summary is first made.

* ``units``     — sentences with their document metadata, and the length budget
* ``registry``  — method name → summariser
* ``coverage``  — the default multi-document method
* ``classic``   — sumy's algorithms and the lead baseline
* ``pipeline``  — corpus or plain texts → units → summariser → quotes
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from briefing.summarize.registry import DESCRIPTIONS, METHODS, check_method

if TYPE_CHECKING:
    from briefing.models import Summary
    from briefing.store import Store

__all__ = ["DESCRIPTIONS", "METHODS", "check_method", "summarize_corpus", "summarize_texts"]


def summarize_corpus(
    store: Store,
    *,
    query: str | None = None,
    sources: Sequence[str] | None = None,
    method: str = "default",
    sentences: int | None = None,
    words: int | None = None,
) -> Summary:
    """A cited extractive summary of the store's sources (ids already checked), of a query's best
    documents, or of everything."""
    from briefing.summarize import pipeline

    return pipeline.summarize_corpus(
        store, query=query, sources=sources, method=method, sentences=sentences, words=words
    )


def summarize_texts(
    documents: Sequence[Mapping[str, Any]],
    method: str = "default",
    words: int | None = None,
    sentences: int | None = None,
    query: str | None = None,
) -> list[str]:
    """The summary sentences of plain ``{"id", "title", "text", "date"}`` documents, in order."""
    from briefing.summarize import pipeline

    return pipeline.summarize_texts(documents, method, words=words, sentences=sentences, query=query)
