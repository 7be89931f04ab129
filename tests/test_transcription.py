"""The plan transcription and the built workbook agree with the 2016 plan as printed.

EXPECTED_TASKS is typed by hand from the committee report (Appendix 3), not
generated from the CSV, so a slip in either the CSV or the build shows here.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "source" / "plan"
WORKBOOK = ROOT / "data" / "improvement_plan.xlsx"

HCS = "Head of Children's Services"
CRS = "Strategic Manager, Children's Reform Services"
TFS = "Strategic Manager, Think Family Services"
PSS = "Head of Planning and Service Strategy"
LAP = "Strategic Manager, Looked After and Permanence"

# task_id, start as written, finish as written, lead (None = blank in the plan), opening words
EXPECTED_TASKS = [
    ("P1-M1-T1", "May 16", "June 16", HCS, "Assess requirement for additio"),
    ("P1-M1-T2", "May 16", "Sept 16", None, "Obtain interim resources to se"),
    ("P1-M1-T3", "May 16", "Sept 16", None, "Analysis of good practice outs"),
    ("P1-M2-T1", "May 16", "March 17", CRS, "Improve recruitment and retent"),
    ("P1-M3-T1", "June 2016", "Sept 17", CRS, "Development programmes put in "),
    ("P1-M3-T2", "Started", "Mar 17", "Strategic Manager, First Contact and Intervention Service", "All social workers to be offer"),
    ("P1-M4-T1", "Started", "Nov 16", "Strategic Manager, Child Protection and Disability", "Repeat Social Worker Health Ch"),
    ("P1-M5-T1", "April 16", "Oct 17", HCS, "Engage external consultant to "),
    ("P2-M1-T1", "May 16", "Oct 16", "Strategic Manager, Service Quality and Development", "Review of good practice in pol"),
    ("P2-M1-T2", "May 16", "Oct 16", None, "Review the content, frequency "),
    ("P2-M2-T1", "Aug 16", "Dec 16", HCS, "Put in place a new performance"),
    ("P2-M3-T1", "Sept 16", "Nov 2016", PSS, "Develop a 'work around' on the"),
    ("P2-M3-T2", "Nov 2016", "Mar 2017", PSS, "Implement 'work around' electr"),
    ("P2-M3-T3", "Sept 2016", "Jan 2017", "Head of Planning and Service Strategy / Head of ICT", "Development and approval of bu"),
    (
        "P2-M3-T4",
        "Mar 2017",
        "July 2017",
        "Head of Planning and Service Strategy / Head of Children's Services",
        "Procure electronic case file s",
    ),
    ("P2-M3-T5", "2nd quarter 2017", "TBC", PSS, "Implement new electronic case "),
    ("P2-M4-T1", "Started", "Nov 17", HCS, "Improve management oversight o"),
    ("P3-M1-T1", "May 16", "July 17", HCS, "Review quality of assessment s"),
    ("P3-M2-T1", "Nov 16", "Jan 17", TFS, "Develop practice standards for"),
    ("P3-M3-T1", "Nov 16", "Jan 17", TFS, "Family friendly care plan are "),
    ("P3-M4-T1", "Started", "Dec 17", HCS, "Encourage challenge from the L"),
    ("P3-M5-T1", "Nov 16", "July 17", TFS, "Introduce the family outcomes "),
    ("P3-M6-T1", "June 16", "April 17", CRS, "Review and implement the quali"),
    ("P3-M6-T2", "June 16", "April 17", None, "Analysis of good practice in q"),
    ("P3-M6-T3", "June 16", "April 17", None, "Develop a social work engageme"),
    ("P3-M6-T4", "June 16", "April 17", None, "Review the impact of the work "),
    ("P3-M7-T2", "June 16", "Jan 17", CRS, "Introduce peer audit of social"),
    ("P3-M7-T3", "June 16", "Dec 17", CRS, "Introduce a programme of inter"),
    ("P3-M7-T4", "Sept 16", "July 17", CRS, "Introduce bi-annual external i"),
    ("P4-M1-T1", "June 16", "Mar 17", LAP, "Systematically record consent "),
    ("P4-M1-T2", "June 16", "Mar 17", None, "Promote an understanding of pr"),
    ("P4-M1-T3", "June 16", "Mar 17", None, "Revise use of placement with p"),
    ("P4-M1-T4", "June 16", "Mar 17", None, "Offer all relevant young peopl"),
    ("P4-M1-T5", "June 16", "Mar 17", None, "Promote staying put to all car"),
]

TASK_COLUMNS = ["task_id", "theme_id", "milestone_ref", "milestone", "task_ref", "task", "lead", "start", "finish", "rec_ids"]


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_plan_workbook", ROOT / "scripts" / "build_plan_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(v) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    v = str(v).strip()
    return v or None


@pytest.fixture(scope="module")
def csv_tasks() -> pd.DataFrame:
    return pd.read_csv(PLAN / "tasks.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def book() -> dict[str, pd.DataFrame]:
    return pd.read_excel(WORKBOOK, sheet_name=None, engine="calamine")


def _check_tasks(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == TASK_COLUMNS
    assert len(frame) == 34
    got = [(_text(r.task_id), _text(r.start), _text(r.finish), _text(r.lead), str(r.task)[:30]) for r in frame.itertuples(index=False)]
    assert got == EXPECTED_TASKS


class TestTasks:
    def test_csv_matches_plan(self, csv_tasks):
        _check_tasks(csv_tasks)

    def test_workbook_matches_plan(self, book):
        _check_tasks(book["Tasks"])

    def test_milestone_on_every_row(self, csv_tasks):
        assert (csv_tasks.milestone.str.strip() != "").all()
        assert csv_tasks.loc[csv_tasks.task_id == "P3-M7-T3", "milestone"].item().startswith("Comprehensive programme")

    def test_cell_bullets_kept_as_lines(self, csv_tasks):
        t3 = csv_tasks.set_index("task_id").loc["P3-M7-T3", "task"].split("\n")
        assert t3[1] == "• Assessment"
        assert t3[7] == "• Children placed with friends and family under Section 20"
        assert t3[-1] == "This will enable continuous improvement in social work practice"
        t4 = csv_tasks.set_index("task_id").loc["P3-M7-T4", "task"].split("\n")
        assert t4[1:] == ["• Audit 1 – January 17", "• Audit 2 – July 17"]

    def test_rec_ids_refer_to_recommendations(self, csv_tasks):
        ids = {r for v in csv_tasks.rec_ids if v for r in (x.strip() for x in v.split(","))}
        assert ids <= {str(i) for i in range(1, 15)}
        # rec 7 is addressed by a task although the plan declares it under no theme; 13 and 14 by none
        assert "7" in ids and "13" not in ids and "14" not in ids


class TestOtherSheets:
    def test_recommendations(self, book):
        recs = book["Recommendations"].set_index("rec_id")
        assert list(recs.index) == list(range(1, 15))
        assert recs.loc[1, "recommendation"].startswith("Continue with existing plans to ensure")
        assert recs.loc[1, "recommendation"].endswith("fully support children and young people.")
        assert recs.loc[14, "recommendation"].startswith("Improve how information from return home interviews")
        assert recs.loc[14, "recommendation"].endswith("at risk of child sexual exploitation.")
        assert set(recs["source"]) == {"Ofsted SIF 2016"}

    def test_themes(self, book):
        themes = book["Themes"]
        assert list(themes.theme_id) == [1, 2, 3, 4]
        assert list(themes.chair) == ["Carole Payne", "Lorraine O'Donnell/Jenny Howarth", "Caroline O'Neill", "Karen Robb/Gill Horrobin"]

    def test_theme_recommendations_as_declared(self, book):
        pairs = sorted(map(tuple, book["Theme_Recommendations"][["theme_id", "rec_id"]].astype(int).values.tolist()))
        # The plan's Appendix 1 table declares 1 + 3 + 4 + 6 = 14 pairs.
        assert pairs == sorted(
            [(1, 1), (2, 2), (2, 3), (2, 9), (3, 3), (3, 4), (3, 5), (3, 8), (4, 6), (4, 10), (4, 11), (4, 12), (4, 13), (4, 14)]
        )
        assert 7 not in {r for _, r in pairs}

    def test_counts(self, book):
        assert len(book["Risks"]) == 5
        assert set(book["Risks"].rating) == {"Low"} and set(book["Risks"].response) == {"Tolerate"}
        assert len(book["LSCB_Actions"]) == 9
        assert book["LSCB_Actions"].timescale.iloc[0] == "June 2016"
        gov = book["Governance"]
        qib = gov[gov.board == "Quality Improvement Board"]
        assert len(qib) == 16
        assert qib.loc[qib.role == "Chair", "name"].tolist() == ["Margaret Whellans"]
        assert sorted(qib.loc[qib.role == "Deputy", "name"]) == ["Jenny Howarth", "Lesley Martin"]
        assert set(gov.board) == {"Quality Improvement Board", "Programme 1", "Programme 2", "Programme 3", "Programme 4"}

    def test_about_says_illustrative(self, book):
        about = dict(zip(book["About"].key, book["About"].value))
        assert about["organisation"] == "Durham County Council"
        assert "illustrative" in about["data_status"]
        assert str(about["plan_date"]).startswith("2016-09-08")


class TestUpdates:
    @pytest.fixture(scope="class")
    def updates(self, book):
        return book["Updates"]

    def test_task_ids_exist(self, updates, book):
        assert set(updates.task_id) <= set(book["Tasks"].task_id)

    def test_as_at_month_ends_in_range(self, updates):
        as_at = pd.to_datetime(updates.as_at)
        assert as_at.dt.is_month_end.all()
        assert as_at.min() == pd.Timestamp("2016-09-30") and as_at.max() == pd.Timestamp("2017-12-31")

    def test_dates_are_real_dates(self, updates):
        assert pd.api.types.is_datetime64_any_dtype(updates.as_at)

    def test_statuses_allowed(self, updates):
        assert set(updates.status) <= {"Not started", "In progress", "Complete", "On hold", "Cancelled"}

    def test_scenario_properties(self, updates):
        assert (updates.status == "Cancelled").sum() >= 1
        assert (updates.status == "On hold").sum() >= 1
        moves = updates.dropna(subset=["forecast_finish"]).groupby("task_id").forecast_finish.nunique()
        assert (moves >= 2).any()
        months = sorted(pd.to_datetime(updates.as_at).unique())
        present = set(zip(updates.task_id, pd.to_datetime(updates.as_at)))
        gaps = []
        for task_id, group in updates.groupby("task_id"):
            dates = pd.to_datetime(group.as_at)
            span = [m for m in months if dates.min() <= m <= dates.max()]
            gaps += [(task_id, m) for m in span if (task_id, m) not in present]
        assert gaps, "expected at least one (task, month) missing"

    def test_early_tasks_complete_at_first_update(self, updates):
        first = updates[updates.task_id == "P1-M1-T1"].iloc[0]
        assert first.status == "Complete"
        assert pd.Timestamp(first.actual_finish) == pd.Timestamp("2016-06-30")

    def test_case_file_system_still_in_progress(self, updates):
        last = updates[updates.task_id == "P2-M3-T5"].iloc[-1]
        assert last.status == "In progress" and pd.Timestamp(last.forecast_finish).year == 2018


class TestBuild:
    def test_deterministic_and_matches_committed(self, tmp_path):
        builder = _load_builder()
        a = tmp_path / "a.xlsx"
        b = tmp_path / "b.xlsx"
        assert builder.main(["--out", str(a), "--updates-out", str(tmp_path / "a.csv")]) == 0
        assert builder.main(["--out", str(b), "--updates-out", str(tmp_path / "b.csv")]) == 0
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() == WORKBOOK.read_bytes()
        assert (tmp_path / "a.csv").read_text(encoding="utf-8") == (PLAN / "updates.csv").read_text(encoding="utf-8")

    def test_check_mode(self):
        assert _load_builder().main(["--check"]) == 0

    def test_plan_dates(self):
        builder = _load_builder()
        assert builder.plan_date("2nd quarter 2017", "start") == dt.date(2017, 4, 1)
        assert builder.plan_date("2nd quarter 2017", "finish") == dt.date(2017, 6, 30)
        assert builder.plan_date("Sept 16", "finish") == dt.date(2016, 9, 30)
        assert builder.plan_date("TBC", "finish") is None
