"""The plan workbook: read, validate and tidy (Recommendations, Themes, Tasks, Updates, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from itertools import compress
from operator import attrgetter, itemgetter

import pandas as pd

from .dates import Assumption, DateKind, Side, parse_plan_date, parse_plan_dates, read_plan_cells, task_dates
from .findings import Finding, Severity, WorkbookError, add_capped, add_capped_rows, cap_findings
from .limits import MAX_IDS_PER_CELL
from .load import MAX_FINDINGS_PER_COLUMN, RawWorkbook, map_distinct, read_workbook, split_ids
from .schema import PLAN_SHEETS, SheetSpec, normalise_name
from .wording import noun


class TaskStatus(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETE = "Complete"
    ON_HOLD = "On hold"
    CANCELLED = "Cancelled"


class Rag(StrEnum):
    """Task RAG. Blue is complete; Cancelled is shown but counted nowhere."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"
    CANCELLED = "Cancelled"


RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.CANCELLED]

_STATUS_WORDS = {
    "not_started": TaskStatus.NOT_STARTED,
    "not_yet_started": TaskStatus.NOT_STARTED,
    "not_begun": TaskStatus.NOT_STARTED,
    "in_progress": TaskStatus.IN_PROGRESS,
    "started": TaskStatus.IN_PROGRESS,
    "ongoing": TaskStatus.IN_PROGRESS,
    "underway": TaskStatus.IN_PROGRESS,
    "under_way": TaskStatus.IN_PROGRESS,
    "on_track": TaskStatus.IN_PROGRESS,
    "complete": TaskStatus.COMPLETE,
    "completed": TaskStatus.COMPLETE,
    "done": TaskStatus.COMPLETE,
    "on_hold": TaskStatus.ON_HOLD,
    "paused": TaskStatus.ON_HOLD,
    "suspended": TaskStatus.ON_HOLD,
    "cancelled": TaskStatus.CANCELLED,
    "canceled": TaskStatus.CANCELLED,
    "withdrawn": TaskStatus.CANCELLED,
}
_RAG_WORDS = {
    "red": Rag.RED,
    "r": Rag.RED,
    "amber": Rag.AMBER,
    "a": Rag.AMBER,
    "yellow": Rag.AMBER,
    "green": Rag.GREEN,
    "g": Rag.GREEN,
    "blue": Rag.BLUE,
    "b": Rag.BLUE,
    "complete": Rag.BLUE,
}


class IssueStatus(StrEnum):
    """An issue in the Issues sheet: still holding something up, or dealt with."""

    OPEN = "Open"
    CLOSED = "Closed"


class DecisionStatus(StrEnum):
    """A QIB decision: still to be made, made (its action not yet carried out), or made and carried out."""

    NEEDED = "Needed"
    TAKEN = "Taken"
    DONE = "Done"


_ISSUE_STATUS_WORDS = {
    **dict.fromkeys(("open", "opened", "live", "active", "ongoing", "current", "in_progress", "new"), IssueStatus.OPEN),
    **dict.fromkeys(("closed", "close", "resolved", "done", "complete", "completed", "dealt_with"), IssueStatus.CLOSED),
}
_DECISION_STATUS_WORDS = {
    **dict.fromkeys(("needed", "required", "pending", "open", "to_decide", "for_decision", "awaiting_decision"), DecisionStatus.NEEDED),
    **dict.fromkeys(("taken", "made", "agreed", "decided", "approved", "in_progress", "actioning"), DecisionStatus.TAKEN),
    **dict.fromkeys(("done", "complete", "completed", "implemented", "actioned", "closed"), DecisionStatus.DONE),
}


def read_issue_status(text: object) -> IssueStatus | None:
    """`Open` / `Closed` (any case, common synonyms such as Resolved) -> IssueStatus; None when not recognised."""
    return _ISSUE_STATUS_WORDS.get(normalise_name(text)) if isinstance(text, str) else None


def read_decision_status(text: object) -> DecisionStatus | None:
    """`Needed` / `Taken` / `Done` (any case, synonyms such as Agreed or Implemented) -> DecisionStatus; None otherwise."""
    return _DECISION_STATUS_WORDS.get(normalise_name(text)) if isinstance(text, str) else None


RISK_RATINGS = ("Low", "Medium", "High")
RISK_RESPONSES = ("Tolerate", "Treat", "Transfer", "Terminate")


def read_status(text: object) -> TaskStatus | None:
    """Status wording (any case, common synonyms) -> TaskStatus; None when not recognised."""
    if not isinstance(text, str):
        return None
    return _STATUS_WORDS.get(normalise_name(text))


def read_rag(text: object) -> Rag | None:
    if not isinstance(text, str):
        return None
    return _RAG_WORDS.get(normalise_name(text))


