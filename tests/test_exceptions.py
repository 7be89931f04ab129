"""The board's view by exception (src/analysis/exceptions.py), each against a hand-computed case.

Unless a test says otherwise: D = 31 Dec 2016, tolerance 30 days, due within 30 days; the plan's
reporting dates are those in the updates given.
"""

import pandas as pd

from src.analysis.exceptions import KINDS, exception_summary, exceptions, previous_reporting_date
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from tests.builders import frame, plan_bytes, task, update

D = pd.Timestamp("2016-12-31")
T = pd.Timestamp


def plan_of(tasks, updates=None, extra=None):
    return load_plan(plan_bytes(tasks, updates, extra=extra), "test.xlsx")


def view_of(tasks, updates=None, as_at=D, extra=None):
    return PlanView.build(plan_of(tasks, updates, extra), as_at, 30)


def kinds_of(ex, task_id):
    return list(ex.loc[ex["task_id"] == task_id, "kind"])


def lscb(rows):
    return {"LSCB_Actions": frame(["action_id", "action", "lead", "timescale", "status", "commentary"], rows)}


class TestExceptions:
    def test_red_and_amber_tasks_appear_with_their_reasons(self):
        # Given T1 due Oct 16 (past D: Red overdue), T2 forecast 20 days late (Amber), T3 on track
        ex = exceptions(
            view_of(
                [task("T1", "Started", "Oct 16"), task("T2", "Started", "Jan 17"), task("T3", "Started", "June 17")],
                [
                    update("T1", "2016-12-31", "In progress", 50),
                    update("T2", "2016-12-31", "In progress", 50, forecast="2017-02-20"),
                    update("T3", "2016-12-31", "In progress", 10),
                ],
            )
        )
        red = ex[ex["kind"] == "Red"].iloc[0]
        assert red["task_id"] == "T1" and red["reason"].startswith("overdue: planned finish 31 Oct 2016")
        assert red["slip_days"] == 61 and red["forecast"] == D  # E is never before D
        amber = ex[ex["kind"] == "Amber"].iloc[0]
        assert amber["task_id"] == "T2" and amber["slip_days"] == 20  # 20 Feb - 31 Jan
        assert "T3" not in set(ex["task_id"])

    def test_due_soon_uses_planned_or_forecast_finish_in_the_next_n_days(self):
        # T1 planned 31 Jan 17 (31 days after D: outside 30, inside 31); T2 planned Mar 17 but forecast 15 Jan 17;
        # T3 complete and due in January: no attention needed.
        tasks = [task("T1", "Started", "Jan 17"), task("T2", "Started", "Mar 17"), task("T3", "Started", "Jan 17")]
        updates = [
            update("T1", "2016-12-31", "In progress", 50),
            update("T2", "2016-12-31", "In progress", 90, forecast="2017-01-15"),
            update("T3", "2016-12-31", "Complete"),
        ]
        plan = plan_of(tasks, updates)
        ex30 = exceptions(PlanView.build(plan, D, 30), due_within_days=30)
        assert list(ex30.loc[ex30["kind"] == "Due soon", "task_id"]) == ["T2"]
        assert ex30.loc[ex30["kind"] == "Due soon", "reason"].iloc[0] == "forecast finish 15 Jan 2017, within 30 days"
        ex31 = exceptions(PlanView.build(plan, D, 30), due_within_days=31)
        assert list(ex31.loc[ex31["kind"] == "Due soon", "task_id"]) == ["T1", "T2"]

    def test_rag_disagreement_shows_both_rags(self):
        ex = exceptions(view_of([task("T1", "Started", "June 17")], [update("T1", "2016-12-31", "In progress", 20, reported="Red")]))
        row = ex[ex["kind"] == "RAG disagreement"].iloc[0]
        assert row["task_id"] == "T1" and row["reason"] == "lead reported Red; computed Green: on track"

    def test_stale_is_an_update_older_than_the_previous_reporting_date_or_none_at_all(self):
        # Reporting dates 30 Nov and 31 Dec 16 (from the updates). At D = 31 Dec, P = 30 Nov:
        # T1 last updated 31 Oct (< P): stale; T2 updated 30 Nov (= P): not stale; T3 never updated: stale;
        # T4 never updated but complete? It has no update so cannot be complete: use T4 complete on 31 Oct: not stale.
        tasks = [task(f"T{i}", "Started", "June 17") for i in range(1, 5)]
        updates = [
            update("T1", "2016-10-31", "In progress", 10),
            update("T2", "2016-11-30", "In progress", 20),
            update("T4", "2016-10-31", "Complete"),
            update("T2", "2016-12-31", "In progress", 30),
        ]
        plan = plan_of(tasks, updates)
        assert previous_reporting_date(plan, D) == T("2016-11-30")
        ex = exceptions(PlanView.build(plan, D, 30))
        stale = ex[ex["kind"] == "Stale update"].set_index("task_id")
        assert list(stale.index) == ["T1", "T3"]
        assert stale.loc["T1", "reason"] == "last update 31 Oct 2016, before the previous reporting date 30 Nov 2016"
        assert stale.loc["T3", "reason"] == "no progress update received"
        # An explicit previous date overrides the default: with P = 31 Oct nothing updated is stale.
        ex = exceptions(PlanView.build(plan, D, 30), previous_as_at=T("2016-10-31"))
        assert list(ex.loc[ex["kind"] == "Stale update", "task_id"]) == ["T3"]

    def test_a_plan_without_updates_has_no_stale_tasks(self):
        ex = exceptions(view_of([task("T1", "Started", "June 17")]))
        assert exception_summary(ex)["Stale update"] == 0

    def test_no_finish_date_is_both_amber_and_no_finish_date(self):
        ex = exceptions(view_of([task("T1", "Started", "TBC")], [update("T1", "2016-12-31", "In progress", 10)]))
        assert kinds_of(ex, "T1") == ["Amber", "No finish date"]
        assert ex.loc[ex["kind"] == "No finish date", "reason"].iloc[0] == "no finish date in the plan (TBC)"

    def test_cancelled_and_complete_tasks_never_appear(self):
        ex = exceptions(
            view_of(
                [task("T1", "Started", "Oct 16"), task("T2", "Started", "TBC")],
                [update("T1", "2016-12-31", "Cancelled"), update("T2", "2016-12-31", "Complete")],
            )
        )
        assert ex.empty and list(ex.columns)[:3] == ["kind", "task_id", "theme_id"]

    def test_lscb_actions_overdue_when_due_before_d_and_not_complete(self):
        extra = lscb(
            [
                (1, "Annual report", "LSCB unit", "October 2016", None, None),  # 61 days overdue
                (2, "Audit", "Sub-group", "November 2016", "Complete", "Done"),  # complete
                (3, "Voice of child", "Lay members", "December 2016", "In progress", None),  # due on D: not overdue
                (4, "Training", "Sub-group", "TBC", None, None),
            ]
        )  # no date
        ex = exceptions(view_of([task("T1", "Started", "June 17")], [update("T1", "2016-12-31", "In progress", 10)], extra=extra))
        rows = ex[ex["kind"] == "LSCB overdue"]
        assert list(rows["task_id"]) == ["LSCB-1"]
        assert rows["slip_days"].iloc[0] == 61  # 31 Dec - 31 Oct
        assert rows["reason"].iloc[0] == "overdue by 61 days: due 31 Oct 2016; status not reported"

    def test_rows_are_ordered_by_kind_and_summary_counts_every_kind(self):
        ex = exceptions(
            view_of(
                [task("T1", "Started", "TBC"), task("T2", "Started", "Oct 16")],
                [update("T1", "2016-12-31", "In progress", reported="Green"), update("T2", "2016-12-31", "In progress")],
            )
        )
        assert list(zip(ex["kind"], ex["task_id"])) == [
            ("Red", "T2"),
            ("Amber", "T1"),
            ("RAG disagreement", "T1"),
            ("No finish date", "T1"),
        ]
        assert exception_summary(ex) == {
            "Red": 1,
            "Amber": 1,
            "Due soon": 0,
            "RAG disagreement": 1,
            "Stale update": 0,
            "No finish date": 1,
            "LSCB overdue": 0,
        }
        assert list(exception_summary(ex)) == [str(k) for k in KINDS]


