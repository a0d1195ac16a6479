"""The brief by leaning: which outlets, of which leaning, report each point, and what one side only carries.

Runs on a finished ``Brief`` with the metadata of its documents (``DocumentInfo``): it names the
outlets of every point, dispute side and single-source point with their leanings, says which of
the brief's leanings are silent on each point, lists the **blindspots** — points reported by
several independent sources, all of one leaning, while the brief holds others — and, per
leaning, its outlets, the points they are part of and the loaded terms they use.

It also completes what the brief leaves to its readers: every single-source quote carries its
loaded-term flags like every other quote, and a brief that read fewer documents than the corpus
holds says so in its first line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from briefing.align.loaded import LoadedLexicon
from briefing.ingest.metadata import domain
from briefing.models import (
    Agreement,
    Blindspot,
    Brief,
    DocumentInfo,
    DocumentRef,
    LeaningView,
    Outlet,
    Quote,
    SingleSource,
)

UNLABELLED = "unlabelled"
# The conventional scale, in reading order; any other label follows, alphabetically.
CONVENTIONAL = ("far left", "left", "lean left", "center", "centre", "lean right", "right", "far right")


def outlet_name(doc: DocumentRef) -> str:
    """The outlet of a document: its source, else its URL's domain, else its id."""
    return (doc.source or "").strip() or domain(doc.url) or doc.id


def leaning_of(doc: DocumentRef) -> str:
    return (doc.leaning or "").strip().lower() or UNLABELLED


def leaning_order(leanings: Iterable[str]) -> list[str]:
    def key(label: str) -> tuple[int, int, str]:
        if label == UNLABELLED:
            return (2, 0, label)
        if label in CONVENTIONAL:
            return (0, CONVENTIONAL.index(label), label)
        return (1, 0, label)

    return sorted(set(leanings), key=key)


def outlets_of(doc_ids: Iterable[str], infos: Mapping[str, DocumentRef]) -> list[Outlet]:
    """The outlets of these documents, grouped by name, in leaning order then by name."""
    found: dict[str, tuple[str, list[str]]] = {}
    for d in dict.fromkeys(doc_ids):
        info = infos.get(d)
        if info is None:
            continue
        name = outlet_name(info)
        leaning, docs = found.setdefault(name, (leaning_of(info), []))
        docs.append(d)
    order = {label: i for i, label in enumerate(leaning_order(v[0] for v in found.values()))}
    return [
        Outlet(name=name, leaning=None if lean == UNLABELLED else lean, documents=docs)
        for name, (lean, docs) in sorted(found.items(), key=lambda kv: (order[kv[1][0]], kv[0].lower()))
    ]


def _leanings(outlets: Sequence[Outlet]) -> list[str]:
    return leaning_order(o.leaning or UNLABELLED for o in outlets)


def coverage_phrase(reporting: Sequence[str], silent: Sequence[str]) -> str:
    """``reported by left and center outlets, silent on the right``."""
    def joined(items: Sequence[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    named = [x for x in reporting if x != UNLABELLED]
    text = f"reported by {joined(named)} outlets" if named else "reported by unlabelled outlets"
    if named and UNLABELLED in reporting:
        text += " and unlabelled ones"
    if silent:
        text += f", silent on the {joined(list(silent))}"
    return text


def with_leanings(brief: Brief, infos: Mapping[str, DocumentInfo], lexicon: LoadedLexicon | None = None) -> Brief:
    """``brief`` with outlets and leanings on every point, per-leaning coverage and blindspots."""
    lexicon = lexicon or LoadedLexicon.default()
    all_leanings = _leanings(outlets_of(brief.sources, infos))
    labelled = [x for x in all_leanings if x != UNLABELLED]

    agreements = []
    for a in brief.agreements:
        outlets = outlets_of(a.sources, infos)
        reporting = _leanings(outlets)
        silent = [x for x in labelled if x not in reporting] if len(labelled) > 1 else []
        framing = [p.model_copy(update={"outlets": outlets_of(p.sources, infos)}) for p in a.framing]
        agreements.append(a.model_copy(update={
            "outlets": outlets, "leanings": reporting, "silent": silent, "framing": framing,
        }))
    disputes = [
        d.model_copy(update={"positions": [
            p.model_copy(update={"outlets": outlets_of(p.sources, infos)}) for p in d.positions
        ]})
        for d in brief.disputes
    ]
    singles = [
        s.model_copy(update={
            "outlet": next(iter(outlets_of([s.source], infos)), None),
            "quote": flagged(s.quote, lexicon),
        })
        for s in brief.single_source
    ]
    blindspots = [
        Blindspot(point=a.id, leaning=a.leanings[0], outlets=[o.name for o in a.outlets], silent=a.silent,
                  quote=a.summary)
        for a in agreements
        if len(labelled) > 1 and len(a.leanings) == 1 and a.leanings[0] != UNLABELLED
    ]
    return brief.model_copy(update={
        "agreements": agreements, "disputes": disputes, "single_source": singles,
        "leanings": _views(brief, agreements, disputes, singles, infos, all_leanings) if labelled else [],
        "blindspots": blindspots,
    })


def flagged(quote: Quote, lexicon: LoadedLexicon) -> Quote:
    """The quote with its loaded terms flagged (as every quote of the brief has them)."""
    if quote.loaded_terms:
        return quote
    terms = list(dict.fromkeys(t.text for t in lexicon.flag(quote.text)))
    return quote.model_copy(update={"loaded_terms": terms}) if terms else quote


def _views(
    brief: Brief, agreements: Sequence[Agreement], disputes: Sequence[object], singles: Sequence[SingleSource],
    infos: Mapping[str, DocumentInfo], leanings: Sequence[str],
) -> list[LeaningView]:
    docs_of: dict[str, list[str]] = {}
    for d in brief.sources:
        if d in infos:
            docs_of.setdefault(leaning_of(infos[d]), []).append(d)
    terms_of: dict[str, dict[str, int]] = {}
    for view in brief.per_source:
        counts = terms_of.setdefault(leaning_of(infos[view.document.id]) if view.document.id in infos else UNLABELLED, {})
        for t in view.loaded_terms:
            counts[t] = counts.get(t, 0) + 1
    views = []
    for leaning in leanings:
        docs = set(docs_of.get(leaning, []))
        reports = [a.id for a in agreements if docs & set(a.sources)]
        reports += [d.id for d in disputes if any(docs & set(p.sources) for p in d.positions)]  # type: ignore[attr-defined]
        reports += [s.id for s in singles if s.source in docs]
        counts = terms_of.get(leaning, {})
        views.append(LeaningView(
            leaning=leaning,
            outlets=[o.name for o in outlets_of(sorted(docs), infos)],
            documents=len(docs),
            reports=reports,
            loaded_terms=[t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:10],
        ))
    return views
