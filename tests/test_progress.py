"""Task RAG, slippage, completion and roll-ups (indicators.md), each with a hand-computed expectation.

Unless a test says otherwise: D = 31 Dec 2016, tolerance 30 days.
"""

from dataclasses import replace

import pandas as pd
import pytest

from src.analysis.plan_workbook import Rag, load_plan
from src.analysis.progress import (
    carried_updates,
    changes_between,
    completion,
    milestones,
    positions_at,
    positions_grid,
    progress_trend,
    rag_counts,
    rag_grid,
    rollup,
    rollup_rag,
    slippage,
    task_grid,
    task_table,
)
from tests.builders import plan_bytes, task, update

D = pd.Timestamp("2016-12-31")
T = pd.Timestamp


def table_for(tasks, updates=None, as_at=D, tolerance=30):
    plan = load_plan(plan_bytes(tasks, updates or []), "test.xlsx")
    return task_table(plan, as_at, tolerance).set_index("task_id")


class TestTaskRag:
    def test_rule1_cancelled_is_shown_and_counted_nowhere(self):
        t = table_for(
            [task("T1", "May 16", "Nov 16"), task("T2", "May 16", "Mar 17")],
            [update("T1", "2016-10-31", "Cancelled", commentary="Merged into T2")],
        )
        assert t.loc["T1", "rag"] == Rag.CANCELLED and t.loc["T1", "reason"] == "cancelled"
        assert completion(t.reset_index())["in_scope"] == 1
        assert slippage(t.reset_index())["slipped"] == 0  # T1 would be 31 days late were it counted

    def test_rule2_complete_is_blue_and_actual_finish_is_expected_finish(self):
        t = table_for([task("T1", "May 16", "June 16")], [update("T1", "2016-09-30", "Complete", actual="2016-06-20")])
        assert t.loc["T1", "rag"] == Rag.BLUE
        assert t.loc["T1", "expected_finish"] == T("2016-06-20")
        assert t.loc["T1", "slip_days"] == -10  # 20 Jun - 30 Jun: early

    def test_complete_without_actual_uses_first_update_saying_complete(self):
        t = table_for(
            [task("T1", "May 16", "Sept 16")],
            [
                update("T1", "2016-09-30", "In progress", 80),
                update("T1", "2016-10-31", "Complete"),
                update("T1", "2016-11-30", "Complete"),
            ],
        )
        assert t.loc["T1", "expected_finish"] == T("2016-10-31")
        assert t.loc["T1", "slip_days"] == 31  # 31 Oct - 30 Sep
        assert bool(t.loc["T1", "slipped"])

    def test_rule3_tbc_finish_is_amber_no_finish_date_and_kept(self):
        t = table_for([task("T1", "2nd quarter 2017", "TBC")])
        assert t.loc["T1", "rag"] == Rag.AMBER and t.loc["T1", "reason"].startswith("no finish date")
        assert pd.isna(t.loc["T1", "planned_finish"]) and t.loc["T1", "finish_as_written"] == "TBC"
        assert pd.isna(t.loc["T1", "slip_days"])

    def test_rule4_past_planned_finish_is_red_overdue_even_without_forecast(self):
        t = table_for([task("T1", "Started", "Oct 16")])  # no update at all
        assert t.loc["T1", "status"] == "In progress"  # `Started` with no update
        assert t.loc["T1", "rag"] == Rag.RED and t.loc["T1", "reason"].startswith("overdue")
        assert t.loc["T1", "expected_finish"] == D  # never earlier than D
        assert t.loc["T1", "slip_days"] == 61  # 31 Dec - 31 Oct

    def test_rule5_forecast_beyond_tolerance_is_red(self):
        t = table_for([task("T1", "Sept 16", "March 17")], [update("T1", "2016-12-31", "In progress", 50, forecast="2017-05-01")])
        assert t.loc["T1", "slip_days"] == 31 and t.loc["T1", "rag"] == Rag.RED

    def test_rule6_forecast_within_tolerance_is_amber_boundary_inclusive(self):
        t = table_for([task("T1", "Sept 16", "March 17")], [update("T1", "2016-12-31", "In progress", 50, forecast="2017-04-30")])
        assert t.loc["T1", "slip_days"] == 30 and t.loc["T1", "rag"] == Rag.AMBER
        assert "within the 30-day tolerance" in t.loc["T1", "reason"]

    def test_one_day_late_is_amber(self):
        t = table_for([task("T1", "Sept 16", "March 17")], [update("T1", "2016-12-31", "In progress", forecast="2017-04-01")])
        assert t.loc["T1", "slip_days"] == 1 and t.loc["T1", "rag"] == Rag.AMBER

    def test_tolerance_is_a_parameter(self):
        tasks = [task("T1", "Sept 16", "March 17")]
        updates = [update("T1", "2016-12-31", "In progress", forecast="2017-05-30")]  # 60 days late
        assert table_for(tasks, updates, tolerance=30).loc["T1", "rag"] == Rag.RED
        assert table_for(tasks, updates, tolerance=60).loc["T1", "rag"] == Rag.AMBER
        assert table_for(tasks, updates, tolerance=59).loc["T1", "rag"] == Rag.RED

    def test_rule7_on_hold_is_amber(self):
        t = table_for([task("T1", "Sept 16", "March 17")], [update("T1", "2016-12-31", "On hold", 20)])
        assert t.loc["T1", "rag"] == Rag.AMBER and t.loc["T1", "reason"] == "on hold"

    def test_rule8_not_started_after_planned_start_is_amber(self):
        t = table_for([task("T1", "Nov 16", "March 17"), task("T2", "Jan 17", "March 17")])
        assert t.loc["T1", "rag"] == Rag.AMBER and t.loc["T1", "reason"] == "should have started"
        assert t.loc["T2", "rag"] == Rag.GREEN and t.loc["T2", "reason"] == "on track"  # starts after D

    def test_rule8_started_in_plan_but_reported_not_started_is_amber(self):
        t = table_for([task("T1", "Started", "March 17")], [update("T1", "2016-10-31", "Not started")])
        assert t.loc["T1", "rag"] == Rag.AMBER and t.loc["T1", "reason"] == "should have started"

    def test_task_never_updated_is_not_started(self):
        t = table_for([task("T1", "Jan 17", "June 17")])
        assert t.loc["T1", "status"] == "Not started" and t.loc["T1", "percent_complete"] == 0
        assert not bool(t.loc["T1", "has_update"]) and pd.isna(t.loc["T1", "reported_rag"])

    def test_started_with_no_update_is_in_progress_green_when_finish_ahead(self):
        t = table_for([task("T1", "Started", "Nov 17")])
        assert (t.loc["T1", "status"], t.loc["T1", "rag"]) == ("In progress", Rag.GREEN)
        assert pd.isna(t.loc["T1", "percent_complete"])  # progress unknown, not 0

    def test_rule_order_overdue_beats_on_hold(self):
        t = table_for([task("T1", "May 16", "Nov 16")], [update("T1", "2016-12-31", "On hold")])
        assert t.loc["T1", "rag"] == Rag.RED

    def test_reported_rag_disagreement_is_flagged(self):
        t = table_for(
            [task("T1", "May 16", "Nov 16"), task("T2", "May 16", "Mar 17")],
            [
                update("T1", "2016-12-31", "In progress", reported="Green"),
                update("T2", "2016-12-31", "In progress", reported="Green"),
            ],
        )
        assert t.loc["T1", "rag"] == Rag.RED and t.loc["T1", "reported_rag"] == Rag.GREEN and bool(t.loc["T1", "rag_disagrees"])
        assert not bool(t.loc["T2", "rag_disagrees"])


