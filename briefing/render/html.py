"""The brief as one self-contained HTML page: ``briefing brief --format html -o FILE``.

Points with their outlets and leanings, disputes side by side, blindspots, a coverage heatmap
(outlets grouped by leaning x points), and the sources themselves at the end of the page: every
citation is a link to its sentence there, which opens the source and highlights the quote. No
script, style or font is fetched from anywhere: the page works offline, from a file. Every corpus
string (quotes, titles, outlets, leanings, notes) is escaped and printed inert (``render.inert``):
on one line, without control characters, and flagged when it reads like instructions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from briefing.ids import parse_citation
from briefing.leaning import UNLABELLED, coverage_phrase, leaning_of, leaning_order, outlet_name
from briefing.models import Brief, DocumentInfo, Outlet, Quote, Sentence
from briefing.render.inert import FLAG, flag, inline

_CSS = """
:root { --left: #2b6cb0; --center: #6b46c1; --right: #c53030; --other: #4a5568; --hl: #fde68a; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a202c;
       background: #f7fafc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 8px; } h2 { margin-top: 32px; border-bottom: 2px solid #e2e8f0; }
.overview { color: #4a5568; }
.card { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.pid { font-weight: 700; margin-right: 6px; }
.tag { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 2px 2px 2px 0; font-size: .8rem;
       color: #fff; background: var(--other); }
.tag.left { background: var(--left); } .tag.center { background: var(--center); } .tag.right { background: var(--right); }
.silent { color: #718096; font-style: italic; font-size: .9rem; }
blockquote { margin: 8px 0; padding-left: 12px; border-left: 3px solid #cbd5e0; }
.flags { color: #975a16; font-size: .85rem; }
a.cite { font-size: .85rem; text-decoration: none; color: #2c5282; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
.side { background: #f7fafc; border-radius: 6px; padding: 8px 12px; }
.blind { border-left: 4px solid #dd6b20; }
table.heat { border-collapse: collapse; font-size: .85rem; }
table.heat th, table.heat td { border: 1px solid #e2e8f0; padding: 3px 6px; text-align: center; }
table.heat th.outlet { text-align: left; font-weight: 400; }
table.heat th.group { text-align: left; background: #edf2f7; }
td.reports { background: #48bb78; color: #fff; } td.disputes { background: #ed8936; color: #fff; }
td.silent { background: #fff; color: #cbd5e0; }
details.source { background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; margin: 8px 0; padding: 8px 12px; }
details.source summary { cursor: pointer; font-weight: 600; }
.sentence.hl, .sentence:target { background: var(--hl); outline: 2px solid #d69e2e; }
"""

_JS = """
function openCited() {
  var id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  var el = document.getElementById(id);
  if (!el) return;
  var box = el.closest('details');
  if (box) box.open = true;
  document.querySelectorAll('.sentence.hl').forEach(function (s) { s.classList.remove('hl'); });
  el.classList.add('hl');
  el.scrollIntoView({block: 'center'});
}
window.addEventListener('hashchange', openCited);
window.addEventListener('DOMContentLoaded', openCited);
"""


def anchor(citation: str) -> str:
    """The element id of a cited sentence: ``s-004-7`` for ``004:7``."""
    doc, n = parse_citation(citation)
    return f"s-{doc}-{n}"


def _text(value: str) -> str:
    """Corpus text for the page: one line, no control characters, escaped."""
    return escape(inline(value))


def _meta(value: str) -> str:
    """Corpus metadata (a title, an outlet, a leaning): like ``_text``, flagged if it reads like
    instructions to an assistant."""
    mark = f' <span class="flags">({escape(FLAG)})</span>' if flag(value) else ""
    return f"{_text(value).strip()}{mark}"


def _tag(leaning: str | None) -> str:
    label = leaning or UNLABELLED
    css = label if label in ("left", "center", "right") else "other"
    return f'<span class="tag {css}">{_meta(label)}</span>'


def _outlets(outlets: Sequence[Outlet]) -> str:
    return " ".join(f"{_meta(o.name)} {_tag(o.leaning)}" for o in outlets)


def _quote(q: Quote) -> str:
    flags = []
    if q.loaded_terms:
        flags.append("loaded terms: " + ", ".join(f"“{escape(t)}”" for t in q.loaded_terms))
    if q.instructions:
        flags.append(escape(FLAG))
    tail = f' <span class="flags">({"; ".join(flags)})</span>' if flags else ""
    return (
        f'<blockquote>{escape(q.doc_id)}: “{_text(q.text)}” '
        f'<a class="cite" href="#{anchor(q.citation)}" data-quote="{escape(q.text)}">[{escape(q.citation)}]</a>'
        f"{tail}</blockquote>"
    )


def brief_html(brief: Brief, documents: Mapping[str, tuple[DocumentInfo, Sequence[Sentence]]]) -> str:
    """The page for ``brief``; ``documents`` gives each briefed document's metadata and sentences."""
    title = f"Brief: {inline(brief.topic)}" if brief.topic else "Brief"
    out = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style><script>{_JS}</script></head><body><main>",
        f"<h1>{escape(title)}</h1>", f'<p class="overview">{escape(brief.overview)}</p>',
    ]
    if brief.agreements:
        out.append("<h2>Reported by several independent sources</h2>")
        for a in brief.agreements:
            phrase = coverage_phrase([_meta(x) for x in a.leanings], [_meta(x) for x in a.silent])
            coverage = f'<div class="silent">{phrase}</div>' if brief.leanings else ""
            out.append(
                f'<section class="card point" id="{a.id}"><span class="pid">{a.id}</span>'
                f"{a.independent_sources} independent sources: {_outlets(a.outlets)}{coverage}"
                + "".join(_quote(q) for q in [a.summary, *[q for q in a.quotes if q.citation != a.summary.citation]])
                + (f'<div class="silent">{_text(a.note)}</div>' if a.note else "")
                + "".join(f'<div class="silent">worded differently: {_text(p.label)} — {_outlets(p.outlets)}</div>'
                          for p in a.framing)
                + "</section>"
            )
    if brief.disputes:
        out.append("<h2>Where sources differ</h2>")
        for d in brief.disputes:
            sides = "".join(
                f'<div class="side"><strong>{_text(p.label)}</strong><div>{_outlets(p.outlets)}</div>'
                + "".join(_quote(q) for q in p.quotes) + "</div>"
                for p in d.positions
            )
            out.append(
                f'<section class="card dispute" id="{d.id}"><span class="pid">{d.id}</span>'
                f"<em>{escape(d.kind)}</em> — {_text(d.topic)}<div class=\"sides\">{sides}</div></section>"
            )
    if brief.blindspots:
        out.append("<h2>Blindspots: points only one leaning reports</h2>")
        for b in brief.blindspots:
            silent = f"; silent on the {' and '.join(_meta(x) for x in b.silent)}" if b.silent else ""
            out.append(
                f'<section class="card blind"><span class="pid">{b.point}</span>only {_tag(b.leaning)} outlets '
                f"({', '.join(_meta(x) for x in b.outlets)}){silent}{_quote(b.quote)}</section>"
            )
    if brief.single_source:
        out.append("<h2>Reported by one source only</h2>")
        for s in brief.single_source:
            who = _outlets([s.outlet]) if s.outlet else _meta(s.source)
            out.append(f'<section class="card single"><span class="pid">{s.id}</span>{who}{_quote(s.quote)}</section>')
    out += _heatmap(brief, {d: info for d, (info, _) in documents.items()})
    if brief.leanings:
        out.append("<h2>Coverage by leaning</h2><ul>")
        for v in brief.leanings:
            terms = ", ".join(f"“{escape(t)}”" for t in v.loaded_terms)
            out.append(
                f"<li>{_tag(v.leaning)} {v.documents} documents ({', '.join(_meta(x) for x in v.outlets)})"
                + (f"; part of {escape(', '.join(v.reports))}" if v.reports else "")
                + (f"; loaded terms: {terms}" if terms else "") + "</li>"
            )
        out.append("</ul>")
    out.append("<h2>Sources</h2>")
    for doc_id in brief.sources:
        if doc_id not in documents:
            continue
        info, sentences = documents[doc_id]
        meta = " · ".join(_meta(x) for x in (info.source, info.leaning, info.date) if x)
        link = f' <a href="{escape(inline(info.url))}" rel="noreferrer">original</a>' if info.url and info.url.startswith(("http://", "https://")) else ""
        body = " ".join(
            f'<span class="sentence" id="{anchor(s.citation)}">{_text(s.text)}'
            + (f' <span class="flags">({escape(FLAG)})</span>' if flag(s.text) else "") + "</span>"
            for s in sentences
        )
        out.append(
            f'<details class="source" id="doc-{escape(doc_id)}"><summary>{escape(doc_id)} — '
            f"{_meta(info.title or info.path or doc_id)}{' · ' + meta if meta else ''}{link}</summary><p>{body}</p></details>"
        )
    if brief.notes:
        out.append("<h2>Data-quality notes</h2><ul>")
        out += [f"<li>{escape(n.kind.replace('_', ' '))}: {_text(n.message)}</li>" for n in brief.notes]
        out.append("</ul>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def _heatmap(brief: Brief, infos: Mapping[str, DocumentInfo]) -> list[str]:
    """Outlets grouped by leaning (rows) x points and disputes (columns)."""
    ids = [a.id for a in brief.agreements] + [d.id for d in brief.disputes]
    if not ids or not brief.coverage:
        return []
    cells = {row.source: row.cells for row in brief.coverage}
    rows: dict[str, dict[str, list[str]]] = {}
    for doc_id in brief.sources:
        if doc_id in infos:
            rows.setdefault(leaning_of(infos[doc_id]), {}).setdefault(outlet_name(infos[doc_id]), []).append(doc_id)
    out = ["<h2>Coverage</h2>", '<table class="heat"><tr><th></th>' + "".join(f"<th>{i}</th>" for i in ids) + "</tr>"]
    rank = {"silent": 0, "reports": 1, "disputes": 2}
    for leaning in leaning_order(rows):
        out.append(f'<tr><th class="group" colspan="{len(ids) + 1}">{_tag(leaning)}</th></tr>')
        for name, docs in sorted(rows[leaning].items(), key=lambda kv: kv[0].lower()):
            row = []
            for i in ids:
                state = max((cells.get(d, {}).get(i, "silent") for d in docs), key=lambda s: rank[s])
                mark = {"reports": "R", "disputes": "D", "silent": "·"}[state]
                row.append(f'<td class="{state}" title="{_text(name)}: {state} {i}">{mark}</td>')
            out.append(f'<tr><th class="outlet">{_meta(name)}</th>{"".join(row)}</tr>')
    out.append("</table>")
    return out
