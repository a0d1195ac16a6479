"""Views of a finished brief: a page that fits a chat window, one point in full, two sides compared.

The brief is computed once, in full; every view is read from it, so a page, a point fetched by id
and a comparison never disagree with each other or with the brief:

- ``page`` keeps one page of points at a detail level (``short``: the representative quote of each
  point and one quote per side of a dispute; ``normal``: a few quotes and the per-source section;
  ``full``: everything), with a cursor for the next page;
- ``item`` returns one point, dispute or single-source point in full by its id;
- ``compare`` reads two sides (documents, outlets or leanings) off the brief: what both report,
  what only one reports, where they take different sides.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

from briefing.errors import BadCursor, BriefingError, DocumentNotFound
from briefing.models import (
    Agreement,
    Brief,
    Comparison,
    Dispute,
    DocumentInfo,
    Note,
    Outlet,
    SingleSource,
)
from briefing.settings import PAGE_POINTS, Detail

By = Literal["document", "outlet", "leaning"]
QUOTES = {"short": 1, "normal": 3, "full": 1000}
OUTLETS_SHOWN = {"short": 6, "normal": 12, "full": 1000}
NOTES_SHOWN = {"short": 3, "normal": 10, "full": 1000}
NOTE_PRIORITY = ("scope", "near_duplicate", "instructions")


# --- the scope line -----------------------------------------------------------------------------------


def scoped(brief: Brief, total: int) -> Brief:
    """A brief that read fewer documents than the corpus holds says so in its first line."""
    if not brief.topic and any(n.kind == "scope" for n in brief.notes) and total > len(brief.sources):
        line = (
            f"Only the {len(brief.sources)} most recent documents (by date) of the {total} in the corpus "
            "are briefed; give a topic or sources to brief others. "
        )
        return brief.model_copy(update={"overview": line + brief.overview})
    return brief


# --- a page --------------------------------------------------------------------------------------------


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = int(cursor)
    except ValueError:
        value = -1
    if value < 0:
        raise BadCursor(
            f"{cursor!r} is not a cursor of this brief; pass the next_cursor of the previous page, or none for the first"
        )
    return value


def _outlets(outlets: Sequence[Outlet], detail: Detail) -> list[Outlet]:
    keep = outlets[:OUTLETS_SHOWN[detail]]
    return [o.model_copy(update={"documents": []}) for o in keep] if detail != "full" else list(keep)


def page(
    brief: Brief, *, detail: Detail = "short", cursor: str | None = None, limit: int = PAGE_POINTS,
    include_sources: bool | None = None,
) -> Brief:
    """One page of ``brief`` at ``detail``: ``limit`` points of each kind from ``cursor`` on.

    The per-source section comes with ``normal`` and ``full`` detail, or on request
    (``include_sources``); the source-by-point coverage matrix only with ``full`` (each point's
    outlets and the per-leaning coverage say the same, smaller).
    """
    start = _offset(cursor)
    end = start + limit
    quotes = QUOTES[detail]

    def agreement(a: Agreement) -> Agreement:
        kept = [a.summary] + [q for q in a.quotes if q.citation != a.summary.citation]
        framing = [p.model_copy(update={"quotes": p.quotes[:quotes], "outlets": _outlets(p.outlets, detail)})
                   for p in a.framing]
        return a.model_copy(update={"quotes": kept[:quotes], "outlets": _outlets(a.outlets, detail), "framing": framing})

    def dispute(d: Dispute) -> Dispute:
        return d.model_copy(update={"positions": [
            p.model_copy(update={"quotes": p.quotes[:quotes], "outlets": _outlets(p.outlets, detail)})
            for p in d.positions
        ]})

    def single(s: SingleSource) -> SingleSource:
        if detail == "full" or s.outlet is None:
            return s
        return s.model_copy(update={"outlet": s.outlet.model_copy(update={"documents": []})})

    sections = (brief.agreements, brief.disputes, brief.single_source)
    more = any(len(items) > end for items in sections)
    shown_points = {a.id for a in brief.agreements[start:end]}
    with_sources = include_sources if include_sources is not None else detail != "short"
    leanings = brief.leanings
    if detail == "short":
        leanings = [v.model_copy(update={"reports": [], "loaded_terms": v.loaded_terms[:5],
                                         "outlets": v.outlets[:OUTLETS_SHOWN[detail]]}) for v in leanings]
    return brief.model_copy(update={
        "agreements": [agreement(a) for a in brief.agreements[start:end]],
        "disputes": [dispute(d) for d in brief.disputes[start:end]],
        "single_source": [single(s) for s in brief.single_source[start:end]],
        "blindspots": [b for b in brief.blindspots if b.point in shown_points],
        "per_source": brief.per_source if with_sources else [],
        "coverage": brief.coverage if detail == "full" else [],
        "leanings": leanings,
        "notes": _notes(brief.notes, NOTES_SHOWN[detail], essential_only=detail == "short"),
        "next_cursor": str(end) if more else None,
        "truncated": brief.truncated or more,
    })


def _notes(notes: Sequence[Note], limit: int, essential_only: bool = False) -> list[Note]:
    """At most ``limit`` notes, the scope, copies and instruction-like text first; with
    ``essential_only`` (short detail) only those, and how many others there are."""
    ranked = sorted(notes, key=lambda n: NOTE_PRIORITY.index(n.kind) if n.kind in NOTE_PRIORITY else 9)
    kept = [n for n in ranked if n.kind in NOTE_PRIORITY] if essential_only else ranked
    kept = kept[:limit]
    if len(kept) == len(notes):
        return kept
    more = len(notes) - len(kept)
    return kept + [Note(kind="scope", message=(
        f"{more} more data-quality note{'s' if more != 1 else ''}; list_sources (or detail='full') shows them"
    ))]


# --- one item ----------------------------------------------------------------------------------------


def item(brief: Brief, item_id: str) -> Agreement | Dispute | SingleSource:
    """The point (``A…``), dispute (``D…``) or single-source point (``S…``) with this id, in full."""
    wanted = item_id.strip().upper()
    items: list[Agreement | Dispute | SingleSource] = [*brief.agreements, *brief.disputes, *brief.single_source]
    for found in items:
        if found.id == wanted:
            return found
    known = [x.id for x in items]
    raise BriefingError(
        f"no point {item_id!r} in this brief; its ids are {', '.join(known[:12])}"
        + (" …" if len(known) > 12 else "") + " (pass the same topic and sources as the brief)"
    )


# --- two sides --------------------------------------------------------------------------------------


def side(docs: Sequence[DocumentInfo], label: str, by: By) -> list[str]:
    """The ids of the documents on one side: a document id, an outlet name or a leaning."""
    from briefing.ingest.metadata import outlet_key
    from briefing.leaning import leaning_of, outlet_name

    wanted = label.strip().lower()
    if by == "document":
        return [d.id for d in docs if d.id == wanted]
    if by == "outlet":
        return [d.id for d in docs if outlet_key(outlet_name(d)) == outlet_key(label)]
    return [d.id for d in docs if leaning_of(d) == wanted]


def compare(brief: Brief, labels: tuple[str, str], sides: tuple[Collection[str], Collection[str]], by: By) -> Comparison:
    """Two sides read off ``brief``. A point both report is shared; a point only one reports is
    theirs alone; a dispute where they take different sides is where they differ — and a quote
    shown where they differ is not shown again as shared."""
    a, b = (set(s) for s in sides)
    for label, docs in zip(labels, (a, b), strict=True):
        if not docs:
            raise DocumentNotFound(
                f"no document of {label!r} in this brief; list the {by}s with 'briefing sources'"
                + (" or give a topic they cover" if by != "document" else "")
            )

    def on(docs: set[str], sources: Collection[str]) -> bool:
        return bool(docs & set(sources))

    differ = []
    for d in brief.disputes:
        sides_a = {i for i, p in enumerate(d.positions) if on(a, p.sources)}
        sides_b = {i for i, p in enumerate(d.positions) if on(b, p.sources)}
        if sides_a and sides_b and sides_a != sides_b:
            keep = a | b
            differ.append(d.model_copy(update={"positions": [
                p.model_copy(update={
                    "sources": [s for s in p.sources if s in keep],
                    "quotes": [q for q in p.quotes if q.doc_id in keep],
                    "outlets": [o for o in p.outlets if set(o.documents) & keep],
                })
                for p in d.positions if on(keep, p.sources)
            ]}))
    in_differ = {q.citation for d in differ for p in d.positions for q in p.quotes}

    def narrowed(x: Agreement, keep: set[str]) -> Agreement:
        quotes = [q for q in x.quotes if q.doc_id in keep and q.citation not in in_differ]
        summary = x.summary if x.summary.doc_id in keep else (quotes[0] if quotes else x.summary)
        return x.model_copy(update={
            "quotes": quotes, "summary": summary, "sources": [s for s in x.sources if s in keep],
            "outlets": [o for o in x.outlets if set(o.documents) & keep],
        })

    shared, only_points = [], []
    for x in brief.agreements:
        if on(a, x.sources) and on(b, x.sources):
            n = narrowed(x, a | b)
            if n.quotes:
                shared.append(n)
        elif on(a, x.sources) or on(b, x.sources):
            only_points.append(narrowed(x, a if on(a, x.sources) else b))
    only = [s for s in brief.single_source if s.source in a or s.source in b]
    return Comparison(sources=list(labels), shared=shared, only=only, disputes=differ, by=by,
                      only_points=[p for p in only_points if p.quotes],
                      members={labels[0]: sorted(a), labels[1]: sorted(b)})
