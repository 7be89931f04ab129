"""The monthly update cycle: which returns go out, and reading, checking and previewing those that come back.

Plain pandas (reading through python-calamine, as the loader does). Writing the return workbooks and the
merged plan is src/export/returns.py; both sides share the layout defined here, so a column is named once.

Terms. D is the reporting date of the returns ("this month"). A task is *open* at D when its position
before D (the latest update dated before D, the plan's defaults where there is none) is neither Complete
nor Cancelled: those are the rows a lead is asked about. An LSCB action is open when its status is
neither Complete nor Cancelled (LSCB actions carry one current status, not a dated history). "Last month"
is that position before D. A *group* is who one return is for: a lead (the default) or a theme.

Checks on a returned workbook, in order (docs/update-returns.md): it is a return at all (the hidden
metadata sheet); for this plan (the fingerprint of the plan's tasks, else the same plan title); for this
reporting date (else "wrong month"); not late (the plan already has progress after D); not a second copy
(the same group twice in one batch, or rows already in the plan's Updates at D); then row by row: the task
still exists, was issued in this return (an extra row is refused), no issued row was deleted, and every
value is valid (status and RAG from their lists, percent 0-100, dates real dates). A refused row is not
merged and names the file, sheet and cell; the rest of the file still merges.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from .dates import format_date
from .findings import WorkbookError
from .load import _find_header, open_workbook
from .plan_workbook import PlanData, TaskStatus, read_rag, read_status
from .progress import NO_LEAD, task_table
from .schema import PLAN_SHEETS
from .values import is_blank, is_empty
from .wording import MISSING, plural

RETURN_FORMAT = "improvement plan update return"
RETURN_VERSION = "1"
INSTRUCTIONS_SHEET = "Instructions"
TASK_SHEET = "Your tasks"
LSCB_SHEET = "LSCB actions"
META_SHEET = "Return details"  # very hidden: Excel's menus cannot show it; the dashboard reads it
HEADER_ROW = 3  # Excel row of the column headers on the task and LSCB sheets; rows 1-2 are a title
FIRST_ROW = HEADER_ROW + 1
MAX_RETURN_ROWS = 5000  # a return has a lead's tasks; a sheet taller than this is not a return
BY_LEAD, BY_THEME = "lead", "theme"
LSCB_GROUP = "LSCB action plan"
STATUS_CHOICES = [str(s) for s in TaskStatus]
RAG_CHOICES = ["Red", "Amber", "Green", "Blue"]


@dataclass(frozen=True)
class Column:
    key: str  # the field it holds (contract name where there is one)
    header: str  # as the lead sees it
    fill: bool = False  # a cell for the lead to fill (unlocked); else the plan's words or last month's, locked
    kind: str = "text"  # text | date | percent | status | rag
    width: int = 14


TASK_COLUMNS = [
    Column("task_id", "Task ID", width=11),
    Column("theme", "Theme", width=22),
    Column("milestone", "Milestone", width=30),
    Column("task", "Task", width=50),
    Column("lead", "Lead", width=22),
    Column("planned_start", "Planned start", width=12),
    Column("planned_finish", "Planned finish", width=12),
    Column("last_update", "Last update", kind="date", width=12),
    Column("last_status", "Last status", width=12),
    Column("last_percent", "Last % complete", kind="percent", width=10),
    Column("last_forecast", "Last forecast finish", kind="date", width=12),
    Column("last_rag", "Last RAG", width=9),
    Column("last_commentary", "Last commentary", width=40),
    Column("status", "Status now (choose)", fill=True, kind="status", width=14),
    Column("percent_complete", "% complete now (0-100)", fill=True, kind="percent", width=12),
    Column("forecast_finish", "Forecast finish now (date)", fill=True, kind="date", width=14),
    Column("actual_finish", "Actual finish, if complete (date)", fill=True, kind="date", width=14),
    Column("reported_rag", "RAG now (choose)", fill=True, kind="rag", width=11),
    Column("commentary", "Commentary this month", fill=True, width=50),
]
LSCB_COLUMNS = [
    Column("action_id", "Action ID", width=10),
    Column("action", "Action", width=60),
    Column("lead", "Lead", width=24),
    Column("timescale", "Timescale", width=14),
    Column("last_status", "Last status", width=14),
    Column("last_commentary", "Last commentary", width=40),
    Column("status", "Status now (choose)", fill=True, kind="status", width=14),
    Column("commentary", "Commentary this month", fill=True, width=50),
]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(columns: list[Column], key: str, row: int) -> str:
    return f"{column_letter([c.key for c in columns].index(key))}{row}"


# ---- what goes out ------------------------------------------------------------------------------


def plan_fingerprint(plan: PlanData) -> str:
    """A short hash of the plan's tasks (id and wording) and LSCB actions: a return names the plan it was
    built from. Progress updates are left out, so merging a month's returns keeps the fingerprint."""
    lines = [f"T|{t}|{w}" for t, w in zip(plan.tasks["task_id"].astype(str), plan.tasks["task"].fillna("").astype(str))]
    lines += [f"L|{a}|{w}" for a, w in zip(plan.lscb_actions["action_id"].astype(str), plan.lscb_actions["action"].fillna("").astype(str))]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def plan_label(plan: PlanData) -> str:
    """The plan's own title (About plan_title, else organisation); '' when it has neither (never the file name,
    which changes with every merge)."""
    return str(plan.about.get("plan_title") or plan.about.get("organisation") or "").strip()