class TestExceptionGroups:
    def test_by_lead_and_by_theme(self):
        import pandas as pd

        from src.analysis.exceptions import ExceptionKind, exception_groups

        ex = pd.DataFrame(
            {
                "lead": ["Head of Service", None, ""],
                "theme_id": ["1", "2", None],
                "theme": ["Capacity", "Oversight", None],
                "kind": [ExceptionKind.RED, ExceptionKind.AMBER, ExceptionKind.LSCB_OVERDUE],
            }
        )
        assert exception_groups(ex, "Lead").tolist() == ["Head of Service", "(no lead given)", "(no lead given)"]
        assert exception_groups(ex, "Theme").tolist() == ["Theme 1. Capacity", "Theme 2. Oversight", "LSCB action plan"]


class TestBoardList:
    """Issue 14: one row per task with all its reasons; LSCB actions with no status reported kept apart."""

    def test_by_task_joins_kinds_and_reasons_in_kind_order(self):
        from src.analysis.exceptions import EXCEPTION_COLUMNS, by_task

        rows = pd.DataFrame(
            [
                {c: None for c in EXCEPTION_COLUMNS} | {"kind": "Amber", "task_id": "T1", "reason": "on hold"},
                {c: None for c in EXCEPTION_COLUMNS} | {"kind": "Amber", "task_id": "T2", "reason": "should have started"},
                {c: None for c in EXCEPTION_COLUMNS} | {"kind": "Due soon", "task_id": "T1", "reason": "planned finish 30 Apr 2017"},
            ]
        )
        out = by_task(rows)
        assert list(out["task_id"]) == ["T1", "T2"]
        assert out.loc[0, "why_listed"] == "At risk; Due soon"
        assert out.loc[0, "reasons"] == "on hold; planned finish 30 Apr 2017"
        assert out.loc[0, "kinds"] == ["Amber", "Due soon"]

    def test_unreported_lscb_actions_are_split_off(self):
        from src.analysis.exceptions import unreported_lscb
        from src.analysis.plan_view import PlanView
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        view = PlanView.build(read_plan_file(DEFAULT_PLAN), "2017-03-31", 30)
        kept, unreported = unreported_lscb(exceptions(view), view.plan)
        # every Durham LSCB action has a blank status; 6 are due before 31 Mar 2017
        assert len(unreported) == 6 and unreported["task_id"].str.startswith("LSCB-").all()
        assert not (kept["kind"] == "LSCB overdue").any()
