"""Document ids and citation ids: made, formatted and parsed here, nowhere else.

A document's id comes from its file or record name (``004_074d0d399cf2dab1.txt`` → ``004``); a
sentence's citation is ``<document id>:<n>``, ``n`` counting the document's kept sentences from 1.
Re-ingesting an unchanged file gives the same ids, so citations in notes and tests never rot.
"""

from __future__ import annotations

import re

from briefing.errors import InvalidCitation, shown

CITATION = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*):(\d{1,9})\s*$")
CITATION_FORM = "<document id>:<sentence number>, e.g. 004:7"
MAX_ID_LENGTH = 40
_HASH_TAIL = re.compile(r"[_\-.][0-9a-f]{8,}$", re.IGNORECASE)
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def id_candidates(name: str) -> list[str]:
    """Readable ids for a document named ``name``, in order of preference.

    ``004_074d0d399cf2dab1`` → ``["004", "004_074d0d399cf2dab1"]``: a trailing hexadecimal hash
    is dropped when something is left; the full name is the fallback when the short one is taken.
    """
    full = _UNSAFE.sub("-", name.lower()).strip("-._")[:MAX_ID_LENGTH].strip("-._") or "doc"
    short = _HASH_TAIL.sub("", full)
    return [short, full] if short and short != full else [full]


def citation(doc_id: str, n: int) -> str:
    """The citation id of sentence ``n`` (from 1) of document ``doc_id``: ``004:7``."""
    return f"{doc_id}:{n}"


def parse_citation(value: str) -> tuple[str, int]:
    """``" 004:7 "`` → ``("004", 7)``; anything else is an ``InvalidCitation`` naming the form."""
    m = CITATION.match(value or "")
    if not m:
        raise InvalidCitation(
            f"{shown(value)} is not a citation id; ids look like {CITATION_FORM} (see 'briefing sources')"
        )
    return m.group(1).lower(), int(m.group(2))
