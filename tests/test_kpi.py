"""KPI status: RAG, direction of travel, gaps and the latest table (indicators.md "KPI status")."""

import math

import pandas as pd
import pytest

from src.analysis.kpi import RAG, Direction, direction_of_travel, kpi_status, latest_kpis, rag, rag_status


@pytest.mark.parametrize(
    "value, expected",
    [(90, RAG.GREEN), (95, RAG.GREEN), (89.9, RAG.AMBER), (85, RAG.AMBER), (84.9, RAG.RED)],
)
def test_rag_higher_is_better_with_tolerance(value, expected):
    # target 90, tolerance 5: >= 90 Green, >= 85 Amber, else Red (boundaries inclusive)
    assert rag(value, 90, 5, "higher_is_better") == expected


@pytest.mark.parametrize(
    "value, expected",
    [(20, RAG.GREEN), (18, RAG.GREEN), (20.5, RAG.AMBER), (22, RAG.AMBER), (22.1, RAG.RED)],
)
def test_rag_lower_is_better_with_tolerance(value, expected):
    # target 20, tolerance 2: <= 20 Green, <= 22 Amber, else Red
    assert rag(value, 20, 2, "lower_is_better") == expected


def test_rag_missing_tolerance_is_zero():
    assert rag(20, 20, None, "lower_is_better") == RAG.GREEN
    assert rag(20.1, 20, None, "lower_is_better") == RAG.RED
    assert rag(79.9, 80, None, "higher_is_better") == RAG.RED


def test_no_target_or_no_value_gives_no_rag():
    assert rag(20, None, 2, "lower_is_better") is None
    assert rag(float("nan"), 20, 2, "lower_is_better") is None
    assert rag(20, 20, 0, "sideways") is None


def test_rag_enum_values_are_the_contract_words():
    """One RAG enum for tasks and KPIs; a KPI's status is only ever Red, Amber or Green."""
    from src.analysis.plan_workbook import Rag

    assert RAG is Rag and RAG.GREEN == "Green"
    out = rag_status(
        pd.Series([100.0, 90.0, 50.0, None]), pd.Series([95.0] * 4), pd.Series([10.0] * 4), pd.Series(["higher_is_better"] * 4)
    )
    assert list(out) == [Rag.GREEN, Rag.AMBER, Rag.RED, None]  # 100 >= 95; 90 >= 95 - 10; 50 below; no value


def test_rag_status_vectorised():
    out = rag_status(pd.Series([10.0, 25.0, 5.0]), pd.Series([20.0, 20.0, None]), None, pd.Series(["lower_is_better"] * 3))
    assert list(out) == [RAG.GREEN, RAG.RED, None]


def test_direction_of_travel_both_polarities_and_no_change():
    value = pd.Series([10.0, 10.0, 12.0, 12.0, 12.0, 12.0])
    prev = pd.Series([8.0, 12.0, 10.0, 14.0, 12.0, float("nan")])
    pol = pd.Series(["higher_is_better", "higher_is_better", "lower_is_better", "lower_is_better", "lower_is_better", "higher_is_better"])
    out = direction_of_travel(value, prev, pol)
    assert list(out) == [Direction.IMPROVING, Direction.WORSENING, Direction.WORSENING, Direction.IMPROVING, Direction.NO_CHANGE, None]


