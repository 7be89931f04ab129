"""Hostile and careless input: each case ends with the data read correctly or a clear message,
never a traceback, never a change to the user's file."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from src.analysis.findings import Severity, WorkbookError
from src.analysis.performance_workbook import load_performance
from src.analysis.plan_workbook import load_plan
from tests.builders import TASK_COLUMNS, UPDATE_COLUMNS, frame, plan_bytes, task, update


def error_text(data: bytes, name: str = "upload.xlsx") -> str:
    with pytest.raises(WorkbookError) as error:
        load_plan(data, name)
    assert all(f.workbook == name for f in error.value.findings)
    return str(error.value)


def _replace_member(data: bytes, member: str, transform) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, transform(content) if info.filename == member else content)
    return out.getvalue()


class TestNotAWorkbook:
    def test_text_file(self):
        assert "could not be read as an Excel workbook" in error_text(b"task_id,start\nT1,May 16\n", "plan.csv")

    def test_zero_bytes(self):
        assert "empty" in error_text(b"")

    def test_truncated(self):
        data = plan_bytes([task("T1", "May 16", "June 16")])
        assert "damaged or incomplete" in error_text(data[:-200])

    def test_empty_workbook(self):
        raw = io.BytesIO()
        openpyxl.Workbook().save(raw)
        message = error_text(raw.getvalue())
        assert "Required sheet 'Tasks' is missing" in message and "Required sheet 'Recommendations' is missing" in message

    def test_random_zip(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "not excel")
        assert "could not be read" in error_text(out.getvalue())


class TestArchiveLimits:
    def test_zip_bomb_refused_from_declared_sizes_before_parsing(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))  # 300 MB of zeros
        data = out.getvalue()
        assert len(data) < 1_000_000  # a small file ...
        message = error_text(data, "bomb.xlsx")  # ... refused without inflating it
        assert "would expand to" in message and "refused unopened" in message


class TestMacrosAndFormulas:
    def test_xlsm_with_a_macro_part_is_read_and_nothing_runs(self):
        data = plan_bytes([task("T1", "May 16", "June 16")])
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename))
            dst.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Module1"\nSub AutoOpen(): Shell "calc": End Sub')
        plan = load_plan(out.getvalue(), "tracker.xlsm")
        assert list(plan.tasks["task_id"]) == ["T1"]

    def test_formulas_give_their_cached_values(self):
        data = plan_bytes([task("T1", "May 16", "Mar 17")], [update("T1", "2016-09-30", "In progress", 40)])

        # Sheet 6 is Updates; its percent cell D2 becomes =20*3 with Excel's cached result 60.
        def to_formula(xml: bytes) -> bytes:
            return re.sub(rb'<c r="D2"([^>]*)><v>40</v></c>', rb'<c r="D2"\1><f>20*3</f><v>60</v></c>', xml)

        with_formula = _replace_member(data, "xl/worksheets/sheet6.xml", to_formula)
        assert with_formula != data
        plan = load_plan(with_formula, "f.xlsx")
        assert plan.updates.loc[0, "percent_complete"] == 60


class TestScale:
    def test_200000_row_updates_sheet(self):
        n_tasks, n_dates = 1000, 200  # 200,000 update rows
        dates = pd.date_range("2016-01-03", periods=n_dates, freq="W")
        ids = [f"T{i}" for i in range(n_tasks)]
        updates = pd.DataFrame(
            {
                "task_id": ids * n_dates,
                "as_at": dates.repeat(n_tasks),
                "status": ["In progress"] * (n_tasks * n_dates),
                "percent_complete": [50] * (n_tasks * n_dates),
            }
        )
        data = plan_bytes([task(i, "May 16", "Mar 17") for i in ids], extra={"Updates": updates})
        plan = load_plan(data, "big.xlsx")
        assert len(plan.updates) == n_tasks * n_dates and plan.findings == []


class TestWrongTypes:
    def test_wrong_types_in_every_column_become_findings(self):
        bad_tasks = frame(
            TASK_COLUMNS,
            [
                (dt.datetime(2016, 1, 1), "one", 3.5, 42, None, 12345, dt.datetime(2017, 1, 1), "whenever", True, "seven"),
                ("T2", 1, "M1", "m", "T2", "Fine task", "Lead", "May 16", "June 16", "1"),
            ],
        )
        bad_updates = frame(
            UPDATE_COLUMNS,
            [
                ("T2", "not a date", "In progress", 10, None, None, None, None),
                ("T2", dt.datetime(2016, 9, 30), 7, "half", "soon", "yesterday", "Purple", 3.14),
            ],
        )
        plan = load_plan(plan_bytes([], extra={"Tasks": bad_tasks, "Updates": bad_updates}), "types.xlsx")
        assert set(plan.tasks["task_id"]) == {"2016-01-01", "T2"}  # a date as an id is kept as its text
        located = {(f.sheet, f.row, f.column) for f in plan.findings}
        assert {
            ("Tasks", 2, "finish"),
            ("Tasks", 2, "theme_id"),
            ("Tasks", 2, "rec_ids"),
            ("Updates", 2, "as_at"),
            ("Updates", 3, "percent_complete"),
            ("Updates", 3, "forecast_finish"),
            ("Updates", 3, "actual_finish"),
            ("Updates", 3, "status"),
            ("Updates", 3, "reported_rag"),
        } <= located
        assert all(f.severity != Severity.ERROR for f in plan.findings)


class TestSheetNames:
    def test_two_sheets_differing_only_in_case(self):
        data = plan_bytes([task("T1", "May 16", "June 16")], extra={"tasks": frame(TASK_COLUMNS, [task("X9", "May 16", "June 16")])})
        # openpyxl renames the second sheet 'tasks1'; Excel files from elsewhere can carry both spellings.
        data = _replace_member(data, "xl/workbook.xml", lambda xml: xml.replace(b'name="tasks1"', b'name="tasks"'))
        plan = load_plan(data, "case.xlsx")
        assert list(plan.tasks["task_id"]) == ["T1"]
        [finding] = [f for f in plan.findings if f.sheet == "Tasks"]
        assert "differ only in case" in finding.message and "'tasks'" in finding.message


class TestDateBounds:
    def test_dates_before_1900_and_after_2100(self):
        plan = load_plan(plan_bytes([task("T1", "1850-01-01", dt.datetime(2150, 1, 1))]), "dates.xlsx")
        assert plan.tasks.loc[0, "start_kind"] == "unreadable" and plan.tasks.loc[0, "finish_kind"] == "unreadable"
        assert {(f.row, f.column) for f in plan.findings} == {(2, "start"), (2, "finish")}


class TestPersonalData:
    @pytest.mark.parametrize(
        "header, what",
        [
            ("Child name", "a child's name"),
            ("Date of Birth", "a date of birth"),
            ("DOB", "a date of birth"),
            ("UPN", "a Unique Pupil Number"),
            ("NHS Number", "an NHS number"),
            ("Address", "an address"),
            ("Postcode", "a postcode"),
        ],
    )
    def test_child_level_columns_refused_in_any_sheet(self, header, what):
        extra = {"Scratch": pd.DataFrame({"case": [1], header: ["x"]})}
        message = error_text(plan_bytes([task("T1", "May 16", "June 16")], extra=extra), "leak.xlsx")
        assert f"looks like {what}" in message and "Scratch" in message

    def test_worker_names_refused_in_caseloads_but_officer_names_fine_in_governance(self):
        governance = pd.DataFrame({"name": ["Carole Payne"], "post": ["Head of Children's Services"], "board": ["QIB"], "role": ["Member"]})
        assert load_plan(plan_bytes([task("T1", "May 16", "June 16")], extra={"Governance": governance}), "g.xlsx").findings == []
        from src.xlsx import build_workbook, workbook_bytes

        sheets = {
            "KPIs": pd.DataFrame({"kpi_id": ["K1"], "kpi": ["Caseload"]}),
            "KPI_Values": pd.DataFrame({"kpi_id": ["K1"], "period": [pd.Timestamp("2017-03-31")], "value": [18.0]}),
            "Caseloads": pd.DataFrame(
                {
                    "period": [pd.Timestamp("2017-03-31")],
                    "team": ["A"],
                    "worker_id": ["SW1"],
                    "Name": ["Jane Smith"],
                    "fte": [1.0],
                    "cases": [18],
                }
            ),
        }
        with pytest.raises(WorkbookError, match="a worker's name"):
            load_performance(workbook_bytes(build_workbook(sheets)), "perf.xlsx")
