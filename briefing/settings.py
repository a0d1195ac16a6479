"""One settings object: defaults, overridden by ``BRIEFING_*`` environment variables, then by flags.

==========================  ===============================  ==========================================
setting                     environment variable             default
==========================  ===============================  ==========================================
corpus                      ``BRIEFING_CORPUS``              the bundled ``seeds/`` articles
db                          ``BRIEFING_DB``                  ``<user data dir>/briefing/<corpus>-<hash>.sqlite3``
                                                             (a ``postgresql://user@host/db`` URL: PostgreSQL)
read_only                   ``BRIEFING_READ_ONLY``           false
allowed_roots               ``BRIEFING_ALLOWED_ROOTS``       the corpus directory (``os.pathsep``-separated)
max_file_bytes              ``BRIEFING_MAX_FILE_BYTES``      50,000,000
max_json_depth              ``BRIEFING_MAX_JSON_DEPTH``      64
max_html_depth              ``BRIEFING_MAX_HTML_DEPTH``      2,000 (nested tags)
max_document_chars          ``BRIEFING_MAX_DOC_CHARS``       2,000,000 (characters of one document's text)
near_duplicate_threshold    ``BRIEFING_NEAR_DUP``            0.5 (shingle containment)
brief_max_sentences         ``BRIEFING_BRIEF_MAX_SENTENCES`` 2,000 (sentences one brief reads)
brief_seconds               ``BRIEFING_BRIEF_SECONDS``       30 (then the brief stops and says so)
search                      ``BRIEFING_SEARCH``              ``tantivy`` when installed, else ``sqlite`` (FTS5);
                                                             in PostgreSQL ``rum`` where installed, else ``gin``
http_token                  ``BRIEFING_TOKEN``               none (required for non-loopback HTTP)
allowed_hosts               ``BRIEFING_ALLOWED_HOSTS``       none: HTTP answers only requests whose ``Host`` and
                                                             ``Origin`` name this server (comma-separated extras)
==========================  ===============================  ==========================================
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

from briefing.errors import ConfigError

Detail = Literal["short", "normal", "full"]  # how much of a brief or comparison, on every surface
DETAILS: tuple[str, ...] = get_args(Detail)
MAX_POINTS = 12  # points per section of a brief (``Corpus.brief``, ``briefing brief --max-points``)
PAGE_POINTS = 5  # points per section of one page of it (the MCP and LangChain ``brief`` tool)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def bundled_seeds() -> Path:
    """The bundled default corpus: ``seeds/`` beside the package, or installed under ``share/``."""
    candidates = [
        Path(__file__).resolve().parent.parent / "seeds",
        Path(sysconfig.get_path("data")) / "share" / "briefing" / "seeds",
        Path(sys.prefix) / "share" / "briefing" / "seeds",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def default_db_path(corpus: Path) -> Path:
    """Where a corpus's database lives when ``--db`` / ``BRIEFING_DB`` are not given."""
    from platformdirs import user_data_dir

    resolved = str(corpus.expanduser().resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:10]
    name = "".join(c if c.isalnum() else "-" for c in corpus.name.lower()).strip("-") or "corpus"
    return Path(user_data_dir("briefing", appauthor=False)) / f"{name}-{digest}.sqlite3"


def is_database_url(value: object) -> bool:
    """A ``postgresql://`` URL (a database server), not a file path."""
    return isinstance(value, str) and value.lower().startswith(("postgresql://", "postgres://"))


def _path(value: str | Path, name: str) -> Path:
    """A configured path, ``~`` expanded; a NUL or an unknown ``~user`` is a configuration error."""
    text = str(value)
    if "\x00" in text:
        raise ConfigError(f"{name} contains a NUL character; set it to a real path")
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "~nosuchuser/..."
        raise ConfigError(f"{name}={text!r} names an unknown user's home; write the full path") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def _env_number(name: str, default: float, kind: type = int) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to e.g. {default}") from None


