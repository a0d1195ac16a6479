"""The ``briefing`` command: thin wrappers that parse flags, call the core and print its models.

Heavy modules (the MCP stack, sumy, numpy-based summarisers) are imported inside the commands
that need them, so ``briefing search`` starts fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing.errors import BriefingError
from briefing.settings import DETAILS, MAX_POINTS

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = click.Choice(["text", "json", "md"])


class _Group(click.Group):
    """Turns every ``BriefingError`` into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as err:
            click.echo(f"error: {err}", err=True)
            ctx.exit(err.exit_code)


class _Database(click.ParamType):
    """A database file (a ``Path``) or a ``postgresql://`` URL (kept as written)."""

    name = "path|url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from briefing.settings import is_database_url

        if isinstance(value, str) and is_database_url(value):
            return value
        return click.Path(dir_okay=False, path_type=Path).convert(value, param, ctx)


def corpus_options(func: F) -> F:
    func = click.option(
        "--db", type=_Database(), default=None,
        help="Database file, or postgresql://user@host/db for a corpus shared by several processes "
        "(default: BRIEFING_DB, else one file per corpus in the user data directory).",
    )(func)
    func = click.option(
        "--corpus", type=click.Path(path_type=Path), default=None,
        help="A file or directory to use as the corpus; it is synced before the command runs "
        "(default: BRIEFING_CORPUS, else the bundled seed articles).",
    )(func)
    return func


def format_option(func: F) -> F:
    return click.option(
        "--format", "fmt", type=FORMATS, default="text", show_default=True,
        help="text for a terminal, md for Markdown, json for scripts.",
    )(func)


def _progress(done: int, total: int) -> None:
    if total >= 20 and sys.stderr.isatty():
        width = 30
        filled = int(width * done / total)
        click.echo(f"\ringesting [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files", err=True, nl=done == total)


def open_corpus(corpus: Path | None, db: Path | str | None, *, sync: bool = True, **settings: Any) -> Any:
    from briefing.corpus import Corpus
    from briefing.settings import Settings

    return Corpus.open(corpus, db=db, settings=Settings.from_env(**settings), sync=sync, progress=_progress)


def emit(value: Any, fmt: str, text: Callable[[Any, bool], str]) -> None:
    if fmt == "json":
        from briefing.render import to_json

        click.echo(to_json(value))
    else:
        click.echo(text(value, fmt == "md"))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefing")