class TestPositions:
    def test_latest_update_on_or_before_d_is_the_position(self):
        t = table_for(
            [task("T1", "May 16", "Mar 17")],
            [
                update("T1", "2016-11-30", "In progress", 40),
                update("T1", "2017-01-31", "Complete", 100),  # after D: not seen
            ],
        )
        assert t.loc["T1", "status"] == "In progress" and t.loc["T1", "percent_complete"] == 40

    def test_blank_forecast_and_percent_carry_the_last_given(self):
        t = table_for(
            [task("T1", "May 16", "Mar 17")],
            [
                update("T1", "2016-10-31", "In progress", 40, forecast="2017-05-31"),
                update("T1", "2016-11-30", "In progress"),
            ],
        )
        assert t.loc["T1", "forecast_finish"] == T("2017-05-31") and t.loc["T1", "percent_complete"] == 40
        assert t.loc["T1", "slip_days"] == 61  # 31 May - 31 Mar

    def test_forecast_in_the_past_is_never_earlier_than_d(self):
        t = table_for([task("T1", "May 16", "Mar 17")], [update("T1", "2016-12-31", "In progress", forecast="2016-11-15")])
        assert t.loc["T1", "expected_finish"] == D and t.loc["T1", "slip_days"] == -90
        assert t.loc["T1", "rag"] == Rag.GREEN

    def test_forecast_moves_count_changes_from_the_planned_finish(self):
        plan = load_plan(
            plan_bytes(
                [task("T1", "May 16", "March 17")],
                [
                    update("T1", "2016-09-30", "In progress"),
                    update("T1", "2016-10-31", "In progress", forecast="2017-03-31"),  # same as F: not a move
                    update("T1", "2016-11-30", "In progress", forecast="2017-05-31"),  # move 1
                    update("T1", "2016-12-31", "In progress"),  # blank: unchanged
                    update("T1", "2017-01-31", "In progress", forecast="2017-05-31"),  # same: not a move
                    update("T1", "2017-02-28", "In progress", forecast="2017-07-31"),  # move 2
                ],
            ),
            "t.xlsx",
        )
        assert positions_at(plan, T("2017-02-28")).loc["T1", "forecast_moves"] == 2
        assert positions_at(plan, T("2016-12-31")).loc["T1", "forecast_moves"] == 1


