"""One error family. Every message says what was wrong and what to do next.

The MCP server turns these into ``ToolError`` and the CLI into a one-line message with a
non-zero exit code; anything that is not a ``BriefingError`` is a bug and is masked at the edges.
"""

from __future__ import annotations


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