@dataclass
class PlanData:
    """A validated plan workbook. Frames use the contract's column names plus derived ones."""

    workbook: str
    about: dict[str, str]
    recommendations: pd.DataFrame
    themes: pd.DataFrame
    theme_recommendations: pd.DataFrame
    tasks: pd.DataFrame
    updates: pd.DataFrame
    risks: pd.DataFrame
    lscb_actions: pd.DataFrame
    governance: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    sheet_names: dict[str, str] = field(default_factory=dict)
    # The Issues and Decisions sheets (optional; empty frames when absent: `has_sheet` tells which).
    issues: pd.DataFrame = field(default_factory=lambda: _empty_issues())
    decisions: pd.DataFrame = field(default_factory=lambda: _empty_decisions())
    # Tables derived from the frames above, computed once on first use and shared by every view of this plan
    # (e.g. progress.carried_updates). A declared cache, not attributes stuck on a shared object: each entry
    # depends only on the plan, is never changed once stored, and is not part of equality or the repr.
    derived: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    def has_sheet(self, sheet: str) -> bool:
        """Whether the workbook has the contract's sheet `sheet` (e.g. "Issues"), read without a fatal problem."""
        return sheet in self.sheet_names

    @property
    def reporting_dates(self) -> list[pd.Timestamp]:
        """The Updates' as_at dates, oldest first."""
        if self.updates.empty:
            return []
        return sorted(pd.Timestamp(d) for d in self.updates["as_at"].dropna().unique())

    @property
    def is_illustrative(self) -> bool:
        return "illustrative" in str(self.about.get("data_status", "")).lower()

    @property
    def title(self) -> str:
        return self.about.get("plan_title") or self.workbook

    @property
    def plan_date(self) -> pd.Timestamp | None:
        """The About sheet's plan_date as a date (None when absent or unreadable)."""
        return parse_plan_date(self.about.get("plan_date"), Side.FINISH).date

    @property
    def quarters(self) -> str:
        """The About sheet's `quarters` setting: `financial`, or `calendar` (the default)."""
        return "financial" if str(self.about.get("quarters") or "").strip().lower() == "financial" else "calendar"

    def quarters_notice(self) -> str | None:
        """Where a bare quarter (`Q1 2017`) was read, how: said on screen beside the figures; None when none was."""
        columns = ("start_assumption", "finish_assumption")
        if self.tasks.empty or not all(c in self.tasks for c in columns):
            return None
        read = self.tasks[list(columns)].isin([str(Assumption.CALENDAR_QUARTER), str(Assumption.FINANCIAL_QUARTER)]).any(axis=1)
        if not read.any():
            return None
        example = next(
            (t for t, a in zip(self.tasks["finish_as_written"], self.tasks["finish_assumption"]) if a.endswith("_quarter")),
            next((t for t, a in zip(self.tasks["start_as_written"], self.tasks["start_assumption"]) if a.endswith("_quarter")), ""),
        )
        if self.quarters == "financial":
            how = "financial quarters (Q1 is April to June)"
        else:
            how = "calendar quarters (Q1 is January to March)"
        return (
            f"Quarters written without a financial year (such as '{example}', {int(read.sum())} "
            f"{'task' if int(read.sum()) == 1 else 'tasks'}) are read as {how}, "
            f"as the About sheet's quarters setting says ({self.quarters}"
            + (", the default" if "quarters" not in self.about else "")
            + ")."
        )

    @property
    def as_at_is_today(self) -> bool:
        """True when the reporting date falls back to today: no Updates and no readable plan date."""
        return not self.reporting_dates and self.plan_date is None

    def default_as_at(self) -> pd.Timestamp:
        """The latest reporting date; the plan date or today's date when there are no updates."""
        dates = self.reporting_dates
        if dates:
            return dates[-1]
        return self.plan_date if self.plan_date is not None else pd.Timestamp.today().normalize()


def _empty(spec_name: str) -> pd.DataFrame:
    spec = next(s for s in PLAN_SHEETS if s.name == spec_name)
    return pd.DataFrame({c.name: pd.Series(dtype="object") for c in spec.columns} | {"excel_row": pd.Series(dtype="int64")})


def _warn(findings: list[Finding], workbook: str, sheet: str, row: object, column: str | None, message: str, advice: str = "") -> None:
    findings.append(_warning(workbook, sheet, row, column, message, advice))


def _warning(workbook: str, sheet: str, row: object, column: str | None, message: str, advice: str = "") -> Finding:
    return Finding(workbook, sheet, None if row is None else int(row), column, message, Severity.WARNING, advice)


