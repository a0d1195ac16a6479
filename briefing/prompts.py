"""Prompt templates: ``prompts/*.md`` filled in by a strict loader.

Placeholders are ``$name`` (or ``${name}`` when a letter follows directly); ``$$`` is a literal
dollar sign. Braces are left alone, so templates may show JSON. Rendering is strict both ways:
a placeholder with no value, a value with no placeholder and an unknown template name all raise
``TemplateError`` naming the culprit, so a typo never reaches an assistant as a silent gap.

>>> "neutral_brief" in template_names()
True
"""

from __future__ import annotations

import string
import sys
import sysconfig
from functools import cache
from pathlib import Path

from briefing.errors import TemplateError


def prompts_dir() -> Path:
    """``prompts/`` beside the package, or installed under ``share/briefing/prompts``."""
    candidates = [
        Path(__file__).resolve().parent.parent / "prompts",
        Path(sysconfig.get_path("data")) / "share" / "briefing" / "prompts",
        Path(sys.prefix) / "share" / "briefing" / "prompts",
    ]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def template_names() -> list[str]:
    return sorted(p.stem for p in prompts_dir().glob("*.md"))


@cache
def _load(name: str) -> string.Template:
    path = prompts_dir() / f"{name}.md"
    if not name.isidentifier() or not path.is_file():
        known = ", ".join(template_names()) or f"none in {prompts_dir()}"
        raise TemplateError(f"no prompt template {name!r}; the templates are: {known}")
    template = string.Template(path.read_text(encoding="utf-8"))
    if not template.is_valid():
        raise TemplateError(
            f"prompt template {path} has a '$' that starts no placeholder; write '$$' for a dollar sign"
        )
    return template


def variables(name: str) -> list[str]:
    """The placeholders of a template, in order of first use."""
    return list(dict.fromkeys(_load(name).get_identifiers()))


def render_prompt(name: str, **values: object) -> str:
    """The template ``prompts/<name>.md`` with every ``$variable`` replaced by its value."""
    wanted = variables(name)
    missing = [v for v in wanted if v not in values]
    if missing:
        raise TemplateError(
            f"prompt template {name!r} needs the variable {missing[0]!r}; "
            f"pass {', '.join(f'{v}=...' for v in missing)}"
        )
    extra = sorted(set(values) - set(wanted))
    if extra:
        raise TemplateError(
            f"prompt template {name!r} has no variable {extra[0]!r}; its variables are: "
            f"{', '.join(wanted) or 'none'}"
        )
    return _load(name).substitute({k: str(v) for k, v in values.items()})
