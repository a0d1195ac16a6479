"""Regenerate the "A session" transcript in README.md from real runs on the bundled seeds.

    python docs/session.py

Each command runs against a fresh temporary database; the output between the README's
``<!-- session:start -->`` and ``<!-- session:end -->`` markers is replaced, never hand-edited.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    "briefing search 'air patrols' --limit 3",
    "briefing cite 002:14 --context 1",
    "briefing brief --detail short",
    "briefing brief --corpus examples/leanings --detail short --max-points 4",
    "briefing compare left right --by leaning --corpus examples/leanings --detail short",
]
START, END = "<!-- session:start -->", "<!-- session:end -->"


def run(command: str, env: dict[str, str]) -> str:
    args = shlex.split(command)
    args[0] = str(Path(sys.executable).parent / args[0])
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.replace(str(ROOT) + os.sep, "")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BRIEFING_DB": str(Path(tmp) / "seeds.sqlite3"), "COLUMNS": "88"}
        env.pop("BRIEFING_CORPUS", None)
        parts = []
        for command in COMMANDS:
            # A command naming another corpus gets a database of its own.
            own = {**env, "BRIEFING_DB": str(Path(tmp) / "example.sqlite3")} if "--corpus" in command else env
            output = run(command, own).rstrip()
            parts.append(f"```console\n$ {command}\n{output}\n```\n")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + START + "\n" + "\n".join(parts) + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