def next_reporting_date(plan: PlanData) -> pd.Timestamp:
    """The month end after the plan's latest reporting date (the month end of the plan date, or of today,
    when there are no updates): the default date for this month's returns."""
    dates = plan.reporting_dates
    if dates:
        return (dates[-1] + pd.offsets.MonthEnd(1)).normalize()
    base = plan.plan_date if plan.plan_date is not None else pd.Timestamp.today().normalize()
    return (base + pd.offsets.MonthEnd(0)).normalize()


def _planned_text(written: object, date: object) -> str:
    if is_blank(written):
        return ""
    text = str(written)
    return format_date(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}( 00:00:00)?", text) and not is_blank(date) else text


def open_tasks(plan: PlanData, as_at: pd.Timestamp) -> pd.DataFrame:
    """Tasks open before D, in plan order, with last month's position (TASK_COLUMNS' keys plus `group_lead`).

    The position is the one the dashboard shows the day before D, so an update already dated D (a return
    merged earlier) does not hide the task from its lead."""
    as_at = pd.Timestamp(as_at).normalize()
    before = task_table(plan, as_at - pd.Timedelta(days=1))
    is_open = ~before["status"].astype("object").isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    rows = before[is_open].sort_values("plan_order")
    last_rag = rows["reported_rag"].astype("object").map(lambda r: "" if is_blank(r) else str(r))
    return pd.DataFrame(
        {
            "task_id": rows["task_id"].astype(str),
            "theme_id": rows["theme_id"],
            "theme": rows["theme"].astype("object").fillna(""),  # all-blank themes arrive as float NaN
            "milestone": rows["milestone"].astype("object").fillna(""),
            "task": rows["task"].fillna(""),
            "lead": rows["lead"].fillna(NO_LEAD),
            "planned_start": [_planned_text(w, d) for w, d in zip(rows["start_as_written"], rows["planned_start"])],
            "planned_finish": [_planned_text(w, d) for w, d in zip(rows["finish_as_written"], rows["planned_finish"])],
            "last_update": pd.to_datetime(rows["last_update"]),
            "last_status": rows["status"].astype(str),
            "last_percent": rows["percent_complete"].astype("float64"),
            "last_forecast": pd.to_datetime(rows["forecast_finish"]),
            "last_rag": last_rag,
            "last_commentary": rows["commentary"].fillna(""),
        }
    ).reset_index(drop=True)


def open_lscb_actions(plan: PlanData) -> pd.DataFrame:
    """LSCB actions not Complete or Cancelled, in workbook order (LSCB_COLUMNS' keys)."""
    actions = plan.lscb_actions
    status = actions["status"].astype("object")
    rows = actions[~status.isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])]
    return pd.DataFrame(
        {
            "action_id": rows["action_id"].astype(str),
            "action": rows["action"].fillna(""),
            "lead": rows["lead"].fillna(NO_LEAD),
            "timescale": rows["timescale_as_written"].fillna(""),
            "last_status": rows["status"].map(lambda s: "" if is_blank(s) else str(s)),
            "last_commentary": rows["commentary"].fillna(""),
        }
    ).reset_index(drop=True)


@dataclass
class ReturnSpec:
    """One return to send: who it is for, its rows, and what the hidden details sheet records."""

    group: str  # the lead, or "Theme 2. ...", or LSCB_GROUP
    by: str  # BY_LEAD or BY_THEME
    as_at: pd.Timestamp
    tasks: pd.DataFrame  # open_tasks rows
    lscb: pd.DataFrame  # open_lscb_actions rows
    plan_title: str
    organisation: str
    fingerprint: str
    file_name: str = ""

    def metadata(self) -> dict[str, str]:
        return {
            "format": RETURN_FORMAT,
            "version": RETURN_VERSION,
            "plan_title": self.plan_title,
            "organisation": self.organisation,
            "plan_fingerprint": self.fingerprint,
            "as_at": self.as_at.strftime("%Y-%m-%d"),
            "by": self.by,
            "group": self.group,
            "task_ids": ",".join(self.tasks["task_id"]),
            "lscb_ids": ",".join(self.lscb["action_id"]),
        }


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_part(text: str, limit: int = 100) -> str:
    """A lead's or theme's name as part of a file name on Windows, macOS and Linux: `/` and other reserved
    characters become ` - `, spaces collapse, no leading/trailing dots or spaces, at most `limit` characters."""
    text = _UNSAFE.sub(" - ", str(text))
    text = re.sub(r"\s+", " ", text).strip(" .-")
    text = re.sub(r"( - )+", " - ", text)
    if len(text) > limit:
        text = text[:limit].rstrip(" .-")
    return text or "Unnamed"