def _ids(ids: list[str], shown: int = 10) -> str:
    """'a, b, c' for a finding, at most `shown` ids then 'and N more' (a cell may list hundreds)."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")


def _tidy_tasks(raw: RawWorkbook, themes: pd.DataFrame, recs: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    wb, sheet = raw.workbook, raw.sheet_name("Tasks")
    tasks = raw.frame("Tasks").copy()
    tasks["plan_order"] = range(len(tasks))
    group = [tasks["theme_id"].fillna(""), tasks["milestone_ref"].fillna("")]
    # Blank milestone wording or lead means "as the row above in that milestone" (contract).
    tasks["milestone"] = tasks.groupby(group, sort=False)["milestone"].ffill()
    filled_lead = tasks.groupby(group, sort=False)["lead"].ffill()
    tasks["lead_inferred"] = tasks["lead"].isna() & filled_lead.notna()
    tasks["lead"] = filled_lead
    add_capped_rows(
        findings,
        tasks[tasks["lead"].isna()],
        lambda t: _warning(
            wb,
            sheet,
            t["excel_row"],
            "lead",
            f"Task {t['task_id']} has no lead officer (none given above it in its milestone either).",
            "Name the lead officer responsible for the task.",
        ),
    )
    theme_names = dict(zip(themes["theme_id"], themes["theme"]))
    tasks["theme"] = tasks["theme_id"].map(theme_names)
    add_capped_rows(
        findings,
        tasks[tasks["theme_id"].notna() & tasks["theme"].isna()],
        lambda t: _warning(
            wb,
            sheet,
            t["excel_row"],
            "theme_id",
            f"Task {t['task_id']} names theme '{t['theme_id']}', which is not in the Themes sheet.",
            "Use a theme_id from the Themes sheet, or add the theme.",
        ),
    )
    known_recs = set(recs["rec_id"])
    rec_lists = tasks["rec_ids"].tolist()
    try:  # each distinct list of ids is checked once (tasks repeat their milestone's recommendations)
        kept_of = {ids: tuple(r for r in ids if r in known_recs) for ids in set(rec_lists)}
        cleaned = list(map(kept_of.__getitem__, rec_lists))
        any_unknown = any(len(kept) != len(ids) for ids, kept in kept_of.items())
    except TypeError:  # an unhashable list (not from the reader): per row
        cleaned = [tuple(r for r in ids if r in known_recs) for ids in rec_lists]
        any_unknown = True
    add_capped(
        findings,
        (
            (row, task_id, [r for r in ids if r not in known_recs])
            for row, task_id, ids, kept in zip(tasks["excel_row"], tasks["task_id"], rec_lists, cleaned)
            if len(kept) != len(ids)
        )
        if any_unknown
        else (),
        lambda item: _warning(
            wb,
            sheet,
            item[0],
            "rec_ids",
            f"Task {item[1]} names {noun(len(item[2]), 'recommendation')} {_ids(item[2])}, not in the Recommendations sheet; ignored.",
            "Use rec_ids from the Recommendations sheet.",
        ),
    )
    tasks["rec_ids"] = pd.Series(cleaned, index=tasks.index, dtype="object")
    _plan_dates(tasks, raw, findings)
    backwards = tasks["planned_finish"] < tasks["planned_start"]
    add_capped_rows(
        findings,
        tasks[backwards],
        lambda t: _warning(
            wb,
            sheet,
            t["excel_row"],
            "finish",
            f"Task {t['task_id']} finishes ({t['finish_as_written']}) before it starts ({t['start_as_written']}).",
            "Check the start and finish.",
        ),
    )
    return tasks.drop(columns=["start", "finish"]).reset_index(drop=True)


_ADVICE_READ = "Check the reading; write the date as 31/03/2017 or March 2017 to remove the doubt."
# Readings that are a finding for the cell itself (day first is said once per column; quarters on every page).
_CELL_ASSUMPTIONS = (Assumption.MONTH_FIRST, Assumption.FINANCIAL_YEAR, Assumption.NO_YEAR, Assumption.WORDS_IGNORED)


def _plan_dates(tasks: pd.DataFrame, raw: RawWorkbook, findings: list[Finding]) -> None:
    """Planned start and finish from the two cells (docs/plan-dates.md), with a finding for each cell read with an
    assumption (the day-or-month-first doubt once per column) and for each cell that cannot be read."""
    wb, sheet = raw.workbook, raw.sheet_name("Tasks")
    quarters = raw.about.get("quarters") or "calendar"
    if str(quarters).strip().lower() not in ("calendar", "financial"):
        _warn(
            findings,
            wb,
            raw.sheet_name("About"),
            None,
            "quarters",
            f"The quarters setting '{quarters}' is neither calendar nor financial; quarters are read as calendar quarters.",
            "Set quarters to calendar (Q1 is January to March) or financial (Q1 is April to June).",
        )
    reference = parse_plan_date(raw.about.get("plan_date"), Side.FINISH).date
    start_cells = _plan_cells(tasks["start"], quarters, reference)
    finish_cells = _plan_cells(tasks["finish"], quarters, reference)
    # read_plan_cells returns one (frozen) PlanCell per distinct cell value, so a pair of cells is known by identity:
    # each distinct (start, finish) pair is worked out once (plans repeat their milestones' dates).
    # Everything below is worked out per distinct pair and spread over the rows by C-level look-ups (map, attrgetter).
    keys = list(zip(map(id, start_cells), map(id, finish_cells)))
    cells_of = dict(zip(keys, zip(start_cells, finish_cells)))
    by_pair = {key: task_dates(s, f) for key, (s, f) in cells_of.items()}
    pairs = list(map(by_pair.__getitem__, keys))
    starts = list(map(itemgetter(0), pairs))
    finishes = list(map(itemgetter(1), pairs))
    as_written, date, kind, note, assumption = (attrgetter(name) for name in ("as_written", "date", "kind", "note", "assumption"))
    tasks["start_as_written"] = list(map(as_written, starts))
    tasks["finish_as_written"] = list(map(as_written, finishes))
    tasks["planned_start"] = pd.to_datetime(pd.Series(list(map(date, starts)), index=tasks.index, dtype="object"))
    tasks["planned_finish"] = pd.to_datetime(pd.Series(list(map(date, finishes)), index=tasks.index, dtype="object"))
    tasks["start_kind"] = list(map(str, map(kind, starts)))
    tasks["finish_kind"] = list(map(str, map(kind, finishes)))
    tasks["start_note"] = list(map(note, starts))
    tasks["finish_note"] = list(map(note, finishes))
    tasks["start_assumption"] = list(map(str, map(assumption, starts)))
    tasks["finish_assumption"] = list(map(str, map(assumption, finishes)))
    tasks["started_at_plan"] = tasks["start_kind"] == DateKind.STARTED
    tasks["ongoing"] = tasks["finish_kind"] == DateKind.ONGOING
    # A status written with the date (`Done (March 2004)`) is the task's position until an update says otherwise.
    statuses = {text: read_status(text) for text in {f.status or s.status for s, f in cells_of.values()}}
    carried = {key: statuses[f.status or s.status] for key, (s, f) in cells_of.items()}
    written = {key: None if c is None else str(c) for key, c in carried.items()}
    tasks["plan_status"] = pd.Series(list(map(written.__getitem__, keys)), index=tasks.index, dtype="object")
    for position, side, cells, parsed in ((0, "start", start_cells, starts), (1, "finish", finish_cells, finishes)):
        day_first: list[tuple[int, str]] = []
        month_first: list[int] = []
        # Only the rows whose (cell, reading) can give a finding are visited (decided once per distinct pair).
        noted = {key: _may_note(cells_of[key][position], pair[position]) for key, pair in by_pair.items()}
        flagged = map(noted.__getitem__, keys)
        rows_noted = (
            compress(zip(tasks["excel_row"].tolist(), tasks["task_id"].tolist(), cells, parsed), flagged) if any(noted.values()) else ()
        )
        for row, task_id, cell, p in rows_noted:
            if cell.kind == DateKind.UNREADABLE and p.kind == DateKind.UNREADABLE:
                _warn(
                    findings,
                    wb,
                    sheet,
                    row,
                    side,
                    f"Task {task_id}: the {side} '{p.as_written}' is not a date the dashboard can read"
                    + (f" ({cell.note})" if cell.note else "")
                    + "; it is treated as not set.",
                    cell.advice or "Write a date (31/03/2017), a month (March 2017), a quarter (Q1 2017), 'Started' (starts only) or TBC.",
                )
            elif p.kind == DateKind.UNREADABLE:  # `Started` as a finish
                _warn(
                    findings,
                    wb,
                    sheet,
                    row,
                    side,
                    f"Task {task_id}: the {side} '{p.as_written}' is not a date the dashboard can read; it is treated as not set.",
                    p.advice,
                )
            elif cell.assumption == Assumption.DAY_FIRST:
                day_first.append((int(row), cell.as_written))
            elif cell.assumption in _CELL_ASSUMPTIONS:
                if cell.assumption == Assumption.MONTH_FIRST:
                    month_first.append(int(row))
                extra = ""
                if cell.status and cell.assumption == Assumption.WORDS_IGNORED:
                    extra = f"; '{cell.status}' is taken as the task's status until an update says otherwise"
                _warn(
                    findings,
                    wb,
                    sheet,
                    row,
                    side,
                    f"Task {task_id}: the {side} '{cell.as_written}' was {cell.note}{extra}.",
                    _ADVICE_READ if cell.assumption != Assumption.WORDS_IGNORED else "Keep status and dates in their own columns.",
                )
        if day_first:
            rows = ", ".join(str(r) for r, _ in day_first[:10]) + (f" and {len(day_first) - 10:,} more" if len(day_first) > 10 else "")
            example = day_first[0][1]
            doubt = (
                f" {noun(len(month_first[:5]), 'Row')} {', '.join(map(str, month_first[:5]))} can only be read month first, so check whether this column is written month first."
                if month_first
                else ""
            )
            _warn(
                findings,
                wb,
                sheet,
                None,
                side,
                f"{len(day_first):,} {side} {noun(len(day_first), 'date')} could be read day first or month first "
                f"(such as '{example}', row{'s' if len(day_first) > 1 else ''} {rows}); "
                f"each was read day first, as UK dates are written.{doubt}",
                "Write such dates with the month in words (1 Feb 2017) to remove the doubt.",
            )


def _plan_cells(column: pd.Series, quarters, reference) -> list:
    """read_plan_cells for a column, called on its distinct (type, value) keys only (the key it caches by) and
    spread by C-level look-ups: the same PlanCell object for every cell of one value, as read_plan_cells gives."""
    values = column.tolist()
    keys = list(zip(map(type, values), values))
    try:
        distinct = dict.fromkeys(keys)
    except TypeError:  # an unhashable cell: read_plan_cells reads it on its own
        return read_plan_cells(column, quarters, reference)
    read = dict(zip(distinct, read_plan_cells([value for _, value in distinct], quarters, reference)))
    return list(map(read.__getitem__, keys))


def _may_note(cell, p) -> bool:
    """Whether a plan-date cell and its reading give a finding in _plan_dates (the conditions of its loop, in one test)."""
    return (
        cell.kind == DateKind.UNREADABLE
        or p.kind == DateKind.UNREADABLE
        or cell.assumption == Assumption.DAY_FIRST
        or cell.assumption in _CELL_ASSUMPTIONS
    )


def _tidy_updates(raw: RawWorkbook, task_ids: set[str], findings: list[Finding]) -> pd.DataFrame:
    frame = raw.frame("Updates")
    if frame is None:
        return _empty("Updates")
    wb, sheet = raw.workbook, raw.sheet_name("Updates")
    updates = frame.copy()
    unknown = ~updates["task_id"].isin(task_ids)
    add_capped_rows(
        findings,
        updates[unknown],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "task_id",
            "Update for an unknown task: "
            + (f"task_id '{u['task_id']}' is not in the Tasks sheet" if u["task_id"] else "the row has no task_id")
            + "; the row was left out.",
            "Use a task_id from the Tasks sheet.",
        ),
    )
    no_date = updates["as_at"].isna() & ~unknown
    add_capped_rows(
        findings,
        updates[no_date],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "as_at",
            f"Update for task {u['task_id']} has no readable as_at date; the row was left out.",
            "Give every update its reporting date.",
        ),
    )
    updates = updates[~unknown & ~no_date].copy()
    statuses = map_distinct(updates["status"], read_status)
    bad_status = statuses.isna()
    add_capped_rows(
        findings,
        updates[bad_status],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "status",
            f"Task {u['task_id']} at {u['as_at']:%d %b %Y}: "
            + (f"'{u['status']}' is not a known status" if u["status"] else "no status is given")
            + "; the previous status is kept.",
            "Use Not started, In progress, Complete, On hold or Cancelled.",
        ),
    )
    updates["status"] = statuses.astype("object")
    out_of_range = updates["percent_complete"].notna() & ~updates["percent_complete"].between(0, 100)
    add_capped_rows(
        findings,
        updates[out_of_range],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "percent_complete",
            f"Task {u['task_id']}: percent complete {u['percent_complete']:g} is outside 0-100; ignored.",
            "Enter a percentage from 0 to 100.",
        ),
    )
    updates.loc[out_of_range, "percent_complete"] = float("nan")
    given_rag = updates["reported_rag"].notna()
    rags = map_distinct(updates["reported_rag"], read_rag)
    add_capped_rows(
        findings,
        updates[given_rag & rags.isna()],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "reported_rag",
            f"Task {u['task_id']}: reported RAG '{u['reported_rag']}' is not Red, Amber, Green or Blue; ignored.",
        ),
    )
    updates["reported_rag"] = rags.astype("object")
    updates = updates.sort_values(["task_id", "as_at", "excel_row"], kind="stable")
    dup = updates.duplicated(["task_id", "as_at"], keep="last")
    add_capped_rows(
        findings,
        updates[dup],
        lambda u: _warning(
            wb,
            sheet,
            u["excel_row"],
            "as_at",
            f"Task {u['task_id']} has two updates for {u['as_at']:%d %b %Y}; the later row was used.",
            "Keep one update per task per reporting date.",
        ),
    )
    return updates[~dup].reset_index(drop=True)


def _tidy_theme_recs(raw: RawWorkbook, themes: pd.DataFrame, recs: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    wb, sheet = raw.workbook, raw.sheet_name("Theme_Recommendations")
    pairs = raw.frame("Theme_Recommendations")[["theme_id", "rec_id", "excel_row"]].copy()
    # "2, 3 and 9" in one cell, as the plan's Appendix 1 prints it, is several pairs.
    split = map_distinct(pairs["rec_id"], split_ids)
    add_capped(
        findings,
        ((row, ids) for row, ids in zip(pairs["excel_row"], split) if ids is not None and len(ids) > MAX_IDS_PER_CELL),
        lambda item: _warning(
            wb,
            sheet,
            item[0],
            "rec_id",
            f"The cell lists {len(item[1]):,} ids; only the first {MAX_IDS_PER_CELL} were read.",
            "List only the ids that apply.",
        ),
    )
    pairs["rec_id"] = [ids[:MAX_IDS_PER_CELL] if ids else (None,) for ids in split]
    pairs = pairs.explode("rec_id")
    bad_theme = ~pairs["theme_id"].isin(set(themes["theme_id"]))
    bad_rec = ~pairs["rec_id"].isin(set(recs["rec_id"]))
    add_capped_rows(
        findings,
        pairs[bad_theme],
        lambda p: _warning(
            wb, sheet, p["excel_row"], "theme_id", f"Theme '{p['theme_id']}' is not in the Themes sheet; the pair was left out."
        ),
    )
    add_capped_rows(
        findings,
        pairs[bad_rec & ~bad_theme],
        lambda p: _warning(
            wb,
            sheet,
            p["excel_row"],
            "rec_id",
            f"Recommendation '{p['rec_id']}' is not in the Recommendations sheet; the pair was left out.",
        ),
    )
    pairs = pairs[~bad_theme & ~bad_rec].drop_duplicates(["theme_id", "rec_id"])
    return pairs.reset_index(drop=True)


def _tidy_risks(raw: RawWorkbook, findings: list[Finding]) -> pd.DataFrame:
    frame = raw.frame("Risks")
    if frame is None:
        return _empty("Risks")
    wb, sheet = raw.workbook, raw.sheet_name("Risks")
    risks = frame.copy()
    ratings = {r.lower(): r for r in RISK_RATINGS}
    responses = {r.lower(): r for r in RISK_RESPONSES}
    for column, allowed in (("rating", ratings), ("response", responses)):
        values = risks[column].map(lambda v, a=allowed: a.get(str(v).strip().lower()) if isinstance(v, str) else None)
        add_capped_rows(
            findings,
            risks[risks[column].notna() & values.isna()],
            lambda r, column=column, allowed=allowed: _warning(
                wb,
                sheet,
                r["excel_row"],
                column,
                f"Risk {r['risk_id']}: '{r[column]}' is not one of {', '.join(allowed.values())}; shown as written.",
            ),
        )
        risks[column] = values.where(values.notna(), risks[column])
    for column in ("likelihood", "impact"):
        bad = risks[column].notna() & ~risks[column].between(1, 5)
        add_capped_rows(
            findings,
            risks[bad],
            lambda r, column=column: _warning(
                wb, sheet, r["excel_row"], column, f"Risk {r['risk_id']}: {column} {r[column]:g} is outside 1-5; ignored."
            ),
        )
        risks.loc[bad, column] = float("nan")
    return risks.reset_index(drop=True)


def _tidy_lscb(raw: RawWorkbook, findings: list[Finding]) -> pd.DataFrame:
    frame = raw.frame("LSCB_Actions")
    if frame is None:
        frame = _empty("LSCB_Actions")
    wb, sheet = raw.workbook, raw.sheet_name("LSCB_Actions")
    actions = frame.copy()
    reference = parse_plan_date(raw.about.get("plan_date"), Side.FINISH).date
    parsed = parse_plan_dates(actions["timescale"], Side.FINISH, raw.about.get("quarters") or "calendar", reference)
    actions["timescale_as_written"] = [p.as_written for p in parsed]
    actions["due"] = pd.to_datetime(pd.Series([p.date for p in parsed], index=actions.index, dtype="object"))
    add_capped(
        findings,
        (
            (row, action_id, p)
            for row, action_id, p in zip(actions["excel_row"], actions["action_id"], parsed)
            if p.kind == DateKind.UNREADABLE
        ),
        lambda item: _warning(
            wb,
            sheet,
            item[0],
            "timescale",
            f"LSCB action {item[1]}: timescale '{item[2].as_written}' is not a readable date.",
            item[2].advice,
        ),
    )
    add_capped(
        findings,
        (
            (row, action_id, p)
            for row, action_id, p in zip(actions["excel_row"], actions["action_id"], parsed)
            if p.kind != DateKind.UNREADABLE and p.assumption in _CELL_ASSUMPTIONS
        ),
        lambda item: _warning(
            wb,
            sheet,
            item[0],
            "timescale",
            f"LSCB action {item[1]}: the timescale '{item[2].as_written}' was {item[2].note}.",
            _ADVICE_READ,
        ),
    )
    statuses = actions["status"].map(read_status)
    add_capped_rows(
        findings,
        actions[actions["status"].notna() & statuses.isna()],
        lambda a: _warning(wb, sheet, a["excel_row"], "status", f"LSCB action {a['action_id']}: '{a['status']}' is not a known status."),
    )
    actions["status"] = statuses.astype("object")
    return actions.drop(columns=["timescale"]).reset_index(drop=True)


def _no_contract_sheets(error: WorkbookError) -> bool:
    """The contract's Recommendations and Themes sheets are both missing: the workbook is not in the full form at all."""
    missing = {f.sheet for f in error.findings if f.severity == Severity.ERROR and f.row is None and f.message.startswith("Required sheet")}
    return {"Recommendations", "Themes"} <= missing


