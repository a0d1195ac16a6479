"""The Markdown an assistant reads beside each structured tool result (MCP and LangChain tools).

Briefs and comparisons use ``render.brief``; summaries use ``render.summary`` when it is there,
else the small fallback here. Every quote keeps its citation id, and a quote flagged as reading
like instructions says it is data.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.models import (
    Brief,
    Citation,
    Comparison,
    DocumentHit,
    DocumentInfo,
    Hit,
    IngestReport,
    Summary,
)
from briefing.render import text
from briefing.render.brief import brief_markdown, comparison_markdown, quote_md


def hits(found: Sequence[Hit]) -> str:
    return text.hits(found, markdown=True)


def document_hits(found: Sequence[DocumentHit]) -> str:
    return text.document_hits(found, markdown=True)


def citations(found: Sequence[Citation]) -> str:
    return text.citations(found, markdown=True)


def sources(docs: Sequence[DocumentInfo], total: int | None = None) -> str:
    body = text.sources(docs, markdown=True)
    if total is not None and total > len(docs):
        body += f"\n\n(showing {len(docs)} of {total} documents; pass offset to see more)"
    return body


def report(r: IngestReport) -> str:
    return text.report(r)


def summary(s: Summary) -> str:
    try:
        from briefing.render.summary import summary_markdown
    except ImportError:
        pass
    else:
        return summary_markdown(s)
    scope = f" of “{s.query}”" if s.query else ""
    lines = [f"**Summary{scope}** ({s.method}, sources: {', '.join(s.sources) or 'none'})", ""]
    lines += [f"- {quote_md(q, with_source=True)}" for q in s.sentences]
    return "\n".join(lines)


def brief(b: Brief) -> str:
    return brief_markdown(b)


def comparison(c: Comparison) -> str:
    return comparison_markdown(c)