def return_file_name(group: str, as_at: pd.Timestamp) -> str:
    """`Improvement plan update - Head of Children's Services - 31 Mar 2017.xlsx`."""
    return f"Improvement plan update - {safe_file_part(group.strip('()'))} - {format_date(as_at)}.xlsx"


def _theme_group(theme_id: object, theme: object) -> str:
    return (
        f"Theme {theme_id}. {theme}" if not is_blank(theme) and theme else (f"Theme {theme_id}" if not is_blank(theme_id) else "No theme")
    )


def plan_returns(plan: PlanData, as_at: pd.Timestamp, by: str = BY_LEAD) -> list[ReturnSpec]:
    """The returns to send for D: one per lead (tasks and LSCB actions they lead) or one per theme (plus
    one for the LSCB action plan), each with at least one open row; in plan order."""
    if by not in (BY_LEAD, BY_THEME):
        raise ValueError(f"by must be '{BY_LEAD}' or '{BY_THEME}'")
    as_at = pd.Timestamp(as_at).normalize()
    tasks, lscb = open_tasks(plan, as_at), open_lscb_actions(plan)
    if by == BY_LEAD:
        task_groups = tasks["lead"]
        lscb_groups = lscb["lead"]
    else:
        task_groups = pd.Series([_theme_group(i, t) for i, t in zip(tasks["theme_id"], tasks["theme"])], index=tasks.index, dtype="object")
        lscb_groups = pd.Series(LSCB_GROUP, index=lscb.index, dtype="object")
    order = list(dict.fromkeys([*task_groups, *lscb_groups]))
    common = {
        "plan_title": plan_label(plan),
        "organisation": str(plan.about.get("organisation") or ""),
        "fingerprint": plan_fingerprint(plan),
    }
    specs, used = [], set()
    for group in order:
        spec = ReturnSpec(
            str(group),
            by,
            as_at,
            tasks[task_groups == group].reset_index(drop=True),
            lscb[lscb_groups == group].reset_index(drop=True),
            **common,
        )
        name, n = return_file_name(spec.group, as_at), 2
        while name.lower() in used:  # two names that sanitise alike
            name = return_file_name(f"{spec.group} ({n})", as_at)
            n += 1
        used.add(name.lower())
        spec.file_name = name
        specs.append(spec)
    return specs


# ---- what comes back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Something not merged, located as a person finds it in Excel (cell A1 style; blank when file-level)."""

    file: str
    sheet: str
    cell: str
    task_id: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.file, f"sheet {self.sheet}" if self.sheet else "", f"cell {self.cell}" if self.cell else "") if p
        )
        return f"{where}: {self.message}"


@dataclass
class ReturnRead:
    """A returned workbook as read: its details and the rows of its task and LSCB sheets (cells as stored)."""

    file: str
    metadata: dict[str, str]
    task_rows: list[tuple[int, dict]]  # (Excel row, {column key: value})
    lscb_rows: list[tuple[int, dict]]
    digest: str


class NotAReturn(Exception):
    def __init__(self, refusal: Refusal):
        self.refusal = refusal
        super().__init__(str(refusal))


def _sheet_rows(book, name: str, file: str) -> list[list]:
    sheet = book.get_sheet_by_name(name)
    # calamine sizes its grid from the furthest cell (0-based `end`): check the extent before reading.
    last_row, last_column = (sheet.end or (0, 0)) if sheet.total_height else (0, 0)
    if last_row + 1 > MAX_RETURN_ROWS or last_column + 1 > 200:
        raise NotAReturn(Refusal(file, name, "", "", f"the sheet reaches row {last_row + 1:,}; a return is a few dozen rows"))
    return sheet.to_python(skip_empty_area=False)


def _rows(rows: list[list], columns: list[Column], sheet: str, file: str) -> list[tuple[int, dict]]:
    header = [str(c).strip() if isinstance(c, str) else "" for c in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else [])]
    expected = [c.header for c in columns]
    if header[: len(expected)] != expected:
        raise NotAReturn(
            Refusal(
                file,
                sheet,
                f"A{HEADER_ROW}",
                "",
                "the column headings have been changed, moved or deleted; send the return as it was issued",
            )
        )
    out = []
    for offset, row in enumerate(rows[HEADER_ROW:]):
        values = {c.key: (row[i] if i < len(row) else None) for i, c in enumerate(columns)}
        extra = [v for v in row[len(columns) :] if not _blank_cell(v)]
        if all(_blank_cell(v) for v in values.values()) and not extra:
            continue
        out.append((FIRST_ROW + offset, values))
    return out


def _blank_cell(value: object) -> bool:
    return is_empty(value)


