"""Document metadata: who published a text, with which leaning, where and when.

Three places give it, most specific first:

- the fields of a JSON/JSONL record (``outlet``/``source``, ``leaning``, ``country``, ``author``,
  ``date``, ``url``; any other short field is kept as an extra);
- a front-matter block at the top of a ``.txt``/``.md`` file — the ``---`` YAML header that static
  site tools use. The header is not part of the reporting: the sentences start after it, and their
  citation offsets still point into the original file;
- the corpus's sources registry, ``outlets.csv`` at the top of a corpus directory, which labels
  each outlet once: ``outlet,domain,leaning,country,owner``. A document whose own metadata has no
  leaning takes it from the row matching its outlet name or its URL's domain.

A malformed header or registry row is a clear message for that file or line, never a crash.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefing.errors import MetadataError

REGISTRY_NAME = "outlets.csv"
# Record fields read as metadata (after the loaders' own title/source/date/url fields).
LEANING_KEYS = ("leaning", "lean", "bias", "political_leaning")
COUNTRY_KEYS = ("country",)
AUTHOR_KEYS = ("author", "authors", "byline")
OWNER_KEYS = ("owner",)
KNOWN = {"title", "headline", "source", "outlet", "publisher", "site", "sitename", "domain", "date",
         "published", "published_at", "publish_date", "date_publish", "pubdate", "url", "link",
         "news_link", "text", "body", "content", "article", "maintext", "id", "doc_id", "document_id",
         *LEANING_KEYS, *COUNTRY_KEYS, *AUTHOR_KEYS, *OWNER_KEYS}
MAX_EXTRA_CHARS = 200  # longer extra fields (a second copy of the text, say) are not metadata
MAX_EXTRAS = 20
_FENCE = re.compile(r"^---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def scalar(value: Any) -> str | None:
    """A metadata value as text: strings and numbers as they are, lists of them joined by ', '."""
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    if hasattr(value, "isoformat"):  # YAML reads 2024-03-05 as a date
        return str(value.isoformat())
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v).strip() for v in value if str(v).strip()) or None
    return None


def first(obj: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        found = scalar(obj.get(key))
        if found:
            return found
    return None


def extras(obj: Mapping[str, Any]) -> dict[str, str]:
    """Unknown short fields, kept as text (``{"section": "politics"}``)."""
    out: dict[str, str] = {}
    for key, value in obj.items():
        if not isinstance(key, str) or key.lower() in KNOWN or len(out) >= MAX_EXTRAS:
            continue
        text = scalar(value)
        if text and len(text) <= MAX_EXTRA_CHARS:
            out[key] = text
    return out


def record_meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The leaning, country, author, owner and extras of a record or header (empty ones left out)."""
    meta: dict[str, Any] = {
        "leaning": first(obj, LEANING_KEYS), "country": first(obj, COUNTRY_KEYS),
        "author": first(obj, AUTHOR_KEYS), "owner": first(obj, OWNER_KEYS),
    }
    meta = {k: v for k, v in meta.items() if v}
    found = extras(obj)
    if found:
        meta["extra"] = found
    return meta


# --- front matter ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrontMatter:
    """A header's fields and where the body starts (``0``: no header)."""

    fields: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0


def front_matter(text: str) -> FrontMatter:
    """The ``---`` YAML block opening ``text``, if any. Raises ``MetadataError`` for one that
    opens but cannot be read (no closing ``---``, invalid YAML, not a mapping)."""
    opening = _FENCE.match(text)
    if not opening:
        return FrontMatter()
    close = _CLOSE.search(text, opening.end())
    if not close:
        raise MetadataError("front matter opens with '---' but never closes; end the header with a '---' line")
    import yaml

    block = text[opening.end():close.start()]
    end = close.end()
    if text[end:end + 2] == "\r\n":
        end += 2
    elif text[end:end + 1] == "\n":
        end += 1
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise MetadataError(
            f"front matter is not valid YAML{where}: {problem}; write one 'key: value' per line", end
        ) from None
    if data is None:
        return FrontMatter({}, end)
    if not isinstance(data, dict):
        raise MetadataError(
            "front matter must be 'key: value' lines (a YAML mapping), not a list or a value", end
        )
    return FrontMatter({str(k).lower(): v for k, v in data.items()}, end)