def _empty_issues() -> pd.DataFrame:
    frame = _empty("Issues")
    frame["status_as_written"] = pd.Series(dtype="object")
    for column in ("raised", "closed"):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    return frame


def _empty_decisions() -> pd.DataFrame:
    frame = _empty("Decisions")
    frame["status_as_written"] = pd.Series(dtype="object")
    for column in ("meeting", "due"):
        frame[column] = pd.Series(dtype="datetime64[ns]")
    return frame


def _known_task_ids(
    frame: pd.DataFrame, task_ids: set[str], findings: list[Finding], wb: str, sheet: str, key: str, noun: str
) -> pd.Series:
    """The frame's task_ids with unknown ids left out, each unknown id a finding naming sheet, row and column."""
    cleaned: list[tuple[str, ...]] = []
    reported = 0
    for row, item, ids in zip(frame["excel_row"], frame[key], frame["task_ids"]):
        ids = ids if isinstance(ids, tuple) else ()
        unknown = [t for t in ids if t not in task_ids]
        if unknown and reported < MAX_FINDINGS_PER_COLUMN:
            reported += 1
            _warn(
                findings,
                wb,
                sheet,
                row,
                "task_ids",
                f"{noun} {item} names {'task' if len(unknown) == 1 else 'tasks'} {', '.join(unknown)}, not in the Tasks sheet; ignored.",
                "Use task_ids from the Tasks sheet.",
            )
        elif unknown:
            reported += 1
        cleaned.append(tuple(t for t in ids if t in task_ids))
    if reported > MAX_FINDINGS_PER_COLUMN:
        _warn(findings, wb, sheet, None, "task_ids", f"{reported - MAX_FINDINGS_PER_COLUMN:,} more rows name unknown tasks.")
    return pd.Series(cleaned, index=frame.index, dtype="object")


