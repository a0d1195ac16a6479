"""One error family. Every message says what was wrong and what to do next.

The MCP server turns these into ``ToolError`` and the CLI into a one-line message with a
non-zero exit code; anything that is not a ``BriefingError`` is a bug and is masked at the edges.
"""

from __future__ import annotations


def shown(value: object, width: int = 60) -> str:
    """A value quoted for an error message, cut to ``width`` characters."""
    text = str(value)
    return repr(text if len(text) <= width else text[: width - 3] + "...")


class BriefingError(Exception):
    """Base class: a user-facing problem with a message that names the fix."""

    exit_code = 1


class ConfigError(BriefingError):
    """A setting, flag or environment variable has an unusable value."""

    exit_code = 2


class CorpusNotFound(BriefingError):
    """The corpus path does not exist or holds no readable documents."""


class DocumentNotFound(BriefingError):
    """A document id is not in the corpus."""


class InvalidCitation(BriefingError):
    """A citation id is malformed or points at no sentence."""


class InvalidQuery(BriefingError):
    """A search query or topic has nothing searchable in it, or a filter is malformed."""


class NothingToSummarize(BriefingError):
    """The selection (sources, topic) matched no sentences."""


class UnknownMethod(BriefingError):
    """A summary method name is not in the registry."""

    exit_code = 2


class ReadOnlyError(BriefingError):
    """A write was asked of a corpus opened read-only."""


class PathNotAllowed(BriefingError):
    """A path lies outside the configured allowed roots."""


class StoreError(BriefingError):
    """The database cannot be opened or written."""


class TemplateError(BriefingError):
    """A prompt template is missing or a template variable was not supplied."""


class EvaluationDataError(BriefingError):
    """An evaluation file is missing or not in the expected shape."""


class BadCursor(BriefingError):
    """A brief page's cursor is not one a page of this brief gave."""

    exit_code = 2


class LexiconError(BriefingError):
    """A lexicon file is missing or has a malformed line."""


class LexiconMissing(BriefingError):
    """The VAD lexicon file is absent; the framing-bias metric is skipped."""


class EvalDataMissing(BriefingError):
    """The evaluation file is absent; the evaluation is skipped rather than failed."""


# --- inside ingestion: each becomes a skipped file or a note, never reaches a user as an error ---


class SkipFile(Exception):
    """This file (or record) cannot be ingested; the message is the one-line reason."""


class MetadataError(ValueError):
    """A header or registry row that cannot be read; the message says where and what to fix.
    ``body_start`` is where the text after an unreadable header starts (``0``: no header found)."""

    def __init__(self, message: str, body_start: int = 0) -> None:
        super().__init__(message)
        self.body_start = body_start