KPIS = pd.DataFrame(
    {
        "kpi_id": ["CASELOAD", "HEALTH", "CIN"],
        "kpi": ["Average caseload", "Health assessments", "Children in need rate"],
        "unit": ["ratio", "percent", "rate_per_10k"],
        "polarity": ["lower_is_better", "higher_is_better", "lower_is_better"],
        "target": [20.0, 95.0, None],
        "tolerance": [None, 5.0, None],
        "rec_ids": ["1", None, "2"],
        "source": ["DfE workforce", "Ofsted", "DfE CIN"],
    }
)
VALUES = pd.DataFrame(
    {
        "kpi_id": ["CASELOAD", "CASELOAD", "HEALTH", "HEALTH", "CIN", "CIN"],
        "period": pd.to_datetime(["2017-09-30", "2018-09-30", "2015-03-31", "2016-03-31", "2013-03-31", "2014-03-31"]),
        "value": [18.8, 19.7, 93.0, 86.0, None, 302.1],
        "england": [17.7, None, None, 90.0, 330.9, 343.7],
        "stat_neighbours": [18.1, 16.9, None, 96.0, None, None],
        "source": ["csww 2017", "csww 2018", "Ofsted 2015", "Ofsted 2016", "b1 (suppressed)", "b1"],
    }
)


def test_kpi_status_rag_direction_and_gaps():
    out = kpi_status(KPIS, VALUES).set_index(["kpi_id", "period"])
    c18 = out.loc[("CASELOAD", pd.Timestamp("2018-09-30"))]
    assert c18["rag"] == RAG.GREEN.value or c18["rag"] == RAG.GREEN  # 19.7 <= 20
    assert c18["direction"] == Direction.WORSENING  # 18.8 -> 19.7, lower is better
    assert math.isnan(c18["gap_england"])  # comparator missing
    assert c18["gap_stat_neighbours"] == pytest.approx(2.8)
    h16 = out.loc[("HEALTH", pd.Timestamp("2016-03-31"))]
    assert h16["rag"] == RAG.RED  # 86 < 95 - 5
    assert h16["direction"] == Direction.WORSENING
    assert h16["gap_england"] == pytest.approx(-4.0) and h16["gap_stat_neighbours"] == pytest.approx(-10.0)
    first = out.loc[("CASELOAD", pd.Timestamp("2017-09-30"))]
    assert first["direction"] is None  # no previous value
    cin = out.loc[("CIN", pd.Timestamp("2014-03-31"))]
    assert cin["rag"] is None  # no target
    assert cin["direction"] is None  # previous value suppressed (blank)


def test_latest_kpis_table():
    out = latest_kpis(KPIS, VALUES).set_index("kpi_id")
    assert list(out.index) == ["CASELOAD", "HEALTH", "CIN"]
    for col in ["kpi", "period", "value", "target", "rag", "direction", "england", "stat_neighbours", "rec_ids", "source"]:
        assert col in out.columns
    assert "north_east" not in out.columns
    assert out.loc["CASELOAD", "value"] == pytest.approx(19.7)
    assert out.loc["CASELOAD", "period"] == pd.Timestamp("2018-09-30")
    assert out.loc["CASELOAD", "source"] == "csww 2018"
    assert out.loc["CIN", "value"] == pytest.approx(302.1)
    assert out.loc["CIN", "rec_ids"] == "2"


def test_latest_kpis_north_east_and_kpi_without_values():
    kpis = pd.concat(
        [
            KPIS,
            pd.DataFrame(
                {"kpi_id": ["EMPTY"], "kpi": ["No data yet"], "unit": ["count"], "polarity": ["higher_is_better"], "source": ["nowhere"]}
            ),
        ]
    )
    values = VALUES.assign(north_east=[18.3, 17.8, None, None, 451.8, 455.9])
    out = latest_kpis(kpis, values).set_index("kpi_id")
    assert out.loc["CASELOAD", "north_east"] == pytest.approx(17.8)
    assert out.loc["CASELOAD", "gap_north_east"] == pytest.approx(1.9)
    assert "EMPTY" in out.index and pd.isna(out.loc["EMPTY", "value"])
    assert out.loc["EMPTY", "source"] == "nowhere"


def test_ids_compare_as_text():
    kpis = KPIS.assign(kpi_id=["1", "2", "3"])
    values = VALUES.assign(kpi_id=[1.0, 1.0, 2.0, 2.0, 3.0, 3.0])
    out = latest_kpis(kpis, values)
    assert list(out["kpi_id"]) == ["1", "2", "3"]
    assert out["value"].notna().all()
