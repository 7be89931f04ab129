"""`python -m src.cli summary`: the JSON contract, exit codes, and other councils' workbooks."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from src.cli import main
from tests.builders import other_council_plan_bytes, plan_bytes, task, update

ROOT = Path(__file__).resolve().parents[1]


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def embedded():
    result = subprocess.run([sys.executable, "-m", "src.cli", "summary", "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


class TestEmbeddedSummary:
    def test_defaults_latest_reporting_date_and_30_days(self, embedded):
        assert embedded["as_at"] == "2017-12-31" and embedded["tolerance_days"] == 30

    def test_required_fields(self, embedded):
        assert set(embedded["completion"]) == {
            "complete",
            "in_scope",
            "rate",
            "planned_rate",
            "weighted_progress",
            "progress_unknown",
            "ongoing",
            "finish_unreadable",
            "finish_not_set",
        }
        assert set(embedded["rag"]) == {"Red", "Amber", "Green", "Blue", "Cancelled"}
        assert set(embedded["slippage"]) == {"slipped", "total_days", "median_days"}
        assert set(embedded["tasks"][0]) >= {
            "task_id",
            "theme_id",
            "milestone_ref",
            "task_ref",
            "lead",
            "lead_inferred",
            "start_as_written",
            "finish_as_written",
            "planned_start",
            "planned_finish",
            "status",
            "percent_complete",
            "rag",
            "reason",
            "expected_finish",
            "slip_days",
            "forecast_moves",
            "reported_rag",
        }
        assert set(embedded["recommendations"][0]) == {"rec_id", "themes", "tasks", "rag", "kpis", "findings"}
        assert len(embedded["tasks"]) == 34 and len(embedded["recommendations"]) == 14

    def test_seed_dates_as_written_and_parsed(self, embedded):
        tasks = {t["task_id"]: t for t in embedded["tasks"]}
        assert (tasks["P1-M1-T1"]["finish_as_written"], tasks["P1-M1-T1"]["planned_finish"]) == ("June 16", "2016-06-30")
        assert (tasks["P2-M3-T5"]["start_as_written"], tasks["P2-M3-T5"]["planned_start"]) == ("2nd quarter 2017", "2017-04-01")
        assert (tasks["P2-M3-T5"]["finish_as_written"], tasks["P2-M3-T5"]["planned_finish"]) == ("TBC", None)
        assert (tasks["P1-M4-T1"]["start_as_written"], tasks["P1-M4-T1"]["planned_start"]) == ("Started", None)
        assert tasks["P1-M1-T2"]["lead"] == "Head of Children's Services" and tasks["P1-M1-T2"]["lead_inferred"] is True

    def test_counts_add_up(self, embedded):
        rag = embedded["rag"]
        assert sum(rag.values()) == 34
        assert embedded["completion"]["in_scope"] == 34 - rag["Cancelled"]

    def test_performance_parts_at_the_reporting_date(self, embedded):
        kpis = {k["kpi_id"]: k for k in embedded["kpis"]}
        assert kpis["CPP_REPEAT_PCT"]["rec_ids"] == ["2", "5"]
        assert all(k["period"] is None or k["period"] <= "2017-12-31" for k in kpis.values())  # known at D, not later years
        assert embedded["caseload"]["period"] == "2017-12-31" and set(embedded["caseload"]) >= {
            "average",
            "over_threshold_share",
            "by_team",
        }
        recs = {r["rec_id"]: r for r in embedded["recommendations"]}
        assert "SW_CASELOAD" in recs["1"]["kpis"]

    def test_as_at_changes_the_position(self, capsys):
        code, out, _ = run(["summary", "--json", "--as-at", "2017-03-31"], capsys)
        march = json.loads(out)
        assert code == 0 and march["as_at"] == "2017-03-31" and march["completion"]["complete"] < 33

    def test_text_report_for_a_person(self, capsys):
        code, out, _ = run(["summary"], capsys)
        assert code == 0 and "As at 31 Dec 2017" in out and "names it under no theme" in out


class TestOtherWorkbooks:
    def test_other_councils_style_works(self, tmp_path, capsys):
        path = tmp_path / "anytown plan.xlsx"
        path.write_bytes(other_council_plan_bytes())
        code, out, err = run(["summary", "--json", "--plan", str(path)], capsys)
        summary = json.loads(out)
        assert code == 0, err
        assert summary["as_at"] == "2023-10-31" and [t["task_id"] for t in summary["tasks"]] == ["A1", "A2", "A3", "B1", "B2"]
        assert "caseload" not in summary  # another council's plan is not paired with Durham's performance workbook
        b1 = next(t for t in summary["tasks"] if t["task_id"] == "B1")
        assert b1["status"] == "On hold" and b1["rag"] == "Amber"

    def test_value_problems_exit_0_and_are_listed(self, tmp_path, capsys):
        path = tmp_path / "p.xlsx"
        path.write_bytes(plan_bytes([task("T1", "May 16", "someday")], [update("T1", "2016-09-30", "In progress", 150)]))
        code, out, _ = run(["summary", "--json", "--plan", str(path)], capsys)
        problems = json.loads(out)["data_quality"]
        assert code == 0 and {(p["sheet"], p["row"], p["column"]) for p in problems} == {
            ("Tasks", 2, "finish"),
            ("Updates", 2, "percent_complete"),
        }
        assert set(problems[0]) >= {"workbook", "sheet", "row", "column", "message", "severity"}

    def test_unusable_workbook_exits_2_naming_file_sheet_and_column(self, tmp_path, capsys):
        from tests.builders import frame

        path = tmp_path / "broken.xlsx"
        path.write_bytes(plan_bytes([], extra={"Tasks": frame(["task_id", "theme_id"], [("T1", 1)])}))
        code, out, err = run(["summary", "--plan", str(path)], capsys)
        assert code == 2 and out == ""
        assert "broken.xlsx, sheet Tasks, column milestone_ref, task, start, finish" in err and "Traceback" not in err

    def test_not_a_workbook_exits_2_without_traceback(self, tmp_path):
        path = tmp_path / "notes.xlsx"
        path.write_text("hello")
        result = subprocess.run([sys.executable, "-m", "src.cli", "summary", "--plan", str(path)], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 2 and "notes.xlsx" in result.stderr and "Traceback" not in result.stderr

    def test_file_is_never_changed(self, tmp_path, capsys):
        path = tmp_path / "p.xlsx"
        data = plan_bytes([task("T1", "May 16", "June 16")])
        path.write_bytes(data)
        run(["summary", "--plan", str(path)], capsys)
        assert path.read_bytes() == data

    @pytest.mark.parametrize(
        "argv, message",
        [
            (["summary", "--as-at", "last tuesday"], "--as-at"),
            (["summary", "--plan", "/nonexistent.xlsx"], "no such file"),
            (["summary", "--tolerance-days", "-1"], "tolerance"),
        ],
    )
    def test_bad_arguments_exit_2(self, argv, message, capsys):
        code, _, err = run(argv, capsys)
        assert code == 2 and message in err


class TestBothWorkbooksAtOnce:
    """load_inputs starts the performance workbook's worker before waiting for the plan's (two cores), and
    still reports the plan's problem first."""

    def test_the_performance_worker_starts_before_the_plan_is_waited_for(self, tmp_path, monkeypatch):
        from src.analysis import isolation
        from src.cli import common

        events = []
        real_start, real_result = isolation.start_isolated, isolation.PendingLoad.result

        def start(kind, *args, **kwargs):
            events.append(f"start {kind}")
            return real_start(kind, *args, **kwargs)

        def result(self):
            events.append(f"wait {self.kind}")
            return real_result(self)

        monkeypatch.setattr(isolation, "start_isolated", start)
        monkeypatch.setattr(isolation.PendingLoad, "result", result)
        plan, perf = tmp_path / "plan.xlsx", tmp_path / "perf.xlsx"
        plan.write_bytes(plan_bytes([task("T1", "May 16", "June 16")], [update("T1", "2016-06-30", "Complete", 100)]))
        perf.write_bytes((Path(__file__).resolve().parents[1] / "data" / "performance.xlsx").read_bytes())
        parser = argparse.ArgumentParser()
        common.add_common_options(parser)  # the CLI's own options, as `summary` reads them
        args = parser.parse_args(["--plan", str(plan), "--performance", str(perf)])
        view, performance = common.load_inputs(args)
        assert events[:3] == ["start plan", "start performance", "wait plan"]
        assert performance is not None and len(view.tasks) == 1

    def test_a_broken_plan_is_reported_before_a_missing_performance_workbook(self, tmp_path, capsys):
        plan = tmp_path / "broken.xlsx"
        plan.write_bytes(b"not a workbook")
        code, out, err = run(["summary", "--plan", str(plan), "--performance", str(tmp_path / "absent.xlsx")], capsys)
        assert code != 0
        assert "broken.xlsx" in err and "absent.xlsx" not in err
