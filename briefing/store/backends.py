"""Choosing a full-text index: the registered backends by name (``BRIEFING_SEARCH``).

``tantivy`` when it is installed, else ``sqlite`` (FTS5). A new backend implements
``index.SearchIndex`` and is added to ``BACKENDS`` and ``open_index`` here.
"""

from __future__ import annotations

from briefing.store.index import IndexedStore, SearchIndex

BACKENDS = ("tantivy", "sqlite")


def available(name: str) -> bool:
    if name == "tantivy":
        try:
            import tantivy  # noqa: F401
        except ImportError:
            return False
    return name in BACKENDS


def default_backend() -> str:
    """``tantivy`` when it is installed, else ``sqlite``."""
    return "tantivy" if available("tantivy") else "sqlite"


def open_index(store: IndexedStore, name: str) -> SearchIndex:
    from briefing.errors import ConfigError

    if name not in BACKENDS:
        raise ConfigError(f"no search backend {name!r}; choose one of {', '.join(BACKENDS)} (BRIEFING_SEARCH)")
    if name == "tantivy":
        if not available("tantivy"):
            raise ConfigError(
                "the tantivy search backend is not installed; 'pip install tantivy', or set "
                "BRIEFING_SEARCH=sqlite to search with SQLite FTS5"
            )
        from briefing.store.fulltext_tantivy import TantivyIndex

        return TantivyIndex(store)
    from briefing.store.fulltext_sqlite import Fts5Index

    return Fts5Index(store)
