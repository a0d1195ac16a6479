"""The Markdown an assistant reads beside each structured tool result (MCP and LangChain tools).

Search hits, citations, sources and ingest reports come from ``render.text``, briefs and
comparisons from ``render.brief``, summaries from ``render.summary``: every quote keeps its
citation id, and a quote flagged as reading like instructions says it is data.
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
from briefing.render.brief import brief_markdown, comparison_markdown
from briefing.render.summary import summary_markdown


def hits(found: Sequence[Hit]) -> str:
    return text.hits(found, markdown=True)


def document_hits(found: Sequence[DocumentHit]) -> str:
    return text.document_hits(found, markdown=True)


def citations(found: Sequence[Citation]) -> str:
    return text.citations(found, markdown=True)


def sources(docs: Sequence[DocumentInfo], total: int | None = None, offset: int = 0,
            next_offset: int | None = None) -> str:
    if not docs and total:
        return f"No documents from offset {offset}: the corpus has {total}; pass a smaller offset."
    body = text.sources(docs, markdown=True)
    if total is not None and total > len(docs):
        more = f"; pass offset={next_offset} for the next page" if next_offset is not None else ""
        body += f"\n\n(showing {offset + 1}-{offset + len(docs)} of {total} documents{more})"
    return body


def report(r: IngestReport) -> str:
    return text.report(r)


def summary(s: Summary) -> str:
    return summary_markdown(s)


def brief(b: Brief) -> str:
    text = brief_markdown(b)
    more = f"next page: brief with cursor='{b.next_cursor}'; " if b.next_cursor else ""
    return text + f"\n({more}a point in full: brief_point with its id, e.g. id='A1')\n"


def brief_item(found: object) -> str:
    from briefing.render.brief import brief_item_markdown

    return brief_item_markdown(found)


def comparison(c: Comparison) -> str:
    return comparison_markdown(c)
