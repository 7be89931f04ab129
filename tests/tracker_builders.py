"""Trackers shaped as councils keep them (issue 13), built in code so each test shows its input.

Each builder returns workbook bytes; the comments say what a person reading the sheet would count.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from openpyxl.styles import PatternFill

FILLS = {"red": "FF0000", "amber": "FFC000", "yellow": "FFFF00", "green": "00B050", "blue": "0070C0", "grey": "D9D9D9"}


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def nos_tracker(version_line: str = "Version 4 - 31/03/2017", statuses: tuple = ("COMPLETED", None, "COMPLETED", None)) -> bytes:
    """Shape 1: title + version line; `NOS | What? | Who? | How? | When? | Success measures | Current Status | Outcome`.

    Section heading `1` (text in the first two columns only) -> `1` the recommendation -> `1.1` sub-objective
    -> two unnumbered actions; `1.2` -> one unnumbered action; heading `2` -> `2` -> `2.1` with one action.
    The `Who?` on 1.1 covers the actions below it. Tasks a reader counts: 4 (the unnumbered action rows).
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Improvement Plan"
    ws.append(["Children's Services Improvement Plan"])
    ws.append([version_line])
    ws.append([])
    ws.append(["NOS", "What?", "Who?", "How?", "When?", "Success measures", "Current Status", "Outcome – (report for Q1, Q2, Q3, Q4)"])
    ws.append([1, "Leadership and management"])
    ws.append([1, "Leaders have a clear line of sight on practice", None, "Through the QIB", None, "Audits show improvement"])
    ws.append([1.1, "Performance reports are used by managers", "Head of Performance", "Monthly reports", None, None])
    ws.append(
        [None, "Produce a monthly performance report", None, "Report to DMT", "June 2016", None, statuses[0], "Q1: first report issued"]
    )
    ws.append([None, "Train team managers in using the report", None, "Workshops", "Sept 16", None, statuses[1], None])
    ws.append([1.2, "Supervision is regular and reflective", "Principal Social Worker", None, None, None])
    ws.append([None, "Audit supervision records quarterly", "Principal Social Worker", "Audit tool", "Q4 2016", None, statuses[2], None])
    ws.append([2, "Front door"])
    ws.append([2, "Referrals are screened promptly", None, "MASH", None, "Timeliness"])
    ws.append([2.1, "Thresholds are understood by partners", "MASH Manager", None, None, None])
    ws.append([None, "Run threshold briefings for partners", None, "Briefings", "March 2017", None, statuses[3], None])
    return _save(book)


def activity_tracker() -> bytes:
    """Shape 2: `Action | Activity | Owner | Due Date (mm/yy) | Progress & Review`.

    One row per area for improvement; the activities are bullets in one cell (3 + 2 = 5 tasks); one owner and
    one due date per row; progress as prose. No status column: dates are what make it a plan.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Action Plan"
    ws.append(["Action", "Activity", "Owner", "Due Date (mm/yy)", "Progress & Review"])
    ws.append(
        [
            "Improve the quality of assessments",
            "• Revise the assessment template\n• Train all social workers\n• Audit 20 assessments a month",
            "Service Manager, Assessment",
            "03/17",
            "Template revised in January; training under way.",
        ]
    )
    ws.append(
        ["Strengthen management oversight", "- Weekly case review\n- Dip sampling by heads of service", "Head of Service", "06/17", None]
    )
    return _save(book)


def ditto_tracker() -> bytes:
    """Shape 3: `No | Para Ref | What? | How? | Who by? | When?`; sub-actions as lines in one cell, leads `ditto`.

    Row 1: three sub-actions as lines (3 tasks), lead given once; row 2: one action, lead `ditto`; row 3:
    `When?` mixes progress and a deadline. Tasks a reader counts: 5.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["No", "Para Ref", "What?", "How?", "Who by?", "When?"])
    ws.append(
        [
            1,
            "3",
            "Agree the threshold document\nPublish it to partners\nReview it after six months",
            "LSCB sub-group",
            "Head of Safeguarding",
            "Sept 2016",
        ]
    )
    ws.append([2, "3", "Brief all schools on the thresholds", "Head teacher briefings", "ditto", "December 2016"])
    ws.append([3, "7", "Recruit permanent team managers", "Recruitment campaign", "HR Business Partner", "Done (March 2017)"])
    ws.append([4, "7", "Reduce agency staff below 15%", "Conversion scheme", '"', "2017/18"])
    return _save(book)