def _tidy_issues(raw: RawWorkbook, task_ids: set[str], theme_ids: set[str], findings: list[Finding]) -> pd.DataFrame:
    """The Issues sheet: status read (Open/Closed), unknown tasks and themes left out, findings for gaps.

    A blank or unrecognised status is worked out from the closed date (given: Closed; blank: Open).
    A closed date wins over an `Open` status (the issue counts as closed from that date).
    """
    frame = raw.frame("Issues")
    if frame is None:
        return _empty_issues()
    wb, sheet = raw.workbook, raw.sheet_name("Issues")
    issues = frame.copy()
    issues["task_ids"] = _known_task_ids(issues, task_ids, findings, wb, sheet, "issue_id", "Issue")
    bad_theme = issues["theme_id"].notna() & ~issues["theme_id"].isin(theme_ids)
    for _, i in issues[bad_theme].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "theme_id",
            f"Issue {i['issue_id']} names theme '{i['theme_id']}', which is not in the Themes sheet; ignored.",
            "Use a theme_id from the Themes sheet.",
        )
    issues.loc[bad_theme, "theme_id"] = None
    read = map_distinct(issues["status"], read_issue_status)
    has_closed = issues["closed"].notna()
    derived = has_closed.map({True: IssueStatus.CLOSED, False: IssueStatus.OPEN}).astype("object")
    unknown = read.isna()
    open_but_closed = (read == IssueStatus.OPEN) & has_closed
    closed_no_date = (read == IssueStatus.CLOSED) & ~has_closed
    for _, i in issues[unknown].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        said = f"'{i['status']}' is not Open or Closed" if isinstance(i["status"], str) else "no status is given"
        closed = pd.notna(i["closed"])
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "status",
            f"Issue {i['issue_id']}: {said}; treated as {'Closed' if closed else 'Open'} ({'a' if closed else 'no'} closed date).",
            "Write Open or Closed.",
        )
    for _, i in issues[open_but_closed].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "status",
            f"Issue {i['issue_id']} is marked Open but has a closed date ({i['closed']:%d %b %Y}); counted as closed from that date.",
            "Clear the closed date if the issue is still open, or mark it Closed.",
        )
    for _, i in issues[closed_no_date].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "closed",
            f"Issue {i['issue_id']} is Closed but has no closed date; it counts as closed at every reporting date, "
            "and is not among the issues closed between two meetings.",
            "Give the date the issue was closed.",
        )
    statuses = read.where(~unknown & ~open_but_closed, derived)
    issues["status_as_written"] = issues["status"]
    issues["status"] = pd.Series(statuses, index=issues.index, dtype="object")
    for _, i in issues[issues["raised"].isna()].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "raised",
            f"Issue {i['issue_id']} has no raised date; it counts as open from the start, and how long it has been open is not known.",
            "Give the date the issue was raised.",
        )
    backwards = issues["raised"].notna() & issues["closed"].notna() & (issues["closed"] < issues["raised"])
    for _, i in issues[backwards].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "closed",
            f"Issue {i['issue_id']} is closed ({i['closed']:%d %b %Y}) before it was raised ({i['raised']:%d %b %Y}).",
            "Check the raised and closed dates.",
        )
    no_owner = issues["owner"].isna() & (issues["status"] == IssueStatus.OPEN)
    for _, i in issues[no_owner].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            i["excel_row"],
            "owner",
            f"Open issue {i['issue_id']} has no owner.",
            "Name who is resolving the issue.",
        )
    for column in ("raised", "closed"):
        issues[column] = pd.to_datetime(issues[column]).astype("datetime64[ns]")
    return issues.reset_index(drop=True)


