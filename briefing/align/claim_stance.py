"""Does a headline assert a claim, deny it, or only report it? The stance reading of one sentence.

Emergent's three classes: ``entailment`` (the headline asserts the claim), ``contradiction`` (it
denies or debunks it), ``unknown`` (it passes the claim on: attributed, hedged or asked). The
reading uses the cue lexicon of ``briefing.align.stance``: refutation and strong scepticism cues
or a negated verb deny; hedges, attributions and questions only report.
"""

from __future__ import annotations

from briefing.align.stance import read

CLASSES = ("entailment", "contradiction", "unknown")
_DENY = 0.5


def read_stance(claim: str, headline: str) -> str:
    """The class of ``headline`` towards ``claim``."""
    reading = read(headline)
    claim_kinds = read(claim).kinds
    if reading.strength("refutation", "skepticism") >= _DENY:
        return "contradiction"
    if "negation" in reading.kinds and "negation" not in claim_kinds:
        return "contradiction"
    if reading.kinds & {"hedge", "attribution"} or headline.rstrip().endswith("?"):
        return "unknown"
    return "entailment"
