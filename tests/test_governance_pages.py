"""The governance pages (exceptions, changes, risks and LSCB, briefing pack) run on the embedded data
and on another council's workbook, and show the engine's own figures: the exception counts are
`exception_summary(exceptions(view))`, the newly complete tasks are those `changes_since` finds (and a
hand check agrees), the risk grid draws only when the workbook scores its risks, and the briefing
pack's buttons produce a real PDF and a real xlsx."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from src.analysis.changes import changes_since
from src.analysis.exceptions import by_task, exception_summary, exceptions, unreported_lscb
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import TaskStatus
from src.analysis.progress import task_table
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.builders import frame, other_council_plan_bytes, plan_bytes, task, update

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS = str(ROOT / "pages" / "9_exceptions.py")
CHANGES = str(ROOT / "pages" / "10_changes.py")
RISKS = str(ROOT / "pages" / "11_risks.py")
BRIEFING = str(ROOT / "pages" / "12_briefing.py")
PAGES = [EXCEPTIONS, CHANGES, RISKS, BRIEFING]
TIMEOUT = 60  # the PDF takes a few seconds, more on a cold start


def use_plan(tmp_path, monkeypatch, data: bytes, name: str = "plan.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    return path


def run(page: str, **query) -> AppTest:
    return run_page(page, TIMEOUT, **query)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def in_order(node):
    """The page's elements in the order they are drawn."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for index in sorted(children):
        yield from in_order(children[index])


def table_after(at: AppTest, heading: str) -> pd.DataFrame:
    """The first table drawn after the header that starts with `heading` (st.dataframe has no key in AppTest)."""
    seen = False
    for element in in_order(at.main):
        if element.type in ("header", "subheader") and element.value.startswith(heading):
            seen = True
        elif seen and element.type == "dataframe":
            return element.value
    raise AssertionError(f"no table after {heading!r}")


def scored_risks_plan() -> bytes:
    """Two tasks, two reporting dates; risks with likelihood and impact; LSCB actions with statuses."""
    tasks = [task("T1", "Started", "Mar 17"), task("T2", "Started", "June 17", lead="Lead B")]
    updates = [
        update("T1", "2016-12-31", "In progress", 50),
        update("T2", "2016-12-31", "In progress", 10),
        update("T1", "2017-01-31", "Complete", 100),
        update("T2", "2017-01-31", "In progress", 20, forecast="2017-08-31"),
    ]
    risks = frame(
        ["risk_id", "risk", "rating", "response", "mitigation", "likelihood", "impact", "owner"],
        [
            (1, "Social worker turnover", "High", "Treat", "Recruitment campaign", 4, 5, "HR Lead"),
            (2, "Budget pressure", "Medium", "Tolerate", "Monthly monitoring", 3, 3, "Finance Lead"),
            (3, "IT system delay", "Low", "Treat", "Supplier meetings", None, None, None),
        ],
    )
    lscb = frame(
        ["action_id", "action", "lead", "timescale", "status", "commentary"],
        [
            (1, "Annual report", "LSCB unit", "October 2016", "Complete", "Published"),
            (2, "Audit programme", "QA sub-group", "December 2016", "In progress", "Two audits left"),
        ],
    )
    return plan_bytes(tasks, updates, extra={"Risks": risks, "LSCB_Actions": lscb})


class TestEveryGovernancePage:
    @pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
    def test_runs_on_the_embedded_data(self, page):
        assert_clean(run(page))

    @pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
    def test_runs_on_a_differently_written_workbook(self, page, tmp_path, monkeypatch):
        use_plan(tmp_path, monkeypatch, other_council_plan_bytes(), "anytown.xlsx")
        at = run(page)
        assert_clean(at)
        assert any("anytown.xlsx" in c.value for c in at.caption)


