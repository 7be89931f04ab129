"""Hostile input, issue 10 (the input half): each class of workbook built here in code, small, and each
ends with the data read and a finding, or a WorkbookError naming workbook, sheet, row or cell.

The far-cell workbooks are never handed to the cell reader in these tests except through the loader,
whose extent check must refuse them first: that is the bug under test (550 GB for XFD1048576)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from src.analysis import limits
from src.analysis.findings import Finding, Severity, WorkbookError, add_capped, cap_findings
from src.analysis.isolation import load_isolated, read_untrusted_file
from src.analysis.load import scan_extents
from src.analysis.performance_workbook import load_performance
from src.analysis.personal_data import nhs_number_valid, normalise_header
from src.analysis.plan_workbook import load_plan
from src.xlsx import build_workbook, workbook_bytes
from tests.builders import RECS, TASK_COLUMNS, UPDATE_COLUMNS, frame, plan_bytes, task, update

ROOT = Path(__file__).resolve().parents[1]
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def small_plan(**kwargs) -> bytes:
    return plan_bytes([task("T1", "May 16", "June 16"), task("T2", "May 16", "June 16")], **kwargs)


def add_raw_sheet(data: bytes, name: str, sheet_xml: str, state: str | None = None) -> bytes:
    """The workbook with one more sheet whose XML is given as is (a far cell, cells without refs, ...)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        count = sum(1 for n in src.namelist() if n.startswith("xl/worksheets/sheet"))
        number = count + 1
        part = f"xl/worksheets/sheet{number}.xml"
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                hidden = f' state="{state}"' if state else ""
                content = content.replace(
                    b"</sheets>", f'<sheet name="{name}" sheetId="{number + 100}"{hidden} r:id="rIdX{number}" /></sheets>'.encode()
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = (
                    f'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                    f'Target="/{part}" Id="rIdX{number}" />'
                )
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/{part}" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                )
                content = content.replace(b"</Types>", override.encode() + b"</Types>")
            dst.writestr(info, content)
        dst.writestr(part, sheet_xml)
    return out.getvalue()


def sheet_xml(cells: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{cells}</sheetData></worksheet>'


def one_far_cell(ref: str) -> str:
    row = int(re.sub(r"[A-Z]", "", ref))
    return sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row><row r="{row}"><c r="{ref}"><v>1</v></c></row>')


def replace_sheet(data: bytes, sheet_name: str, transform) -> bytes:
    """Apply transform(xml bytes) to the named sheet's part (found through workbook.xml and its rels)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        from src.analysis.sheet_scan import sheet_parts

        part = sheet_parts(src)[sheet_name][0]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                content = src.read(info.filename)
                dst.writestr(info, transform(content) if info.filename == part else content)
    return out.getvalue()


def refusal(data: bytes, name: str = "upload.xlsx", loader=load_plan) -> WorkbookError:
    with pytest.raises(WorkbookError) as caught:
        loader(data, name)
    assert all(f.workbook == name for f in caught.value.findings)
    return caught.value


# ---- 1. one cell far away -------------------------------------------------------------------------------


class TestFarCell:
    @pytest.mark.parametrize("ref", ["XFD1048576", "Z1048576", "CV1048576"])
    def test_far_cell_on_an_ignored_sheet_is_skipped_with_a_finding(self, ref):
        data = add_raw_sheet(small_plan(), "Notes", one_far_cell(ref))
        assert len(data) < 20_000
        plan = load_plan(data, "far.xlsx")
        assert list(plan.tasks["task_id"]) == ["T1", "T2"]
        far = [f for f in plan.findings if f.sheet == "Notes"]
        assert len(far) == 1 and far[0].column == ref and f"reaches cell {ref}" in far[0].message
        assert "not read" in far[0].message and far[0].severity == Severity.WARNING

    def test_far_cell_on_a_contract_sheet_refuses_the_workbook_naming_the_cell(self):
        data = replace_sheet(
            small_plan(),
            "Tasks",
            lambda xml: xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
        )
        error = refusal(data, "far.xlsx")
        (finding,) = [f for f in error.findings if f.severity == Severity.ERROR]
        assert finding.sheet == "Tasks" and finding.column == "XFD1048576"
        assert "17,179,869,184 cells" in finding.message and "refused unread" in finding.message

    def test_the_extent_is_read_from_the_cells_not_the_declared_dimension(self):
        data = add_raw_sheet(
            small_plan(), "Notes", one_far_cell("XFD1048576").replace("<sheetData>", '<dimension ref="A1:B2"/><sheetData>')
        )
        extent = scan_extents(data)["Notes"]
        assert (extent.rows, extent.columns, extent.declared) == (1_048_576, 16_384, "A1:B2")

    def test_cells_without_references_are_counted_as_the_reader_places_them(self):
        cells = '<row r="1048576">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 10 + "</row>"
        data = add_raw_sheet(small_plan(), "Notes", sheet_xml(cells))
        extent = scan_extents(data)["Notes"]
        assert (extent.rows, extent.columns) == (1_048_576, 10)
        plan = load_plan(data, "norefs.xlsx")
        assert any(f.sheet == "Notes" and f.column == "J1048576" for f in plan.findings)

    def test_an_out_of_order_far_cell_first_in_the_sheet_is_found(self):
        cells = '<row r="1"><c r="XFD1048576"><v>1</v></c><c r="A1"><v>2</v></c></row>'
        data = add_raw_sheet(small_plan(), "Notes", sheet_xml(cells))
        assert scan_extents(data)["Notes"].furthest == "XFD1048576"

    def test_the_cli_exits_0_with_the_finding_for_an_ignored_sheet_and_2_for_a_contract_sheet(self, tmp_path):
        ignored = tmp_path / "ignored.xlsx"
        ignored.write_bytes(add_raw_sheet(small_plan(), "Notes", one_far_cell("XFD1048576")))
        used = tmp_path / "used.xlsx"
        used.write_bytes(
            replace_sheet(
                small_plan(),
                "Tasks",
                lambda xml: xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
            )
        )
        ok = subprocess.run(
            [sys.executable, "-m", "src.cli", "summary", "--plan", str(ignored), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert ok.returncode == 0, ok.stderr
        problems = json.loads(ok.stdout)["data_quality"]
        assert any(p["sheet"] == "Notes" and p["column"] == "XFD1048576" for p in problems)
        refused = subprocess.run(
            [sys.executable, "-m", "src.cli", "summary", "--plan", str(used)], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode == 2
        assert "used.xlsx" in refused.stderr and "sheet Tasks" in refused.stderr and "XFD1048576" in refused.stderr


# ---- 2. memory bounded by the limits -----------------------------------------------------------------------


class TestBoundedReading:
    def test_sheets_the_contract_uses_are_limited_together(self, monkeypatch):
        from src.analysis import load

        monkeypatch.setattr(load, "MAX_CELLS_PER_WORKBOOK", 50)
        error = refusal(small_plan())
        assert "more than 50 cells together" in str(error)

    def test_an_ignored_sheet_is_read_only_as_far_as_the_personal_data_scan_goes(self, monkeypatch):
        from src.analysis import load

        monkeypatch.setattr(load, "PERSONAL_SCAN_ROWS", 10)
        notes = frame(["note"], [(f"note {i}",) for i in range(30)] + [("Date of birth",)])
        plan = load_plan(small_plan(extra={"Notes": notes}))  # the header at row 32 is past the 10 rows read
        assert len(plan.tasks) == 2


# ---- 3. findings capped, linear -----------------------------------------------------------------------------


class TestFindingsCapped:
    def test_unknown_theme_recommendation_pairs_are_capped_with_and_n_more(self):
        pairs = [(9, r) for r in range(1, 5001)]
        plan = load_plan(small_plan(theme_recs=pairs), "pairs.xlsx")
        about_theme = [f for f in plan.findings if f.sheet == "Theme_Recommendations" and f.column == "theme_id"]
        assert len(about_theme) == limits.MAX_FINDINGS_PER_COLUMN + 1
        assert about_theme[-1].message.startswith("… and 4,975 more like this")

    def test_a_cell_listing_thousands_of_ids_is_cut_with_a_finding(self):
        ids = ", ".join(str(i) for i in range(1, 3001))
        plan = load_plan(small_plan(theme_recs=[(1, ids)] * 40), "ids.xlsx")
        cut = [f for f in plan.findings if "ids; only the first" in f.message]
        assert cut and "3,000 ids" in cut[0].message
        assert len(plan.findings) < 200  # 40 cells x 3,000 unknown ids once gave 120,000 findings

    def test_tasks_naming_unknown_recommendations_are_capped(self):
        tasks = [task(f"T{i}", "May 16", "June 16", rec_ids="77, 78") for i in range(1, 101)]
        plan = load_plan(plan_bytes(tasks), "recs.xlsx")
        rec_ids = [f for f in plan.findings if f.column == "rec_ids"]
        assert len(rec_ids) == 26 and rec_ids[-1].message.startswith("… and 75 more like this")

    def test_38_missing_leads_say_and_13_more(self):
        tasks = [task(f"T{i}", "May 16", "June 16", lead=None, milestone_ref=f"M{i}") for i in range(1, 39)]
        plan = load_plan(plan_bytes(tasks), "leads.xlsx")
        leads = [f for f in plan.findings if f.column == "lead"]
        assert len(leads) == 26 and leads[-1].message.startswith("… and 13 more like this")

    def test_the_helper_counts_without_building_past_the_limit(self):
        built = []

        def make(i):
            built.append(i)
            return Finding("w", "s", i, "c", f"problem {i}")

        findings: list[Finding] = []
        assert add_capped(findings, range(10_000), make, limit=3) == 10_000
        assert built == [0, 1, 2] and len(findings) == 4 and findings[-1].message.startswith("… and 9,997 more like this")
        assert findings[-1].row is None and findings[-1].column == "c"

    def test_the_safety_net_caps_per_sheet_and_column(self):
        findings = [Finding("w", "s", i, "c", "x") for i in range(500)] + [Finding("w", "s", 1, "d", "y")]
        capped = cap_findings(findings, limit=10)
        assert len(capped) == 12 and capped[-1].message.startswith("… and 490 more like this")


# ---- 4. personal data: bypassed and over-eager ------------------------------------------------------------


def _with_notes(rows: list[tuple], columns: list[str] | None = None) -> bytes:
    columns = columns or [f"c{i}" for i in range(len(rows[0]))]
    return small_plan(extra={"Notes": frame(columns, rows)})


class TestPersonalData:
    @pytest.mark.parametrize(
        "header",
        ["Child’s name", "NHS No.", "D.O.B.", "Date of birth (DOB)", "Name of child", "CHILD'S  NAME", "Surname"],
    )
    def test_identifying_headers_are_refused_after_normalising(self, header):
        data = small_plan(extra={"Children": frame(["ref", header], [("C1", "x")])})
        error = refusal(data, "people.xlsx")
        (finding,) = error.findings
        assert finding.sheet == "Children" and finding.row == 1 and finding.column.startswith("B (")

    def test_a_header_below_row_50_is_found(self):
        rows = [(f"note {i}", "") for i in range(79)] + [("ref", "Date of birth")]
        error = refusal(_with_notes(rows))
        assert error.findings[0].row == 81 and error.findings[0].column.startswith("B")

    def test_a_header_over_60_characters_is_found(self):
        header = "Child's name (as recorded on the case management system, in full, as on the birth certificate)"
        error = refusal(small_plan(extra={"Children": frame(["ref", header], [("C1", "x")])}))
        assert "a child's name" in error.findings[0].message

    @pytest.mark.parametrize(
        "commentary, what",
        [
            ("Visit to child A (DOB 12/03/2009) arranged", "a date of birth"),
            ("Referral for NHS 943 476 5919 chased", "NHS number"),
            ("Contact jane.smith@example.org for details", "an email address"),
        ],
    )
    def test_identifying_patterns_in_commentary_name_the_cell(self, commentary, what):
        updates = [
            update("T1", "2017-03-31", "In progress", 50, commentary="fine"),
            update("T2", "2017-03-31", "In progress", 50, commentary=commentary),
        ]
        data = plan_bytes([task("T1", "May 16", "June 16"), task("T2", "May 16", "June 16")], updates)
        error = refusal(data, "commentary.xlsx")
        (finding,) = error.findings
        assert finding.sheet == "Updates" and finding.row == 3 and finding.column == "H" and what in finding.message

    def test_worker_names_in_caseloads_are_refused(self):
        data = _performance(caseloads=[("2017-03-31", "Team A", "Jane Smith", 1.0, 18), ("2017-03-31", "Team A", "Tom Brown", 1.0, 20)])
        error = refusal(data, "perf.xlsx", loader=load_performance)
        assert error.findings[0].sheet == "Caseloads" and "worker's name" in error.findings[0].message

    def test_the_councils_own_details_and_team_names_are_not_refused(self):
        about = {
            "organisation": "Test council",
            "address": "County Hall, Durham DH1 5UL",
            "postcode": "DH1 5UL",
            "contact": "plan@durham.gov.uk",
        }
        tasks = [
            task("T1", "May 16", "June 16", text="Address the backlog of assessments"),
            task("T2", "May 16", "June 16", text="Address"),
        ]
        plan = load_plan(plan_bytes(tasks, about=about), "council.xlsx")
        assert plan.about["address"].startswith("County Hall")
        perf = load_performance(_performance(workforce_name_column=True), "perf.xlsx")
        assert perf.workforce is not None and len(perf.workforce) == 1

    def test_normalisation_and_the_nhs_check_digit(self):
        assert normalise_header("D.O.B.") == "dob" and normalise_header("NHS No.") == "nhs no"
        assert normalise_header("Child’s Name (legal)") == "childs name"
        assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918") and not nhs_number_valid("0191383300")


def _performance(caseloads=None, workforce_name_column=False) -> bytes:
    sheets = {
        "About": frame(["key", "value"], [("organisation", "Test council")]),
        "KPIs": frame(["kpi_id", "kpi", "unit", "polarity"], [("K1", "Re-referrals", "percent", "lower_is_better")]),
        "KPI_Values": frame(["kpi_id", "period", "value"], [("K1", pd.Timestamp("2017-03-31"), 20.0)]),
    }
    if caseloads:
        sheets["Caseloads"] = frame(
            ["period", "team", "worker_id", "fte", "cases"], [(pd.Timestamp(p), t, w, f, c) for p, t, w, f, c in caseloads]
        )
    if workforce_name_column:
        sheets["Workforce"] = frame(
            ["period", "team", "Name", "establishment_fte", "filled_fte", "agency_fte"],
            [(pd.Timestamp("2017-03-31"), "North", "Team North", 10, 9, 1)],
        )
    return workbook_bytes(build_workbook(sheets))


# ---- 5. hidden sheets --------------------------------------------------------------------------------------


def _book_with_states(states: dict[str, str], extra: dict | None = None) -> bytes:
    data = small_plan(extra=extra)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for name, state in states.items():
        book[name].sheet_state = state
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestHiddenSheets:
    def test_a_hidden_contract_sheet_is_used_and_said_so(self):
        plan = load_plan(_book_with_states({"Recommendations": "hidden"}), "hidden.xlsx")
        (finding,) = [f for f in plan.findings if f.sheet == "Recommendations"]
        assert "hidden in Excel" in finding.message and "read as the Recommendations sheet" in finding.message

    def test_a_very_hidden_sheet_is_named_as_such(self):
        plan = load_plan(_book_with_states({"Notes": "veryHidden"}, extra={"Notes": frame(["x"], [("y",)])}), "vh.xlsx")
        (finding,) = [f for f in plan.findings if f.sheet == "Notes"]
        assert "very hidden" in finding.message and finding.severity == Severity.INFO

    def test_a_visible_sheet_is_preferred_over_a_hidden_one_of_the_same_role(self):
        decoy = frame(TASK_COLUMNS, [task("X9", "May 16", "June 16")])
        data = _book_with_states({"Tasks": "hidden"}, extra={"tasks ": decoy})
        plan = load_plan(data, "twin.xlsx")
        assert list(plan.tasks["task_id"]) == ["X9"]
        assert plan.sheet_names["Tasks"] == "tasks "


# ---- 6. size before reading ---------------------------------------------------------------------------------


class TestSizeFirst:
    def test_an_oversize_file_is_refused_from_its_size_without_reading_it(self, tmp_path, monkeypatch):
        big = tmp_path / "huge.xlsx"
        with big.open("wb") as out:
            out.truncate(60 * limits.MIB)  # sparse: 60 MiB on paper, nothing on disk
        monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read before its size was checked"))
        with pytest.raises(WorkbookError) as caught:
            read_untrusted_file("plan", big)
        assert "60.0 MiB; the limit is 50 MiB" in str(caught.value)

    def test_messages_use_mib_only(self):
        error = refusal(b"PK" + b"\0" * (limits.MAX_FILE_BYTES + 1))
        assert "MiB" in str(error) and " MB" not in str(error)


# ---- 7. Excel error values ---------------------------------------------------------------------------------


class TestErrorValues:
    def test_ref_div0_and_na_are_reported_naming_the_cell(self):
        updates = [update("T1", "2017-03-31", "In progress", 50), update("T2", "2017-03-31", "In progress", 50)]
        data = plan_bytes([task("T1", "May 16", "June 16"), task("T2", "May 16", "June 16")], updates)

        def poison(xml: bytes) -> bytes:
            xml = re.sub(rb'<c r="D2"([^>]*)><v>[^<]*</v></c>', b'<c r="D2" t="e"><v>#DIV/0!</v></c>', xml)
            return re.sub(rb'<c r="D3"([^>]*)><v>[^<]*</v></c>', b'<c r="D3" t="e"><f>Tasks!ZZ1</f><v>#REF!</v></c>', xml)

        plan = load_plan(replace_sheet(data, "Updates", poison), "errors.xlsx")
        errors = [f for f in plan.findings if "Excel error" in f.message]
        assert [(f.row, f.column) for f in errors] == [(2, "D (percent_complete)"), (3, "D (percent_complete)")]
        assert "#DIV/0!" in errors[0].message and "#REF!" in errors[1].message
        assert plan.updates["percent_complete"].isna().all()


# ---- 8. password-protected ----------------------------------------------------------------------------------


def test_a_password_protected_workbook_says_so_and_how_to_save_it_without():
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(small_plan())).encrypt("secret", encrypted)
    error = refusal(encrypted.getvalue(), "locked.xlsx")
    assert "password-protected" in str(error) and "delete the password" in error.findings[0].advice


# ---- 9. repeated header rows, Infinity ----------------------------------------------------------------------


class TestPhantomsAndInfinity:
    def test_a_header_row_repeated_below_itself_is_skipped_with_a_finding(self):
        tasks = [task("T1", "May 16", "June 16"), tuple(TASK_COLUMNS), task("T2", "May 16", "June 16")]
        plan = load_plan(plan_bytes(tasks), "repeat.xlsx")
        assert list(plan.tasks["task_id"]) == ["T1", "T2"]
        (finding,) = [f for f in plan.findings if "repeats the header row" in f.message]
        assert (finding.sheet, finding.row) == ("Tasks", 3)

    @pytest.mark.parametrize("value", ["inf", "Infinity", "-inf", "nan"])
    def test_non_finite_numbers_are_blank_with_a_finding_and_never_reach_json(self, value):
        updates = [update("T1", "2017-03-31", "In progress", value), update("T2", "2017-03-31", "In progress", 40)]
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16"), task("T2", "May 16", "June 16")], updates), "inf.xlsx")
        assert any(f.column == "percent_complete" and f"'{value}' is not a number" in f.message for f in plan.findings)
        assert plan.updates["percent_complete"].isna().sum() == 1

        from src.analysis.plan_view import PlanView
        from src.analysis.summary_json import plan_summary

        json.dumps(plan_summary(PlanView.build(plan)), default=str, allow_nan=False)  # raises on Infinity / NaN


# ---- 10. the worker process ----------------------------------------------------------------------------------


class TestWorker:
    def test_the_worker_returns_what_the_loader_returns(self):
        data = small_plan()
        here, there = load_plan(data, "w.xlsx"), load_isolated("plan", data, "w.xlsx")
        pd.testing.assert_frame_equal(here.tasks, there.tasks)
        assert here.findings == there.findings

    def test_refusals_come_back_as_findings(self):
        with pytest.raises(WorkbookError) as caught:
            load_isolated("plan", b"not a workbook", "junk.xlsx")
        assert "could not be read as an Excel workbook" in str(caught.value)

    def test_a_worker_over_its_memory_limit_is_stopped_with_a_plain_message(self):
        with pytest.raises(WorkbookError) as caught:
            # AW100000: 4.9 million cells, within the cells limit; the reader's grid needs more than the 64 MiB allowed
            load_isolated("plan", add_raw_sheet(small_plan(), "Notes", one_far_cell("AW100000")), "big.xlsx", memory_mib=64)
        assert "needed more memory than the dashboard allows (64 MiB)" in str(caught.value)

    def test_a_worker_over_its_time_is_stopped_with_a_plain_message(self):
        with pytest.raises(WorkbookError) as caught:
            load_isolated("plan", small_plan(), "slow.xlsx", wall_seconds=0)
        assert "took longer than the dashboard allows" in str(caught.value)

    def test_two_workers_run_at_once_and_each_answers_for_its_own_workbook(self):
        from src.analysis.isolation import start_isolated

        good, bad = start_isolated("plan", small_plan(), "good.xlsx"), start_isolated("plan", b"not a workbook", "bad.xlsx")
        assert good._process.pid != bad._process.pid  # two processes, started before either was waited for
        with pytest.raises(WorkbookError) as caught:
            bad.result()
        assert caught.value.findings[0].workbook == "bad.xlsx"
        assert set(good.result().tasks["task_id"]) == set(load_plan(small_plan(), "good.xlsx").tasks["task_id"])
        assert good.result() is good.result()  # asked twice: the one answer, not a second read

    def test_a_cancelled_worker_is_stopped_and_says_so_rather_than_hanging(self):
        from src.analysis.isolation import start_isolated

        pending = start_isolated("plan", small_plan(), "w.xlsx")
        pending.cancel()
        assert not pending._process.is_alive()
        with pytest.raises(WorkbookError) as caught:
            pending.result()
        assert "could not be read (cancelled)" in str(caught.value)

    def test_the_worker_server_can_be_started_ahead_once_in_the_background(self, monkeypatch):
        import threading
        import time

        from src.analysis import isolation

        monkeypatch.setattr(isolation, "_context", None)
        monkeypatch.setattr(isolation, "_warming", False)
        monkeypatch.setitem(sys.modules, "streamlit", sys.modules.get("streamlit") or __import__("streamlit"))  # as in the server
        isolation.start_workers_in_background()
        isolation.start_workers_in_background()  # a second page: nothing more
        starters = [t for t in threading.enumerate() if t.name == "workbook-worker-start"]
        assert len(starters) <= 1
        for thread in starters:
            thread.join(60)
        assert isolation._context is not None
        started = time.perf_counter()
        assert set(isolation.load_isolated("plan", small_plan(), "w.xlsx").tasks["task_id"])
        assert time.perf_counter() - started < 30

    def test_limits_are_written_in_the_readme_and_the_upload_help(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        for label, value in limits.describe():
            assert f"| {label} | {value} |" in readme
        assert f"{limits.MAX_FILE_MIB} MiB" in limits.upload_help()


def test_rows_of_updates_with_every_problem_at_once_stay_linear():
    """A many-problem workbook (every row bad in several ways) ends with a bounded list of findings."""
    updates = [update(f"T{i}", "2017-03-31", "Wibble", "inf", reported="Purple") for i in range(2000)]
    plan = load_plan(plan_bytes([task("T1", "May 16", "June 16")], updates), "many.xlsx")
    assert len(plan.findings) < 100
    assert RECS  # the builders' default recommendations are in use
    assert UPDATE_COLUMNS[3] == "percent_complete"


class TestLargeIgnoredSheets:
    def test_a_large_ignored_sheet_is_checked_from_its_first_rows_without_the_reader(self, monkeypatch):
        import src.analysis.load as load

        bulk = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r * 3}</v></c></row>' for r in range(6, 60_000))
        header = '<row r="5"><c r="A5" t="inlineStr"><is><t>ref</t></is></c><c r="B5" t="inlineStr"><is><t>D.O.B.</t></is></c></row>'
        data = add_raw_sheet(small_plan(), "Archive", sheet_xml(header + bulk))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert max(i.file_size for i in archive.infolist()) > load.FULL_SCAN_PART_BYTES
        error = refusal(data, "archive.xlsx")
        assert (error.findings[0].sheet, error.findings[0].row, error.findings[0].column) == ("Archive", 5, "B (D.O.B.)")
        plan = load_plan(add_raw_sheet(small_plan(), "Archive", sheet_xml(bulk)), "archive.xlsx")  # numbers only: loads
        assert len(plan.tasks) == 2

    def test_head_rows_resolve_shared_strings(self):
        from src.analysis.sheet_scan import head_rows, sheet_parts

        cells = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>3</v></c></row>'
        data = add_raw_sheet(small_plan(), "Notes", sheet_xml(cells))
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename))
            dst.writestr(
                "xl/sharedStrings.xml", f'<sst xmlns="{MAIN_NS}"><si><t>ref</t></si><si><r><t>Child’s </t></r><r><t>name</t></r></si></sst>'
            )
        with zipfile.ZipFile(out) as archive:
            rows = head_rows(archive, sheet_parts(archive)["Notes"][0], 10)
        assert rows == [["ref", "Child’s name"], ["ref", ""]]


class TestDashboardLoading:
    def test_an_oversize_dashboard_plan_is_refused_from_its_size_with_a_message(self, tmp_path, monkeypatch):
        from tests.apptest_helpers import run_page

        big = tmp_path / "huge.xlsx"
        with big.open("wb") as out:
            out.truncate(60 * limits.MIB)
        monkeypatch.setenv("DASHBOARD_PLAN", str(big))
        monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
        at = run_page(str(ROOT / "pages" / "1_overview.py"), timeout=60)
        assert not at.exception
        assert any("60.0 MiB; the limit is 50 MiB" in e.value for e in at.error)

    def test_an_upload_is_read_in_the_worker_and_a_far_cell_upload_is_a_message(self):
        from tests.apptest_helpers import run_page

        at = run_page(str(ROOT / "pages" / "1_overview.py"), timeout=60)
        data = replace_sheet(
            small_plan(),
            "Tasks",
            lambda xml: xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
        )
        at.session_state["pending_upload_plan"] = ("far.xlsx", data)
        at.run()
        assert not at.exception
        assert any("far.xlsx cannot be used" in e.value and "XFD1048576" in e.value for e in at.error)


def test_the_upload_limit_is_the_file_limit():
    """Streamlit refuses larger uploads itself: its limit and the dashboard's must be the same number."""
    import tomllib
    from pathlib import Path

    from src.analysis.limits import MAX_FILE_MIB

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MIB