def read_return(data: bytes, file: str) -> ReturnRead:
    """Read a returned workbook. Raises NotAReturn (one refusal naming the file) when it is not one."""
    try:
        book = open_workbook(data, file)
    except WorkbookError as error:
        raise NotAReturn(Refusal(file, "", "", "", error.findings[0].message if error.findings else "not a workbook")) from None
    try:
        names = list(book.sheet_names)
        if META_SHEET not in names or TASK_SHEET not in names:
            raise NotAReturn(
                Refusal(file, "", "", "", "this is not an update return built by the dashboard (its details sheet is missing)")
            )
        meta_rows = _sheet_rows(book, META_SHEET, file)
        metadata = {
            str(r[0]).strip(): ("" if _blank_cell(r[1]) else str(r[1]).strip()) for r in meta_rows if len(r) >= 2 and not _blank_cell(r[0])
        }
        if metadata.get("format") != RETURN_FORMAT:
            raise NotAReturn(Refusal(file, "", "", "", "this is not an update return built by the dashboard"))
        task_rows = _rows(_sheet_rows(book, TASK_SHEET, file), TASK_COLUMNS, TASK_SHEET, file)
        lscb_rows = _rows(_sheet_rows(book, LSCB_SHEET, file), LSCB_COLUMNS, LSCB_SHEET, file) if LSCB_SHEET in names else []
    except NotAReturn:
        raise
    except Exception as error:  # noqa: BLE001 - calamine raises several types on damaged sheets
        raise NotAReturn(Refusal(file, "", "", "", f"the workbook could not be read ({type(error).__name__})")) from None
    return ReturnRead(file, metadata, task_rows, lscb_rows, hashlib.sha256(data).hexdigest())


def _read_date(value: object) -> pd.Timestamp | None:
    """A real date (or ISO text); None when blank; ValueError for anything else (text in a date cell)."""
    if _blank_cell(value):
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
        return pd.Timestamp(value.strip())
    raise ValueError


def _read_percent(value: object) -> float | None:
    if _blank_cell(value):
        return None
    if isinstance(value, bool) or isinstance(value, (dt.datetime, dt.date)):
        raise ValueError
    number = float(str(value).strip().rstrip("%")) if isinstance(value, str) else float(value)
    if not 0 <= number <= 100:
        raise OverflowError
    return number


def _text(value: object) -> str | None:
    if _blank_cell(value):
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return format_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


UPDATE_COLUMNS = [column.name for column in next(spec for spec in PLAN_SHEETS if spec.name == "Updates").columns]  # the contract's


@dataclass
class FileResult:
    """What became of one returned file: `outcome` is merged / partly merged / not merged / duplicate / ..."""

    file: str
    group: str
    as_at: pd.Timestamp | None
    outcome: str
    merged_tasks: int = 0
    merged_lscb: int = 0
    unanswered: int = 0
    refused: int = 0
    note: str = ""


@dataclass
class ReturnsCheck:
    """The checked batch: the Updates rows and LSCB changes to merge, and what was refused and why."""

    as_at: pd.Timestamp
    updates: pd.DataFrame  # UPDATE_COLUMNS + file, excel_row
    lscb: pd.DataFrame  # action_id, status, commentary, lead, file
    refusals: list[Refusal] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    unanswered: dict[str, set[str]] = field(default_factory=dict)  # group -> task/action ids left blank or refused

    @property
    def nothing_to_merge(self) -> bool:
        return self.updates.empty and self.lscb.empty

    def refusals_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(r.file, r.sheet, r.cell, r.task_id, r.message) for r in self.refusals],
            columns=["file", "sheet", "cell", "task_id", "problem"],
        )

    def files_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                (f.file, f.group, format_date(f.as_at), f.outcome, f.merged_tasks, f.merged_lscb, f.unanswered, f.refused, f.note)
                for f in self.files
            ],
            columns=[
                "file",
                "return for",
                "reporting date",
                "outcome",
                "tasks merged",
                "LSCB actions merged",
                "rows left blank",
                "rows refused",
                "note",
            ],
        )


