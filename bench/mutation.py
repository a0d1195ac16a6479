"""The mutation run: how many small deliberate changes to a module the tests notice.

mutmut (the ``mutation`` extra) copies the package to ``mutants/``, makes each change it can
(``<`` for ``<=``, ``None`` for a value, a dropped argument...) behind a switch, and runs the tests
that reach the changed function against it. A change the tests notice is *killed*; one they do
not notice *survived*: either a gap in the tests, or an equivalent change (same behaviour), which
docs/testing.md lists with its reason.

    pip install -e ".[test,mutation]"
    python -m bench.mutation                 # the default targets: tools and sync
    python -m bench.mutation tools           # one target
    python -m bench.mutation --report        # the table of the last run, without running again

A target is mutated only when its file is listed in ``[tool.mutmut] only_mutate`` in
pyproject.toml, and its tests in ``pytest_add_cli_args_test_selection`` there: adding the brief or
the alignment is one line in each.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    path: str  # as listed in only_mutate
    module: str  # the dotted prefix of its mutant names

    @property
    def pattern(self) -> str:
        return f"{self.module}.*"


TARGETS = {
    "tools": Target("briefing/tools.py", "briefing.tools"),
    "sync": Target("briefing/store/sync.py", "briefing.store.sync"),
    "brief": Target("briefing/brief.py", "briefing.brief"),
    "align": Target("briefing/align/*", "briefing.align"),
}
DEFAULT = ("tools", "sync")
DETECTED = {"killed", "timeout", "caught by type check", "segfault"}
RESULT = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def configured() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def module_of(name: str) -> str:
    """``briefing.store.sync.x_walk__mutmut_3`` → ``briefing.store.sync``."""
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def results() -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return {m["name"]: m["status"].strip() for line in done.stdout.splitlines() if (m := RESULT.match(line))}


def report(targets: list[Target]) -> int:
    status_of = results()
    below = 0
    print(f"{'module':<24} {'mutants':>8} {'killed':>8} {'survived':>9} {'other':>6} {'score':>7}")
    for target in targets:
        mine = {n: s for n, s in status_of.items() if module_of(n) == target.module
                or module_of(n).startswith(target.module + ".")}
        counts = Counter("detected" if s in DETECTED else s for s in mine.values())
        total = len(mine)
        score = counts["detected"] / total if total else 0.0
        other = total - counts["detected"] - counts["survived"]
        print(f"{target.module:<24} {total:>8} {counts['detected']:>8} {counts['survived']:>9} {other:>6} {score:>7.1%}")
        for name, status in sorted(mine.items()):
            if status not in DETECTED:
                print(f"    {status:<10} {name}   (mutmut show {name})")
        below += total == 0
    return 1 if below else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"any of {', '.join(TARGETS)} (default: {' '.join(DEFAULT)})")
    parser.add_argument("--report", action="store_true", help="only print the table of the last run")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested in parallel")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"no target {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    targets = [TARGETS[t] for t in dict.fromkeys(args.targets or DEFAULT)]
    missing = [t.path for t in targets if t.path not in configured()]
    if missing:
        print(f"not in [tool.mutmut] only_mutate in pyproject.toml: {', '.join(missing)}; add them there "
              "(and their tests to pytest_add_cli_args_test_selection)", file=sys.stderr)
        return 2
    if not args.report:
        run = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children),
               *(t.pattern for t in targets)]
        subprocess.run(run, cwd=ROOT, check=False)
    return report(targets)


if __name__ == "__main__":
    raise SystemExit(main())
