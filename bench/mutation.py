"""The mutation run: how many small deliberate changes to a module the tests notice.

mutmut (the ``mutation`` extra) copies the package to ``mutants/``, makes each change it can
(``<`` for ``<=``, ``None`` for a value, a dropped argument...) behind a switch, and runs the tests
that reach the changed function against it. A change the tests notice is *killed*; one they do
not notice *survived*: either a gap in the tests, or an equivalent change (same behaviour), which
docs/testing.md lists with its reason.

    pip install -e ".[test,mutation]"
    python -m bench.mutation tools               # one target: every tools mutant
    python -m bench.mutation sync --sample 100   # a seeded random sample of sync's mutants
    python -m bench.mutation brief align --sample 150  # the brief and the alignment, sampled
    python -m bench.mutation tools sync --report # the table of the last runs, without running again
    python -m bench.mutation                     # every mutant of the default targets, tools and sync

A full run of ``sync`` (about 1,000 mutants, each reaching most of the store and ingest tests)
takes hours on two cores; ``--sample N`` tests a seeded random sample of N mutants per target
instead (after a first run has generated them) and reports the score over the sample with its
95% interval.

A target is mutated only when its file is listed in ``[tool.mutmut] only_mutate`` in
pyproject.toml, and its tests in ``pytest_add_cli_args_test_selection`` there.
"""

from __future__ import annotations

import argparse
import math
import random
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
    "sync": Target("briefing/sync.py", "briefing.sync"),
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
    """``briefing.sync.x__sync__mutmut_3`` → ``briefing.sync``."""
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def results() -> dict[str, str]:
    done = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return {m["name"]: m["status"].strip() for line in done.stdout.splitlines() if (m := RESULT.match(line))}


def mutants_of(target: Target, status_of: dict[str, str]) -> dict[str, str]:
    return {n: s for n, s in status_of.items()
            if module_of(n) == target.module or module_of(n).startswith(target.module + ".")}


def sample_of(names: list[str], size: int | None, seed: int) -> list[str]:
    """``size`` names drawn by a seeded generator (all of them when ``size`` is None)."""
    order = sorted(names)
    if size is None or size >= len(order):
        return order
    random.Random(seed).shuffle(order)  # a larger sample holds every smaller one of the same seed
    return sorted(order[:size])


def report(targets: list[Target], size: int | None = None, seed: int = 0) -> int:
    status_of = results()
    empty = 0
    print(f"{'module':<24} {'mutants':>8} {'killed':>8} {'survived':>9} {'other':>6} {'score':>7}  95% interval")
    for target in targets:
        every = mutants_of(target, status_of)
        mine = {n: every[n] for n in sample_of(list(every), size, seed)}
        counts = Counter("detected" if s in DETECTED else s for s in mine.values())
        total = len(mine)
        score = counts["detected"] / total if total else 0.0
        half = 1.96 * math.sqrt(score * (1 - score) / total) if total else 0.0
        other = total - counts["detected"] - counts["survived"]
        shown = f"{total} of {len(every)}" if total < len(every) else str(total)
        print(f"{target.module:<24} {shown:>8} {counts['detected']:>8} {counts['survived']:>9} {other:>6} "
              f"{score:>7.1%}  {max(0.0, score - half):.1%}–{min(1.0, score + half):.1%}")
        for name, status in sorted(mine.items()):
            if status not in DETECTED:
                print(f"    {status:<10} {name}   (mutmut show {name})")
        empty += total == 0
    return 1 if empty else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"any of {', '.join(TARGETS)} (default: {' '.join(DEFAULT)})")
    parser.add_argument("--report", action="store_true", help="only print the table of the last run")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested in parallel")
    parser.add_argument("--sample", type=int, metavar="N", help="test a seeded random sample of N mutants per target")
    parser.add_argument("--seed", type=int, default=16, help="the sample's seed")
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
        if args.sample is None:
            names = [t.pattern for t in targets]
        else:  # the sampled mutants not tested yet (a first run generates them all)
            status_of = results() if (ROOT / "mutants").is_dir() else {}
            if not status_of:
                print("no mutants yet: 'python -m bench.mutation tools' generates every listed module's mutants "
                      "(and tests the tools' own); then sample", file=sys.stderr)
                return 2
            names = [n for t in targets for n in sample_of(list(mutants_of(t, status_of)), args.sample, args.seed)
                     if status_of[n] == "not checked"]
        if names:
            run = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children), *names]
            subprocess.run(run, cwd=ROOT, check=False)
    return report(targets, args.sample, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
