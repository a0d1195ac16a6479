"""LangChain on langchain-core alone: a retriever of cited sentences and the briefing tools.

``BriefingRetriever`` returns one ``Document`` per matching sentence; its metadata carries the
citation id, the document id and metadata, the character offsets into the source and the score.
``briefing_tools(corpus)`` gives the read-only operations of ``briefing.tools`` as
``StructuredTool``s (the same names, parameters and descriptions as the MCP tools). Each answers
with Markdown for the model and keeps the typed result as the ``ToolMessage`` artifact; a
``BriefingError`` comes back as the tool's text, so an agent can correct itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, ConfigDict, Field, create_model

from briefing.corpus import Corpus
from briefing.errors import BriefingError
from briefing.models import Citation, Hit
from briefing.tools import TOOLS, ToolSpec, bind

READ_ONLY_TOOLS = ("search", "cite", "summarize", "brief", "brief_point", "list_sources", "compare_sources")


class BriefingRetriever(BaseRetriever):
    """The corpus's best matching sentences for a query, as cited ``Document``s."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    corpus: Corpus
    k: int = Field(default=4, ge=1, le=500, description="how many sentences to return")
    sources: list[str] | None = Field(default=None, description="only these document ids")
    date_from: str | None = None
    date_to: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        hits = self.corpus.search(
            query, limit=self.k, sources=self.sources, date_from=self.date_from, date_to=self.date_to
        )
        cited = {c.citation: c for c in self.corpus.cite([h.citation for h in hits])} if hits else {}
        return [to_document(h, cited[h.citation]) for h in hits]


def to_document(hit: Hit, citation: Citation) -> Document:
    doc = hit.document
    return Document(
        page_content=hit.text,
        id=hit.citation,
        metadata={
            "citation": hit.citation,
            "doc_id": doc.id,
            "source": doc.source,
            "title": doc.title,
            "date": doc.date,
            "url": doc.url,
            "path": doc.path,
            "start": citation.start,
            "end": citation.end,
            "score": hit.score,
        },
    )


def briefing_tools(corpus: Corpus, names: Sequence[str] = READ_ONLY_TOOLS) -> list[StructuredTool]:
    """The named operations of ``briefing.tools`` over ``corpus`` as LangChain tools."""
    return [_structured_tool(TOOLS[name], corpus) for name in names]


def _structured_tool(spec: ToolSpec, corpus: Corpus) -> StructuredTool:
    call = bind(spec.fn, lambda: corpus)

    def run(**kwargs: Any) -> tuple[str, BaseModel]:
        try:
            result = call(**kwargs)
        except BriefingError as err:
            raise ToolException(str(err)) from None
        return spec.render(result), result

    return StructuredTool.from_function(
        func=run,
        name=spec.name,
        description=inspect.getdoc(spec.fn) or spec.name,
        args_schema=args_schema(call),
        response_format="content_and_artifact",
        handle_tool_error=True,
    )


def args_schema(fn: Callable[..., Any]) -> type[BaseModel]:
    """A pydantic model of ``fn``'s parameters, keeping their bounds and descriptions."""
    fields: dict[str, Any] = {
        p.name: (p.annotation, ... if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(fn).parameters.values()
    }
    name = "".join(part.title() for part in fn.__name__.split("_")) + "Args"
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
