"""Blank workbook templates a council can fill in: the contract's sheets and headers, one example
row each, and a Notes sheet explaining every column. No streamlit; the sidebar offers the bytes."""

from __future__ import annotations

import pandas as pd

from .analysis.schema import PERFORMANCE_SHEETS, PLAN_SHEETS, Kind, SheetSpec
from .xlsx import build_workbook, workbook_bytes

D = pd.Timestamp

# One example row per sheet, in the contract's column order (None leaves the cell blank).
PLAN_EXAMPLES: dict[str, list[dict]] = {
    "About": [
        {"key": "organisation", "value": "Example County Council"},
        {"key": "plan_title", "value": "Children's services improvement plan"},
        {"key": "plan_date", "value": "2016-09-08"},
        {"key": "source", "value": "Where the plan was published"},
        {"key": "data_status", "value": "reported (write 'illustrative' for made-up progress)"},
    ],
    "Recommendations": [{"rec_id": "1", "recommendation": "Ensure caseloads are manageable.", "source": "Ofsted SIF 2016"}],
    "Themes": [{"theme_id": "1", "theme": "Strengthening management and staffing capacity", "chair": "Director of Children's Services"}],
    "Theme_Recommendations": [{"theme_id": "1", "rec_id": "1"}],
    "Tasks": [
        {
            "task_id": "P1-M1-T1",
            "theme_id": "1",
            "milestone_ref": "M1",
            "milestone": "Resources identified",
            "task_ref": "T1",
            "task": "Assess the additional social work capacity needed",
            "lead": "Head of Children's Services",
            "start": "May 16",
            "finish": "2nd quarter 2017",
            "rec_ids": "1",
        }
    ],
    "Updates": [
        {
            "task_id": "P1-M1-T1",
            "as_at": D("2016-09-30"),
            "status": "In progress",
            "percent_complete": 50,
            "forecast_finish": D("2017-06-30"),
            "actual_finish": None,
            "reported_rag": "Green",
            "commentary": "Business case drafted",
            "updated_by": "Programme office",
        }
    ],
    "Risks": [
        {
            "risk_id": "R1",
            "risk": "Recruitment of experienced social workers is slower than planned",
            "rating": "High",
            "response": "Treat",
            "mitigation": "Targeted recruitment campaign",
            "likelihood": 4,
            "impact": 4,
            "owner": "Head of HR",
        }
    ],
    "LSCB_Actions": [
        {
            "action_id": "L1",
            "action": "Review the threshold document",
            "lead": "LSCB Business Manager",
            "timescale": "Dec 16",
            "status": "In progress",
            "commentary": "Draft out to partners",
        }
    ],
    "Governance": [{"name": "A Person", "post": "Director of Children's Services", "board": "Quality Improvement Board", "role": "Chair"}],
    "Issues": [
        {
            "issue_id": "I1",
            "issue": "No office base yet for the new assessment team",
            "raised": D("2016-10-15"),
            "owner": "Head of Children's Services",
            "task_ids": "P1-M1-T1",
            "theme_id": None,
            "impact": "The team cannot start on time",
            "action": "Estates to offer two sites by November",
            "status": "Open",
            "closed": None,
        }
    ],
    "Decisions": [
        {
            "decision_id": "D1",
            "meeting": D("2016-11-30"),
            "decision": "Agree funding for six agency social workers until the new posts are filled",
            "board": "Quality Improvement Board",
            "owner": "Director of Children's Services",
            "task_ids": "P1-M1-T1",
            "due": D("2016-12-31"),
            "status": "Taken",
            "outcome": "Agreed for six months",
        }
    ],
}
PERFORMANCE_EXAMPLES: dict[str, list[dict]] = {
    "About": [{"key": "organisation", "value": "Example County Council"}, {"key": "data_status", "value": "reported"}],
    "KPIs": [
        {
            "kpi_id": "REREF",
            "kpi": "Re-referrals within 12 months",
            "unit": "percent",
            "polarity": "lower_is_better",
            "target": 20,
            "tolerance": 2,
            "rec_ids": "1",
            "definition": "Referrals within 12 months of a previous referral",
            "source": "DfE children in need census",
        }
    ],
    "KPI_Values": [
        {
            "kpi_id": "REREF",
            "period": D("2017-03-31"),
            "value": 22.5,
            "stat_neighbours": 21.0,
            "england": 21.9,
            "north_east": None,
            "source": None,
        }
    ],
    "Caseloads": [
        {
            "period": D("2017-03-31"),
            "team": "Assessment Team North",
            "locality": "North",
            "worker_id": "W001",
            "role": "Social Worker",
            "fte": 1.0,
            "cases": 18,
            "agency": "N",
        }
    ],
    "Workforce": [
        {
            "period": D("2017-03-31"),
            "team": "Assessment Team North",
            "establishment_fte": 12,
            "filled_fte": 10.5,
            "agency_fte": 1.5,
            "starters": 1,
            "leavers": 0,
        }
    ],
}

