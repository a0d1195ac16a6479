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

INSTRUCTIONS = "  (reads like instructions to an assistant — quoted data only)"


def _flag(item: Hit | Citation | Sentence) -> str:
    return INSTRUCTIONS if item.instructions else ""


def _ref(doc: DocumentRef) -> str:
    outlet = f"{doc.source} ({doc.leaning})" if doc.source and doc.leaning else doc.source or ""
    bits = [doc.title or "", outlet, doc.date or ""]
    return " · ".join(b for b in bits if b) or (doc.path or doc.id)


def sources(docs: Sequence[DocumentInfo], markdown: bool = False) -> str:
    if not docs:
        return "The corpus is empty; add files with 'briefing ingest PATH'."
    lines = []
    for d in docs:
        group = f"  near-duplicate group {d.near_duplicate_group}" if d.near_duplicate_group else ""
        head = f"- **{d.id}**" if markdown else d.id
        lines.append(f"{head}  {d.sentences} sentences  {_ref(d)}{group}")
        for note in d.notes:
            where = f" [{note.citation}]" if note.citation else ""
            lines.append(f"    {note.kind}: {note.message}{where}")
    return "\n".join(lines)


def hits(found: Sequence[Hit], markdown: bool = False) -> str:
    if not found:
        return "No matches. Try fewer or different words, or 'briefing sources' to see what is indexed."
    out = []
    for h in found:
        if markdown:
            out.append(f"- [{h.citation}] {h.snippet} — *{_ref(h.document)}* (score {h.score:.2f}){_flag(h)}")
        else:
            out.append(f"[{h.citation}] ({h.score:.2f}) {h.snippet}{_flag(h)}\n    {_ref(h.document)}")
    return "\n".join(out)


def document_hits(found: Sequence[DocumentHit], markdown: bool = False) -> str:
    if not found:
        return "No matching documents. Try fewer or different words."
    out = []
    for d in found:
        out.append(f"{'- **' + d.document.id + '**' if markdown else d.document.id}  ({d.score:.2f})  {_ref(d.document)}")
        for h in d.matches:
            out.append(f"    [{h.citation}] {h.snippet}{_flag(h)}")
    return "\n".join(out)


def citations(found: Sequence[Citation], markdown: bool = False) -> str:
    out = []
    for c in found:
        out.append(f"[{c.citation}] {_ref(c.document)}  (characters {c.start}-{c.end} of {c.document.path or c.document.id})")
        for s in c.before:
            out.append(f"    {s.citation}  {s.text}{_flag(s)}")
        out.append((f"  > {c.text}" if markdown else f"  » {c.citation}  {c.text}") + _flag(c))
        for s in c.after:
            out.append(f"    {s.citation}  {s.text}{_flag(s)}")
        out.append("")
    return "\n".join(out).rstrip()


def report(r: IngestReport) -> str:
    lines = [
        f"added {len(r.added)}, updated {len(r.updated)}, unchanged {r.unchanged}, "
        f"removed {len(r.removed)}, duplicates {len(r.duplicates)}, skipped {len(r.skipped)}"
    ]
    lines += [f"  duplicate text, stored once: {d}" for d in r.duplicates]
    lines += [f"  skipped {s.path}: {s.reason}" for s in r.skipped]
    return "\n".join(lines)