def _check_task_row(
    plan_tasks: pd.DataFrame, file: str, row: int, values: dict, as_at: pd.Timestamp
) -> tuple[dict | None, list[Refusal], bool]:
    """(Updates row or None, refusals, answered?) for one row of the task sheet."""
    task_id = _text(values["task_id"]) or ""
    fills = {c.key: values[c.key] for c in TASK_COLUMNS if c.fill}
    if all(_blank_cell(v) for v in fills.values()):
        return None, [], False
    refusals: list[Refusal] = []

    def refuse(key: str, message: str) -> None:
        refusals.append(Refusal(file, TASK_SHEET, cell_ref(TASK_COLUMNS, key, row), task_id, message))

    status = read_status(values["status"]) if isinstance(values["status"], str) else None
    if _blank_cell(values["status"]):
        refuse("status", "Status now is blank; choose one from the list (Not started, In progress, Complete, On hold, Cancelled)")
    elif status is None:
        refuse("status", f"'{_text(values['status'])}' is not a status; use Not started, In progress, Complete, On hold or Cancelled")
    percent = None
    try:
        percent = _read_percent(values["percent_complete"])
    except OverflowError:
        refuse("percent_complete", f"% complete {_text(values['percent_complete'])} is outside 0-100")
    except (ValueError, TypeError):
        refuse("percent_complete", f"'{_text(values['percent_complete'])}' is not a percentage (a number from 0 to 100)")
    dates = {}
    for key, label in (("forecast_finish", "Forecast finish"), ("actual_finish", "Actual finish")):
        try:
            dates[key] = _read_date(values[key])
        except (ValueError, TypeError):
            refuse(key, f"'{_text(values[key])}' in {label} is not a date; enter a date such as 31/03/2017")
    if dates.get("actual_finish") is not None and dates["actual_finish"] > as_at:
        refuse("actual_finish", f"the actual finish {format_date(dates['actual_finish'])} is after the reporting date {format_date(as_at)}")
    rag = None
    if not _blank_cell(values["reported_rag"]):
        rag = read_rag(values["reported_rag"]) if isinstance(values["reported_rag"], str) else None
        if rag is None or str(rag) not in RAG_CHOICES:
            refuse("reported_rag", f"'{_text(values['reported_rag'])}' is not a RAG; use Red, Amber, Green or Blue")
    if refusals:
        return None, refusals, True
    lead = plan_tasks.at[task_id, "lead"]
    update = {
        "task_id": task_id,
        "as_at": as_at,
        "status": str(status),
        "percent_complete": percent,
        "forecast_finish": dates.get("forecast_finish"),
        "actual_finish": dates.get("actual_finish"),
        "reported_rag": None if rag is None else str(rag),
        "commentary": _text(values["commentary"]),
        "updated_by": None if is_blank(lead) or lead == NO_LEAD else str(lead),
        "file": file,
        "excel_row": row,
    }
    return update, [], True


def _identity_problem(read: ReturnRead, plan: PlanData, as_at: pd.Timestamp, latest: pd.Timestamp | None) -> tuple[str, str] | None:
    """(outcome, message) when the whole file cannot be merged; None when it can be checked row by row."""
    meta = read.metadata
    same_plan = meta.get("plan_fingerprint") == plan_fingerprint(plan)
    title = plan_label(plan)
    if not same_plan and not (title and meta.get("plan_title") == title):
        issued_for = meta.get("plan_title") or meta.get("organisation") or "another plan"
        return "not for this plan", f"this return was issued for '{issued_for}', not for this plan"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("as_at", "")):
        return "not merged", "the return's reporting date cannot be read from its details sheet"
    issued = pd.Timestamp(meta["as_at"])
    if issued != as_at:
        return "wrong month", f"this return is for {format_date(issued)}, not {format_date(as_at)}: wrong month, not merged"
    if latest is not None and latest > as_at:
        return "late", (
            f"late: the plan already has progress for {format_date(latest)}, after this return's date {format_date(as_at)}; "
            "merging it would rewrite an earlier month"
        )
    return None


