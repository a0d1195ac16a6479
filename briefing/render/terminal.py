"""The brief and a comparison for a terminal: wrapped to the window, no tables, every quote cited.

Markdown (``render.brief``) is for chat and files; this view is what ``briefing brief`` prints by
default. Disputes list their sides one under another instead of side by side. Every corpus
string is printed inert (``render.inert``): on one line, without control characters (no terminal
escape sequence reaches the screen), metadata quoted, instruction-like text flagged.
"""

from __future__ import annotations

import shutil
import textwrap

from briefing.leaning import coverage_phrase
from briefing.models import Brief, Comparison, Dispute, Quote
from briefing.render.brief import labels, names, outlets_text
from briefing.render.inert import inline, label, meta, quote_flags

MAX_WIDTH = 100


def width() -> int:
    return max(40, min(MAX_WIDTH, shutil.get_terminal_size((88, 24)).columns))


def _wrap(text: str, indent: str = "", first: str | None = None, cols: int | None = None) -> list[str]:
    return textwrap.wrap(
        text, width=cols or width(), initial_indent=indent if first is None else first,
        subsequent_indent=indent, break_long_words=False, break_on_hyphens=False,
    ) or [first or indent]


def quote_text(q: Quote, with_source: bool = True) -> str:
    flags = quote_flags(q.loaded_terms, q.instructions)
    tail = f" ({'; '.join(flags)})" if flags else ""
    return f"{q.doc_id + ': ' if with_source else ''}“{inline(q.text)}” [{q.citation}]{tail}"


def _heading(title: str) -> list[str]:
    return ["", title.upper(), ""]


def dispute_text(d: Dispute, leanings: bool) -> list[str]:
    out = _wrap(f"{d.id} · {d.kind} — {inline(d.topic)}", "  ", "")
    for p in d.positions:
        who = outlets_text(p.outlets, markdown=False) if leanings and p.outlets else names(p.sources)
        out += _wrap(f"{inline(p.label)} ({who}):", "    ", "  • ")
        for q in p.quotes:
            out += _wrap(quote_text(q), "      ", "    – ")
    return out + [""]


def brief_text(brief: Brief) -> str:
    by_leaning = bool(brief.leanings)
    out = [f"BRIEF: {inline(brief.topic)}" if brief.topic else "BRIEF", ""]
    out += _wrap(brief.overview)
    if brief.agreements:
        out += _heading("Reported by several independent sources")
        for a in brief.agreements:
            n = a.independent_sources
            who = outlets_text(a.outlets, markdown=False) if by_leaning and a.outlets else names(a.sources)
            head = f"{a.id} · {n} independent source{'s' if n != 1 else ''} ({who})"
            if by_leaning:
                head += f" — {coverage_phrase(labels(a.leanings, False), labels(a.silent, False))}"
            out += _wrap(head, "  ", "")
            out += _wrap(quote_text(a.summary), "    ", "  » ")
            for q in a.quotes:
                if q.citation != a.summary.citation:
                    out += _wrap(quote_text(q), "    ", "  – ")
            if a.note:
                out += _wrap(inline(a.note), "    ", "  ")
            if a.framing:
                worded = "; ".join(
                    f"{inline(p.label)} ("
                    f"{outlets_text(p.outlets, markdown=False) if by_leaning and p.outlets else names(p.sources)})"
                    for p in a.framing
                )
                out += _wrap(f"worded differently: {worded}", "    ", "  ")
            out.append("")
    if brief.disputes:
        out += _heading("Where sources differ")
        for d in brief.disputes:
            out += dispute_text(d, by_leaning)
    if brief.blindspots:
        out += _heading("Blindspots: points only one leaning reports")
        for b in brief.blindspots:
            silent = f"; silent on the {' and '.join(labels(b.silent, False))}" if b.silent else ""
            out += _wrap(f"{b.point} only {label(b.leaning, False)} outlets ({', '.join(labels(b.outlets, False))})"
                         f"{silent}:", "    ", "  ")
            out += _wrap(quote_text(b.quote), "    ", "  » ")
    if brief.single_source:
        out += _heading("Reported by one source only")
        for s in brief.single_source:
            who = f"{outlets_text([s.outlet], markdown=False)} — " if by_leaning and s.outlet else ""
            out += _wrap(f"{s.id} {who}{quote_text(s.quote)}", "     ", "  ")
    if brief.leanings:
        out += _heading("Coverage by leaning")
        for v in brief.leanings:
            line = (f"{label(v.leaning, False)}: {v.documents} document{'s' if v.documents != 1 else ''} "
                    f"({', '.join(labels(v.outlets, False))})")
            if v.reports:
                line += f"; part of {', '.join(v.reports)}"
            if v.loaded_terms:
                line += "; loaded terms: " + ", ".join(f"“{t}”" for t in v.loaded_terms)
            out += _wrap(line, "    ", "  ")
    if brief.per_source:
        out += _heading("Sources")
        for view in brief.per_source:
            doc = view.document
            bits = [(doc.source, meta), (doc.leaning, label), (doc.title, meta)]
            name = " · ".join(show(x, False) for x, show in bits if x) or meta(doc.path or doc.id, False)
            out += _wrap(f"{doc.id} — {name}", "    ", "  ")
            for q in view.summary:
                out += _wrap(quote_text(q, with_source=False), "      ", "    – ")
    if brief.notes:
        out += _heading("Data-quality notes")
        for note in brief.notes:
            where = f" [{note.citation}]" if note.citation else ""
            out += _wrap(f"{note.kind.replace('_', ' ')}: {inline(note.message)}{where}", "    ", "  - ")
    return "\n".join(out).rstrip() + "\n"


def comparison_text(c: Comparison) -> str:
    a, b = c.sources
    members = c.members or {a: [a], b: [b]}
    out = [f"{label(a, False)} AND {label(b, False)} SIDE BY SIDE" + ("" if c.by == "document" else f" ({c.by}s)")]
    out += _heading("Both report")
    lines: list[str] = []
    for s in c.shared:
        lines += _wrap(f"{s.id}", "  ", "  ")
        for q in s.quotes:
            lines += _wrap(quote_text(q), "      ", "    – ")
    out += lines or ["  nothing in common found"]
    for side in (a, b):
        mine = set(members.get(side, []))
        out += _heading(f"Only {label(side, False)}")
        found: list[str] = []
        for p in c.only_points:
            if set(p.sources) & mine:
                found += _wrap(f"{p.id} {quote_text(p.summary)}", "    ", "  ")
        for single in c.only:
            if single.source in mine:
                found += _wrap(quote_text(single.quote), "    ", "  ")
        out += found or ["  nothing found"]
    if c.disputes:
        out += _heading("Where they differ")
        for d in c.disputes:
            out += dispute_text(d, c.by != "document")
    return "\n".join(out).rstrip() + "\n"