def priority_sheets_tracker() -> bytes:
    """Shape 4: one sheet per priority, prose sections, dated groups (`By September 2015`) with bullet milestones.

    Priority 1: 2 milestones by Sept 2015 + 1 by March 2016 = 3; Priority 2: 2 by December 2015. Total 5.
    """
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Priority 1"
    for ws, title, groups in (
        (
            first,
            "Priority 1: A stable, skilled workforce",
            [
                ("By September 2015", ["• Recruitment strategy agreed", "• Caseload policy published"]),
                ("By March 2016", ["• Agency use below 10%"]),
            ],
        ),
        (
            book.create_sheet("Priority 2"),
            "Priority 2: Children are seen and heard",
            [("By December 2015", ["• Voice of the child in every plan", "• Advocacy offer relaunched"])],
        ),
    ):
        ws.append([title])
        ws.append([])
        ws.append(["Why are we doing this?"])
        ws.append(["Ofsted found that too many children had changes of social worker."])
        ws.append(["Expected outcomes"])
        ws.append(["Children have a consistent worker."])
        ws.append(["Milestones and outcomes"])
        for when, bullets in groups:
            ws.append([when])
            for bullet in bullets:
                ws.append([bullet])
    return _save(book)


def rag_fill_tracker(scale_in_about: bool = True) -> bytes:
    """RAG as the cell's fill with no word in it; a four-level scale with Yellow; words in other rows.

    Six tasks: fills red, amber, yellow, green, blue (no text), one word `amber E`, one unknown `Purple`.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tracker"
    ws.append(["Ref", "Action", "Lead officer", "Target date", "RAG"])
    rows = [
        ("A1", "Action red", "Lead 1", dt.datetime(2017, 1, 31), "red", None),
        ("A2", "Action amber", "Lead 1", dt.datetime(2017, 2, 28), "amber", None),
        ("A3", "Action yellow", "Lead 2", dt.datetime(2017, 3, 31), "yellow", None),
        ("A4", "Action green", "Lead 2", dt.datetime(2017, 4, 30), "green", None),
        ("A5", "Action blue", "Lead 3", dt.datetime(2016, 12, 31), "blue", None),
        ("A6", "Action with a word", "Lead 3", dt.datetime(2017, 5, 31), None, "amber E"),
        ("A7", "Action unknown", "Lead 3", dt.datetime(2017, 6, 30), None, "Purple"),
    ]
    for ref, action, lead, due, fill, word in rows:
        ws.append([ref, action, lead, due, word])
        if fill:
            ws.cell(ws.max_row, 5).fill = PatternFill("solid", fgColor=FILLS[fill])
    about = book.create_sheet("About")
    about.append(["key", "value"])
    about.append(["status_as_at", "2017-03-31"])
    if scale_in_about:
        about.append(["rag_scale", "Red, Amber, Yellow, Green"])
    return _save(book)


def status_tracker(as_at_line: str, statuses: dict[str, str]) -> bytes:
    """A small monthly tracker version: `Ref | Action | Owner | Deadline | Status`, the date in a version line."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tracker"
    ws.append(["Improvement tracker"])
    ws.append([as_at_line])
    ws.append(["Ref", "Action", "Owner", "Deadline", "Status"])
    for ref, (action, due) in {
        "1": ("Write the policy", "Jan 17"),
        "2": ("Train the managers", "Mar 17"),
        "3": ("Audit the files", "Jun 17"),
    }.items():
        ws.append([ref, action, "Lead A", due, statuses.get(ref)])
    return _save(book)


def own_names_tracker() -> bytes:
    """Headers no synonym knows: the mapping step is needed (`Thing to do`, `Person`, `Date wanted`, `Where we are`)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Our plan"
    ws.append(["Item code", "Thing to do", "Person", "Date wanted", "Where we are"])
    ws.append(["X1", "Open the new front door", "Ms Front", "April 2017", "Complete"])
    ws.append(["X2", "Hire ten social workers", "Mr Hire", "June 2017", "On track"])
    ws.append(["X3", "Close the backlog", "Ms Front", "Feb 2017", "Off track"])
    about = book.create_sheet("About")
    about.append(["key", "value"])
    about.append(["organisation", "Example Borough Council"])
    about.append(["status_as_at", "2017-03-31"])
    return _save(book)


OWN_NAMES_MAPPING = {
    "Item code": "ref",
    "Thing to do": "task",
    "Person": "lead",
    "Date wanted": "finish",
    "Where we are": "status",
}


def theme_column_tracker() -> bytes:
    """A Priority column (written once, blank below), numbering `R3`, `1a`, and a Mapping sheet saying `Doing` is the task."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Plan"
    ws.append(["Priority", "Ref", "Doing", "Lead officer", "Timescale", "RAG"])
    ws.append(["Workforce", "R3", "Recruit managers", "HR Lead", "March 2017", "Green"])
    ws.append([None, "1a", "Cut agency use", None, "June 2017", "Amber"])
    ws.append(["Practice", "R4", "Audit plans", "QA Lead", "Q1 2017", "Red"])
    mapping = book.create_sheet("Mapping")
    mapping.append(["column", "meaning"])
    for header, meaning in (
        ("Priority", "theme"),
        ("Ref", "ref"),
        ("Doing", "task"),
        ("Lead officer", "lead"),
        ("Timescale", "finish"),
        ("RAG", "rag"),
    ):
        mapping.append([header, meaning])
    about = book.create_sheet("About")
    about.append(["key", "value"])
    about.append(["status_as_at", "31/03/2017"])
    return _save(book)