def check_returns(plan: PlanData, as_at: pd.Timestamp, files: list[tuple[str, bytes]]) -> ReturnsCheck:
    """Read and check returned workbooks (name, bytes) against the plan for reporting date D; nothing is written."""
    as_at = pd.Timestamp(as_at).normalize()
    check = ReturnsCheck(
        as_at,
        pd.DataFrame(columns=[*UPDATE_COLUMNS, "file", "excel_row"]),
        pd.DataFrame(columns=["action_id", "status", "commentary", "lead", "file"]),
    )
    plan_tasks = plan.tasks.assign(task_id=plan.tasks["task_id"].astype(str)).set_index("task_id")
    plan_tasks["lead"] = plan_tasks["lead"].fillna(NO_LEAD)
    lscb = plan.lscb_actions.assign(action_id=plan.lscb_actions["action_id"].astype(str)).set_index("action_id")
    existing = plan.updates[pd.to_datetime(plan.updates["as_at"]) == as_at]
    already = dict(zip(existing["task_id"].astype(str), existing["updated_by"].fillna("").astype(str)))
    later = [d for d in plan.reporting_dates if d > as_at]
    latest = later[-1] if later else None
    groups_seen: dict[str, tuple[str, str]] = {}  # group -> (file, digest)
    answered_by: dict[str, str] = {}  # task/action id -> file
    updates, lscb_changes = [], []
    for file, data in files:
        try:
            read = read_return(data, file)
        except NotAReturn as error:
            check.refusals.append(error.refusal)
            check.files.append(FileResult(file, "", None, "not a return", note=error.refusal.message))
            continue
        meta = read.metadata
        group = meta.get("group", "")
        issued_as_at = pd.Timestamp(meta["as_at"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("as_at", "")) else None
        result = FileResult(file, group, issued_as_at, "merged")
        check.files.append(result)
        problem = _identity_problem(read, plan, as_at, latest)
        if problem:
            result.outcome, result.note = problem
            check.refusals.append(Refusal(file, "", "", "", problem[1]))
            continue
        if group in groups_seen:
            first_file, first_digest = groups_seen[group]
            if first_digest == read.digest:
                result.outcome, result.note = "duplicate", f"the same return as {first_file}: merged once"
            else:
                result.outcome = "duplicate"
                result.note = (
                    f"a second, different return for {group} (first: {first_file}); only the first is merged: check which is right"
                )
            check.refusals.append(Refusal(file, "", "", "", result.note))
            continue
        groups_seen[group] = (file, read.digest)
        if meta.get("plan_fingerprint") != plan_fingerprint(plan):
            result.note = "the plan's tasks have changed since this return was issued; each row was checked against the plan as it is now"
        issued_tasks = [t for t in meta.get("task_ids", "").split(",") if t]
        issued_lscb = [a for a in meta.get("lscb_ids", "").split(",") if a]
        unanswered = check.unanswered.setdefault(group, set())
        seen: set[str] = set()
        for row, values in read.task_rows:
            task_id = _text(values["task_id"]) or ""
            where = cell_ref(TASK_COLUMNS, "task_id", row)
            if task_id not in issued_tasks or task_id in seen:
                what = f"task '{task_id}'" if task_id else "a row with no Task ID"
                why = "appears twice" if task_id in seen else "was not in this return as issued"
                check.refusals.append(Refusal(file, TASK_SHEET, where, task_id, f"extra row: {what} {why}; not merged"))
                result.refused += 1
                continue
            seen.add(task_id)
            if task_id not in plan_tasks.index:
                check.refusals.append(Refusal(file, TASK_SHEET, where, task_id, f"task {task_id} is no longer in the plan; not merged"))
                result.refused += 1
                continue
            update, refusals, answered = _check_task_row(plan_tasks, file, row, values, as_at)
            if not answered:
                unanswered.add(task_id)
                result.unanswered += 1
                continue
            if task_id in already:
                by = f" (by {already[task_id]})" if already[task_id] else ""
                message = f"the plan already has an update for task {task_id} at {format_date(as_at)}{by}; not merged twice"
                check.refusals.append(Refusal(file, TASK_SHEET, where, task_id, message))
                result.refused += 1
                continue
            if task_id in answered_by:
                message = f"task {task_id} is also answered in {answered_by[task_id]}; only that one is merged"
                check.refusals.append(Refusal(file, TASK_SHEET, where, task_id, message))
                result.refused += 1
                continue
            if refusals:
                check.refusals.extend(refusals)
                unanswered.add(task_id)
                result.refused += 1
                continue
            answered_by[task_id] = file
            updates.append(update)
            result.merged_tasks += 1
        for task_id in issued_tasks:
            if task_id not in seen:
                check.refusals.append(
                    Refusal(file, TASK_SHEET, "", task_id, f"the row for task {task_id} was deleted from the return; nothing merged for it")
                )
                unanswered.add(task_id)
                result.refused += 1
        _check_lscb(read, issued_lscb, lscb, check, result, answered_by, lscb_changes, unanswered)
        if result.merged_tasks + result.merged_lscb == 0:
            result.outcome = (
                "already merged"
                if result.refused and all("not merged twice" in r.message for r in check.refusals if r.file == file)
                else "not merged"
            )
        elif result.refused or result.unanswered:
            result.outcome = "partly merged"
    if updates:
        check.updates = pd.DataFrame(updates, columns=[*UPDATE_COLUMNS, "file", "excel_row"])
    if lscb_changes:
        check.lscb = pd.DataFrame(lscb_changes, columns=["action_id", "status", "commentary", "lead", "file"])
    return check


def _check_lscb(read, issued, lscb, check, result, answered_by, changes, unanswered) -> None:
    file, seen = read.file, set()
    for row, values in read.lscb_rows:
        action_id = _text(values["action_id"]) or ""
        where = cell_ref(LSCB_COLUMNS, "action_id", row)
        if action_id not in issued or action_id in seen:
            what = f"LSCB action '{action_id}'" if action_id else "a row with no Action ID"
            check.refusals.append(
                Refusal(file, LSCB_SHEET, where, action_id, f"extra row: {what} was not in this return as issued; not merged")
            )
            result.refused += 1
            continue
        seen.add(action_id)
        if action_id not in lscb.index:
            check.refusals.append(
                Refusal(file, LSCB_SHEET, where, action_id, f"LSCB action {action_id} is no longer in the plan; not merged")
            )
            result.refused += 1
            continue
        if _blank_cell(values["status"]) and _blank_cell(values["commentary"]):
            unanswered.add(f"LSCB {action_id}")
            result.unanswered += 1
            continue
        status = read_status(values["status"]) if isinstance(values["status"], str) else None
        if status is None:
            said = "Status now is blank" if _blank_cell(values["status"]) else f"'{_text(values['status'])}' is not a status"
            cell = cell_ref(LSCB_COLUMNS, "status", row)
            check.refusals.append(
                Refusal(file, LSCB_SHEET, cell, action_id, f"{said}; use Not started, In progress, Complete, On hold or Cancelled")
            )
            unanswered.add(f"LSCB {action_id}")
            result.refused += 1
            continue
        key = f"LSCB {action_id}"
        if key in answered_by:
            check.refusals.append(
                Refusal(file, LSCB_SHEET, where, action_id, f"LSCB action {action_id} is also answered in {answered_by[key]}")
            )
            result.refused += 1
            continue
        answered_by[key] = file
        changes.append(
            {
                "action_id": action_id,
                "status": str(status),
                "commentary": _text(values["commentary"]),
                "lead": lscb.at[action_id, "lead"],
                "file": file,
            }
        )
        result.merged_lscb += 1
    for action_id in issued:
        if action_id not in seen:
            check.refusals.append(
                Refusal(file, LSCB_SHEET, "", action_id, f"the row for LSCB action {action_id} was deleted from the return")
            )
            unanswered.add(f"LSCB {action_id}")
            result.refused += 1


# ---- what will change, who has not returned, the log ---------------------------------------------------


def preview(plan: PlanData, check: ReturnsCheck) -> pd.DataFrame:
    """What merging will change, one row per merged task or LSCB action, by lead: status, % complete,
    forecast and RAG before -> after, and the new commentary. `forecast_moved_days` is after - before
    (the planned finish standing in where no forecast was given; + is later)."""
    columns = [
        "lead",
        "item",
        "wording",
        "status_before",
        "status",
        "percent_before",
        "percent",
        "forecast_before",
        "forecast",
        "forecast_moved_days",
        "rag_before",
        "rag",
        "commentary",
        "file",
    ]
    rows = []
    if not check.updates.empty:
        before = open_tasks(plan, check.as_at).set_index("task_id")
        planned = plan.tasks.assign(task_id=plan.tasks["task_id"].astype(str)).set_index("task_id")["planned_finish"]
        for u in check.updates.itertuples(index=False):
            b = before.loc[u.task_id] if u.task_id in before.index else None
            was_forecast = b["last_forecast"] if b is not None else pd.NaT
            then = was_forecast if not is_blank(was_forecast) else planned.get(u.task_id)
            now = u.forecast_finish if not is_blank(u.forecast_finish) else then
            moved = (pd.Timestamp(now) - pd.Timestamp(then)).days if not is_blank(now) and not is_blank(then) else None
            rows.append(
                [
                    NO_LEAD if is_blank(u.updated_by) else u.updated_by,
                    u.task_id,
                    planned_task_words(plan, u.task_id),
                    b["last_status"] if b is not None else "",
                    u.status,
                    b["last_percent"] if b is not None else None,
                    u.percent_complete,
                    was_forecast,
                    u.forecast_finish,
                    moved if moved else 0,
                    b["last_rag"] if b is not None else "",
                    "" if is_blank(u.reported_rag) else u.reported_rag,
                    "" if is_blank(u.commentary) else u.commentary,
                    u.file,
                ]
            )
    lscb = plan.lscb_actions.assign(action_id=plan.lscb_actions["action_id"].astype(str)).set_index("action_id")
    for a in check.lscb.itertuples(index=False):
        was = lscb.at[a.action_id, "status"]
        rows.append(
            [
                a.lead,
                f"LSCB {a.action_id}",
                lscb.at[a.action_id, "action"],
                "" if is_blank(was) else str(was),
                a.status,
                None,
                None,
                pd.NaT,
                pd.NaT,
                0,
                "",
                "",
                "" if is_blank(a.commentary) else a.commentary,
                a.file,
            ]
        )
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("forecast_before", "forecast"):
        frame[column] = pd.to_datetime(frame[column])
    frame["forecast_moved_days"] = frame["forecast_moved_days"].astype("int64")
    return frame.sort_values("lead", kind="stable").reset_index(drop=True)


def preview_words(changes: pd.DataFrame) -> pd.DataFrame:
    """The preview as a person reads it: `In progress → Complete`, `65 → 75`, `31 Oct 2017 → 30 Nov 2017`,
    `+30 days`; blank where the return leaves a value as it was."""
    return pd.DataFrame(
        {
            "Item": changes["item"],
            "Wording": changes["wording"].str.slice(0, 90),
            "Status": [f"{b or 'not reported'} → {a}" for b, a in zip(changes["status_before"], changes["status"])],
            "% complete": [
                "" if is_blank(a) else (f"{b:g} → {a:g}" if not is_blank(b) else f"{a:g}")
                for b, a in zip(changes["percent_before"], changes["percent"])
            ],
            "Forecast finish": [
                "" if is_blank(a) else f"{format_date(b) or 'none'} → {format_date(a)}"
                for b, a in zip(changes["forecast_before"], changes["forecast"])
            ],
            "Forecast moved": [f"{d:+d} days" if d else "" for d in changes["forecast_moved_days"]],
            "RAG": [f"{b or '-'} → {a}" if a else "" for b, a in zip(changes["rag_before"], changes["rag"])],
            "New commentary": changes["commentary"],
        }
    )


def planned_task_words(plan: PlanData, task_id: str) -> str:
    match = plan.tasks[plan.tasks["task_id"].astype(str) == task_id]
    return "" if match.empty else str(match["task"].iloc[0])


def change_summary(changes: pd.DataFrame) -> dict[str, int]:
    """Counts for the preview's headline: items updated, statuses changed, newly complete, forecasts moved, with commentary."""
    return {
        "Items updated": len(changes),
        "Statuses changed": int((changes["status"] != changes["status_before"]).sum()),
        "Newly complete": int(((changes["status"] == "Complete") & (changes["status_before"] != "Complete")).sum()),
        "Forecasts moved": int((changes["forecast_moved_days"] != 0).sum()),
        "New commentary": int((changes["commentary"] != "").sum()),
    }


def chase_list(plan: PlanData, as_at: pd.Timestamp, check: ReturnsCheck | None = None, by: str = BY_LEAD) -> pd.DataFrame:
    """Leads (or themes) whose return for D is missing or incomplete, with each open task or LSCB action
    still without an answer: one row per item. An item counts as answered when the plan's Updates already
    hold it at D or this batch merges it. `state` is "Not returned" (nothing of theirs answered) or
    "Incomplete (n of m answered)"."""
    as_at = pd.Timestamp(as_at).normalize()
    merged_tasks = set(check.updates["task_id"]) if check is not None and not check.updates.empty else set()
    merged_lscb = set(check.lscb["action_id"]) if check is not None and not check.lscb.empty else set()
    at_date = set(plan.updates.loc[pd.to_datetime(plan.updates["as_at"]) == as_at, "task_id"].astype(str))
    rows = []
    for spec in plan_returns(plan, as_at, by):
        items = [(t.task_id, t.task, t.planned_finish, t.last_status, t.task_id in merged_tasks | at_date) for t in spec.tasks.itertuples()]
        items += [(f"LSCB {a.action_id}", a.action, a.timescale, a.last_status, a.action_id in merged_lscb) for a in spec.lscb.itertuples()]
        done = sum(1 for *_, answered in items if answered)
        if done == len(items):
            continue
        state = "Not returned" if done == 0 else f"Incomplete ({done} of {len(items)} answered)"
        rows += [(spec.group, state, i, w, f, s) for i, w, f, s, answered in items if not answered]
    return pd.DataFrame(rows, columns=["return for", "state", "item", "wording", "planned finish", "last status"])


def merge_log(plan: PlanData, check: ReturnsCheck, output_name: str | None = None) -> str:
    """A short plain-text log of the merge: per file what was merged, then every refusal with its cell."""
    lines = [f"Monthly update returns for {format_date(check.as_at)}: {plan_label(plan) or plan.workbook}"]
    if output_name:
        lines.append(f"Merged plan written as {output_name} (the original workbook is unchanged).")
    lines.append(
        f"{plural(len(check.updates), 'task update')} and {plural(len(check.lscb), 'LSCB action update')} merged from "
        f"{plural(len(check.files), 'file')}."
    )
    lines += ["", "Files:"]
    for f in check.files:
        counts = f"{plural(f.merged_tasks, 'task')}, {plural(f.merged_lscb, 'LSCB action')} merged; {f.unanswered} left blank; {f.refused} refused"
        lines.append(f"- {f.file} ({f.group or MISSING}): {f.outcome}. {counts}." + (f" {f.note}." if f.note else ""))
    lines += ["", "Refused:" if check.refusals else "Refused: nothing."]
    lines += [f"- {r}" for r in check.refusals]
    return "\n".join(lines) + "\n"


# ---- where the Updates and LSCB columns are in the original workbook ------------------------------------


@dataclass
class SheetLayout:
    """Where a contract sheet sits in the original workbook: its name, header row (Excel number) and the
    0-based column index of each contract column present."""

    sheet: str
    header_row: int
    columns: dict[str, int]


def sheet_layout(data: bytes, plan: PlanData, spec_name: str) -> SheetLayout | None:
    """The layout of `spec_name` (e.g. "Updates") as the loader found it; None when the plan has no such sheet."""
    actual = plan.sheet_names.get(spec_name)
    if actual is None:
        return None
    spec = next(s for s in PLAN_SHEETS if s.name == spec_name)
    book = open_workbook(data, plan.workbook)
    rows = book.get_sheet_by_name(actual).to_python(skip_empty_area=False)
    header_idx, mapping, _ = _find_header(rows, spec)
    if header_idx is None:
        return None
    return SheetLayout(actual, header_idx + 1, dict(mapping))


def returns_date(plan: PlanData, files: list[tuple[str, bytes]]) -> pd.Timestamp | None:
    """The reporting date a batch of returns was issued for, when none is given: the latest date among the
    returns built from this plan (returns for other dates are then reported as the wrong month)."""
    dates = []
    for file, data in files:
        try:
            meta = read_return(data, file).metadata
        except NotAReturn:
            continue
        if meta.get("plan_fingerprint") == plan_fingerprint(plan) or (plan_label(plan) and meta.get("plan_title") == plan_label(plan)):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("as_at", "")):
                dates.append(pd.Timestamp(meta["as_at"]))
    return max(dates) if dates else None