def _tidy_decisions(raw: RawWorkbook, task_ids: set[str], findings: list[Finding]) -> pd.DataFrame:
    """The Decisions sheet: status read (Needed/Taken/Done; blank or unrecognised is Needed, with a finding),
    unknown tasks left out, a finding for each decision not yet done that names no owner."""
    frame = raw.frame("Decisions")
    if frame is None:
        return _empty_decisions()
    wb, sheet = raw.workbook, raw.sheet_name("Decisions")
    decisions = frame.copy()
    decisions["task_ids"] = _known_task_ids(decisions, task_ids, findings, wb, sheet, "decision_id", "Decision")
    read = map_distinct(decisions["status"], read_decision_status)
    for _, d in decisions[read.isna()].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        said = f"'{d['status']}' is not Needed, Taken or Done" if isinstance(d["status"], str) else "no status is given"
        _warn(
            findings,
            wb,
            sheet,
            d["excel_row"],
            "status",
            f"Decision {d['decision_id']}: {said}; treated as Needed (still to be made).",
            "Write Needed, Taken or Done.",
        )
    decisions["status_as_written"] = decisions["status"]
    decisions["status"] = read.where(read.notna(), DecisionStatus.NEEDED).astype("object")
    no_owner = decisions["owner"].isna() & (decisions["status"] != DecisionStatus.DONE)
    for _, d in decisions[no_owner].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            d["excel_row"],
            "owner",
            f"Decision {d['decision_id']} ({d['status']}) has no owner: nobody is named to "
            + ("bring it to the board." if d["status"] == DecisionStatus.NEEDED else "carry it out."),
            "Name the decision's owner.",
        )
    for column in ("meeting", "due"):
        decisions[column] = pd.to_datetime(decisions[column]).astype("datetime64[ns]")
    return decisions.reset_index(drop=True)


