"""The plan workbook: read, validate and tidy (Recommendations, Themes, Tasks, Updates, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from .dates import Assumption, DateKind, Side, parse_plan_date, parse_plan_dates, read_plan_cells, task_dates
from .findings import Finding, Severity
from .load import MAX_FINDINGS_PER_COLUMN, RawWorkbook, map_distinct, read_workbook, split_ids
from .schema import PLAN_SHEETS, SheetSpec, normalise_name


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
            f"Quarters written without a financial year (such as '{example}', {int(read.sum())} task(s)) are read as {how}, "
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
    findings.append(Finding(workbook, sheet, None if row is None else int(row), column, message, Severity.WARNING, advice))


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
    for _, t in tasks[tasks["lead"].isna()].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            t["excel_row"],
            "lead",
            f"Task {t['task_id']} has no lead officer (none given above it in its milestone either).",
            "Name the lead officer responsible for the task.",
        )
    theme_names = dict(zip(themes["theme_id"], themes["theme"]))
    tasks["theme"] = tasks["theme_id"].map(theme_names)
    for _, t in tasks[tasks["theme_id"].notna() & tasks["theme"].isna()].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            t["excel_row"],
            "theme_id",
            f"Task {t['task_id']} names theme '{t['theme_id']}', which is not in the Themes sheet.",
            "Use a theme_id from the Themes sheet, or add the theme.",
        )
    known_recs = set(recs["rec_id"])
    cleaned: list[tuple[str, ...]] = []
    for row, task_id, ids in zip(tasks["excel_row"], tasks["task_id"], tasks["rec_ids"]):
        unknown = [r for r in ids if r not in known_recs]
        if unknown:
            _warn(
                findings,
                wb,
                sheet,
                row,
                "rec_ids",
                f"Task {task_id} names recommendation(s) {', '.join(unknown)}, not in the Recommendations sheet; ignored.",
                "Use rec_ids from the Recommendations sheet.",
            )
        cleaned.append(tuple(r for r in ids if r in known_recs))
    tasks["rec_ids"] = pd.Series(cleaned, index=tasks.index, dtype="object")
    _plan_dates(tasks, raw, findings)
    backwards = tasks["planned_finish"] < tasks["planned_start"]
    for _, t in tasks[backwards].iterrows():
        _warn(
            findings,
            wb,
            sheet,
            t["excel_row"],
            "finish",
            f"Task {t['task_id']} finishes ({t['finish_as_written']}) before it starts ({t['start_as_written']}).",
            "Check the start and finish.",
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
    start_cells = read_plan_cells(tasks["start"], quarters, reference)
    finish_cells = read_plan_cells(tasks["finish"], quarters, reference)
    pairs = [task_dates(s, f) for s, f in zip(start_cells, finish_cells)]
    starts = [p[0] for p in pairs]
    finishes = [p[1] for p in pairs]
    tasks["start_as_written"] = [p.as_written for p in starts]
    tasks["finish_as_written"] = [p.as_written for p in finishes]
    tasks["planned_start"] = pd.to_datetime(pd.Series([p.date for p in starts], index=tasks.index, dtype="object"))
    tasks["planned_finish"] = pd.to_datetime(pd.Series([p.date for p in finishes], index=tasks.index, dtype="object"))
    tasks["start_kind"] = [str(p.kind) for p in starts]
    tasks["finish_kind"] = [str(p.kind) for p in finishes]
    tasks["start_note"] = [p.note for p in starts]
    tasks["finish_note"] = [p.note for p in finishes]
    tasks["start_assumption"] = [str(p.assumption) for p in starts]
    tasks["finish_assumption"] = [str(p.assumption) for p in finishes]
    tasks["started_at_plan"] = tasks["start_kind"] == DateKind.STARTED
    tasks["ongoing"] = tasks["finish_kind"] == DateKind.ONGOING
    # A status written with the date (`Done (March 2004)`) is the task's position until an update says otherwise.
    carried = [read_status(f.status or s.status) for s, f in zip(start_cells, finish_cells)]
    tasks["plan_status"] = pd.Series([None if c is None else str(c) for c in carried], index=tasks.index, dtype="object")
    for side, cells, parsed in (("start", start_cells, starts), ("finish", finish_cells, finishes)):
        day_first: list[tuple[int, str]] = []
        month_first: list[int] = []
        for row, task_id, cell, p in zip(tasks["excel_row"], tasks["task_id"], cells, parsed):
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
                f" Row(s) {', '.join(map(str, month_first[:5]))} can only be read month first, so check whether this column is written month first."
                if month_first
                else ""
            )
            _warn(
                findings,
                wb,
                sheet,
                None,
                side,
                f"{len(day_first):,} {side} date(s) could be read day first or month first "
                f"(such as '{example}', row{'s' if len(day_first) > 1 else ''} {rows}); "
                f"each was read day first, as UK dates are written.{doubt}",
                "Write such dates with the month in words (1 Feb 2017) to remove the doubt.",
            )


def _tidy_updates(raw: RawWorkbook, task_ids: set[str], findings: list[Finding]) -> pd.DataFrame:
    frame = raw.frame("Updates")
    if frame is None:
        return _empty("Updates")
    wb, sheet = raw.workbook, raw.sheet_name("Updates")
    updates = frame.copy()
    unknown = ~updates["task_id"].isin(task_ids)
    for _, u in updates[unknown].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        what = f"task_id '{u['task_id']}' is not in the Tasks sheet" if u["task_id"] else "the row has no task_id"
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "task_id",
            f"Update for an unknown task: {what}; the row was left out.",
            "Use a task_id from the Tasks sheet.",
        )
    if unknown.sum() > MAX_FINDINGS_PER_COLUMN:
        _warn(findings, wb, sheet, None, "task_id", f"{int(unknown.sum()) - MAX_FINDINGS_PER_COLUMN:,} more updates name unknown tasks.")
    no_date = updates["as_at"].isna() & ~unknown
    for _, u in updates[no_date].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "as_at",
            f"Update for task {u['task_id']} has no readable as_at date; the row was left out.",
            "Give every update its reporting date.",
        )
    updates = updates[~unknown & ~no_date].copy()
    statuses = map_distinct(updates["status"], read_status)
    bad_status = statuses.isna()
    for _, u in updates[bad_status].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        said = f"'{u['status']}' is not a known status" if u["status"] else "no status is given"
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "status",
            f"Task {u['task_id']} at {u['as_at']:%d %b %Y}: {said}; the previous status is kept.",
            "Use Not started, In progress, Complete, On hold or Cancelled.",
        )
    updates["status"] = statuses.astype("object")
    out_of_range = updates["percent_complete"].notna() & ~updates["percent_complete"].between(0, 100)
    for _, u in updates[out_of_range].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "percent_complete",
            f"Task {u['task_id']}: percent complete {u['percent_complete']:g} is outside 0-100; ignored.",
            "Enter a percentage from 0 to 100.",
        )
    updates.loc[out_of_range, "percent_complete"] = float("nan")
    given_rag = updates["reported_rag"].notna()
    rags = map_distinct(updates["reported_rag"], read_rag)
    for _, u in updates[given_rag & rags.isna()].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "reported_rag",
            f"Task {u['task_id']}: reported RAG '{u['reported_rag']}' is not Red, Amber, Green or Blue; ignored.",
        )
    updates["reported_rag"] = rags.astype("object")
    updates = updates.sort_values(["task_id", "as_at", "excel_row"], kind="stable")
    dup = updates.duplicated(["task_id", "as_at"], keep="last")
    for _, u in updates[dup].head(MAX_FINDINGS_PER_COLUMN).iterrows():
        _warn(
            findings,
            wb,
            sheet,
            u["excel_row"],
            "as_at",
            f"Task {u['task_id']} has two updates for {u['as_at']:%d %b %Y}; the later row was used.",
            "Keep one update per task per reporting date.",
        )
    return updates[~dup].reset_index(drop=True)


def _tidy_theme_recs(raw: RawWorkbook, themes: pd.DataFrame, recs: pd.DataFrame, findings: list[Finding]) -> pd.DataFrame:
    wb, sheet = raw.workbook, raw.sheet_name("Theme_Recommendations")
    pairs = raw.frame("Theme_Recommendations")[["theme_id", "rec_id", "excel_row"]].copy()
    # "2, 3 and 9" in one cell, as the plan's Appendix 1 prints it, is several pairs.
    pairs["rec_id"] = pairs["rec_id"].map(lambda v: split_ids(v) or (None,))
    pairs = pairs.explode("rec_id")
    bad_theme = ~pairs["theme_id"].isin(set(themes["theme_id"]))
    bad_rec = ~pairs["rec_id"].isin(set(recs["rec_id"]))
    for _, p in pairs[bad_theme].iterrows():
        _warn(
            findings, wb, sheet, p["excel_row"], "theme_id", f"Theme '{p['theme_id']}' is not in the Themes sheet; the pair was left out."
        )
    for _, p in pairs[bad_rec & ~bad_theme].iterrows():
        _warn(
            findings,
            wb,
            sheet,
            p["excel_row"],
            "rec_id",
            f"Recommendation '{p['rec_id']}' is not in the Recommendations sheet; the pair was left out.",
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
        for _, r in risks[risks[column].notna() & values.isna()].iterrows():
            _warn(
                findings,
                wb,
                sheet,
                r["excel_row"],
                column,
                f"Risk {r['risk_id']}: '{r[column]}' is not one of {', '.join(allowed.values())}; shown as written.",
            )
        risks[column] = values.where(values.notna(), risks[column])
    for column in ("likelihood", "impact"):
        bad = risks[column].notna() & ~risks[column].between(1, 5)
        for _, r in risks[bad].iterrows():
            _warn(findings, wb, sheet, r["excel_row"], column, f"Risk {r['risk_id']}: {column} {r[column]:g} is outside 1-5; ignored.")
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
    for row, action_id, p in zip(actions["excel_row"], actions["action_id"], parsed):
        if p.kind == DateKind.UNREADABLE:
            _warn(
                findings,
                wb,
                sheet,
                row,
                "timescale",
                f"LSCB action {action_id}: timescale '{p.as_written}' is not a readable date.",
                p.advice,
            )
        elif p.assumption in _CELL_ASSUMPTIONS:
            _warn(
                findings,
                wb,
                sheet,
                row,
                "timescale",
                f"LSCB action {action_id}: the timescale '{p.as_written}' was {p.note}.",
                _ADVICE_READ,
            )
    statuses = actions["status"].map(read_status)
    for _, a in actions[actions["status"].notna() & statuses.isna()].iterrows():
        _warn(findings, wb, sheet, a["excel_row"], "status", f"LSCB action {a['action_id']}: '{a['status']}' is not a known status.")
    actions["status"] = statuses.astype("object")
    return actions.drop(columns=["timescale"]).reset_index(drop=True)


def load_plan(data: bytes, workbook: str = "plan workbook", specs: tuple[SheetSpec, ...] = PLAN_SHEETS) -> PlanData:
    """Read and validate a plan workbook's bytes. Raises WorkbookError when it cannot be used."""
    raw = read_workbook(data, workbook, specs)
    findings = list(raw.findings)
    recs = raw.frame("Recommendations").reset_index(drop=True)
    themes = raw.frame("Themes").reset_index(drop=True)
    tasks = _tidy_tasks(raw, themes, recs, findings)
    theme_recs = _tidy_theme_recs(raw, themes, recs, findings)
    updates = _tidy_updates(raw, set(tasks["task_id"]), findings)
    governance = raw.frame("Governance")
    return PlanData(
        workbook=workbook,
        about=raw.about,
        recommendations=recs,
        themes=themes,
        theme_recommendations=theme_recs,
        tasks=tasks,
        updates=updates,
        risks=_tidy_risks(raw, findings),
        lscb_actions=_tidy_lscb(raw, findings),
        governance=governance if governance is not None else _empty("Governance"),
        findings=findings,
        sheet_names={name: table.name for name, table in raw.tables.items()},
    )
