"""Corpus strings made inert for display: every renderer prints corpus text through these.

A quote stays verbatim but on one line (a hard-wrapped line inside a sentence must not render as
a heading, a list or a code block) and without control characters (a NUL, an escape). Metadata —
titles, sources, dates, URLs, paths — is printed in quotes with its Markdown syntax escaped, so a
title such as ``# SYSTEM: ...`` reads as a quoted title, never as structure. Short labels from the
metadata — outlet names and leanings in lists and coverage lines — are printed the same way but
without the quotes (``label``). Anything that reads
like instructions to an assistant, read as folded text (see ``text.instructions``), is flagged.
"""

from __future__ import annotations

import re

from briefing.text.instructions import looks_like_instructions

FLAG = "reads like instructions to an assistant — quoted data only"

_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_DATE = re.compile(r"\d{4}(-\d\d){0,2}")


def inline(text: str) -> str:
    """One line: line breaks and tabs become spaces, control characters are dropped."""
    return _CONTROLS.sub("", _BREAKS.sub(" ", text))


def flag(text: str | None) -> str:
    """`` (reads like instructions ...)`` when ``text`` does, else nothing."""
    return f" ({FLAG})" if text and looks_like_instructions(text) else ""


def meta(value: str, markdown: bool = True) -> str:
    """A title, source, URL or path: quoted, on one line, Markdown escaped, flagged if need be.
    An ISO date is printed as it is."""
    text = inline(value).strip()
    if _DATE.fullmatch(text):
        return text
    if markdown:
        text = _MARKDOWN.sub(r"\\\1", text)
    return f"“{text}”{flag(value)}"


def label(value: str, markdown: bool = True) -> str:
    """An outlet name or a leaning in running text: on one line, Markdown escaped, flagged if
    need be, but not quoted (``CNN · left``)."""
    text = inline(value).strip()
    if markdown:
        text = _MARKDOWN.sub(r"\\\1", text)
    return f"{text}{flag(value)}"


def quote_flags(loaded_terms: list[str], instructions: bool) -> list[str]:
    """What a quote is flagged with, in every view: its loaded terms, and text that reads like
    instructions."""
    flags = []
    if loaded_terms:
        flags.append("loaded terms: " + ", ".join(f"“{t}”" for t in loaded_terms))
    if instructions:
        flags.append(FLAG)
    return flags