class TestSummaries:
    @pytest.fixture
    def table(self):
        tasks = [
            task("A", "May 16", "June 16"),  # complete, -10 days
            task("B", "May 16", "Nov 16"),  # overdue: slip 31 (E = D)
            task("C", "Sept 16", "March 17"),  # forecast 10 May 17: slip 40
            task("D", "Sept 16", "March 17"),  # cancelled
            task("E", "Started", "Dec 17"),  # in progress, no percent: unknown
            task("F", "Jan 17", "TBC"),  # not started, no finish date
        ]
        updates = [
            update("A", "2016-09-30", "Complete", actual="2016-06-20"),
            update("B", "2016-12-31", "In progress", 40),
            update("C", "2016-12-31", "In progress", 50, forecast="2017-05-10"),
            update("D", "2016-12-31", "Cancelled"),
        ]
        return table_for(tasks, updates).reset_index()

    def test_completion(self, table):
        # in scope: A B C E F (5); complete: A; planned by D: A (June 16) and B (Nov 16) -> 2/5
        # weighted progress: A 100, B 40, C 50, F 0 (not started); E unknown -> 190/4 = 47.5
        assert completion(table) == {
            "complete": 1,
            "in_scope": 5,
            "rate": 0.2,
            "planned_rate": 0.4,
            "weighted_progress": 47.5,
            "progress_unknown": 1,
            "ongoing": 0,
            "finish_unreadable": 0,
            "finish_not_set": 1,  # F: TBC
        }

    def test_rag_counts(self, table):
        # A Blue, B Red (overdue), C Red (40 > 30), D Cancelled, E Green, F Amber (no finish date)
        assert rag_counts(table) == {"Red": 2, "Amber": 1, "Green": 1, "Blue": 1, "Cancelled": 1}

    def test_slippage_counts_slipped_tasks_only(self, table):
        # slipped: B 31, C 40 (A is early, D cancelled) -> total 71, median 35.5
        assert slippage(table) == {"slipped": 2, "total_days": 71, "median_days": 35.5}

    def test_rollup_by_lead_shows_worst_and_counts(self, table):
        table.loc[table["task_id"].isin(["A", "E"]), "lead"] = "Lead B"
        rolled = rollup(table, "lead").set_index("lead")
        assert rolled.loc["Lead B", "rag"] == Rag.GREEN and rolled.loc["Lead B", "Blue"] == 1 and rolled.loc["Lead B", "Green"] == 1
        assert rolled.loc["Lead A", "rag"] == Rag.RED and rolled.loc["Lead A", "Red"] == 2 and rolled.loc["Lead A", "Cancelled"] == 1


class TestRollupRag:
    @pytest.mark.parametrize(
        "rags, expected",
        [
            ([Rag.GREEN, Rag.RED, Rag.BLUE], Rag.RED),
            ([Rag.GREEN, Rag.AMBER], Rag.AMBER),
            ([Rag.BLUE, Rag.GREEN], Rag.GREEN),
            ([Rag.BLUE, Rag.BLUE], Rag.BLUE),
            ([Rag.BLUE, Rag.CANCELLED], Rag.BLUE),
            ([Rag.CANCELLED], None),
            ([], None),
        ],
    )
    def test_worst_wins_blue_only_when_all_blue(self, rags, expected):
        assert rollup_rag(pd.Series(rags, dtype="object")) == expected