def main() -> None:
    """Neutral, cited multi-source briefs from a corpus of documents.

    With no --corpus the corpus is the one the database was built from (the bundled seed
    articles for a new database). Citation ids look like 004:7
    (document id, colon, sentence number); 'briefing cite 004:7' prints the verbatim quote.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Parsing processes (default: up to 2); with --scheduler local, the Dask workers started.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Parse on Dask distributed workers: a scheduler address (tcp://host:8786), or 'local' "
              "to start a local cluster; this process still writes (needs pip install 'briefing[dask]').")
@corpus_options
@format_option
def ingest(paths: tuple[Path, ...], workers: int | None, scheduler: str | None, corpus: Path | None,
           db: Path | str | None, fmt: str) -> None:
    """Add files or directories (.txt, .md, .html, .json, .jsonl) to the corpus."""
    from briefing.ingest.parallel import default_workers
    from briefing.render.text import report

    c = open_corpus(corpus, db, sync=False)  # the report is about these paths ('briefing sync': all)
    report_ = c.ingest(list(paths), progress=_progress, workers=workers or default_workers(), scheduler=scheduler)
    emit(report_, fmt, lambda r, md: report(r))


@main.command()
@corpus_options
@format_option
def sync(corpus: Path | None, db: Path | str | None, fmt: str) -> None:
    """Re-index changed files, add new ones and prune deleted ones."""
    from briefing.corpus import Corpus
    from briefing.render.text import report
    from briefing.settings import Settings

    c = Corpus.open(corpus, db=db, settings=Settings.from_env(), sync=False)
    c.store.check()  # a damaged database is reported, not synced as "unchanged"
    emit(c.sync(progress=_progress), fmt, lambda r, md: report(r))


@main.command()
@corpus_options
@format_option
def sources(corpus: Path | None, db: Path | str | None, fmt: str) -> None:
    """List documents with metadata, near-duplicate groups and data-quality notes."""
    from briefing.render import text

    emit(open_corpus(corpus, db).sources(), fmt, text.sources)


@main.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 500), default=10, show_default=True, help="Number of results.")
@click.option("--source", "source_ids", multiple=True, help="Only these document ids (repeatable).")
@click.option("--from", "date_from", default=None, help="Only documents dated on or after YYYY[-MM[-DD]].")
@click.option("--to", "date_to", default=None, help="Only documents dated on or before YYYY[-MM[-DD]].")
@click.option("--documents", is_flag=True, help="Rank documents instead of sentences.")
@corpus_options
@format_option
def search(query: str, limit: int, source_ids: tuple[str, ...], date_from: str | None, date_to: str | None,
           documents: bool, corpus: Path | None, db: Path | str | None, fmt: str) -> None:
    """Ranked full-text search; prints citation ids, quotes and highlighted snippets."""
    from briefing.render import text

    c = open_corpus(corpus, db)
    if documents:
        found = c.search_documents(query, limit=limit, sources=list(source_ids), date_from=date_from, date_to=date_to)
        emit(found, fmt, text.document_hits)
    else:
        emit(c.search(query, limit=limit, sources=list(source_ids), date_from=date_from, date_to=date_to), fmt, text.hits)


@main.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--context", type=click.IntRange(0, 20), default=0, show_default=True, help="Sentences either side.")
@corpus_options
@format_option
def cite(ids: tuple[str, ...], context: int, corpus: Path | None, db: Path | str | None, fmt: str) -> None:
    """Print the verbatim quote, offsets and document for each citation id (e.g. 004:7)."""
    from briefing.render import text

    emit(open_corpus(corpus, db).cite(list(ids), context=context), fmt, text.citations)


@main.command()
@click.option("--http", "use_http", is_flag=True, help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP address; anything but loopback needs a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="HTTP port; 0 takes a free one (the address served is printed to stderr).")
@click.option("--token", default=None, help="Bearer token HTTP clients must send (default: BRIEFING_TOKEN, "
              "which is safer: flags show in process lists).")
@click.option("--read-only", is_flag=True, help="Serve the index as it is: never sync or write it, refuse "
              "add_documents; built once if missing (default: BRIEFING_READ_ONLY).")
@click.option("--allowed-root", "allowed_roots", multiple=True, type=click.Path(path_type=Path),
              help="A directory add_documents may read (repeatable; default: BRIEFING_ALLOWED_ROOTS, "
              "else the corpus directory).")
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="Another name HTTP clients may reach the server by (Host and Origin headers are "
              "checked against loopback and the bound address; repeatable; default: BRIEFING_ALLOWED_HOSTS).")
@corpus_options
def serve(use_http: bool, host: str, port: int, token: str | None, read_only: bool,
          allowed_roots: tuple[Path, ...], allowed_hosts: tuple[str, ...], corpus: Path | None,
          db: Path | str | None) -> None:
    """Run the MCP server: stdio by default, --http for streamable HTTP."""
    from briefing.settings import Settings

    settings = Settings.from_env(corpus=corpus, db=db, http_token=token, read_only=read_only or None,
                                 allowed_roots=tuple(allowed_roots) or None,
                                 allowed_hosts=tuple(allowed_hosts) or None)
    if not use_http and sys.platform != "win32":  # answers initialize before the MCP stack is loaded
        from briefing.mcp_stdio import serve_corpus

        def load() -> Any:
            from briefing.mcp_server import load as load_server  # in a thread, after initialize

            return load_server(settings, _progress)

        with contextlib.suppress(KeyboardInterrupt):
            serve_corpus(load)
        return
    from briefing.mcp_server import serve as run_server

    run_server(settings, http=use_http, host=host, port=port, progress=_progress)


def entry() -> None:  # pragma: no cover - console script shim
    main()


@main.command()
@click.argument("topic", required=False)
@click.option("--source", "source_ids", multiple=True, help="Only these document ids (repeatable).")
@click.option("--max-documents", type=click.IntRange(2, 500), default=50, show_default=True,
              help="With a topic: the most relevant documents briefed.")
@click.option("--max-points", type=click.IntRange(1, 200), default=MAX_POINTS, show_default=True,
              help="Points per section.")
@click.option("--detail", type=click.Choice(DETAILS), default="normal", show_default=True,
              help="How many quotes per point and sentences per source.")
@click.option("--max-sentences", type=click.IntRange(2), default=None,
              help="At most this many sentences read, shared between the documents "
              "(default: BRIEFING_BRIEF_MAX_SENTENCES, else 2000).")
@click.option("--seconds", type=click.FloatRange(0, min_open=True), default=None,
              help="Stop examining points after this long (default: BRIEFING_BRIEF_SECONDS, else 30).")
@corpus_options
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json", "html"]), default="text",
              show_default=True, help="text for a terminal, md for Markdown, json for scripts, html for a "
              "self-contained report page (with -o FILE).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing.")
def brief(topic: str | None, source_ids: tuple[str, ...], max_documents: int, max_points: int, detail: str,
          max_sentences: int | None, seconds: float | None, corpus: Path | None, db: Path | str | None, fmt: str,
          output: Path | None) -> None:
    """The neutral multi-source brief: agreements, disputes, blindspots and single-source points, all cited.

    Its work is capped (sentences read, seconds spent); a capped brief says what it left out.
    """
    c = open_corpus(corpus, db, brief_max_sentences=max_sentences, brief_seconds=seconds)
    result = c.brief(topic, sources=list(source_ids), max_documents=max_documents, max_points=max_points,
                     detail=detail)
    if fmt == "html":
        from briefing.render.html import brief_html

        docs = {d.id: (d, c.store.sentences(d.id)) for d in c.store.documents(result.sources)}
        page = brief_html(result, docs)
    elif fmt == "json":
        from briefing.render import to_json

        page = to_json(result) + "\n"
    elif fmt == "md":
        from briefing.render.brief import brief_markdown

        page = brief_markdown(result)
    else:
        from briefing.render.terminal import brief_text

        page = brief_text(result)
    write(page, output)


def write(page: str, output: Path | None) -> None:
    """Print ``page``, or write it to ``output`` and say where."""
    if output is None:
        click.echo(page, nl=False)
        return
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as err:
        raise click.ClickException(f"cannot write {output}: {err.strerror or err}; pass another -o path") from None
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("first")
@click.argument("second")
@click.option("--by", type=click.Choice(["document", "outlet", "leaning"]), default="document", show_default=True,
              help="What FIRST and SECOND name: document ids, outlet names or leanings.")
@click.option("--topic", default=None, help="Compare their coverage of this topic (default: the latest documents).")
@click.option("--detail", type=click.Choice(DETAILS), default="normal", show_default=True,
              help="How many quotes per point.")
@corpus_options
@format_option
def compare(first: str, second: str, by: str, topic: str | None, detail: str, corpus: Path | None,
            db: Path | str | None, fmt: str) -> None:
    """Two documents, outlets or leanings side by side: shared points, points only in each, disputes."""
    from briefing.render.brief import comparison_markdown
    from briefing.render.terminal import comparison_text

    result = open_corpus(corpus, db).compare(first, second, by=by, topic=topic, detail=detail)
    emit(result, fmt, lambda c, md: comparison_markdown(c) if md else comparison_text(c))


# --- summaries and their evaluation --------------------------------------------------------------


def _summary_methods() -> list[str]:
    from briefing.summarize.registry import METHODS

    return list(METHODS)


@main.command()
@click.argument("query", required=False)
@click.option("--source", "source_ids", multiple=True, help="Only these document ids (repeatable).")
@click.option("--method", type=click.Choice(_summary_methods()), default="default", show_default=True,
              help="The summariser: default (multi-source concept coverage), lead, or one of sumy's.")
@click.option("--sentences", type=click.IntRange(1, 200), default=None,
              help="Length in sentences (default: 5).")
@click.option("--words", type=click.IntRange(1, 5000), default=None,
              help="Length in words instead: sentences are added until the summary reaches it.")
@corpus_options
@format_option
def summarize(query: str | None, source_ids: tuple[str, ...], method: str, sentences: int | None,
              words: int | None, corpus: Path | None, db: Path | str | None, fmt: str) -> None:
    """Extractive summary of the sources, a query's best documents or the whole corpus, each sentence cited."""
    from briefing.render.summary import render

    c = open_corpus(corpus, db)
    result = c.summarize(query=query, sources=list(source_ids), method=method, sentences=sentences, words=words)
    emit(result, fmt, render)


