"""The monthly update cycle: returns built from a plan, filled in as a lead would, checked and merged.

The main scenario is the embedded Durham plan with its Updates cut back to 28 Feb 2017 ("February's plan"):
the returns for 31 Mar 2017 are filled with the embedded plan's own (illustrative) 31 Mar 2017 updates, so
the merged plan must show exactly what the full embedded plan shows at 31 Mar 2017 for those tasks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from src.analysis.changes import changes_since
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from src.analysis.progress import task_table
from src.analysis.returns import (
    BY_THEME,
    FIRST_ROW,
    LSCB_SHEET,
    META_SHEET,
    TASK_COLUMNS,
    TASK_SHEET,
    change_summary,
    chase_list,
    check_returns,
    merge_log,
    next_reporting_date,
    open_tasks,
    plan_fingerprint,
    plan_returns,
    preview,
    preview_words,
    return_file_name,
    returns_date,
    safe_file_part,
)
from src.analysis.workbook_paths import DEFAULT_PLAN
from src.export.returns import build_returns, merged_file_name, merged_plan_bytes, return_workbook_bytes
from src.output_files import write_atomically
from tests.fixtures_other_council import other_council_plan_bytes

ROOT = Path(__file__).resolve().parents[1]
MARCH, FEBRUARY = pd.Timestamp("2017-03-31"), pd.Timestamp("2017-02-28")
HCS = "Head of Children's Services"
HCS_FILE = "Improvement plan update - Head of Children's Services - 31 Mar 2017.xlsx"
LETTER = {c.key: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(TASK_COLUMNS)}


def plan_until(cut: pd.Timestamp) -> bytes:
    """The embedded plan workbook with every Updates row after `cut` removed (the other sheets as they are)."""
    wb = openpyxl.load_workbook(DEFAULT_PLAN)
    ws = wb["Updates"]
    header = [c.value for c in ws[1]]
    as_at = header.index("as_at") + 1
    for row in range(ws.max_row, 1, -1):
        value = ws.cell(row=row, column=as_at).value
        if isinstance(value, dt.datetime) and pd.Timestamp(value) > cut:
            ws.delete_rows(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def february() -> bytes:
    return plan_until(FEBRUARY)


@pytest.fixture(scope="module")
def february_plan(february):
    return load_plan(february, "improvement_plan.xlsx")


@pytest.fixture(scope="module")
def full_plan():
    return load_plan(DEFAULT_PLAN.read_bytes(), DEFAULT_PLAN.name)


def fill_return(
    data: bytes, answers: dict[str, dict], delete: tuple[str, ...] = (), extra: list[dict] = (), sheet: str = TASK_SHEET
) -> bytes:
    """A return filled in as a lead would in Excel: `answers` {task_id: {column key: value}} go into the
    yellow cells; rows of `delete` are removed; `extra` rows are added under the last row."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    keys = (
        [c.key for c in TASK_COLUMNS]
        if sheet == TASK_SHEET
        else ["action_id", "action", "lead", "timescale", "last_status", "last_commentary", "status", "commentary"]
    )
    rows = {ws.cell(row=r, column=1).value: r for r in range(FIRST_ROW, ws.max_row + 1)}
    for item, values in answers.items():
        for key, value in values.items():
            cell = ws.cell(row=rows[item], column=keys.index(key) + 1, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # as Excel stores text typed with a leading apostrophe
    for item in delete:
        ws.delete_rows(rows[item])
    for values in extra:
        row = ws.max_row + 1
        for key, value in values.items():
            ws.cell(row=row, column=keys.index(key) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def march_answers(full_plan, task_ids) -> dict[str, dict]:
    """The embedded plan's own 31 Mar 2017 updates for these tasks, as a lead would type them."""
    u = full_plan.updates[(full_plan.updates["as_at"] == MARCH) & full_plan.updates["task_id"].isin(task_ids)]
    answers = {}
    for r in u.itertuples():
        answers[r.task_id] = {
            "status": str(r.status),
            "percent_complete": None if pd.isna(r.percent_complete) else float(r.percent_complete),
            "forecast_finish": None if pd.isna(r.forecast_finish) else r.forecast_finish.to_pydatetime(),
            "actual_finish": None if pd.isna(r.actual_finish) else r.actual_finish.to_pydatetime(),
            "reported_rag": None if r.reported_rag is None else str(r.reported_rag),
            "commentary": r.commentary,
        }
    return answers


def returns_by_name(plan, as_at=MARCH, by="lead") -> dict[str, bytes]:
    return dict(build_returns(plan, as_at, by))


# ---- returns out ---------------------------------------------------------------------------------


def test_one_return_per_lead_with_only_their_open_tasks(february_plan):
    specs = {s.group: s for s in plan_returns(february_plan, MARCH)}
    hcs = specs[HCS]
    # HCS leads 8 tasks; P1-M1-T1/T2/T3 and P2-M2-T1 were complete by 28 Feb 2017, the other four are open.
    assert list(hcs.tasks["task_id"]) == ["P1-M5-T1", "P2-M4-T1", "P3-M1-T1", "P3-M4-T1"]
    assert hcs.file_name == HCS_FILE
    # Last month's position is the 28 Feb update (P3-M1-T1: In progress, 65%, Green) beside the plan's words.
    row = hcs.tasks.set_index("task_id").loc["P3-M1-T1"]
    assert (row["last_status"], row["last_percent"], row["last_rag"]) == ("In progress", 65.0, "Green")
    assert row["last_update"] == FEBRUARY and row["planned_finish"] == "July 17"
    assert row["last_commentary"].startswith("Assessment standards reviewed")
    # Every open task is in exactly one lead's return; the 9 LSCB actions (no status yet) go to their leads.
    issued = [t for s in specs.values() for t in s.tasks["task_id"]]
    assert sorted(issued) == sorted(open_tasks(february_plan, MARCH)["task_id"]) and len(issued) == len(set(issued))
    assert sum(len(s.lscb) for s in specs.values()) == 9
    assert list(specs["LSCB Business Unit"].lscb["action_id"]) == ["2", "5"]


def test_by_theme_one_return_per_theme_and_one_for_the_lscb_plan(february_plan):
    specs = plan_returns(february_plan, MARCH, BY_THEME)
    assert [s.group.split(".")[0] for s in specs] == ["Theme 1", "Theme 2", "Theme 3", "Theme 4", "LSCB action plan"]
    assert sum(len(s.tasks) for s in specs) == len(open_tasks(february_plan, MARCH))
    assert len(specs[-1].lscb) == 9 and specs[-1].tasks.empty


def test_file_names_are_safe_for_file_systems():
    assert safe_file_part("Head of Planning and Service Strategy / Head of ICT") == "Head of Planning and Service Strategy - Head of ICT"
    assert safe_file_part('a:b*c?"d<e>f|g\\h') == "a - b - c - d - e - f - g - h"
    assert safe_file_part("  ..dots.. ") == "dots"
    assert safe_file_part("") == "Unnamed"
    assert len(safe_file_part("x" * 300)) == 100
    assert return_file_name("(no lead given)", MARCH) == "Improvement plan update - no lead given - 31 Mar 2017.xlsx"


def test_return_workbook_protected_with_dropdowns_dates_and_hidden_details(february_plan):
    spec = next(s for s in plan_returns(february_plan, MARCH) if s.group == HCS)
    data = return_workbook_bytes(spec)
    assert data == return_workbook_bytes(spec), "the same return gives the same bytes"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Instructions" and wb.security.lockStructure
    ws = wb[TASK_SHEET]
    assert ws.protection.sheet and not ws.protection.password
    last = FIRST_ROW + len(spec.tasks) - 1
    assert ws[f"A{FIRST_ROW}"].value == "P1-M5-T1" and ws[f"A{last}"].value == "P3-M4-T1"
    assert ws[f"{LETTER['status']}{FIRST_ROW}"].protection.locked is False
    assert ws[f"{LETTER['commentary']}{last}"].protection.locked is False
    assert ws[f"{LETTER['task']}{FIRST_ROW}"].protection.locked is True
    assert ws[f"{LETTER['last_status']}{FIRST_ROW}"].protection.locked is True
    assert ws[f"{LETTER['status']}{FIRST_ROW}"].value is None, "this month's cells start empty"
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = validations[f"{LETTER['status']}{FIRST_ROW}:{LETTER['status']}{last}"]
    assert status.type == "list" and status.formula1 == '"Not started,In progress,Complete,On hold,Cancelled"'
    assert validations[f"{LETTER['reported_rag']}{FIRST_ROW}:{LETTER['reported_rag']}{last}"].formula1 == '"Red,Amber,Green,Blue"'
    assert validations[f"{LETTER['forecast_finish']}{FIRST_ROW}:{LETTER['forecast_finish']}{last}"].type == "date"
    assert validations[f"{LETTER['actual_finish']}{FIRST_ROW}:{LETTER['actual_finish']}{last}"].type == "date"
    pct = validations[f"{LETTER['percent_complete']}{FIRST_ROW}:{LETTER['percent_complete']}{last}"]
    assert (pct.type, pct.formula1, pct.formula2) == ("decimal", "0", "100")
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    details = {r[0].value: r[1].value for r in meta.iter_rows(min_row=2)}
    assert details["plan_fingerprint"] == plan_fingerprint(february_plan)
    assert (details["as_at"], details["group"], details["by"]) == ("2017-03-31", HCS, "lead")
    assert details["task_ids"] == "P1-M5-T1,P2-M4-T1,P3-M1-T1,P3-M4-T1"
    assert LSCB_SHEET not in wb.sheetnames  # HCS leads no LSCB action


def test_formula_like_plan_words_stay_text_in_a_return(february_plan):
    spec = next(s for s in plan_returns(february_plan, MARCH) if s.group == HCS)
    spec.tasks.loc[0, "last_commentary"] = '=HYPERLINK("http://x")'
    ws = openpyxl.load_workbook(io.BytesIO(return_workbook_bytes(spec)))[TASK_SHEET]
    cell = ws[f"{LETTER['last_commentary']}{FIRST_ROW}"]
    assert cell.data_type == "s" and cell.quotePrefix


def test_default_reporting_date_is_the_month_after_the_latest_update(full_plan, february_plan):
    assert next_reporting_date(full_plan) == pd.Timestamp("2018-01-31")
    assert next_reporting_date(february_plan) == MARCH


# ---- returns in ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def march_batch(february_plan, full_plan):
    """Three leads' returns for 31 Mar 2017: HCS filled correctly; Looked After filled with mistakes;
    Children's Reform Services with a deleted and an extra row; LSCB Business Unit filled."""
    returns = returns_by_name(february_plan, MARCH)
    hcs = next(n for n in returns if "Head of Children's Services - 31" in n)
    lap = next(n for n in returns if "Looked After" in n)
    crs = next(n for n in returns if "Children's Reform" in n)
    lscb = next(n for n in returns if "LSCB Business Unit" in n)
    hcs_ids = ["P1-M5-T1", "P2-M4-T1", "P3-M1-T1", "P3-M4-T1"]
    answers = march_answers(full_plan, hcs_ids)
    answers["P3-M4-T1"]["commentary"] = "=1+1 is what the lead typed"  # formula-like text stays text
    lap_ids = list(next(s for s in plan_returns(february_plan, MARCH) if s.group.endswith("Looked After and Permanence")).tasks["task_id"])
    lap_answers = march_answers(full_plan, lap_ids)
    first, second, third = lap_ids[0], lap_ids[1], lap_ids[2]
    lap_answers[first]["status"] = "Nearly done"  # wrong status word
    lap_answers[second]["forecast_finish"] = "end of May"  # text in a date cell
    lap_answers[third]["percent_complete"] = 150  # out of range
    crs_ids = list(
        next(s for s in plan_returns(february_plan, MARCH) if s.group == "Strategic Manager, Children's Reform Services").tasks["task_id"]
    )
    crs_answers = march_answers(full_plan, crs_ids[1:])
    filled = {
        hcs: fill_return(returns[hcs], answers),
        lap: fill_return(returns[lap], lap_answers),
        crs: fill_return(returns[crs], crs_answers, delete=(crs_ids[0],), extra=[{"task_id": "P1-M1-T1", "status": "Complete"}]),
        lscb: fill_return(returns[lscb], {"2": {"status": "Complete", "commentary": "Annual report published."}}, sheet=LSCB_SHEET),
    }
    return {"files": filled, "names": (hcs, lap, crs, lscb), "ids": (hcs_ids, lap_ids, crs_ids)}


def test_check_merges_valid_rows_and_refuses_the_rest_naming_file_sheet_and_cell(february_plan, march_batch):
    hcs, lap, crs, lscb = march_batch["names"]
    hcs_ids, lap_ids, crs_ids = march_batch["ids"]
    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    merged = check.updates.set_index("task_id")
    assert set(hcs_ids) <= set(merged.index)
    assert set(merged.loc[hcs_ids, "updated_by"]) == {HCS}
    assert (merged.loc["P3-M1-T1", "status"], merged.loc["P3-M1-T1", "percent_complete"], merged.loc["P3-M1-T1", "reported_rag"]) == (
        "In progress",
        75.0,
        "Green",
    )
    assert (merged["as_at"] == MARCH).all()
    refusals = {(r.file, r.sheet, r.cell): r.message for r in check.refusals}
    row = {t: FIRST_ROW + i for i, t in enumerate(lap_ids)}
    assert "'Nearly done' is not a status" in refusals[(lap, TASK_SHEET, f"{LETTER['status']}{row[lap_ids[0]]}")]
    assert "'end of May' in Forecast finish is not a date" in refusals[(lap, TASK_SHEET, f"{LETTER['forecast_finish']}{row[lap_ids[1]]}")]
    assert "150 is outside 0-100" in refusals[(lap, TASK_SHEET, f"{LETTER['percent_complete']}{row[lap_ids[2]]}")]
    assert not set(lap_ids[:3]) & set(merged.index), "a row with a bad value is not merged"
    assert set(lap_ids[3:]) <= set(merged.index), "the rest of that return is"
    deleted = [r for r in check.refusals if r.file == crs and "deleted" in r.message]
    assert [r.task_id for r in deleted] == [crs_ids[0]]
    extra_cell = f"A{FIRST_ROW + len(crs_ids) - 1}"  # one row deleted, the extra row added below the rest
    assert "extra row: task 'P1-M1-T1' was not in this return as issued" in refusals[(crs, TASK_SHEET, extra_cell)]
    assert list(check.lscb["action_id"]) == ["2"] and check.lscb["status"].iloc[0] == "Complete"
    outcomes = {f.file: f.outcome for f in check.files}
    assert outcomes == {hcs: "merged", lap: "partly merged", crs: "partly merged", lscb: "partly merged"}  # LSCB action 5 left blank
    log = merge_log(february_plan, check, "new.xlsx")
    assert f"{lap}, sheet Your tasks, cell {LETTER['status']}{row[lap_ids[0]]}: 'Nearly done' is not a status" in log


def test_preview_shows_what_will_change_by_lead(february_plan, march_batch):
    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    changes = preview(february_plan, check)
    hcs = changes[changes["lead"] == HCS].set_index("item")
    assert (hcs.loc["P3-M1-T1", "status_before"], hcs.loc["P3-M1-T1", "percent_before"], hcs.loc["P3-M1-T1", "percent"]) == (
        "In progress",
        65.0,
        75.0,
    )
    assert "LSCB 2" in set(changes["item"])
    assert change_summary(changes)["Items updated"] == len(check.updates) + len(check.lscb)


def test_preview_forecast_move_in_days():
    plan = load_plan(other_council_plan_bytes(), "northshire.xlsx")
    july = pd.Timestamp("2017-07-31")
    returns = dict(build_returns(plan, july))
    head = next(n for n in returns if "Head of Service" in n)
    # A2's last forecast is 31 Oct 2017; the lead now forecasts 30 Nov 2017: 30 days later.
    filled = fill_return(returns[head], {"A2": {"status": "In progress", "forecast_finish": dt.datetime(2017, 11, 30)}})
    changes = preview(plan, check_returns(plan, july, [(head, filled)]))
    words = preview_words(changes).set_index("Item").loc["A2"]
    assert (words["Status"], words["Forecast finish"], words["Forecast moved"]) == (
        "In progress → In progress",
        "31 Oct 2017 → 30 Nov 2017",
        "+30 days",
    )
    assert words["% complete"] == "" and words["RAG"] == "", "left blank: nothing shown as changing"
    changes = changes.set_index("item")
    assert changes.loc["A2", "forecast_moved_days"] == 30
    assert changes.loc["A2", "forecast_before"] == pd.Timestamp("2017-10-31")


def test_merged_plan_loads_and_matches_the_embedded_march_position(february, february_plan, full_plan, march_batch):
    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    merged_bytes = merged_plan_bytes(february, february_plan, check)
    merged = load_plan(merged_bytes, "merged.xlsx")
    assert MARCH in merged.reporting_dates
    new_rows = merged.updates[merged.updates["as_at"] == MARCH]
    assert len(new_rows) == len(check.updates)
    assert set(new_rows.loc[new_rows["task_id"].isin(march_batch["ids"][0]), "updated_by"]) == {HCS}
    # For the tasks merged, the merged plan at 31 Mar 2017 says what the full embedded plan says.
    ids = list(check.updates["task_id"])
    ours = task_table(merged, MARCH).set_index("task_id").loc[ids, ["status", "rag", "percent_complete", "expected_finish"]]
    theirs = task_table(full_plan, MARCH).set_index("task_id").loc[ids, ["status", "rag", "percent_complete", "expected_finish"]]
    pd.testing.assert_frame_equal(ours, theirs)
    # Formula-like commentary was written as text, not as a formula.
    ws = openpyxl.load_workbook(io.BytesIO(merged_bytes))["Updates"]
    typed = [c for c in ws["H"] if c.value == "=1+1 is what the lead typed"]
    assert typed and typed[0].data_type == "s"
    # Every other sheet is as it was.
    before, after = openpyxl.load_workbook(io.BytesIO(february)), openpyxl.load_workbook(io.BytesIO(merged_bytes))
    assert before.sheetnames == after.sheetnames
    for name in before.sheetnames:
        if name in ("Updates", "LSCB_Actions"):
            continue
        assert [[c.value for c in r] for r in before[name].iter_rows()] == [[c.value for c in r] for r in after[name].iter_rows()], name
    lscb = merged.lscb_actions.set_index("action_id")
    assert lscb.loc["2", "status"] == "Complete" and lscb.loc["2", "commentary"] == "Annual report published."
    # Not a finding in sight from the merge itself.
    assert not [f for f in merged.findings if f.sheet == "Updates"]


def test_changes_page_analysis_shows_this_month_against_last(february, february_plan, full_plan, march_batch):
    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    merged = load_plan(merged_plan_bytes(february, february_plan, check), "merged.xlsx")
    view = PlanView.build(merged)
    assert view.as_at == MARCH
    changes = changes_since(merged, FEBRUARY, MARCH)
    newly_complete = set(changes.tasks.loc[changes.tasks["newly_complete"], "task_id"])
    merged_complete = set(check.updates.loc[check.updates["status"] == "Complete", "task_id"])
    assert newly_complete == merged_complete and merged_complete, "the LAP return completes tasks in March"


def test_a_return_twice_late_or_for_the_wrong_month_is_reported_not_merged(february, february_plan, full_plan, march_batch):
    hcs = march_batch["names"][0]
    data = march_batch["files"][hcs]
    # Twice in one batch.
    check = check_returns(february_plan, MARCH, [(hcs, data), ("copy.xlsx", data)])
    assert [f.outcome for f in check.files] == ["merged", "duplicate"]
    assert len(check.updates) == 4 and "the same return as" in check.files[1].note
    # Twice across batches: into the plan that already has it.
    merged = load_plan(merged_plan_bytes(february, february_plan, check), "merged.xlsx")
    again = check_returns(merged, MARCH, [(hcs, data)])
    assert again.updates.empty and again.files[0].outcome == "already merged"
    assert all("not merged twice" in r.message for r in again.refusals)
    # Wrong month: a March return checked for April.
    wrong = check_returns(february_plan, pd.Timestamp("2017-04-30"), [(hcs, data)])
    assert wrong.files[0].outcome == "wrong month" and "is for 31 Mar 2017, not 30 Apr 2017" in wrong.refusals[0].message
    # Late: the full embedded plan already has progress up to 31 Dec 2017.
    late = check_returns(full_plan, MARCH, [(hcs, data)])
    assert late.files[0].outcome == "late" and "31 Dec 2017" in late.refusals[0].message
    assert returns_date(february_plan, [(hcs, data)]) == MARCH


def test_not_a_return_and_another_plans_return_are_refused(february_plan):
    other = load_plan(other_council_plan_bytes(), "northshire.xlsx")
    july = pd.Timestamp("2017-07-31")
    name, data = build_returns(other, july)[0]
    check = check_returns(february_plan, july, [(name, data), ("plan.xlsx", DEFAULT_PLAN.read_bytes()), ("junk.xlsx", b"not a workbook")])
    assert [f.outcome for f in check.files] == ["not for this plan", "not a return", "not a return"]
    assert "issued for 'Northshire improvement plan 2017'" in check.refusals[0].message
    assert check.nothing_to_merge


def test_headings_changed_is_refused_with_the_cell(february_plan):
    name, data = next((n, d) for n, d in build_returns(february_plan, MARCH) if HCS in n)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[TASK_SHEET]["A3"] = "Ref"
    out = io.BytesIO()
    wb.save(out)
    check = check_returns(february_plan, MARCH, [(name, out.getvalue())])
    assert check.refusals[0].cell == "A3" and "headings" in check.refusals[0].message


def test_who_has_not_returned(february_plan, march_batch):
    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    chase = chase_list(february_plan, MARCH, check)
    groups = dict(zip(chase["return for"], chase["state"]))
    assert HCS not in groups, "complete returns are not chased"
    assert groups["Strategic Manager, Think Family Services"] == "Not returned"
    lap_ids = march_batch["ids"][1]
    lap = chase[chase["return for"] == "Strategic Manager, Looked After and Permanence"]
    assert list(lap["item"]) == lap_ids[:3]
    assert set(lap["state"]) == {f"Incomplete ({len(lap_ids) - 3} of {len(lap_ids)} answered)"}
    assert list(chase.loc[chase["return for"] == "LSCB Business Unit", "item"]) == ["LSCB 5"]
    # Before anything comes back, every lead with an open item is chased.
    assert chase_list(february_plan, MARCH)["return for"].nunique() == len(plan_returns(february_plan, MARCH))


# ---- a second council's plan -------------------------------------------------------------------------


def test_other_council_returns_merge_into_their_own_layout():
    original = other_council_plan_bytes()
    plan = load_plan(original, "northshire.xlsx")
    july = pd.Timestamp("2017-07-31")
    assert next_reporting_date(plan) == july
    returns = dict(build_returns(plan, july))
    # A1 is complete (not asked again); A4 has no lead: its own return, named plainly.
    assert sorted(returns) == sorted(
        return_file_name(g, july) for g in ("Head of Service", "Principal Social Worker", "(no lead given)", "Quality Lead")
    )
    head = return_file_name("Head of Service", july)
    quality = return_file_name("Quality Lead", july)
    filled = {
        head: fill_return(
            returns[head], {"A2": {"status": "Complete", "actual_finish": dt.datetime(2017, 7, 20), "commentary": "Caseload review done"}}
        ),
        quality: fill_return(returns[quality], {"A5": {"status": "In progress", "percent_complete": "90%", "reported_rag": "Red"}}),
    }
    check = check_returns(plan, july, list(filled.items()))
    assert [f.outcome for f in check.files] == ["merged", "merged"] and not check.refusals
    nobody = return_file_name("(no lead given)", july)
    unled = check_returns(plan, july, [(nobody, fill_return(returns[nobody], {"A4": {"status": "Not started"}}))])
    assert unled.updates["updated_by"].isna().all(), "no lead: updated_by left blank, not '(no lead given)'"
    assert list(preview(plan, unled)["lead"]) == ["(no lead given)"]
    # A2 In progress -> Complete with commentary; A5 stays In progress, no commentary, no forecast either side.
    assert change_summary(preview(plan, check)) == {
        "Items updated": 2,
        "Statuses changed": 1,
        "Newly complete": 1,
        "Forecasts moved": 0,
        "New commentary": 1,
    }
    data = merged_plan_bytes(original, plan, check)
    merged = load_plan(data, "northshire-new.xlsx")
    rows = merged.updates[merged.updates["as_at"] == july].set_index("task_id")
    assert rows.loc["A2", "updated_by"] == "Head of Service" and rows.loc["A2", "actual_finish"] == pd.Timestamp("2017-07-20")
    assert rows.loc["A5", "percent_complete"] == 90.0 and rows.loc["A5", "reported_rag"] == "Red"
    ws = openpyxl.load_workbook(io.BytesIO(data))["Progress"]
    assert ws["A1"].value == "Monthly progress returns", "the title row is kept"
    assert [c.value for c in ws[2]][-1] == "updated_by", "a missing contract column is added at the right"
    table = task_table(merged, july).set_index("task_id")
    assert table.loc["A2", "status"] == "Complete" and table.loc["A5", "rag"] == "Red"


def test_a_plan_without_an_updates_sheet_gets_one():
    wb = openpyxl.load_workbook(io.BytesIO(other_council_plan_bytes()))
    del wb["Progress"]
    out = io.BytesIO()
    wb.save(out)
    original = out.getvalue()
    plan = load_plan(original, "fresh.xlsx")
    as_at = next_reporting_date(plan)
    name, data = next((n, d) for n, d in build_returns(plan, as_at) if "Quality Lead" in n)
    check = check_returns(plan, as_at, [(name, fill_return(data, {"A5": {"status": "In progress"}}))])
    merged = load_plan(merged_plan_bytes(original, plan, check), "fresh-new.xlsx")
    assert list(merged.updates["task_id"]) == ["A5"] and merged.updates["updated_by"].iloc[0] == "Quality Lead"


# ---- the command line --------------------------------------------------------------------------------


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "src.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_returns_then_merge_returns_leaves_the_input_unchanged(tmp_path, february, full_plan):
    plan_path = tmp_path / "plan.xlsx"
    plan_path.write_bytes(february)
    before = hashlib.sha256(plan_path.read_bytes()).hexdigest()
    out = _cli("returns", "--plan", str(plan_path), "--as-at", "2017-03-31", "--out", str(tmp_path / "returns"))
    assert out.returncode == 0, out.stderr
    written = sorted((tmp_path / "returns").glob("*.xlsx"))
    assert len(written) == 14 and (tmp_path / "returns" / HCS_FILE).is_file()
    hcs = tmp_path / "returns" / HCS_FILE
    hcs.write_bytes(fill_return(hcs.read_bytes(), march_answers(full_plan, ["P1-M5-T1", "P2-M4-T1", "P3-M1-T1", "P3-M4-T1"])))
    # --out equal to the input is refused.
    same = _cli("merge-returns", "--plan", str(plan_path), str(hcs), "--out", str(plan_path))
    assert same.returncode == 2 and "always written as a new file" in same.stderr
    new = tmp_path / merged_file_name("plan.xlsx", MARCH)
    merged = _cli("merge-returns", "--plan", str(plan_path), str(hcs), "--out", str(new), "--log", str(tmp_path / "log.txt"))
    assert merged.returncode == 0, merged.stderr
    assert "What will change:" in merged.stdout and "4 task updates" in merged.stdout
    assert hashlib.sha256(plan_path.read_bytes()).hexdigest() == before, "the input plan is unchanged"
    assert load_plan(new.read_bytes(), new.name).reporting_dates[-1] == MARCH
    assert "merged" in (tmp_path / "log.txt").read_text()
    # The same return again, into the merged plan: reported, nothing written.
    twice = _cli("merge-returns", "--plan", str(new), str(hcs), "--out", str(tmp_path / "again.xlsx"))
    assert twice.returncode == 2 and "not merged twice" in twice.stdout and not (tmp_path / "again.xlsx").exists()


def test_write_atomically_replaces_whole_files(tmp_path):
    target = tmp_path / "x.xlsx"
    write_atomically(target, b"one")
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two" and [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


def test_a_return_whose_details_were_edited_is_refused(february_plan):
    name, data = next((n, d) for n, d in build_returns(february_plan, MARCH) if HCS in n)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    details = wb[META_SHEET]
    row = next(r for r in details.iter_rows(min_row=2) if r[0].value == "as_at")
    row[1].value = "March"
    out = io.BytesIO()
    wb.save(out)
    check = check_returns(february_plan, MARCH, [(name, out.getvalue())])
    assert check.files[0].outcome == "not merged" and "reporting date cannot be read" in check.refusals[0].message


def test_an_lscb_status_without_commentary_is_not_new_commentary(february_plan):
    name, data = next((n, d) for n, d in build_returns(february_plan, MARCH) if "LSCB Business Unit" in n)
    answers = {"2": {"status": "Complete"}, "5": {"status": "In progress", "commentary": "Drafting."}}
    check = check_returns(february_plan, MARCH, [(name, fill_return(data, answers, sheet=LSCB_SHEET))])
    changes = preview(february_plan, check)
    assert list(changes["item"]) == ["LSCB 2", "LSCB 5"] and list(changes["commentary"]) == ["", "Drafting."]
    assert change_summary(changes)["New commentary"] == 1 and change_summary(changes)["Newly complete"] == 1


def test_a_theme_return_merges_with_each_tasks_own_lead(february_plan, full_plan):
    specs = plan_returns(february_plan, MARCH, BY_THEME)
    theme1 = specs[0]
    name, data = next((n, d) for n, d in build_returns(february_plan, MARCH, BY_THEME) if n == theme1.file_name)
    assert name.startswith("Improvement plan update - Theme 1. ")
    check = check_returns(february_plan, MARCH, [(name, fill_return(data, march_answers(full_plan, list(theme1.tasks["task_id"]))))])
    leads = dict(zip(february_plan.tasks["task_id"], february_plan.tasks["lead"]))
    assert len(check.updates) > 1 and all(leads[t] == by for t, by in zip(check.updates["task_id"], check.updates["updated_by"]))
    assert check.updates["updated_by"].nunique() > 1, "theme 1 has several leads"


def test_a_return_sheet_reaching_far_down_is_refused_unread(february_plan):
    name, data = next((n, d) for n, d in build_returns(february_plan, MARCH) if HCS in n)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[TASK_SHEET]["A100000"] = "x"
    out = io.BytesIO()
    wb.save(out)
    check = check_returns(february_plan, MARCH, [(name, out.getvalue())])
    assert check.files[0].outcome == "not a return" and "reaches row 100,000" in check.refusals[0].message


def test_a_merge_the_plan_would_not_show_is_refused(monkeypatch, february, february_plan, march_batch):
    """A plan read without the Updates sheet the merge writes (a tracker kept in a council's own layout) must not
    come back as a plan that silently lost the month."""
    import src.export.returns as writer

    check = check_returns(february_plan, MARCH, list(march_batch["files"].items()))
    monkeypatch.setattr(writer, "load_plan", lambda data, name: february_plan)  # as if the Updates rows were not read
    with pytest.raises(writer.MergeNotShown, match=r"would not show \d+ of the \d+ updates"):
        writer.merged_plan_bytes(february, february_plan, check)