class TestMilestones:
    def test_milestone_complete_when_all_not_cancelled_tasks_complete(self):
        t = table_for(
            [
                task("M1-T1", "May 16", "June 16"),
                task("M1-T2", "May 16", "June 16"),
                task("M2-T1", "May 16", "June 16", milestone_ref="M2"),
            ],
            [
                update("M1-T1", "2016-09-30", "Complete"),
                update("M1-T2", "2016-09-30", "Cancelled"),
                update("M2-T1", "2016-09-30", "In progress"),
            ],
        ).reset_index()
        ms = milestones(t).set_index("milestone_ref")
        assert bool(ms.loc["M1", "milestone_complete"]) and ms.loc["M1", "rag"] == Rag.BLUE
        assert not bool(ms.loc["M2", "milestone_complete"]) and ms.loc["M2", "rag"] == Rag.RED


class TestTrendAndChanges:
    @pytest.fixture
    def plan(self):
        return load_plan(
            plan_bytes(
                [task("A", "May 16", "Oct 16"), task("B", "May 16", "March 17")],
                [
                    update("A", "2016-09-30", "In progress", 50),
                    update("B", "2016-09-30", "In progress", 10),
                    update("A", "2016-10-31", "In progress", 90),
                    update("B", "2016-10-31", "In progress", 20, forecast="2017-04-15"),
                    update("A", "2016-11-30", "Complete", actual="2016-11-10"),
                    update("B", "2016-11-30", "In progress", 30),
                ],
            ),
            "t.xlsx",
        )

    def test_trend_has_one_row_per_reporting_date(self, plan):
        trend = progress_trend(plan, T("2016-11-30")).set_index("as_at")
        assert list(trend.index) == [T("2016-09-30"), T("2016-10-31"), T("2016-11-30")]
        # 30 Sep: nothing slipped; 31 Oct: A due today (not yet past) and B +15 days -> 1 slipped
        assert trend.loc[T("2016-09-30"), "slipped"] == 0
        assert trend.loc[T("2016-10-31"), "slipped"] == 1 and trend.loc[T("2016-10-31"), "median_slip_days"] == 15
        # 30 Nov: A complete 10 days late, B +15 -> 2 slipped, median 12.5; planned 1/2, actual 1/2
        assert trend.loc[T("2016-11-30"), "median_slip_days"] == 12.5
        assert trend.loc[T("2016-11-30"), "completion_rate"] == 0.5 and trend.loc[T("2016-11-30"), "planned_rate"] == 0.5

    def test_changes_between_dates(self, plan):
        before = task_table(plan, T("2016-09-30"))
        after = task_table(plan, T("2016-11-30"))
        changed = changes_between(before, after).set_index("task_id")
        assert bool(changed.loc["A", "newly_complete"])
        assert bool(changed.loc["B", "forecast_moved"]) and changed.loc["B", "forecast_moved_days"] == 15
        assert bool(changed.loc["B", "newly_amber"])  # Green -> Amber (15 days late, within tolerance)


class TestTrendAgreesWithSingleDate:
    def test_every_reporting_date_of_the_embedded_plan(self):
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        plan = read_plan_file(DEFAULT_PLAN)
        trend = progress_trend(plan, plan.default_as_at()).set_index("as_at")
        for date in plan.reporting_dates:
            table = task_table(plan, date)
            done, slip, rags = completion(table), slippage(table), rag_counts(table)
            row = trend.loc[date]
            assert (row["complete"], row["in_scope"], row["slipped"], row["total_slip_days"]) == (
                done["complete"],
                done["in_scope"],
                slip["slipped"],
                slip["total_days"],
            ), date
            assert row["completion_rate"] == pytest.approx(done["rate"]) and row["planned_rate"] == pytest.approx(done["planned_rate"])
            assert {r: row[r] for r in rags} == rags


# ---- fast paths (issue 19, second pass): pinned to the pandas definitions they replaced -------------------

