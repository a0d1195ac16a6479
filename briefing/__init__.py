"""briefing: neutral, cited multi-source briefs from a corpus of documents."""

from briefing.corpus import Corpus
from briefing.errors import BriefingError

__all__ = ["BriefingError", "Corpus"]
__version__ = "0.1.0"