# What each column means, for the Notes sheet (contract wording, shortened).
COLUMN_NOTES: dict[str, str] = {
    "key": "A setting name: organisation, plan_title, plan_date, source or data_status.",
    "value": "The setting's value. data_status containing 'illustrative' makes every page say the figures are illustrative.",
    "rec_id": "Unique id of the recommendation (e.g. its number in the inspection report).",
    "recommendation": "The recommendation's full text.",
    "source": "Where it comes from, e.g. Ofsted SIF 2016.",
    "theme_id": "Id of a theme (programme) from the Themes sheet.",
    "theme": "The theme's name.",
    "chair": "Who chairs the programme board.",
    "task_id": "Unique, stable key of the task, e.g. P3-M7-T2 (programme, milestone, task).",
    "milestone_ref": "M1, M2, ... within the theme.",
    "milestone": "Milestone wording; blank means the same as the row above in that milestone.",
    "task_ref": "T1, T2, ... within the milestone.",
    "task": "What will be done.",
    "lead": "Lead officer; blank means the same as the row above in that milestone.",
    "start": "Planned start: a date, a month (May 16), a quarter (Q2 2017), Started, or TBC.",
    "finish": "Planned finish: a date, a month (March 17 = 31 Mar 2017), a quarter (2nd quarter 2017), or TBC.",
    "rec_ids": "The recommendations this addresses, comma separated (3, 9).",
    "as_at": "The reporting date of the update.",
    "status": "Not started, In progress, Complete, On hold or Cancelled.",
    "percent_complete": "0 to 100.",
    "forecast_finish": "The lead's current forecast finish date.",
    "actual_finish": "The date the task was completed.",
    "reported_rag": "Red, Amber, Green or Blue as the lead reported it (the dashboard also computes its own).",
    "commentary": "Free text.",
    "updated_by": "Who gave the update.",
    "risk_id": "Unique id of the risk.",
    "risk": "The risk.",
    "rating": "Low, Medium or High.",
    "response": "Tolerate, Treat, Transfer or Terminate.",
    "mitigation": "What is being done about it.",
    "likelihood": "1 to 5.",
    "impact": "1 to 5.",
    "owner": "Who owns the risk.",
    "action_id": "Unique id of the LSCB action.",
    "action": "The action.",
    "timescale": "When it is due (a plan date, as for finish).",
    "name": "Member's name.",
    "post": "Their post.",
    "board": "The board, e.g. Quality Improvement Board or Programme 1.",
    "role": "Chair, Member or Deputy.",
    "kpi_id": "Unique short code of the indicator.",
    "kpi": "The indicator's name as shown to people.",
    "unit": "percent, count, rate_per_10k, days, ratio or number.",
    "polarity": "higher_is_better or lower_is_better.",
    "target": "Target value (optional).",
    "tolerance": "How far from target is still Amber rather than Red.",
    "definition": "How the indicator is calculated.",
    "period": "The date of the figure (monthly figures: any day of the month).",
    "stat_neighbours": "Statistical neighbours' value for the same period.",
    "england": "England's value for the same period.",
    "north_east": "Regional value for the same period.",
    "team": "Team name.",
    "locality": "e.g. North, East.",
    "worker_id": "A pseudonymous code, never a name.",
    "fte": "Full-time equivalent, above 0 and at most 1.",
    "cases": "Open cases allocated at the month end.",
    "agency": "Y or N.",
    "establishment_fte": "Funded posts (FTE).",
    "filled_fte": "Posts filled (FTE).",
    "agency_fte": "Posts filled by agency workers (FTE).",
    "starters": "Headcount who started in the month.",
    "leavers": "Headcount who left in the month.",
}


