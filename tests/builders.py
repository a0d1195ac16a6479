"""Tiny builders for the corpus tests: files on disk, an opened corpus, the seed articles."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from briefing.corpus import Corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Two unrelated short articles (exact copies are stored once, so tests vary them on purpose).
ARTICLE = (
    "The city council approved a new budget on Tuesday after a long debate. "
    "The plan raises spending on schools and public transport by four percent. "
    "Opposition members said the increase would not cover rising costs. "
    "The mayor called the vote a fair compromise for residents."
)
OTHER_ARTICLE = (
    "A storm brought heavy rain to the coast overnight, flooding several roads. "
    "Emergency crews rescued drivers stranded near the harbour. "
    "Forecasters expect the weather to clear by the weekend."
)


def make_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{"name.txt": "One. Two."}`` under ``root`` (str as UTF-8, bytes verbatim); returns root."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def open_corpus(path: Path, db: Path | str | None = None) -> Corpus:
    """The corpus at ``path``, synced, with its database in the test's temporary directory."""
    return Corpus.open(path, db=db or os.environ["BRIEFING_DB"])


def copy_seeds(dest: Path) -> Path:
    """A writable copy of the bundled seed articles."""
    shutil.copytree(SEEDS, dest)
    return dest


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def original_text(path: str | Path | None) -> str:
    """The decoded text of a UTF-8 file: what its citations index into."""
    assert path is not None, "the document has no path"
    return Path(path).read_bytes().decode("utf-8-sig")


def table_rows(corpus: Corpus, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in corpus.store.query(sql)]


def cited_sentences(corpus: Corpus) -> list[tuple[str, str]]:
    """Every stored sentence as ``(citation, text)``, in document order."""
    return [(s.citation, s.text) for s, _ in corpus.store.all_sentences()]


def doc_id_of(corpus: Corpus, filename: str) -> str:
    """The id of the document stored from the file called ``filename``."""
    for doc in corpus.sources():
        if any(Path(p).name == filename for p in doc.paths):
            return doc.id
    raise AssertionError(f"no document from {filename}; have {[d.paths for d in corpus.sources()]}")


def edit_file(path: Path, content: str | bytes) -> None:
    """Rewrite a file as a later edit would: new content and a modification time one second on
    (file systems may keep the same time stamp for two writes in quick succession)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    later = max(path.stat().st_mtime_ns, before + 10**9)
    os.utime(path, ns=(later, later))
