"""Caseload and workforce indicators, against hand-computed figures (indicators.md)."""

import math

import pandas as pd
import pytest

from src.analysis import caseload as c

JAN, FEB = pd.Timestamp("2017-01-31"), pd.Timestamp("2017-02-28")


def caseloads(rows):
    cols = ["period", "team", "locality", "worker_id", "role", "fte", "cases", "agency"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


# Team A (North): two part-timers, a full-timer, a worker on leave, an ASYE.
TEAM_A = caseloads(
    [
        (JAN, "A", "North", "SW0001", "Social Worker", 1.0, 22, "N"),
        (JAN, "A", "North", "SW0002", "Social Worker", 0.5, 12, "N"),  # 24 per FTE
        (JAN, "A", "North", "SW0003", "Senior Practitioner", 0.8, 16, "Y"),  # 20 per FTE: not above 20
        (JAN, "A", "North", "SW0004", "Social Worker", 1.0, 0, "N"),  # on leave: left out
        (JAN, "A", "North", "SW0005", "ASYE", 1.0, 16, "N"),  # above ASYE 15, not above 20
        (JAN, "B", "South", "SW0006", "Social Worker", 1.0, 18, "Y"),
        (FEB, "A", "North", "SW0001", "Social Worker", 1.0, 25, "N"),
    ]
)


def test_average_caseload_part_time_and_zero_cases_left_out():
    out = c.caseload_summary(TEAM_A, by="team").set_index(["period", "team"])
    a = out.loc[(JAN, "A")]
    # cases 22+12+16+16 = 66 over FTE 1+0.5+0.8+1 = 3.3 (SW0004 with 0 cases left out)
    assert a["workers"] == 4
    assert a["fte"] == pytest.approx(3.3)
    assert a["cases"] == 66
    assert a["average_caseload"] == pytest.approx(20.0)
    assert out.loc[(JAN, "B"), "average_caseload"] == pytest.approx(18.0)


def test_caseload_per_worker_is_cases_over_fte():
    per = c.caseload_per_worker(TEAM_A)
    assert list(per.iloc[:3]) == pytest.approx([22.0, 24.0, 20.0])


def test_over_threshold_uses_role_thresholds():
    out = c.caseload_summary(TEAM_A, by="team").set_index(["period", "team"]).loc[(JAN, "A")]
    # above threshold: SW0001 (22 > 20), SW0002 (24 > 20), SW0005 ASYE (16 > 15); SW0003 exactly 20 is not above
    assert out["over_threshold"] == 3
    assert out["share_over_threshold"] == pytest.approx(3 / 4)
    # a council setting ASYE to 20 too: only two
    out20 = c.caseload_summary(TEAM_A, by="team", thresholds={"ASYE": 20}).set_index(["period", "team"])
    assert out20.loc[(JAN, "A"), "over_threshold"] == 2


def test_service_and_locality_grouping():
    service = c.caseload_summary(TEAM_A).set_index("period")
    # January: 66 + 18 cases over 3.3 + 1 FTE
    assert service.loc[JAN, "average_caseload"] == pytest.approx(84 / 4.3)
    assert service.loc[FEB, "average_caseload"] == pytest.approx(25.0)
    loc = c.caseload_summary(TEAM_A, by="locality").set_index(["period", "locality"])
    assert loc.loc[(JAN, "South"), "cases"] == 18


def test_any_day_of_month_is_that_month():
    mid = TEAM_A.assign(period=TEAM_A["period"] - pd.Timedelta(days=10))
    assert list(c.caseload_summary(mid)["period"]) == [JAN, FEB]


def test_asye_protected_caseload_check():
    hits = c.asye_over_threshold(TEAM_A)
    assert list(hits["worker_id"]) == ["SW0005"]
    assert hits.loc[0, "caseload_per_worker"] == 16 and hits.loc[0, "threshold"] == 15
    assert c.asye_over_threshold(TEAM_A, thresholds={"ASYE": 16}).empty


def test_share_in_band():
    jan = TEAM_A[TEAM_A["period"] == JAN]
    # case holders in January: 22, 24, 20, 16, 18 per FTE
    assert c.share_in_band(jan, 20, 24, inclusive="both")["share"].iloc[0] == pytest.approx(3 / 5)
    assert c.share_in_band(jan, 20)["share"].iloc[0] == pytest.approx(2 / 5)


WORKFORCE = pd.DataFrame(
    {
        "period": pd.to_datetime(["2017-01-31", "2017-01-31", "2017-01-31"]),
        "team": ["A", "B", "New"],
        "establishment_fte": [10.0, 5.0, 0.0],
        "filled_fte": [8.0, 5.0, 2.0],
        "agency_fte": [2.0, 0.5, 0.0],
        "starters": [0, 0, 2],
        "leavers": [1, 0, 0],
    }
)


def test_vacancy_and_agency_from_workforce():
    vac = c.vacancy_rate(WORKFORCE, by="team").set_index("team")
    assert vac.loc["A", "vacancy_rate"] == pytest.approx(0.2)  # (10 - 8) / 10
    assert vac.loc["B", "vacancy_rate"] == pytest.approx(0.0)
    assert math.isnan(vac.loc["New", "vacancy_rate"])  # no establishment: missing, no crash
    service = c.vacancy_rate(WORKFORCE).iloc[0]
    assert service["vacancy_rate"] == pytest.approx((15 - 15) / 15)
    ag = c.agency_rate(WORKFORCE, by="team").set_index("team")
    assert ag.loc["A", "agency_rate"] == pytest.approx(0.25)  # 2 / 8
    assert (ag["basis"] == c.BASIS_WORKFORCE).all()
    assert c.agency_rate(WORKFORCE).iloc[0]["agency_rate"] == pytest.approx(2.5 / 15)


def test_agency_from_caseloads_when_no_workforce():
    ag = c.agency_rate(caseloads=TEAM_A, by="team").set_index(["period", "team"])
    # team A January: agency FTE 0.8 (SW0003) over all listed FTE 4.3 (the worker on leave still fills a post)
    assert ag.loc[(JAN, "A"), "agency_rate"] == pytest.approx(0.8 / 4.3)
    assert ag.loc[(JAN, "B"), "agency_rate"] == pytest.approx(1.0)
    assert (ag["basis"] == c.BASIS_CASELOADS).all()
    with pytest.raises(ValueError):
        c.agency_rate()


def test_rolling_turnover():
    months = pd.date_range("2016-01-31", periods=14, freq="ME")
    wf = pd.DataFrame(
        {
            "period": months,
            "team": "A",
            "establishment_fte": 12.0,
            "filled_fte": [9.0] * 6 + [11.0] * 8,
            "agency_fte": 0.0,
            "starters": 0,
            "leavers": [1, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0],
        }
    )
    out = c.turnover_rolling(wf).set_index("period")
    assert out["turnover_rate"].iloc[:11].isna().all()  # fewer than 12 months: missing
    # Dec 2016: 4 leavers Jan-Dec / mean FTE (6*9 + 6*11)/12 = 10
    assert out.loc["2016-12-31", "leavers_12m"] == 4
    assert out.loc["2016-12-31", "turnover_rate"] == pytest.approx(0.4)
    # Jan 2017: Feb 2016 - Jan 2017: 3 + 3 = 6 leavers; FTE (5*9 + 7*11)/12
    assert out.loc["2017-01-31", "turnover_rate"] == pytest.approx(6 / ((5 * 9 + 7 * 11) / 12))
    by_team = c.turnover_rolling(wf.assign(team="A"), by="team")
    assert by_team["turnover_rate"].iloc[-1] == pytest.approx(out["turnover_rate"].iloc[-1])


def test_rolling_turnover_missing_month_gives_missing():
    months = pd.date_range("2016-01-31", periods=13, freq="ME")
    wf = pd.DataFrame(
        {"period": months, "team": "A", "establishment_fte": 10.0, "filled_fte": 10.0, "agency_fte": 0.0, "starters": 0, "leavers": 1}
    ).drop(index=5)
    out = c.turnover_rolling(wf)
    assert out["turnover_rate"].isna().all()


def test_bad_grouping_is_a_clear_error():
    with pytest.raises(ValueError, match="by must be"):
        c.caseload_summary(TEAM_A, by="region")
    with pytest.raises(ValueError, match="locality"):
        c.vacancy_rate(WORKFORCE, by="locality")


def test_fast_on_large_frames():
    import time

    import numpy as np

    rng = np.random.default_rng(1)
    n_workers, n_months = 2500, 36
    periods = pd.date_range("2015-01-31", periods=n_months, freq="ME")
    big = pd.DataFrame(
        {
            "period": np.repeat(periods, n_workers),
            "team": np.tile([f"T{i % 60}" for i in range(n_workers)], n_months),
            "locality": np.tile([f"L{i % 5}" for i in range(n_workers)], n_months),
            "worker_id": np.tile([f"SW{i:04d}" for i in range(n_workers)], n_months),
            "role": np.tile(np.where(np.arange(n_workers) % 10 == 0, "ASYE", "Social Worker"), n_months),
            "fte": rng.choice([0.5, 0.8, 1.0], n_workers * n_months),
            "cases": rng.integers(0, 35, n_workers * n_months),
            "agency": rng.choice(["Y", "N"], n_workers * n_months),
        }
    )
    start = time.perf_counter()
    c.caseload_summary(big, by="team")
    c.asye_over_threshold(big)
    c.agency_rate(caseloads=big, by="locality")
    assert time.perf_counter() - start < 5