def load_plan(data: bytes, workbook: str = "plan workbook", specs: tuple[SheetSpec, ...] = PLAN_SHEETS) -> PlanData:
    """Read and validate a plan workbook's bytes. Raises WorkbookError when it cannot be used.

    A workbook with neither a Recommendations nor a Themes sheet is read as a council's own tracker
    (src/analysis/tracker.py, "Trackers as kept") before it is refused.
    """
    try:
        raw = read_workbook(data, workbook, specs)
    except WorkbookError as error:
        if not _no_contract_sheets(error):
            raise
        from .tracker import load_tracker  # imports this module: loaded only when needed

        try:
            return load_tracker(data, workbook)
        except WorkbookError as tracker_error:
            raise WorkbookError(error.findings + tracker_error.findings) from None
    findings = list(raw.findings)
    recs = raw.frame("Recommendations").reset_index(drop=True)
    themes = raw.frame("Themes").reset_index(drop=True)
    tasks = _tidy_tasks(raw, themes, recs, findings)
    theme_recs = _tidy_theme_recs(raw, themes, recs, findings)
    updates = _tidy_updates(raw, set(tasks["task_id"]), findings)
    governance = raw.frame("Governance")
    risks, lscb = _tidy_risks(raw, findings), _tidy_lscb(raw, findings)
    issues = _tidy_issues(raw, set(tasks["task_id"]), set(themes["theme_id"]), findings)
    decisions = _tidy_decisions(raw, set(tasks["task_id"]), findings)
    return PlanData(  # findings capped last, once every sheet has added its own
        workbook=workbook,
        about=raw.about,
        recommendations=recs,
        themes=themes,
        theme_recommendations=theme_recs,
        tasks=tasks,
        updates=updates,
        risks=risks,
        lscb_actions=lscb,
        governance=governance if governance is not None else _empty("Governance"),
        findings=cap_findings(findings),
        sheet_names={name: table.name for name, table in raw.tables.items()},
        issues=issues,
        decisions=decisions,
    )