class TestExceptionsPage:
    @pytest.mark.parametrize("as_at", ["2017-03-31", "2017-12-31"])
    def test_counts_equal_the_engine_summary(self, as_at):
        # Given the embedded plan at a reporting date, when the page runs, then each kind's metric is the engine's count.
        # LSCB actions past due with no status reported are listed apart (issue 14), so they are not counted.
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp(as_at), 30)
        kept, unreported = unreported_lscb(exceptions(view), view.plan)
        want = {kind: str(n) for kind, n in exception_summary(kept).items()}
        at = run(EXCEPTIONS, as_at=as_at)
        assert metrics(at) == want
        # hand-checked: every Durham LSCB action has a blank status; 6 are past due at 31 Mar 2017, 9 at 31 Dec 2017
        assert len(unreported) == {"2017-03-31": 6, "2017-12-31": 9}[as_at]
        assert any(f"Status not reported: {len(unreported)} LSCB actions" in i.value for i in at.info)

    def test_the_due_soon_window_changes_the_count(self):
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"), 30)
        at = run(EXCEPTIONS, as_at="2017-03-31")
        at.number_input(key="due_within_days").set_value(90).run()
        assert_clean(at)
        assert metrics(at)["Due soon"] == str(exception_summary(exceptions(view, due_within_days=90))["Due soon"])

    def test_a_lead_filter_keeps_that_leads_tasks_and_every_overdue_lscb_action(self):
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"), 30)
        ex = exceptions(view)
        lead = ex.loc[ex["kind"] == "Red", "lead"].iloc[0]
        at = run(EXCEPTIONS, as_at="2017-03-31", lead=lead)
        assert_clean(at)
        ids = set(view.tasks.loc[view.tasks["lead"] == lead, "task_id"])
        kept = ex[ex["task_id"].isin(ids) | (ex["kind"] == "LSCB overdue")]
        kept, unreported = unreported_lscb(kept, view.plan)
        assert metrics(at) == {kind: str(n) for kind, n in exception_summary(kept).items()}
        assert any(f"Status not reported: {len(unreported)} LSCB actions" in i.value for i in at.info)

    def test_one_item_at_a_time_advances_with_next_and_back_with_previous(self):
        at = run(EXCEPTIONS, as_at="2017-03-31")
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"), 30)
        total = by_task(unreported_lscb(exceptions(view), view.plan)[0]).shape[0]  # one item per task
        at.toggle(key="one_at_a_time").set_value(True).run()
        assert any(m.value.startswith(f"**Item 1 of {total}**") for m in at.markdown)
        first = at.header[-1].value
        at.button(key="exception_next").click().run()
        assert_clean(at)
        assert any(m.value.startswith(f"**Item 2 of {total}**") for m in at.markdown)
        at.button(key="exception_previous").click().run()
        assert any(m.value.startswith(f"**Item 1 of {total}**") for m in at.markdown)
        assert at.header[-1].value == first

    def test_the_card_shows_why_rag_word_reasons_lead_slip_forecast_and_commentary(self):
        at = run(EXCEPTIONS, as_at="2017-03-31")
        at.toggle(key="one_at_a_time").set_value(True).run()
        card = next(m.value for m in at.markdown if m.value.startswith("**Why listed:**"))
        assert at.header[-1].value.endswith("(P3-M5-T1)")  # the task's words first, its code beside them
        for label in ("Why listed", "RAG", "Reasons", "Lead", "Slip", "Current forecast", "Latest commentary"):
            assert f"**{label}:**" in card

    def test_grouping_by_theme_lists_every_item_once(self):
        at = run(EXCEPTIONS, as_at="2017-03-31")
        at.radio(key="exceptions_group_by").set_value("Theme").run()
        assert_clean(at)
        shown = [d.value for d in at.dataframe if "Why listed" in d.value.columns]  # the group tables
        rows = pd.concat(shown)
        assert rows["Code"].is_unique  # one row per task, every reason joined
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"), 30)
        assert set(rows["Code"]) == set(unreported_lscb(exceptions(view), view.plan)[0]["task_id"])
        tbc = rows.set_index("Code").loc["P2-M3-T5"]
        assert (tbc["Why listed"], tbc["RAG"]) == ("At risk; No finish date", "Amber")

    def test_large_type_injects_css_and_draws_plain_tables(self):
        at = run(EXCEPTIONS, as_at="2017-03-31")
        at.toggle(key="large_type").set_value(True).run()
        assert_clean(at)
        assert any("font-size" in h.proto.body for h in at.get("html"))
        assert len(at.table) >= 1


