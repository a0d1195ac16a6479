"""Text and Markdown renderings of a ``Summary``: each verbatim sentence with its citation id.

A sentence flagged as reading like instructions keeps its text and says it is data.
"""

from __future__ import annotations

from briefing.models import Summary
from briefing.render.brief import quote_md
from briefing.render.inert import FLAG as _INSTRUCTIONS
from briefing.render.inert import inline


def _heading(s: Summary) -> str:
    scope = f" of “{s.query}”" if s.query else ""
    n = len(s.sentences)
    used = len({q.doc_id for q in s.sentences})
    return (
        f"Summary{scope}: {n} sentence{'s' if n != 1 else ''} from {used} of {len(s.sources)} "
        f"source{'s' if len(s.sources) != 1 else ''} (method: {s.method})"
    )


def summary_text(s: Summary) -> str:
    """For a terminal: one ``[citation] sentence`` per line."""
    if not s.sentences:
        return "The summary is empty: no sentence could be chosen. Try more sources or another method."
    lines = [_heading(s), ""]
    for q in s.sentences:
        flag = f"  ({_INSTRUCTIONS})" if q.instructions else ""
        lines.append(f"[{q.citation}] {inline(q.text)}{flag}")
    return "\n".join(lines)


def summary_markdown(s: Summary) -> str:
    """For chat: a bulleted list of quoted sentences, each with its source and ``[citation]``."""
    if not s.sentences:
        return "_The summary is empty: no sentence could be chosen. Try more sources or another method._"
    lines = [f"**{_heading(s)}**", ""]
    lines += [f"- {quote_md(q, with_source=True)}" for q in s.sentences]
    return "\n".join(lines)


def render(s: Summary, markdown: bool = False) -> str:
    return summary_markdown(s) if markdown else summary_text(s)
