"""Renderers: models → text for a terminal, Markdown for chat, JSON for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel


def to_json(value: BaseModel | Sequence[BaseModel]) -> str:
    if isinstance(value, BaseModel):
        return value.model_dump_json(indent=2)
    return json.dumps([v.model_dump(mode="json") for v in value], indent=2, ensure_ascii=False)