@dataclass(frozen=True)
class Settings:
    corpus: Path = field(default_factory=bundled_seeds)
    db: Path | str | None = None  # a path, or a postgresql:// URL (kept as written)
    read_only: bool = False
    allowed_roots: tuple[Path, ...] = ()
    max_file_bytes: int = 50_000_000
    max_json_depth: int = 64
    max_html_depth: int = 2000
    max_document_chars: int = 2_000_000
    near_duplicate_threshold: float = 0.5
    brief_max_sentences: int = 2000
    brief_seconds: float = 30.0
    http_token: str | None = field(default=None, repr=False)
    allowed_hosts: tuple[str, ...] = ()
    search: str | None = None  # the full-text backend; None: the default (see briefing.store.index)

    def __post_init__(self) -> None:  # paths given as strings (the Python API) become Paths
        if not isinstance(self.corpus, Path):
            object.__setattr__(self, "corpus", Path(self.corpus))
        if self.db is not None and not isinstance(self.db, Path) and not is_database_url(self.db):
            object.__setattr__(self, "db", Path(self.db))
        object.__setattr__(self, "allowed_roots", tuple(Path(p) for p in self.allowed_roots))
        if self.http_token is not None and not self.http_token.strip():
            object.__setattr__(self, "http_token", None)  # a blank token is no token

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``BRIEFING_*`` variables, then the non-``None`` keyword overrides."""
        env = os.environ
        values: dict[str, object] = {}
        if env.get("BRIEFING_CORPUS"):
            values["corpus"] = _path(env["BRIEFING_CORPUS"], "BRIEFING_CORPUS")
        if env.get("BRIEFING_DB"):
            db = env["BRIEFING_DB"]
            values["db"] = db if is_database_url(db) else _path(db, "BRIEFING_DB")
        values["read_only"] = _env_bool("BRIEFING_READ_ONLY", False)
        if env.get("BRIEFING_ALLOWED_ROOTS"):
            values["allowed_roots"] = tuple(
                _path(p, "BRIEFING_ALLOWED_ROOTS") for p in env["BRIEFING_ALLOWED_ROOTS"].split(os.pathsep) if p
            )
        values["max_file_bytes"] = int(_env_number("BRIEFING_MAX_FILE_BYTES", 50_000_000))
        values["max_json_depth"] = int(_env_number("BRIEFING_MAX_JSON_DEPTH", 64))
        values["max_html_depth"] = int(_env_number("BRIEFING_MAX_HTML_DEPTH", 2000))
        values["max_document_chars"] = int(_env_number("BRIEFING_MAX_DOC_CHARS", 2_000_000))
        values["near_duplicate_threshold"] = float(_env_number("BRIEFING_NEAR_DUP", 0.5, float))
        values["brief_max_sentences"] = int(_env_number("BRIEFING_BRIEF_MAX_SENTENCES", 2000))
        values["brief_seconds"] = float(_env_number("BRIEFING_BRIEF_SECONDS", 30.0, float))
        if env.get("BRIEFING_TOKEN"):
            values["http_token"] = env["BRIEFING_TOKEN"]
        if env.get("BRIEFING_ALLOWED_HOSTS", "").strip():
            values["allowed_hosts"] = tuple(h.strip() for h in env["BRIEFING_ALLOWED_HOSTS"].split(",") if h.strip())
        if env.get("BRIEFING_SEARCH", "").strip():
            values["search"] = env["BRIEFING_SEARCH"].strip().lower()
        values.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("corpus", "db"):
            if values.get(key) is not None and not is_database_url(values[key]):
                values[key] = _path(values[key], f"the {key} path")  # type: ignore[arg-type]
        if values.get("allowed_roots"):
            values["allowed_roots"] = tuple(
                _path(p, "an allowed root") for p in values["allowed_roots"]  # type: ignore[attr-defined]
            )
        settings = cls(**values)  # type: ignore[arg-type]
        if not 0.0 < settings.near_duplicate_threshold <= 1.0:
            raise ConfigError("the near-duplicate threshold must lie in (0, 1]; try 0.5")
        if settings.max_file_bytes < 1:
            raise ConfigError("the maximum file size must be positive; try 50000000")
        if settings.max_json_depth < 1:
            raise ConfigError("the maximum JSON depth must be positive; try 64")
        if settings.max_html_depth < 1:
            raise ConfigError("the maximum HTML depth must be positive; try 2000")
        if settings.max_document_chars < 1:
            raise ConfigError("the maximum document length must be positive; try 2000000")
        if settings.brief_max_sentences < 2:
            raise ConfigError("a brief must read at least 2 sentences; try BRIEFING_BRIEF_MAX_SENTENCES=2000")
        if not settings.brief_seconds > 0:
            raise ConfigError("the brief's time budget must be positive; try BRIEFING_BRIEF_SECONDS=30")
        if settings.search is not None and settings.search not in ("tantivy", "sqlite", "rum", "gin"):
            raise ConfigError(
                f"BRIEFING_SEARCH={settings.search!r} is not a search backend; use tantivy or sqlite "
                "(or, for a postgresql:// database, rum or gin)"
            )
        return settings

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def db_path(self) -> Path | str:
        """The database file, or the ``postgresql://`` URL of a shared database."""
        return self.db if self.db is not None else default_db_path(self.corpus)

    @property
    def roots(self) -> tuple[Path, ...]:
        """Directories under which paths may be read on a client's request."""
        if self.allowed_roots:
            return tuple(p.expanduser().resolve() for p in self.allowed_roots)
        corpus = self.corpus.expanduser().resolve()
        return (corpus if corpus.is_dir() else corpus.parent,)
