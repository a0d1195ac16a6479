"""Markdown for chat: a brief (agreements, side-by-side disputes, single-source points) and a
comparison. Quotes are printed verbatim with their ``[id]`` citations; loaded terms and
instruction-like text are flagged after the quote, never edited into it."""

from __future__ import annotations

from briefing.models import Brief, Comparison, Dispute, Quote
from briefing.render.inert import FLAG, inline, meta


def quote_md(q: Quote, with_source: bool = False) -> str:
    flags = []
    if q.loaded_terms:
        flags.append("loaded terms: " + ", ".join(f"“{t}”" for t in q.loaded_terms))
    if q.instructions:
        flags.append(FLAG)
    source = f"{q.doc_id}: " if with_source else ""
    tail = f" _({'; '.join(flags)})_" if flags else ""
    return f"{source}“{inline(q.text)}” [{q.citation}]{tail}"


def _cell(text: str) -> str:
    return inline(text).replace("|", "\\|")


def dispute_md(d: Dispute) -> list[str]:
    lines = [f"**{d.id} · {d.kind}** — {inline(d.topic)}", ""]
    header = " | ".join(_cell(f"{p.label} ({', '.join(p.sources)})") for p in d.positions)
    lines.append(f"| {header} |")
    lines.append("|" + " --- |" * len(d.positions))
    cells = ["<br>".join(_cell(quote_md(q, with_source=True)) for q in p.quotes) for p in d.positions]
    lines.append(f"| {' | '.join(cells)} |")
    lines.append("")
    return lines


def brief_markdown(brief: Brief) -> str:
    title = f"## Brief: {brief.topic}" if brief.topic else "## Brief"
    out = [title, "", brief.overview, ""]
    if brief.agreements:
        out += ["### Reported by several independent sources", ""]
        for a in brief.agreements:
            n = a.independent_sources
            out.append(
                f"- **{a.id} · Reported by {n} independent source{'s' if n != 1 else ''} "
                f"({', '.join(a.sources)}):** {quote_md(a.summary, with_source=True)}"
            )
            for q in a.quotes:
                if q.citation != a.summary.citation:
                    out.append(f"  - {quote_md(q, with_source=True)}")
            if a.note:
                out.append(f"  - _{inline(a.note)}_")
            if a.framing:
                out.append("  - _Worded differently:_ " + "; ".join(
                    f"{inline(p.label)} ({', '.join(p.sources)})" for p in a.framing
                ))
        out.append("")
    if brief.disputes:
        out += ["### Where sources differ", ""]
        for d in brief.disputes:
            out += dispute_md(d)
    if brief.single_source:
        out += ["### Reported by one source only", ""]
        out += [f"- **{s.id}** {quote_md(s.quote, with_source=True)}" for s in brief.single_source]
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
            out.append(f"| {row.source} | " + " | ".join(symbol[row.cells[i]] for i in ids) + " |")
        out.append("")
    if brief.notes:
        out += ["### Data-quality notes", ""]
        out += [f"- {n.kind.replace('_', ' ')}: {inline(n.message)}" + (f" [{n.citation}]" if n.citation else "")
                for n in brief.notes]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def comparison_markdown(c: Comparison) -> str:
    a, b = c.sources
    out = [f"## {a} and {b} side by side", ""]
    out += ["### Both report", ""]
    out += [f"- {quote_md(q, with_source=True)}" for s in c.shared for q in s.quotes] or ["- nothing in common found"]
    out.append("")
    for source in (a, b):
        out += [f"### Only {source}", ""]
        out += [f"- {quote_md(s.quote)}" for s in c.only if s.source == source] or ["- nothing found"]
        out.append("")
    if c.disputes:
        out += ["### Where they differ", ""]
        for d in c.disputes:
            out += dispute_md(d)
    return "\n".join(out).rstrip() + "\n"
