"""Build data/improvement_plan.xlsx from the plan transcription in data/source/plan/.

The plan itself (recommendations, themes, tasks, risks, LSCB actions,
governance) is Durham County Council's, transcribed by hand into CSV. The
Updates sheet is ILLUSTRATIVE: it is generated here from the hand-written
SCENARIO table below, with no wall clock and no randomness, so the same
sources always give the same bytes. The generated updates are also written
to data/source/plan/updates.csv so they can be reviewed as plain text.

    python scripts/build_plan_workbook.py            # rebuild workbook + updates.csv
    python scripts/build_plan_workbook.py --check    # exit 1 if the committed files are stale
    python scripts/build_plan_workbook.py --out /tmp/x.xlsx --updates-out /tmp/u.csv
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from src.analysis.dates import parse_plan_date  # noqa: E402
from src.analysis.plan_workbook import Rag  # noqa: E402
from src.analysis.progress import DEFAULT_TOLERANCE_DAYS, rag_for  # noqa: E402
from src.xlsx import build_workbook, workbook_bytes, write_workbook  # noqa: E402

SOURCE_DIR = ROOT / "data" / "source" / "plan"
WORKBOOK_PATH = ROOT / "data" / "improvement_plan.xlsx"
UPDATES_PATH = SOURCE_DIR / "updates.csv"

TOLERANCE_DAYS = DEFAULT_TOLERANCE_DAYS  # used only to fill reported_rag where the lead agrees
FIRST_REPORT = (2016, 9)
LAST_REPORT = (2017, 12)
ASSUMED_START_OF_STARTED = dt.date(2016, 4, 1)  # for percent only: 'Started' means before the plan date

UPDATE_COLUMNS = [
    "task_id",
    "as_at",
    "status",
    "percent_complete",
    "forecast_finish",
    "actual_finish",
    "reported_rag",
    "commentary",
    "updated_by",
]


# ---------------------------------------------------------------- dates


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def reporting_dates() -> list[dt.date]:
    dates = []
    y, m = FIRST_REPORT
    while (y, m) <= LAST_REPORT:
        dates.append(month_end(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dates


def plan_date(text: str, side: str) -> dt.date | None:
    """The plan's wording as a date, read by the engine's own rule (first day as a start, last as a finish)."""
    parsed = parse_plan_date(text, side).date
    return None if parsed is None else parsed.date()


def _d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


# ---------------------------------------------------------------- scenario
# Keys of the month-keyed dicts are reporting months 'YYYY-MM' (the month-end update).
#   begin     month the task moved from Not started to In progress (default: planned start)
#   doing     short phrase for routine in-progress commentary
#   forecasts {month: new forecast finish} - only the months the lead re-forecast
#   done      actual finish date; reported Complete in the first update on or after it
#   hold      (first month, last month) On hold
#   cancel    month the QIB cancelled the task
#   skip      months with no update for this task
#   rag       {month: reported_rag} where the lead's RAG differs from the rules
#   waiting   routine commentary while Not started
#   notes     {month: commentary} overriding the routine text

PROGRAMME_MISSED_MONTHS = {3: {"2016-12"}}  # programme 3 board did not meet in December 2016

SCENARIO: dict[str, dict] = {
    "P1-M1-T1": dict(done="2016-06-30", notes={"2016-09": "Resource report agreed by CMT at the end of June; additional posts approved."}),
    "P1-M1-T2": dict(
        done="2016-09-23",
        doing="Interim agency social workers being placed in East teams",
        notes={"2016-09": "Interim social work staffing in post; agency contracts in place to March 2017."},
    ),
    "P1-M1-T3": dict(
        done="2016-10-21",
        doing="Comparison of recruitment and retention offers in neighbouring authorities",
        forecasts={"2016-09": "2016-10-31"},
        rag={"2016-09": "Amber"},
        notes={
            "2016-09": "Two regional visits still to complete; report now due October.",
            "2016-10": "Good practice analysis completed and shared with programme 1 board.",
        },
    ),
    "P1-M2-T1": dict(
        done="2017-05-19",
        doing="Rolling recruitment campaign running; vacancy and turnover reported monthly",
        forecasts={"2017-02": "2017-04-30", "2017-04": "2017-05-31"},
        rag={"2017-04": "Green"},
        notes={
            "2017-02": "Market supplement agreed late; final campaign round moves to April.",
            "2017-04": "Final appointments being made; lead reports on track despite the overrun.",
            "2017-05": "Revised recruitment and retention package in place; KPIs reported monthly to QIB.",
        },
    ),
    "P1-M3-T1": dict(
        done="2017-09-29",
        doing="ASYE academy and team manager development programme under way",
        notes={"2017-09": "Development programmes in place; evaluation report to programme 1 board."},
    ),
    "P1-M3-T2": dict(
        done="2017-03-24",
        doing="Reflective practice sessions running in North and South; East to follow",
        notes={"2017-03": "Sessions offered in all areas; attendance monitored by social work consultants."},
    ),
    "P1-M4-T1": dict(
        done="2016-11-18",
        doing="Health check survey open to all social workers",
        rag={"2016-11": "Green"},
        notes={"2016-11": "Health check closed with 62% response; findings to QIB in December."},
    ),
    "P1-M5-T1": dict(
        done="2017-12-15",
        doing="External consultant workflow review and staffing model",
        forecasts={"2017-08": "2017-12-31"},
        skip={"2017-02"},
        notes={
            "2017-08": "Consultation on new team structure extended; implementation now December.",
            "2017-11": "Staff consultation closed; appointments to new structure under way.",
            "2017-12": "New team structure implemented from 11 December.",
        },
    ),
    "P2-M1-T1": dict(
        done="2016-10-14",
        doing="Visits to two good-rated authorities on member oversight",
        notes={"2016-10": "Good practice review reported to programme 2 board."},
    ),
    "P2-M1-T2": dict(
        done="2016-10-28",
        doing="Audit of reports to Cabinet, CMT and scrutiny under way",
        notes={"2016-10": "New reporting schedule agreed: monthly to CMT, quarterly to Cabinet and scrutiny."},
    ),
    "P2-M2-T1": dict(
        done="2017-01-26",
        doing="Performance scorecard and narrative report being built",
        forecasts={"2016-11": "2017-01-31"},
        notes={
            "2016-11": "Data extract from SSID needs rework; first full report now January.",
            "2017-01": "New performance report presented to Cabinet; monthly thereafter.",
        },
    ),
    "P2-M3-T1": dict(
        begin="2016-09",
        done="2016-11-25",
        doing="SSID work-around screens designed with practitioners",
        notes={"2016-11": "Work-around signed off; training plan agreed."},
    ),
    "P2-M3-T2": dict(
        begin="2016-11",
        done="2017-04-12",
        doing="Work-around rolled out team by team with floorwalkers",
        forecasts={"2017-02": "2017-04-30"},
        notes={
            "2017-02": "Roll-out to two locality teams delayed by training capacity; April.",
            "2017-04": "Work-around live in all teams.",
        },
    ),
    "P2-M3-T3": dict(
        begin="2016-09",
        done="2017-03-22",
        doing="Options appraisal for replacing SSID",
        forecasts={"2017-01": "2017-03-31"},
        rag={"2017-01": "Amber", "2017-02": "Amber"},
        notes={
            "2016-12": "Business case drafted; ICT costings outstanding.",
            "2017-01": "Business case deferred to March Cabinet pending ICT costings.",
            "2017-02": "Costings agreed; business case on March Cabinet agenda.",
            "2017-03": "Business case approved by Cabinet on 22 March.",
        },
    ),
    "P2-M3-T4": dict(
        begin="2017-04",
        done="2017-11-17",
        doing="Procurement of the case file system",
        forecasts={"2017-05": "2017-09-30", "2017-09": "2017-11-30"},
        rag={"2017-08": "Amber"},
        notes={
            "2017-03": "Business case approved 22 March; procurement route being agreed before going to market.",
            "2017-05": "Framework route chosen; supplier demonstrations add two months.",
            "2017-08": "Evaluation of bids under way; timetable agreed with QIB.",
            "2017-09": "Clarification round with two suppliers; award now November.",
            "2017-11": "Contract awarded 17 November.",
        },
    ),
    "P2-M3-T5": dict(
        begin="2017-11",
        doing="Implementation of the new case file system",
        waiting="Not started; follows procurement (P2-M3-T4); finish date to be set at contract award.",
        forecasts={"2017-12": "2018-09-30"},
        notes={
            "2017-06": "Planned start missed: procurement now forecast September; finish date TBC.",
            "2017-11": "Project board set up; data migration scoping started.",
            "2017-12": "Implementation plan agreed with supplier; go-live forecast September 2018.",
        },
    ),
    "P2-M4-T1": dict(
        done="2017-11-30",
        doing="Management oversight audits of plans; supervision recording checked",
        skip={"2017-06"},
        notes={"2017-11": "Oversight standard embedded; monthly audit shows sign-off recorded on 90% of plans."},
    ),
    "P3-M1-T1": dict(
        done="2017-09-28",
        doing="Assessment standards reviewed; dip samples of assessments",
        forecasts={"2017-06": "2017-09-30"},
        rag={"2017-06": "Green"},
        notes={
            "2017-06": "External audit of assessments moved to September; lead reports Green.",
            "2017-09": "Revised assessment standards launched after external audit.",
        },
    ),
    "P3-M2-T1": dict(
        done="2017-01-27",
        doing="Care planning practice standards drafted with team managers",
        notes={"2017-01": "Practice standards for care planning agreed and briefed to all teams."},
    ),
    "P3-M3-T1": dict(
        done="2017-03-10",
        doing="Family friendly care plan template tested with families",
        forecasts={"2017-01": "2017-03-31"},
        notes={
            "2017-01": "Template changes needed in SSID; roll-out now March.",
            "2017-03": "Family friendly care plans in use in all teams.",
        },
    ),
    "P3-M4-T1": dict(
        done="2017-12-14",
        doing="IRO challenge log and strategy meeting attendance monitored",
        skip={"2017-08"},
        notes={"2017-12": "Annual IRO report on quality of planning presented to CYPS management team."},
    ),
    "P3-M5-T1": dict(
        begin="2017-01",
        done="2017-10-20",
        doing="Family outcomes framework being introduced",
        forecasts={"2017-03": "2017-09-30", "2017-08": "2017-10-31"},
        notes={
            "2016-11": "Start delayed while Think Family data requirements are agreed.",
            "2017-03": "Late start carried through; framework evaluation now September.",
            "2017-08": "Evaluation needs a second quarter of data; October.",
            "2017-10": "Framework in use and first evaluation reported.",
        },
    ),
    "P3-M6-T1": dict(
        done="2017-04-28",
        doing="Quality improvement framework being reviewed",
        notes={"2017-04": "Revised quality improvement framework approved by QIB."},
    ),
    "P3-M6-T2": dict(
        cancel="2017-01",
        doing="Review of quality improvement approaches in other authorities",
        notes={
            "2017-01": "Cancelled by QIB: overlaps P3-M6-T1, whose framework review already "
            "drew on good practice elsewhere; no separate report."
        },
    ),
    "P3-M6-T3": dict(
        done="2017-06-30",
        doing="Social work engagement programme being designed",
        hold=("2017-01", "2017-03"),
        forecasts={"2017-04": "2017-06-30"},
        rag={"2017-02": "Green"},
        notes={
            "2017-01": "On hold while the restructure consultation runs; resume April.",
            "2017-02": "Still on hold pending restructure consultation.",
            "2017-03": "Still on hold; restart agreed for April.",
            "2017-04": "Restarted; first practice forum booked for May; finish now June.",
            "2017-06": "Engagement programme running; quarterly practice forums agreed.",
        },
    ),
    "P3-M6-T4": dict(
        done="2017-05-12",
        doing="Impact of quality work being reviewed",
        forecasts={"2017-04": "2017-05-19"},
        notes={"2017-04": "Waiting for the April audit results; May.", "2017-05": "Impact review done; new milestones set for 2017/18."},
    ),
    "P3-M7-T2": dict(
        done="2017-01-31",
        doing="Peer audit and moderation panels running",
        notes={"2017-01": "Peer audit in place; annual evaluation scheduled for Cabinet."},
    ),
    "P3-M7-T3": dict(
        done="2017-12-20",
        doing="Thematic audit programme running",
        notes={"2017-12": "All ten thematic audits completed; findings in the annual audit report."},
    ),
    "P3-M7-T4": dict(
        begin="2016-09",
        done="2017-08-25",
        doing="External case file validation audits",
        forecasts={"2017-07": "2017-08-31"},
        notes={
            "2017-01": "Audit 1 completed in January.",
            "2017-07": "Audit 2 fieldwork done; external report due August.",
            "2017-08": "Audit 2 report received and presented to QIB.",
        },
    ),
    "P4-M1-T1": dict(
        done="2017-02-24",
        doing="Consent recording added to First Contact screens",
        notes={"2017-02": "Consent now recorded at First Contact; audit confirms compliance."},
    ),
    "P4-M1-T2": dict(
        done="2017-03-31",
        doing="Private fostering awareness campaign with schools and GPs",
        rag={"2016-11": "Amber"},
        notes={
            "2016-11": "Campaign under way but notifications still low; lead reports Amber.",
            "2017-03": "Campaign complete; notified cases visited within timescales.",
        },
    ),
    "P4-M1-T3": dict(
        done="2017-03-17",
        doing="Placement with parents procedure revised",
        notes={"2017-03": "Procedure revised; sign-off by strategic manager now required."},
    ),
    "P4-M1-T4": dict(
        done="2017-05-26",
        doing="Independent visitor offer reviewed",
        hold=("2016-11", "2016-12"),
        forecasts={"2017-01": "2017-05-31"},
        notes={
            "2016-11": "On hold pending re-tender of the independent visitor contract.",
            "2016-12": "Still on hold; contract award expected January.",
            "2017-01": "New provider appointed; eligibility criteria being revised; May.",
            "2017-05": "New eligibility criteria in place; IV offered at every LAC review.",
        },
    ),
    "P4-M1-T5": dict(
        done="2017-03-29",
        doing="Staying put promoted at pathway plan reviews",
        skip={"2017-01"},
        notes={"2017-03": "Staying put policy relaunched; all eligible care leavers told of the offer."},
    ),
}


# ---------------------------------------------------------------- rules (indicators.md, for reported_rag defaults)


def computed_rag(
    status: str, d: dt.date, f: dt.date | None, s: dt.date | None, started: bool, forecast: dt.date | None, actual: dt.date | None
) -> str | None:
    """The engine's own RAG rules (src/analysis/progress.RAG_RULES), used to fill reported_rag where the lead agrees."""
    rag = rag_for(status, d, s, f, started, forecast, actual, TOLERANCE_DAYS)
    return None if rag == Rag.CANCELLED else str(rag)