# Where a column name means something else on one sheet (the Issues log's impact is words, not 1 to 5).
SHEET_COLUMN_NOTES: dict[tuple[str, str], str] = {
    ("Issues", "issue_id"): "Unique id of the issue, e.g. I1.",
    ("Issues", "issue"): "What is holding delivery up.",
    ("Issues", "raised"): "The date the issue was raised.",
    ("Issues", "owner"): "Who is resolving the issue.",
    ("Issues", "task_ids"): "The tasks it holds up, comma separated task_ids from the Tasks sheet (or give a theme_id).",
    ("Issues", "theme_id"): "The theme it holds up, when it affects a whole theme (a theme_id from the Themes sheet).",
    ("Issues", "impact"): "What it does to delivery, in words.",
    ("Issues", "action"): "What is being done about it.",
    ("Issues", "status"): "Open or Closed.",
    ("Issues", "closed"): "The date it was closed (needed to count it among the issues closed since the last meeting).",
    ("Decisions", "decision_id"): "Unique id of the decision, e.g. D1.",
    ("Decisions", "meeting"): "The date of the meeting that is to make, or made, the decision.",
    ("Decisions", "decision"): "The decision needed, or the decision taken.",
    ("Decisions", "board"): "The board deciding, e.g. Quality Improvement Board.",
    ("Decisions", "owner"): "Who brings the decision to the board, or carries it out once taken.",
    ("Decisions", "task_ids"): "The tasks it concerns, comma separated task_ids from the Tasks sheet.",
    ("Decisions", "due"): "When a decision taken must be carried out by.",
    ("Decisions", "status"): "Needed (still to be made), Taken (made, not yet carried out) or Done.",
    ("Decisions", "outcome"): "What was decided, or what happened.",
}

PLAN_DATES_NOTE = (
    "Dates: every form the dashboard reads (By September 2015, 2015/16, Q1 2017/18, Autumn term 2017, "
    "Sept 2016 - March 2017, Ongoing, ...) is listed with its meaning in the project's docs/plan-dates.md."
)


def notes_frame(specs: tuple[SheetSpec, ...]) -> pd.DataFrame:
    """One row per column of every sheet: sheet, column, required, other accepted headers, meaning."""
    rows = []
    for spec in specs:
        sheet_need = "required sheet" if spec.required else "optional sheet"
        for column in spec.columns:
            rows.append(
                {
                    "sheet": spec.name,
                    "column": column.name,
                    "required": ("yes" if column.required else "no") + f" ({sheet_need})",
                    "also accepted as": ", ".join(column.aliases),
                    "meaning": SHEET_COLUMN_NOTES.get((spec.name, column.name), COLUMN_NOTES.get(column.name, "")),
                }
            )
    if any(c.kind == Kind.PLAN_DATE for spec in specs for c in spec.columns):
        rows.append({"sheet": "(all)", "column": "(dates)", "required": "", "also accepted as": "", "meaning": PLAN_DATES_NOTE})
    return pd.DataFrame(rows)


