"""The embedded database: schema and writes, sync with the files, near-duplicates, search."""

from briefing.store.sqlite import Store

__all__ = ["Store"]
