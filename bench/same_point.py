"""Fit the same-point model (``briefing/data/same_point.json``) on human-labelled news pairs.

Reads MSRP and STS-news pairs from ``../shared/eval-data/claim-pairs`` (or ``--data``), fits a
logistic regression over ``briefing.align.same_point.FEATURES`` on two thirds of the pairs (by id,
``briefing.evaluate.pairs.held_out``), picks the operating threshold on those same two thirds,
and reports every figure on the held-out third. Only the coefficients are written; no pair is.

    python -m bench.same_point            # figures
    python -m bench.same_point --write    # ... and write briefing/data/same_point.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from briefing.align.same_point import FEATURES, Sentences
from briefing.evaluate.pairs import Pair, held_out, load_pairs, precision_at_recall

OUT = Path(__file__).resolve().parent.parent / "briefing" / "data" / "same_point.json"
TARGET_PRECISION = 0.87  # on the fitting pairs of MSRP: the held-out precision is then about 0.85


def features(pairs: list[Pair]) -> np.ndarray:
    sentences = Sentences([p.a for p in pairs] + [p.b for p in pairs])
    rows = np.arange(len(pairs))
    return sentences.features(rows, rows + len(pairs))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[np.ndarray, float]:
    """Newton's method on the L2-penalised log-likelihood (few features: exact and quick)."""
    n, k = x.shape
    design = np.column_stack([x, np.ones(n)])
    w = np.zeros(k + 1)
    penalty = np.diag([l2] * k + [0.0])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        grad = design.T @ (p - y) + penalty @ w
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:k], float(w[k])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "eval-data")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    folder = args.data / "claim-pairs"
    if not (folder / "msrp.jsonl").exists():
        print(f"no claim pairs under {folder}; pass --data PATH to the eval-data folder")
        return
    sets = {name: load_pairs(folder / f"{name}.jsonl") for name in ("msrp", "stsb_news")}
    fit_pairs = [p for ps in sets.values() for p in ps if not held_out(p.id)]
    x = features(fit_pairs)
    y = np.array([p.label == "equivalent" for p in fit_pairs], dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, intercept = fit_logistic((x - mean) / scale, y)

    def probability(pairs: list[Pair]) -> np.ndarray:
        z = ((features(pairs) - mean) / scale) @ coef + intercept
        return 1.0 / (1.0 + np.exp(-z))

    msrp_fit = [p for p in sets["msrp"] if not held_out(p.id)]
    s, g = probability(msrp_fit), np.array([p.label == "equivalent" for p in msrp_fit])
    threshold = 0.5
    for t in np.arange(0.30, 0.99, 0.005):
        sel = s >= t
        if sel.sum() and g[sel].mean() >= TARGET_PRECISION:
            threshold = round(float(t), 3)
            break
    print("coefficients:", dict(zip(FEATURES, np.round(coef, 3).tolist(), strict=True)), "intercept", round(intercept, 3))
    print(f"operating threshold {threshold} (precision {TARGET_PRECISION} on the fitting pairs of MSRP)")
    for name, pairs in sets.items():
        test = [p for p in pairs if held_out(p.id)]
        s, g = probability(test), np.array([p.label == "equivalent" for p in test])
        sel = s >= threshold
        tp = (sel & g).sum()
        prec, rec = tp / max(1, sel.sum()), tp / max(1, g.sum())
        print(f"{name} held-out ({len(test)} pairs, base rate {g.mean():.3f}): precision {prec:.3f} recall {rec:.3f} "
              f"F1 {2 * prec * rec / max(1e-9, prec + rec):.3f} precision@recall0.5 {precision_at_recall(s, g):.3f}")
    if args.write:
        OUT.write_text(json.dumps({
            "features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
            "coef": coef.round(6).tolist(), "intercept": round(intercept, 6), "threshold": threshold,
            "fitted_on": "two thirds of MSRP and STS-news dev pairs by id (bench/same_point.py)",
        }, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
