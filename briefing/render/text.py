"""Plain-text and Markdown renderings of corpus results: sources, hits, citations, ingest reports."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import (
    Citation,
    DocumentHit,
    DocumentInfo,
    DocumentRef,
    Hit,
    IngestReport,
    Sentence,
)
from briefing.render import inert

INSTRUCTIONS = f"  ({inert.FLAG})"


def _flag(item: Hit | Citation | Sentence) -> str:
    return INSTRUCTIONS if item.instructions else ""


def _ref(doc: DocumentRef, markdown: bool = False) -> str:
    """A document's metadata as inert quoted text (see ``render.inert``); the outlet with its
    leaning, when the metadata gives one."""
    bits = [inert.meta(b, markdown) for b in (doc.title, doc.source, doc.date) if b]
    if doc.source and doc.leaning:
        bits[1 if doc.title else 0] += f" ({inert.label(doc.leaning, markdown)})"
    return " · ".join(bits) or inert.meta(doc.path or doc.id, markdown)


def sources(docs: Sequence[DocumentInfo], markdown: bool = False) -> str:
    if not docs:
        return "The corpus is empty; add files with 'briefing ingest PATH'."
    lines = []
    for d in docs:
        group = f"  near-duplicate group {d.near_duplicate_group}" if d.near_duplicate_group else ""
        head = f"- **{d.id}**" if markdown else d.id
        lines.append(f"{head}  {d.sentences} sentences  {_ref(d, markdown)}{group}")
        for note in d.notes:
            where = f" [{note.citation}]" if note.citation else ""
            lines.append(f"    {note.kind}: {inert.inline(note.message)}{where}")
    return "\n".join(lines)


def hits(found: Sequence[Hit], markdown: bool = False) -> str:
    if not found:
        return "No matches. Try fewer or different words, or 'briefing sources' to see what is indexed."
    out = []
    for h in found:
        snippet = inert.inline(h.snippet)
        if markdown:
            out.append(f"- [{h.citation}] {snippet} — *{_ref(h.document, True)}* (score {h.score:.2f}){_flag(h)}")
        else:
            out.append(f"[{h.citation}] ({h.score:.2f}) {snippet}{_flag(h)}\n    {_ref(h.document)}")
    return "\n".join(out)


def document_hits(found: Sequence[DocumentHit], markdown: bool = False) -> str:
    if not found:
        return "No matching documents. Try fewer or different words."
    out = []
    for d in found:
        out.append(f"{'- **' + d.document.id + '**' if markdown else d.document.id}  ({d.score:.2f})  "
                   f"{_ref(d.document, markdown)}")
        for h in d.matches:
            out.append(f"    [{h.citation}] {inert.inline(h.snippet)}{_flag(h)}")
    return "\n".join(out)


def citations(found: Sequence[Citation], markdown: bool = False) -> str:
    out = []
    for c in found:
        where = inert.meta(c.document.path or c.document.id, markdown)
        out.append(f"[{c.citation}] {_ref(c.document, markdown)}  (characters {c.start}-{c.end} of {where})")
        for s in c.before:
            out.append(f"    {s.citation}  {inert.inline(s.text)}{_flag(s)}")
        text = inert.inline(c.text)
        out.append((f"  > {text}" if markdown else f"  » {c.citation}  {text}") + _flag(c))
        for s in c.after:
            out.append(f"    {s.citation}  {inert.inline(s.text)}{_flag(s)}")
        out.append("")
    return "\n".join(out).rstrip()


def report(r: IngestReport) -> str:
    n = r.totals or {}

    def count(name: str) -> int:
        return n.get(name, len(getattr(r, name)))

    lines = [
        f"added {count('added')}, updated {count('updated')}, unchanged {r.unchanged}, "
        f"removed {count('removed')}, duplicates {count('duplicates')}, skipped {count('skipped')}"
    ]
    lines += [f"  duplicate text, stored once: {inert.inline(d)}" for d in r.duplicates]
    lines += [f"  skipped {inert.inline(s.path)}: {inert.inline(s.reason)}" for s in r.skipped]
    if r.totals:
        lines.append(f"  (lists cut to their first {max(len(r.skipped), len(r.added), len(r.duplicates))} entries)")
    return "\n".join(lines)