@main.group()
def evaluate() -> None:
    """Score briefing's components against human-labelled data (JSONL)."""


@evaluate.command("summaries")
@click.argument("data", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--words", type=click.IntRange(1, 5000), default=100, show_default=True,
              help="Summary length; each summary is cut to exactly this many words before scoring.")
@click.option("--query-field", default=None,
              help="A cluster field to use as the query (query-focused summaries); default: none.")
@click.option("--methods", default=None, help="Comma-separated methods to score (default: every method).")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first K clusters.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for a terminal, md for a Markdown table, json for scripts.")
def evaluate_summaries(data: Path | None, words: int, query_field: str | None, methods: str | None,
                       limit: int | None, fmt: str) -> None:
    """Mean ROUGE-1/2/L recall and F1 of each summary method over clusters of documents with references.

    DATA is JSONL, one cluster a line: {"documents": [{"id", "title", "text"}], "references": ["..."]}
    (default: the DUC 2003 set under ../shared/eval-data, skipped when absent).
    """
    import json

    from briefing.evaluate import summaries as ev

    names = ev.parse_methods(methods)
    path = data or ev.DEFAULT_DATA
    if not path.exists():
        click.echo(f"skipped: no evaluation data at {path}; pass a JSONL file of clusters")
        return
    results = ev.evaluate(ev.read_clusters(path, limit), words=words, methods=names, query_field=query_field)
    if fmt == "json":
        click.echo(json.dumps(ev.as_json(results), indent=2))
    else:
        click.echo(ev.table(results, markdown=fmt == "md"))


