"""briefing: neutral, cited multi-source briefs from a corpus of documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.errors import BriefingError

if TYPE_CHECKING:
    from briefing.corpus import Corpus

__all__ = ["BriefingError", "Corpus"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``Corpus`` is imported on first use: ``briefing serve`` and ``briefing --help`` start
    without the store, the models and their dependencies."""
    if name == "Corpus":
        from briefing.corpus import Corpus

        return Corpus
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
