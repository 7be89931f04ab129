"""Another council's plan workbook, written their way: sheet and header spellings the contract
accepts as aliases, title rows above the headers, extra columns, blank leads, real Excel dates
mixed with plan wording, and one date nobody can read (a data-quality finding).

Northshire's plan (reporting date D = 30 Jun 2017, tolerance 30):
  A1  theme 1  Head of Service       Apr 2017 -> 2017-06-30 (Excel date)  Complete 20 Jun          Blue
  A2  theme 1  (blank: Head of Service, inferred)  Started -> Q3 2017     In progress, forecast 31 Oct: slip 31, Red
  A3  theme 2  Principal Social Worker  2017-05-01 -> TBC                 In progress                Amber (no finish date)
  A4  theme 2  (blank lead, first in its milestone: no lead)  May 17 -> Soon   no update        Amber (unreadable finish)
  A5  theme 2  Quality Lead          Jan 17 -> March 17                    In progress, no forecast  Red (overdue)
"""

from __future__ import annotations

import pandas as pd

from src.xlsx import build_workbook, workbook_bytes

ORGANISATION = "Northshire County Council"
REPORTING_DATES = [pd.Timestamp("2017-05-31"), pd.Timestamp("2017-06-30")]


def other_council_plan_bytes() -> bytes:
    d = pd.Timestamp
    about = pd.DataFrame(
        {
            "Key": ["Organisation", "Plan title", "Data status"],
            "Value": [ORGANISATION, "Northshire improvement plan 2017", "reported by leads"],
        }
    )
    recs = pd.DataFrame(
        {
            "Rec No": [1, 2, 3],
            "Recommendation text": ["Improve management oversight of casework.", "Reduce caseloads.", "Strengthen the voice of the child."],
            "Inspection": ["Ofsted 2017"] * 3,
        }
    )
    themes = pd.DataFrame({"Programme": [1, 2], "Theme name": ["Leadership", "Practice"], "Board chair": ["DCS", "PSW"]})
    theme_recs = pd.DataFrame({"Theme": [1, 2], "Recommendation": ["1, 2", "3"]})
    tasks = pd.DataFrame(
        {
            "Task ID": ["A1", "A2", "A3", "A4", "A5"],
            "Programme": [1, 1, 2, 2, 2],
            "Milestone No": ["M1", "M1", "M1", "M2", "M3"],
            "Milestone description": ["Leaders see performance", None, "Practice standards", "Voice of the child", "Audit"],
            "Task No": ["T1", "T2", "T1", "T1", "T1"],
            "Task description": [
                "Monthly performance clinic",
                "Caseload review",
                "Practice standards relaunch",
                "Child's voice in plans",
                "Quarterly audit cycle",
            ],
            "Lead officer": ["Head of Service", None, "Principal Social Worker", None, "Quality Lead"],
            "Start date": ["Apr 2017", "Started", d("2017-05-01"), "May 17", "Jan 17"],
            "Due date": [d("2017-06-30"), "Q3 2017", "TBC", "Soon", "March 17"],
            "Recs": [1, "2", "3", "3", None],
            "Budget (£k)": [10, 0, 5, 2, 1],  # extra column: kept out, never an error
        }
    )
    progress = pd.DataFrame(
        {
            "Task ID": ["A1", "A2", "A3", "A5", "A1", "A2", "A3", "A5"],
            "Reporting date": REPORTING_DATES[:1] * 4 + REPORTING_DATES[1:] * 4,
            "Status": [
                "In progress",
                "In progress",
                "Not started",
                "In progress",
                "Completed",
                "in progress",
                "In Progress",
                "In progress",
            ],
            "% complete": [50, 20, 0, 60, 100, 40, 10, 80],
            "Revised date": [None, None, None, None, None, d("2017-10-31"), None, None],
            "Date completed": [None, None, None, None, d("2017-06-20"), None, None, None],
            "RAG status": ["G", "Green", "Amber", "Red", "Blue", "Amber", "Amber", "Red"],
            "Comments": ["", "", "", "", "Done", "Delayed by recruitment", "", ""],
        }
    )
    sheets = {
        "About": about,
        "Recs": recs,
        "Programmes": themes,
        "Recommendation themes": theme_recs,
        "Actions": tasks,
        "Progress": progress,
    }
    title = {
        "Actions": ["Northshire County Council", "Improvement plan: actions"],
        "Progress": ["Monthly progress returns"],
        "Recs": ["Ofsted recommendations"],
    }
    return workbook_bytes(build_workbook(sheets, title_rows=title))