def template_sheets(specs: tuple[SheetSpec, ...], examples: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    sheets: dict[str, pd.DataFrame] = {}
    for spec in specs:
        columns = [c.name for c in spec.columns]
        sheets[spec.name] = pd.DataFrame(examples.get(spec.name, []), columns=columns)
    sheets["Notes"] = notes_frame(specs)
    return sheets


# Dropdowns (data validation) on the plan template: sheet -> column -> allowed words.
PLAN_DROPDOWNS: dict[str, dict[str, tuple[str, ...]]] = {
    "Updates": {
        "status": ("Not started", "In progress", "Complete", "On hold", "Cancelled"),
        "reported_rag": ("Red", "Amber", "Green", "Blue"),
    },
    "LSCB_Actions": {"status": ("Not started", "In progress", "Complete", "On hold", "Cancelled")},
    "Risks": {"rating": ("Low", "Medium", "High"), "response": ("Tolerate", "Treat", "Transfer", "Terminate")},
}
DROPDOWN_ROWS = 2000
EXAMPLES_SHEET = "Examples"
ACCEPTED_SHEET = "Accepted headings and dates"
# The date forms the reader accepts (workbook-format.md "Plan dates"), for the template's notes.
DATE_FORMS = (
    ("A real date", "31/03/2017, 2017-03-31, or an Excel date"),
    ("A month", "May 16, Sept 17, March 2017 (a start is the 1st, a finish the last day)"),
    ("A quarter", "Q2 2017, 2nd quarter 2017 (calendar; About quarters: financial changes a bare Q1)"),
    ("Already under way", "Started (starts only)"),
    ("Not set", "TBC or blank: listed as not set, never given an invented date"),
    ("A deadline", "By September 2015 (read as the date after the words)"),
)


def accepted_frame() -> pd.DataFrame:
    """The headings a council's own tracker may use for each meaning, and the date forms read (docs/trackers.md)."""
    from .analysis.schema import TRACKER_SYNONYMS

    rows = [{"what": f"Tracker column: {meaning}", "accepted": ", ".join(words)} for meaning, words in TRACKER_SYNONYMS.items()]
    rows += [{"what": f"Date: {name}", "accepted": forms} for name, forms in DATE_FORMS]
    return pd.DataFrame(rows)


def examples_frame(examples: dict[str, list[dict]], specs: tuple[SheetSpec, ...]) -> pd.DataFrame:
    """Every sheet's example row on one sheet (sheet, column, example): never mixed into the sheets that are read."""
    rows = []
    for spec in specs:
        for record in examples.get(spec.name, []):
            for column in spec.columns:
                value = record.get(column.name)
                if value is not None:
                    rows.append({"sheet": spec.name, "column": column.name, "example": value})
    return pd.DataFrame(rows, columns=["sheet", "column", "example"]).astype({"example": "object"})


def _add_dropdowns(book, dropdowns: dict[str, dict[str, tuple[str, ...]]]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for sheet, columns in dropdowns.items():
        if sheet not in book.sheetnames:
            continue
        ws = book[sheet]
        headers = [c.value for c in ws[1]]
        for column, words in columns.items():
            if column not in headers:
                continue
            letter = get_column_letter(headers.index(column) + 1)
            rule = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True, showErrorMessage=True)
            rule.error = "Choose one of: " + ", ".join(words)
            rule.errorTitle = f"{column}"
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{DROPDOWN_ROWS}")


def plan_template_bytes() -> bytes:
    """The plan workbook template (.xlsx bytes): empty sheets with dropdowns; the examples on their own sheet."""
    sheets = template_sheets(PLAN_SHEETS, {"About": [{"key": r["key"], "value": None} for r in PLAN_EXAMPLES["About"]]})
    sheets[EXAMPLES_SHEET] = examples_frame(PLAN_EXAMPLES, PLAN_SHEETS)
    sheets[ACCEPTED_SHEET] = accepted_frame()
    book = build_workbook(sheets)
    _add_dropdowns(book, PLAN_DROPDOWNS)
    return workbook_bytes(book)


def performance_template_bytes() -> bytes:
    """The performance workbook template (.xlsx bytes)."""
    return workbook_bytes(build_workbook(template_sheets(PERFORMANCE_SHEETS, PERFORMANCE_EXAMPLES)))
