"""The risk register and its score bands (src/analysis/risks.py) against hand-computed cases."""

import pandas as pd
import pytest

from src.analysis.plan_workbook import load_plan
from src.analysis.risks import risk_register, score_band
from tests.builders import frame, plan_bytes, task


def plan_of(tasks, updates=None, extra=None):
    return load_plan(plan_bytes(tasks, updates, extra=extra), "test.xlsx")


class TestRiskRegister:
    def test_score_is_likelihood_times_impact_where_both_given(self):
        extra = {
            "Risks": frame(
                ["risk_id", "risk", "rating", "response", "mitigation", "likelihood", "impact", "owner"],
                [(1, "Staffing", "High", "Treat", "Recruit", 4, 5, "HR"), (2, "Budget", "low", "tolerate", "Monitor", 2, None, None)],
            )
        }
        risks = risk_register(plan_of([task("T1", "Started", "June 17")], extra=extra))
        assert list(risks["rating"]) == ["High", "Low"] and list(risks["response"]) == ["Treat", "Tolerate"]
        assert risks["score"].iloc[0] == 20 and pd.isna(risks["score"].iloc[1])


class TestScoreBand:
    """Bands of likelihood x impact (each 1-5): under 5 Low, 5 to 14 Medium, 15 or more High."""

    @pytest.mark.parametrize(
        ("score", "band"),
        [(1, "Low"), (4, "Low"), (4.9, "Low"), (5, "Medium"), (12, "Medium"), (14, "Medium"), (15, "High"), (25, "High")],
    )
    def test_boundaries(self, score, band):
        assert score_band(score) == band

    @pytest.mark.parametrize("score", [None, float("nan"), pd.NA])
    def test_not_scored_is_blank(self, score):
        assert score_band(score) == ""

    def test_the_register_s_scores_fall_in_their_bands(self):
        # 4 x 5 = 20 (High); 1 x 4 = 4 (Low); 5 x 3 = 15 (High, the lowest High); a missing impact: no score, no band
        extra = {
            "Risks": frame(
                ["risk_id", "risk", "rating", "response", "mitigation", "likelihood", "impact", "owner"],
                [
                    (1, "Staffing", "High", "Treat", "Recruit", 4, 5, "HR"),
                    (2, "Budget", "Low", "Tolerate", "Monitor", 1, 4, "Finance"),
                    (3, "Data", "High", "Treat", "Audit", 5, 3, "IT"),
                    (4, "Systems", "Medium", "Treat", "Replace", 2, None, "IT"),
                ],
            )
        }
        risks = risk_register(plan_of([task("T1", "Started", "June 17")], extra=extra))
        assert [score_band(s) for s in risks["score"]] == ["High", "Low", "High", ""]