ODD_TASKS = [
    task("A1", "May 16", "Sept 16"),  # completes late, then is re-forecast while complete
    task("A2", "Started", "Ongoing", rec_ids="1, 2"),  # ongoing, with a reported RAG
    task("A3", "Jan 17", "TBC", theme_id=2, rec_ids="2"),  # no finish date, not yet due to start
    task("A4", "May 16", "sometime soon", theme_id=2, rec_ids="3"),  # unreadable finish
    task("A5", "May 16", "Dec 16", rec_ids=""),  # no updates at all, no recommendation
    task("A6", "June 16", "Oct 16", theme_id=2),  # cancelled, then a blank status carries Cancelled
    task("A7", "Apr 16", "Mar 17", rec_ids="1, 3"),  # first seen already Complete (a one-off snapshot)
    task("A8", "Apr 16", "", theme_id=2, rec_ids="2"),  # blank finish, on hold
    task("A9", "Q1 2017/18", "Q4 2017/18", rec_ids="3"),  # updates only after the first dates asked for
]
ODD_UPDATES = [
    update("A1", "2016-08-31", "In progress", 40, forecast="2016-10-15"),
    update("A1", "2016-09-30", None, 60, forecast="2016-10-31"),
    update("A1", "2016-09-30", "In progress", 70),  # a second update on the same date: the later row stands
    update("A1", "2016-11-30", "Complete", reported="Blue"),
    update("A1", "2017-01-31", "Complete", forecast="2016-12-15"),
    update("A2", "2016-10-31", "In progress", reported="Red"),
    update("A3", "2016-12-31", "Not started", reported="Green"),
    update("A4", "2016-07-31", "On hold", 10),
    update("A6", "2016-07-31", "In progress", 5, forecast="2016-11-30"),
    update("A6", "2016-09-30", "Cancelled", commentary="Merged"),
    update("A6", "2016-10-31", None),
    update("A7", "2016-09-30", "Complete"),
    update("A8", "2016-06-30", "On hold", reported="Amber"),
    update("A8", "2016-05-31", "In progress", 20),  # rows out of date order
    update("A9", "2017-06-30", "In progress", 10, forecast="2018-04-30"),
]
ODD_DATES = [T("2016-05-15"), T("2016-09-30"), T("2016-10-15"), D, T("2017-01-31"), T("2018-12-31")]


def _assert_identical(new: pd.DataFrame, old: pd.DataFrame):
    """Same columns in the same order, dtypes, index, values, and the same kind of missing value (None or NaN)."""
    assert list(new.columns) == list(old.columns)
    assert new.dtypes.to_dict() == old.dtypes.to_dict()
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    for column in new.columns:
        if new[column].dtype == object:
            assert [type(v) for v in new[column]] == [type(v) for v in old[column]], column


@pytest.fixture(scope="module")
def odd_plans():
    from pathlib import Path

    embedded = load_plan((Path(__file__).resolve().parents[1] / "data" / "improvement_plan.xlsx").read_bytes(), "embedded")
    odd = load_plan(plan_bytes(ODD_TASKS, ODD_UPDATES), "odd.xlsx")
    no_updates = load_plan(plan_bytes(ODD_TASKS, []), "no-updates.xlsx")
    # Rows the loader never lets through, for the joins' sake: the same task and date twice, a task not in the plan.
    stray = odd.updates.iloc[[0]].assign(task_id="Z9")
    raw = replace(odd, updates=pd.concat([odd.updates, odd.updates.iloc[[1, 5]], stray], ignore_index=True), derived={})
    shuffled = replace(odd, tasks=odd.tasks.iloc[[3, 0, 8, 1, 2, 7, 4, 6, 5]], derived={})  # rows not in plan order
    return {"odd": odd, "no updates": no_updates, "embedded": embedded, "raw rows": raw, "shuffled": shuffled}


