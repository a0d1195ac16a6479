"""The embedded database: schema, the one writer, near-duplicate groups, full-text search and retrieval."""

from briefing.store.sqlite import Store

__all__ = ["Store"]