# --- the sources registry ---------------------------------------------------------------------------


def domain(url: str | None) -> str | None:
    """``https://www.cnn.com/2021/...`` → ``cnn.com``."""
    if not url:
        return None
    text = url.strip().lower()
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    host = host.removeprefix("www.")
    return host or None


def outlet_key(name: str) -> str:
    """Outlet names compared loosely: case, spaces and a parenthesised note (``CNN (Online News)``)."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip().lower())
    return re.sub(r"\s+", " ", name)


@dataclass(frozen=True)
class OutletEntry:
    outlet: str
    leaning: str | None = None
    country: str | None = None
    owner: str | None = None


@dataclass(frozen=True)
class Registry:
    """Outlet name or domain → its row of ``outlets.csv``."""

    by_name: dict[str, OutletEntry] = field(default_factory=dict)
    by_domain: dict[str, OutletEntry] = field(default_factory=dict)

    def lookup(self, source: str | None, url: str | None) -> OutletEntry | None:
        if source and outlet_key(source) in self.by_name:
            return self.by_name[outlet_key(source)]
        if source and domain(source) in self.by_domain:  # a source given as a domain
            return self.by_domain[domain(source) or ""]
        host = domain(url)
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2] if host.count(".") > 1 else None  # edition.cnn.com → cnn.com
        return None

    def as_json(self) -> list[dict[str, str | None]]:
        rows = {id(e): e for e in [*self.by_name.values(), *self.by_domain.values()]}
        keys = {id(e): [d for d, x in self.by_domain.items() if x is e] for e in rows.values()}
        return [
            {"outlet": e.outlet, "domain": " ".join(keys[i]) or None, "leaning": e.leaning,
             "country": e.country, "owner": e.owner}
            for i, e in rows.items()
        ]


def parse_registry(text: str) -> tuple[Registry, list[str]]:
    """Rows of ``outlet,domain,leaning,country,owner`` (a header row names the columns; only
    ``outlet`` is required, ``domain`` may list several separated by spaces). Returns the registry
    and one message per row that could not be read."""
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "outlet" not in columns:
        return Registry(), [
            "line 1: the header must name an 'outlet' column (outlet,domain,leaning,country,owner)"
        ]
    by_name: dict[str, OutletEntry] = {}
    by_domain: dict[str, OutletEntry] = {}
    problems: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            problems.append(f"line {number}: more fields than the header's {len(columns)} columns; quote a value holding a comma")
            continue
        if not any(row.values()):
            continue
        name = row.get("outlet", "")
        domains = [d for d in (domain(x) for x in row.get("domain", "").split()) if d]
        if not name and not domains:
            problems.append(f"line {number}: no outlet name or domain; give the outlet's name in the first column")
            continue
        entry = OutletEntry(
            outlet=name or domains[0], leaning=row.get("leaning") or None,
            country=row.get("country") or None, owner=row.get("owner") or None,
        )
        if name:
            if "." in name and " " not in name and domain(name):
                domains.append(domain(name) or "")
            by_name[outlet_key(name)] = entry
        for d in domains:
            by_domain[d] = entry
    return Registry(by_name, by_domain), problems


def registry_file(root: Path) -> Path | None:
    """The registry of a corpus directory (``None`` for a single file or a directory without one)."""
    try:
        path = root / REGISTRY_NAME
        return path if root.is_dir() and path.is_file() else None
    except OSError:
        return None


def resolve(
    source: str | None, url: str | None, meta: Mapping[str, Any], registry: Registry | None
) -> dict[str, Any]:
    """A document's own metadata completed from the registry: its own values win."""
    out = dict(meta)
    entry = registry.lookup(source, url) if registry else None
    if entry:
        for key in ("leaning", "country", "owner"):
            if not out.get(key) and getattr(entry, key):
                out[key] = getattr(entry, key)
        if not source:
            out["outlet"] = entry.outlet
    return out
