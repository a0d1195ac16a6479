"""The FNC-1 stance evaluation reads claims grouped with their bodies and can score one half of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.evaluate.stance import load_claims, main


def write_claims(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({
                "cluster_id": f"claim-{i}",
                "claim": f"Claim number {i} is true",
                "documents": [{"id": "b1", "text": "One body."}, {"id": "b2", "text": "Another body."}],
                "labels": [{"doc_id": b, "stance_toward_claim": "agree"} for b in ("b1", "b2")],
            }) + "\n")
    return path


def test_every_claim_falls_in_one_fixed_half(tmp_path: Path) -> None:
    claims = load_claims(write_claims(tmp_path / "claims.jsonl", 40))
    halves = {c.id: c.half for c in claims}
    assert set(halves.values()) == {"first", "second"}
    assert halves == {c.id: c.half for c in load_claims(tmp_path / "claims.jsonl")}


@pytest.mark.parametrize("half", ["first", "second"])
def test_half_scores_only_that_half(tmp_path: Path, half: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_claims(tmp_path / "claims.jsonl", 40)
    expected = sum(c.half == half for c in load_claims(path))
    assert main([str(path), "--mode", "direct", "--half", half, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert 0 < expected < 40
    assert {row["b_false_split"] for row in rows} == {f"0/{expected}"}  # every claim has two agreeing bodies


def test_the_cli_scores_one_half_as_the_module_does(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli import main as cli

    path = write_claims(tmp_path / "claims.jsonl", 40)
    expected = sum(c.half == "second" for c in load_claims(path))
    result = CliRunner().invoke(cli, ["evaluate", "stance", str(path), "--half", "second", "--json"])
    assert result.exit_code == 0, result.output
    assert {row["b_false_split"] for row in json.loads(result.output)} == {f"0/{expected}"}
