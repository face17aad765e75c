"""The deal the REPL tests ask about: the Series A agreement with the agreement it
relies on (the Indenture, for the Notes' repayment date), and its 2007 fact base. The
rest of the BTI folder is left out so that plain names (`redemption_price`) are
declared by one agreement only."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERIES_A = [f"agreements/bti/{name}" for name in ("series-a-redemption.cov", "indenture-1997.cov")]
FACTS = "agreements/bti/examples/series-a-2007-redemption-demand.yaml"
ARGS = [*SERIES_A, "--facts", FACTS, "--as-of", "2007-05-01"]
