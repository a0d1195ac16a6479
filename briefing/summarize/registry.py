"""Every summariser behind one call signature, keyed by the names the CLI and MCP tools offer.

A summariser takes the units (sentences of every selected document, in source order), a budget
and an optional query, and returns the indexes of the units it picks. The modules behind the
names (sumy, numpy) load only when a method is first used, so importing ``METHODS`` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from briefing.errors import UnknownMethod

if TYPE_CHECKING:
    from briefing.summarize.units import Budget, Unit

Summarizer = Callable[[list["Unit"], "Budget", "str | None"], list[int]]

# name → (module, function): the default first, then the baselines
_ENTRIES: dict[str, tuple[str, str]] = {
    "default": ("briefing.summarize.coverage", "summarize"),
    "lead": ("briefing.summarize.classic", "lead"),
    "lexrank": ("briefing.summarize.classic", "lexrank"),
    "textrank": ("briefing.summarize.classic", "textrank"),
    "lsa": ("briefing.summarize.classic", "lsa"),
    "luhn": ("briefing.summarize.classic", "luhn"),
    "kl": ("briefing.summarize.classic", "kl"),
    "sumbasic": ("briefing.summarize.classic", "sumbasic"),
    "edmundson": ("briefing.summarize.classic", "edmundson"),
    "reduction": ("briefing.summarize.classic", "reduction"),
}

METHODS: tuple[str, ...] = tuple(_ENTRIES)

DESCRIPTIONS: dict[str, str] = {
    "default": "multi-source concept coverage: what many sources report, once, fair to each source",
    "lead": "round-robin lead: each document's first sentence, then each second sentence",
    "lexrank": "sumy LexRank: centrality among similar sentences",
    "textrank": "sumy TextRank: PageRank over word overlap",
    "lsa": "sumy LSA: strongest sentences of the latent topics",
    "luhn": "sumy Luhn: clusters of frequent words",
    "kl": "sumy KL-Sum: match the input's word distribution",
    "sumbasic": "sumy SumBasic: frequent words, down-weighted once used",
    "edmundson": "sumy Edmundson: key words, title words and position",
    "reduction": "sumy Reduction: most overlap with all other sentences",
}


def check_method(method: str) -> str:
    """The method's registry key, or ``UnknownMethod`` naming the valid ones."""
    key = (method or "").strip().lower()
    if key not in _ENTRIES:
        raise UnknownMethod(
            f"no summary method {method!r}; choose one of {', '.join(METHODS)} (default: default)"
        )
    return key


def get(method: str) -> Summarizer:
    """The summariser registered under ``method``."""
    module, name = _ENTRIES[check_method(method)]
    func: Summarizer = getattr(import_module(module), name)
    return func