def _mkey(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _mon(d: dt.date) -> str:
    return d.strftime("%B %Y")


def _routine_commentary(
    spec: dict, status: str, rag: str | None, d: dt.date, s_text: str, latest_forecast: dt.date | None, f: dt.date | None
) -> str:
    if status == "Not started":
        waiting = spec.get("waiting")
        if waiting:
            return waiting
        return f"Not started; planned start {s_text}." if rag == "Green" else "Not yet started; start delayed."
    if status == "On hold":
        return "On hold."
    doing = spec.get("doing", "Work in progress")
    if rag == "Green":
        return f"{doing}; on track."
    if latest_forecast is not None and f is not None and latest_forecast > f:
        if d > f:
            return f"{doing}; overdue, forecast {_mon(latest_forecast)}."
        return f"{doing}; forecast {_mon(latest_forecast)}."
    if f is None:
        return f"{doing}; finish date to be set."
    return f"{doing}; behind plan."


def generate_updates(tasks: pd.DataFrame) -> pd.DataFrame:
    """The illustrative monthly updates, in task order then date order."""
    dates = reporting_dates()
    rows = []
    lead_above: dict[tuple[str, str], str] = {}
    for task in tasks.itertuples(index=False):
        task_id = task.task_id
        spec = SCENARIO[task_id]
        programme = int(task.theme_id)
        key = (programme, task.milestone_ref)
        lead = task.lead or lead_above.get(key, "Programme office")
        lead_above[key] = lead
        s, f = plan_date(task.start, "start"), plan_date(task.finish, "finish")
        started = task.start.strip().lower() == "started"
        begin = spec.get("begin")
        begin_date = _d(begin + "-01") if begin else (s or ASSUMED_START_OF_STARTED)
        done = _d(spec["done"]) if "done" in spec else None
        hold = spec.get("hold")
        skip = set(spec.get("skip", ())) | PROGRAMME_MISSED_MONTHS.get(programme, set())
        latest_forecast = None
        percent = 0
        has_progress = False
        for d in dates:
            m = _mkey(d)
            if m in skip:
                continue
            forecast = None
            if m in spec.get("forecasts", {}):
                forecast = _d(spec["forecasts"][m])
                latest_forecast = forecast
            if spec.get("cancel") == m:
                status = "Cancelled"
            elif done is not None and done <= d:
                status = "Complete"
            elif hold and hold[0] <= m <= hold[1]:
                status = "On hold"
            elif begin_date <= d:
                status = "In progress"
            else:
                status = "Not started"
            if status == "Complete":
                percent = 100
            elif status == "In progress":
                end = latest_forecast or f or (d + dt.timedelta(days=365))
                span = max((end - begin_date).days, 1)
                frac = (d - begin_date).days / span
                linear = min(95, max(5, int(round(frac * 20)) * 5))
                # no leaps after a hold or a late start; the first report shows the position reached
                percent = linear if not has_progress else max(percent, min(linear, percent + 15))
            elif status == "Not started":
                percent = 0
            rag = computed_rag(status, d, f, s, started, latest_forecast, done if status == "Complete" else None)
            reported_rag = spec.get("rag", {}).get(m, rag)
            commentary = spec.get("notes", {}).get(m)
            if commentary is None:
                if status == "Complete":
                    commentary = f"Completed {done.strftime('%d %B %Y').lstrip('0')}."
                else:
                    commentary = _routine_commentary(spec, status, rag, d, task.start, latest_forecast, f)
            by = "Programme office" if (status == "Complete" and done < dt.date(*FIRST_REPORT, 1)) else lead
            rows.append(
                {
                    "task_id": task_id,
                    "as_at": d,
                    "status": status,
                    "percent_complete": percent,
                    "forecast_finish": forecast,
                    "actual_finish": done if status == "Complete" else None,
                    "reported_rag": reported_rag,
                    "commentary": commentary,
                    "updated_by": by,
                }
            )
            has_progress = status != "Not started"
            if status in ("Complete", "Cancelled"):
                break
    frame = pd.DataFrame(rows, columns=UPDATE_COLUMNS)
    for col in ("as_at", "forecast_finish", "actual_finish"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["percent_complete"] = frame["percent_complete"].astype(object)
    return frame


# ---------------------------------------------------------------- sheets


def _read(name: str) -> pd.DataFrame:
    frame = pd.read_csv(SOURCE_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.astype(object)


def _blank_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: None if isinstance(v, str) and v == "" else v)


def _ints(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    for col in cols:
        frame[col] = [int(v) for v in frame[col]]
        frame[col] = frame[col].astype(object)
    return frame


def build_sheets() -> dict[str, pd.DataFrame]:
    tasks = _read("tasks.csv")
    if list(tasks.columns) != [
        "task_id",
        "theme_id",
        "milestone_ref",
        "milestone",
        "task_ref",
        "task",
        "lead",
        "start",
        "finish",
        "rec_ids",
    ]:
        raise SystemExit(f"tasks.csv columns changed: {list(tasks.columns)}")
    missing = [t for t in tasks.task_id if t not in SCENARIO]
    extra = [t for t in SCENARIO if t not in set(tasks.task_id)]
    if missing or extra:
        raise SystemExit(f"scenario out of step with tasks.csv: missing {missing}, unknown {extra}")
    updates = generate_updates(tasks)
    return {
        "About": _read("about.csv"),
        "Recommendations": _ints(_read("recommendations.csv"), "rec_id"),
        "Themes": _ints(_read("themes.csv"), "theme_id"),
        "Theme_Recommendations": _ints(_read("theme_recommendations.csv"), "theme_id", "rec_id"),
        "Tasks": _blank_to_none(_ints(tasks, "theme_id")),
        "Updates": updates,
        "Risks": _ints(_read("risks.csv"), "risk_id"),
        "LSCB_Actions": _ints(_read("lscb_actions.csv"), "action_id"),
        "Governance": _read("governance.csv"),
    }


def updates_csv_text(updates: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(UPDATE_COLUMNS)
    for rec in updates.itertuples(index=False):
        row = []
        for _col, v in zip(UPDATE_COLUMNS, rec):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                row.append("")
            elif isinstance(v, pd.Timestamp):
                row.append(v.date().isoformat())
            else:
                row.append(str(v))
        writer.writerow(row)
    return out.getvalue()


def build(out_path: Path | str = WORKBOOK_PATH, updates_path: Path | str | None = UPDATES_PATH) -> bytes:
    """Write the workbook (and the reviewable updates.csv) and return the workbook bytes."""
    sheets = build_sheets()
    data = write_workbook(sheets, out_path)
    if updates_path is not None:
        Path(updates_path).write_text(updates_csv_text(sheets["Updates"]), encoding="utf-8")
    return data


def check() -> int:
    sheets = build_sheets()
    data = workbook_bytes(build_workbook(sheets))  # what write_workbook would write, without writing
    problems = []
    if not WORKBOOK_PATH.exists() or WORKBOOK_PATH.read_bytes() != data:
        problems.append(f"{WORKBOOK_PATH.relative_to(ROOT)} differs from what the sources produce")
    if not UPDATES_PATH.exists() or UPDATES_PATH.read_text(encoding="utf-8") != updates_csv_text(sheets["Updates"]):
        problems.append(f"{UPDATES_PATH.relative_to(ROOT)} differs from what the scenario produces")
    for p in problems:
        print(f"stale: {p}; run python scripts/build_plan_workbook.py", file=sys.stderr)
    if not problems:
        print("up to date")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed workbook or updates.csv is stale")
    parser.add_argument("--out", default=str(WORKBOOK_PATH), help="workbook path to write")
    parser.add_argument(
        "--updates-out", default=None, help="where to write updates.csv (default: data/source/plan/updates.csv when --out is the default)"
    )
    args = parser.parse_args(argv)
    if args.check:
        return check()
    out = Path(args.out)
    updates_out = args.updates_out
    if updates_out is None and out.resolve() == WORKBOOK_PATH.resolve():
        updates_out = UPDATES_PATH
    build(out, updates_out)
    print(f"wrote {out}" + (f" and {updates_out}" if updates_out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