@evaluate.command("pairs")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["all", "held-out", "fit"]), default="all", show_default=True,
              help="held-out: only the third of the pairs the shipped same-point model was not fitted on.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for a terminal, md for a Markdown table, json for scripts.")
def evaluate_pairs(data: Path, split: str, fmt: str) -> None:
    """The brief's same-point decision (msrp, stsb_news) or stance reading (emergent) on labelled pairs.

    DATA is a claim-pairs JSONL file: {"id", "sentence_a", "sentence_b", "label", ...} a line, e.g.
    ../shared/eval-data/claim-pairs/msrp.jsonl. Equivalence files report precision, recall and F1 at
    the operating threshold and precision_at_recall_50; emergent reports accuracy and per-class F1.
    """
    import json

    from briefing.evaluate import pairs

    report = pairs.evaluate(data, split)
    click.echo(json.dumps(report, indent=2) if fmt == "json" else pairs.render(report))


@evaluate.command("stance")
@click.argument("data", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(["direct", "brief"]), default="direct", show_default=True,
              help="direct: call stance_sides on each claim's bodies; brief: read the brief's stance disputes.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N claims.")
@click.option("--half", type=click.Choice(["first", "second"]), default=None,
              help="Score one half of the claims, split by a hash of the claim id.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def evaluate_stance(data: Path | None, mode: str, limit: int | None, half: str | None, as_json: bool) -> None:
    """Stance disputes against FNC-1 agree/disagree labels, beside a refutation-word baseline.

    DATA is FNC-1 grouped by claim, JSONL (default: fnc1_dev.jsonl under ../shared/eval-data,
    skipped when absent).
    """
    import json

    from briefing.evaluate import stance as ev

    try:
        claims = ev.load_claims(data or ev.DEFAULT_PATH)
    except ev.EvalDataMissing as err:
        click.echo(f"skipped: {err}")
        return
    if half:
        claims = [c for c in claims if c.half == half]
    rows = ev.evaluate(claims[:limit] if limit else claims, mode)
    click.echo(json.dumps(rows, indent=2) if as_json else ev.table(rows))


@evaluate.command("neus")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--words", type=click.IntRange(1, 5000), default=None,
              help="Length N every text is cut to (default: the median reference length).")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first K clusters.")
@click.option("--methods", default="lexrank,lead,default", show_default=True,
              help="Comma-separated summary methods scored beside the brief's consensus.")
@click.option("--lexicon", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="NRC-VAD lexicon file (default: nrc-vad/NRC-VAD-Lexicon.txt in the eval-data folder).")
@click.option("--wordnet", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A WordNet 3.0 dict folder (e.g. /usr/share/wordnet) to lemmatise exactly as NLTK's "
              "WordNetLemmatizer; default: briefing's offline rule-based noun lemmatiser.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for a terminal, md for Markdown tables, json for scripts.")
def evaluate_neus(path: Path | None, words: int | None, limit: int | None, methods: str, lexicon: Path | None,
                  wordnet: Path | None, fmt: str) -> None:
    """The brief's consensus beside summarisers on NeuS/AllSides: ROUGE and NeuS framing bias.

    PATH is neus_allsides_val.jsonl or the eval-data folder holding it (default: ../shared/eval-data
    next to the repository, skipped when absent).
    """
    from briefing.evaluate import neus

    try:
        report = neus.run(path, words=words, limit=limit, lexicon=lexicon, wordnet=wordnet,
                          methods=methods.split(","))
    except neus.EvalDataMissing as err:
        click.echo(f"skipped: {err}")
        return
    click.echo(neus.render(report, fmt))