class TestChangesPage:
    def test_finds_the_newly_complete_tasks_between_two_dates(self):
        # Given 31 Dec 2016 -> 31 Mar 2017 on the embedded plan
        start, end = pd.Timestamp("2016-12-31"), pd.Timestamp("2017-03-31")
        plan = read_plan_file(DEFAULT_PLAN)
        engine = changes_since(plan, start, end).tasks
        want = set(engine.loc[engine["newly_complete"], "task_id"])
        # Hand check: complete at the end, not complete at the start.
        before, after = task_table(plan, start), task_table(plan, end)
        done_before = set(before.loc[before["status"] == TaskStatus.COMPLETE, "task_id"])
        by_hand = set(after.loc[after["status"] == TaskStatus.COMPLETE, "task_id"]) - done_before
        assert want == by_hand and want

        at = run(CHANGES)
        at.selectbox(key="changes_from").select("2016-12-31").run()
        at.selectbox(key="changes_to").select("2017-03-31").run()
        assert_clean(at)
        assert metrics(at)["Newly complete"] == str(len(want))
        assert set(table_after(at, "Newly complete")["Task code"]) == want
        assert metrics(at)["Forecasts moved"] == str(int(engine["forecast_moved"].sum()))

    def test_defaults_are_the_previous_and_current_reporting_dates(self):
        at = run(CHANGES, as_at="2017-03-31")
        assert at.selectbox(key="changes_from").value == "2017-02-28"
        assert at.selectbox(key="changes_to").value == "2017-03-31"
        assert any("New data-quality findings: 0" == h.value for h in at.header)

    def test_from_after_to_asks_for_another_date(self):
        at = run(CHANGES)
        at.selectbox(key="changes_from").select("2017-12-31").run()
        assert any("Pick a 'From' date before" in w.value for w in at.warning)

    def test_draws_the_rag_counts_at_both_dates(self):
        at = run(CHANGES, as_at="2017-03-31")
        assert len(at.get("plotly_chart")) == 1
        assert any(s.value.startswith("From 28 Feb 2017 to 31 Mar 2017") for s in at.header)


class TestRisksPage:
    def test_the_grid_draws_when_the_workbook_gives_likelihood_and_impact(self, tmp_path, monkeypatch):
        use_plan(tmp_path, monkeypatch, scored_risks_plan())
        at = run(RISKS, as_at="2017-01-31")
        assert_clean(at)
        assert len(at.get("plotly_chart")) == 1
        assert any(s.value == "1 of 2 scored risks is High (score 15 or more)" for s in at.header)
        assert not any("No likelihood" in i.value for i in at.info)
        # LSCB statuses are reported here: no "not reported" note, timeliness from the status.
        assert not any("Status not reported" in i.value for i in at.info)
        assert list(table_after(at, "LSCB action plan")["Timeliness"]) == ["Complete", "Overdue by 31 days"]

    def test_embedded_workbook_says_plainly_there_is_no_grid_and_no_lscb_status(self):
        at = run(RISKS)
        assert_clean(at)
        assert len(at.get("plotly_chart")) == 0
        assert any("No likelihood × impact grid" in i.value for i in at.info)
        assert any("Status not reported in the workbook" in i.value for i in at.info)
        assert len(table_after(at, "Risk register")) == 5


BRIEFING_DOWNLOADS = ("Download Portfolio Holder brief", "Download QIB slides", "Download Briefing pack", "Download Briefing tables")


class TestBriefingPage:
    @pytest.fixture
    def saved_files(self, monkeypatch) -> dict[str, bytes]:
        """Every file streamlit stores for a download, by its file id (the last part of the URL)."""
        saved: dict[str, bytes] = {}
        original = MemoryMediaFileStorage.load_and_get_id

        def keep(self, path_or_data, mimetype, kind, filename=None):
            file_id = original(self, path_or_data, mimetype, kind, filename)
            saved[file_id] = path_or_data
            return file_id

        monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
        return saved

    def downloads(self, at: AppTest, saved: dict[str, bytes]) -> dict[str, bytes]:
        out = {}
        for button in at.get("download_button"):
            if not button.proto.label.startswith(BRIEFING_DOWNLOADS):
                continue  # the sidebar's templates, built elsewhere
            file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
            out[button.proto.label] = saved[file_id]
        return out

    def test_nothing_is_built_until_asked(self):
        at = run(BRIEFING)
        assert_clean(at)
        assert not any(b.proto.label.startswith(BRIEFING_DOWNLOADS) for b in at.get("download_button"))
        assert any("illustrative" in m.value for m in at.markdown)

    def test_the_buttons_build_a_pdf_and_an_xlsx(self, saved_files):
        at = run(BRIEFING, as_at="2017-03-31")
        at.button(key="build_brief").click().run()
        at.button(key="build_xlsx").click().run()
        assert_clean(at)
        files = self.downloads(at, saved_files)
        assert files["Download Portfolio Holder brief - 31 Mar 2017.pdf"].startswith(b"%PDF")
        assert files["Download Briefing tables - 31 Mar 2017.xlsx"].startswith(b"PK")
        assert any(c.value.startswith("Built in") for c in at.caption)