class TestFastPaths:
    """carried_updates, positions_grid, task_grid, task_table and progress_trend give exactly what the pandas
    groupby/merge definitions gave (tests/progress_reference.py), on plans with odd rows."""

    def test_the_odd_plan_has_what_it_says(self, odd_plans):
        kinds = odd_plans["odd"].tasks.set_index("task_id")["finish_kind"]
        assert (kinds["A2"], kinds["A3"], kinds["A4"], kinds["A8"]) == ("ongoing", "unset", "unreadable", "unset")

    @pytest.mark.parametrize("name", ["odd", "no updates", "embedded", "raw rows", "shuffled"])
    def test_carried_updates_and_grids(self, odd_plans, name):
        from tests import progress_reference as reference

        plan = odd_plans[name]
        _assert_identical(carried_updates(plan), reference.carried_updates(plan))
        for dates in (ODD_DATES, ODD_DATES[3:4], [*plan.reporting_dates, D], ODD_DATES[:1]):
            _assert_identical(positions_grid(plan, dates), reference.positions_grid(plan, dates))
            for tolerance in (0, 30):
                old = reference.task_grid(plan, dates, tolerance)
                _assert_identical(task_grid(plan, dates, tolerance), old)
                lean = rag_grid(plan, dates, tolerance)
                assert {"task_id", "as_at", "status", "rag", "rag_rule", "slip_days", "slipped", "finish_kind"} <= set(lean.columns)
                _assert_identical(lean, old[list(lean.columns)])
                some = list(plan.tasks["task_id"])[1::3]
                wanted = old[old["task_id"].isin(some)].reset_index(drop=True)
                _assert_identical(rag_grid(plan, dates, tolerance, task_ids=some), wanted[list(lean.columns)])

    @pytest.mark.parametrize("name", ["odd", "no updates", "embedded", "raw rows", "shuffled"])
    def test_task_table_and_trend(self, odd_plans, name):
        from tests import progress_reference as reference

        plan = odd_plans[name]
        some = list(plan.tasks["task_id"])[::2]
        for as_at in [*ODD_DATES, *plan.reporting_dates[:2]]:
            for tolerance in (0, 30):
                _assert_identical(task_table(plan, as_at, tolerance), reference.task_table(plan, as_at, tolerance))
                _assert_identical(progress_trend(plan, as_at, tolerance), reference.progress_trend(plan, as_at, tolerance))
                _assert_identical(
                    progress_trend(plan, as_at, tolerance, task_ids=some), reference.progress_trend(plan, as_at, tolerance, task_ids=some)
                )

    def test_a_trend_of_no_tasks_is_zeros(self, odd_plans):
        """A filter matching no task (the pandas version failed on it: a crosstab of nothing)."""
        trend = progress_trend(odd_plans["odd"], D, task_ids=[])
        assert list(trend["as_at"]) == [T(d) for d in ("2016-05-31", "2016-06-30", "2016-07-31", "2016-08-31", "2016-09-30")] + [
            T("2016-10-31"),
            T("2016-11-30"),
            D,
        ]  # the update dates up to D
        assert (trend.drop(columns=["as_at", "completion_rate", "planned_rate", "median_slip_days"]) == 0).all().all()
        assert trend[["completion_rate", "planned_rate", "median_slip_days"]].isna().all().all()

    def test_each_rules_reason_reads_only_the_fields_it_declares(self):
        """The task table words a reason once per rule and distinct value of `RagRule.uses`; so changing any other
        field must leave every rule's reason unchanged."""
        from src.analysis.progress import RAG_RULES, _ReasonFacts

        one = _ReasonFacts(T("2017-01-31"), "day", "31/01/2017", T("2016-12-31"), 31, 30)
        other = _ReasonFacts(pd.NaT, "unreadable", "sometime", T("2015-06-30"), 3, 5)
        for rule in RAG_RULES:
            mixed = _ReasonFacts(*(getattr(one if name in rule.uses else other, name) for name in _ReasonFacts._fields))
            assert rule.reason(mixed) == rule.reason(one), rule.number
            only_used = _ReasonFacts(*(getattr(one, name) if name in rule.uses else None for name in _ReasonFacts._fields))
            assert rule.reason(only_used) == rule.reason(one), rule.number  # the task table passes None for the others

    def test_a_copy_with_other_tasks_sharing_the_cache_gets_its_own_grid(self, odd_plans):
        """dataclasses.replace keeps `derived`: a cut-down copy must not read the whole plan's cached keys or updates."""
        from tests import progress_reference as reference

        plan = odd_plans["odd"]
        positions_grid(plan, ODD_DATES)  # fills plan.derived
        fewer = replace(plan, tasks=plan.tasks.iloc[[4, 0, 2]], updates=plan.updates.iloc[2:])
        assert fewer.derived is plan.derived
        fresh = replace(fewer, derived={})
        _assert_identical(task_grid(fewer, ODD_DATES), reference.task_grid(fresh, ODD_DATES))
