"""Markdown for chat: a brief (agreements, side-by-side disputes, single-source points) and a
comparison. Quotes are printed verbatim with their ``[id]`` citations; loaded terms and
instruction-like text are flagged after the quote, never edited into it."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import Agreement, Brief, Comparison, Dispute, LeaningView, Outlet, Quote
from briefing.render.inert import inline, label, meta, quote_flags


def quote_md(q: Quote, with_source: bool = False) -> str:
    flags = quote_flags(q.loaded_terms, q.instructions)
    source = f"{q.doc_id}: " if with_source else ""
    tail = f" _({'; '.join(flags)})_" if flags else ""
    return f"{source}“{inline(q.text)}” [{q.citation}]{tail}"


def _cell(text: str) -> str:
    return inline(text).replace("|", "\\|")


LISTED = 8  # longer lists of sources or outlets are cut: the structured result has them all


def names(items: Sequence[str], limit: int = LISTED) -> str:
    """``a, b, c`` — or the first ``limit`` and how many more."""
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def outlets_text(outlets: Sequence[Outlet], limit: int = LISTED, markdown: bool = True) -> str:
    """``CNN · left, Reuters · center`` (an outlet without a leaning by its name alone); names and
    leanings are corpus metadata, printed inert (``render.inert.label``)."""
    return names([
        f"{label(o.name, markdown)} · {label(o.leaning, markdown)}" if o.leaning else label(o.name, markdown)
        for o in outlets
    ], limit)


def labels(items: Sequence[str], markdown: bool = True) -> list[str]:
    """Outlet names or leanings, each printed inert."""
    return [label(x, markdown) for x in items]


def leaning_line(a: Agreement) -> str:
    """``reported by left and center outlets, silent on the right``."""
    from briefing.leaning import coverage_phrase

    return coverage_phrase(labels(a.leanings), labels(a.silent))


def dispute_md(d: Dispute, leanings: bool = False) -> list[str]:
    lines = [f"**{d.id} · {d.kind}** — {inline(d.topic)}", ""]
    header = " | ".join(
        _cell(f"{inline(p.label)} ({outlets_text(p.outlets) if leanings and p.outlets else names(p.sources)})")
        for p in d.positions
    )
    lines.append(f"| {header} |")
    lines.append("|" + " --- |" * len(d.positions))
    cells = ["<br>".join(_cell(quote_md(q, with_source=True)) for q in p.quotes) for p in d.positions]
    lines.append(f"| {' | '.join(cells)} |")
    lines.append("")
    return lines


def brief_markdown(brief: Brief) -> str:
    title = f"## Brief: {brief.topic}" if brief.topic else "## Brief"
    out = [title, "", brief.overview, ""]
    by_leaning = bool(brief.leanings)
    if brief.agreements:
        out += ["### Reported by several independent sources", ""]
        for a in brief.agreements:
            n = a.independent_sources
            who = outlets_text(a.outlets) if by_leaning and a.outlets else names(a.sources)
            coverage = f" — {leaning_line(a)}" if by_leaning else ""
            out.append(
                f"- **{a.id} · Reported by {n} independent source{'s' if n != 1 else ''} "
                f"({who}){coverage}:** {quote_md(a.summary, with_source=True)}"
            )
            for q in a.quotes:
                if q.citation != a.summary.citation:
                    out.append(f"  - {quote_md(q, with_source=True)}")
            if a.note:
                out.append(f"  - _{inline(a.note)}_")
            if a.framing:
                out.append("  - _Worded differently:_ " + "; ".join(
                    f"{inline(p.label)} ({outlets_text(p.outlets) if by_leaning and p.outlets else names(p.sources)})"
                    for p in a.framing
                ))
        out.append("")
    if brief.disputes:
        out += ["### Where sources differ", ""]
        for d in brief.disputes:
            out += dispute_md(d, by_leaning)
    if brief.blindspots:
        out += ["### Blindspots: points only one leaning reports", ""]
        for b in brief.blindspots:
            silent = f"; silent on the {' and '.join(labels(b.silent))}" if b.silent else ""
            out.append(f"- **{b.point}** only {label(b.leaning)} outlets ({', '.join(labels(b.outlets))}){silent}: "
                       f"{quote_md(b.quote, with_source=True)}")
        out.append("")
    if brief.single_source:
        out += ["### Reported by one source only", ""]
        for s in brief.single_source:
            who = f"{outlets_text([s.outlet])} — " if by_leaning and s.outlet else ""
            out.append(f"- **{s.id}** {who}{quote_md(s.quote, with_source=True)}")
        out.append("")
    if brief.leanings:
        out += ["### Coverage by leaning", ""]
        out += [leaning_md(v) for v in brief.leanings]
        out.append("")
    if brief.per_source:
        out += ["### Sources", ""]
        for v in brief.per_source:
            name = v.document.title or v.document.source or (v.document.path or v.document.id).rsplit("/", 1)[-1]
            out.append(f"- **{v.document.id}** — {meta(name)}")
            for q in v.summary:
                out.append(f"  - {quote_md(q)}")
            if v.loaded_terms:
                out.append("  - loaded terms used: " + ", ".join(f"“{t}”" for t in v.loaded_terms))
        out.append("")
    if brief.coverage and (brief.agreements or brief.disputes):
        ids = [a.id for a in brief.agreements] + [d.id for d in brief.disputes]
        out += ["### Coverage (R reports, D in a dispute, · silent)", ""]
        out.append("| source | " + " | ".join(ids) + " |")
        out.append("|---|" + "---|" * len(ids))
        symbol = {"reports": "R", "disputes": "D", "silent": "·"}
        for row in brief.coverage:
            out.append(f"| {_cell(row.source)} | " + " | ".join(symbol[row.cells[i]] for i in ids) + " |")
        out.append("")
    if brief.notes:
        out += ["### Data-quality notes", ""]
        out += [f"- {n.kind.replace('_', ' ')}: {inline(n.message)}" + (f" [{n.citation}]" if n.citation else "")
                for n in brief.notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def leaning_md(v: LeaningView) -> str:
    reports = f"; part of {', '.join(v.reports)}" if v.reports else ""
    terms = f"; loaded terms: {', '.join(f'“{t}”' for t in v.loaded_terms)}" if v.loaded_terms else ""
    n = v.documents
    return (f"- **{label(v.leaning)}** ({n} document{'s' if n != 1 else ''}: {', '.join(labels(v.outlets))})"
            f"{reports}{terms}")


def comparison_markdown(c: Comparison) -> str:
    a, b = c.sources
    members = c.members or {a: [a], b: [b]}
    kind = "" if c.by == "document" else f" ({c.by}s)"
    out = [f"## {label(a)} and {label(b)} side by side{kind}", ""]
    out += ["### Both report", ""]
    out += [
        f"- **{s.id}** " + "; ".join(quote_md(q, with_source=True) for q in s.quotes) for s in c.shared
    ] or ["- nothing in common found"]
    out.append("")
    for side in (a, b):
        mine = set(members.get(side, []))
        out += [f"### Only {label(side)}", ""]
        lines = [f"- **{p.id}** {quote_md(p.summary, with_source=True)}" for p in c.only_points if set(p.sources) & mine]
        lines += [f"- {quote_md(s.quote, with_source=c.by != 'document')}" for s in c.only if s.source in mine]
        out += lines or ["- nothing found"]
        out.append("")
    if c.disputes:
        out += ["### Where they differ", ""]
        for d in c.disputes:
            out += dispute_md(d, c.by != "document")
    return "\n".join(out).rstrip() + "\n"


def brief_item_markdown(found: object) -> str:
    """One point, dispute or single-source point in full (the ``brief_point`` tool's text)."""
    a = getattr(found, "agreement", None)
    d = getattr(found, "dispute", None)
    s = getattr(found, "single_source", None)
    out: list[str] = []
    if a is not None:
        from briefing.leaning import coverage_phrase

        out.append(f"**{a.id} · Reported by {a.independent_sources} independent sources** — "
                   f"{coverage_phrase(labels(a.leanings), labels(a.silent))}")
        out.append(f"Outlets: {outlets_text(a.outlets) or ', '.join(a.sources)}")
        out += [f"- {quote_md(q, with_source=True)}" for q in a.quotes]
        if a.note:
            out.append(f"_{inline(a.note)}_")
    elif d is not None:
        out.append(f"**{d.id} · {d.kind}** — {inline(d.topic)}")
        for p in d.positions:
            out += ["", f"{inline(p.label)} ({outlets_text(p.outlets) or ', '.join(p.sources)}):"]
            out += [f"- {quote_md(q, with_source=True)}" for q in p.quotes]
    elif s is not None:
        who = outlets_text([s.outlet]) if s.outlet else s.source
        out.append(f"**{s.id} · reported by one source only** ({who}): {quote_md(s.quote, with_source=True)}")
    return "\n".join(out) + "\n"
