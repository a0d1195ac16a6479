"""Spot corpus text that reads like instructions to an assistant (prompt injection).

Such text stays quotable data; results carry a flag so the assistant and the reader see it.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|all|any|your)\b[^.!?\n]{0,30}\b(instructions?|prompts?|rules|guidelines|directives)\b",
    r"\b(new|updated|real|actual)\s+(system\s+)?instructions?\s*:",
    r"\bsystem\s+prompt\b",
    r"\byou\s+are\s+(now\s+)?(an?\s+|the\s+)?(ai|assistant|chatbot|language\s+model|llm)\b",
    r"\b(as\s+an?\s+)(ai|assistant|language\s+model)\b[^.!?\n]{0,40}\b(you|must|should)\b",
    r"\b(assistant|ai|model|llm|chatbot)\s*[,:]\s*(please\s+)?(ignore|reveal|print|output|say|respond|call|run|execute|delete|send)\b",
    r"\b(do\s+not|don't|never)\s+(tell|inform|reveal\s+to|mention\s+to)\s+the\s+user\b",
    r"\b(call|invoke|use|run)\s+the\s+[\w-]+\s+tool\b",
    r"</?\s*(system|assistant|user|instructions?)\s*>|\[/?INST\]|<\|im_(start|end)\|>",
    r"\b(reveal|print|output|leak|exfiltrate)\s+(your|the)\s+(system\s+prompt|instructions|api\s+keys?|secrets?|tokens?|credentials)\b",
    r"\bjailbreak\b|\bDAN\s+mode\b|\bdeveloper\s+mode\b",
]
_INSTRUCTIONS = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def looks_like_instructions(text: str) -> bool:
    """True when the text addresses an assistant rather than reporting something."""
    return _INSTRUCTIONS.search(text) is not None
