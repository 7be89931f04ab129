"""The risk register: each risk's rating, response, mitigation, owner and score (likelihood x impact),
and the score bands (Low, Medium, High) that the charts colour.

Plain pandas.
"""

from __future__ import annotations

import pandas as pd

from .plan_workbook import PlanData
from .values import is_blank

# Risk score bands (score = likelihood x impact on 1-5 scales): 1-4 Low, 5-12 Medium, 15-25 High.
HIGH_SCORE = 15
MEDIUM_SCORE = 5


def score_band(score: object) -> str:
    """'Low' (under 5), 'Medium' (5 to 14) or 'High' (15 or more); '' when not scored."""
    if is_blank(score):
        return ""
    score = float(score)
    return "High" if score >= HIGH_SCORE else "Medium" if score >= MEDIUM_SCORE else "Low"


RISK_COLUMNS = ["risk_id", "risk", "rating", "response", "mitigation", "owner", "likelihood", "impact", "score"]


def risk_register(plan: PlanData) -> pd.DataFrame:
    """Risks with rating, response, mitigation, owner and score = likelihood x impact (1-25; missing
    unless both are given), in workbook order."""
    risks = plan.risks.reset_index(drop=True)
    likelihood = pd.to_numeric(risks["likelihood"], errors="coerce")
    impact = pd.to_numeric(risks["impact"], errors="coerce")
    out = pd.DataFrame({c: risks[c] if c in risks else None for c in RISK_COLUMNS[:6]})
    out["likelihood"] = likelihood.round().astype("Int64")
    out["impact"] = impact.round().astype("Int64")
    out["score"] = (out["likelihood"] * out["impact"]).astype("Int64")
    return out[RISK_COLUMNS]
