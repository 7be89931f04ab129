"""The plan workbook: read, validate and tidy (Recommendations, Themes, Tasks, Updates, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from .dates import DateKind, Side, parse_plan_date, parse_plan_dates
from .findings import Finding, Severity, add_capped, add_capped_rows, cap_findings
from .limits import MAX_IDS_PER_CELL
from .load import RawWorkbook, map_distinct, read_workbook, split_ids
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
    cleaned = [tuple(r for r in ids if r in known_recs) for ids in tasks["rec_ids"]]
    add_capped(
        findings,
        (
            (row, task_id, [r for r in ids if r not in known_recs])
            for row, task_id, ids, kept in zip(tasks["excel_row"], tasks["task_id"], tasks["rec_ids"], cleaned)
            if len(kept) != len(ids)
        ),
        lambda item: _warning(
            wb,
            sheet,
            item[0],
            "rec_ids",
            f"Task {item[1]} names recommendation(s) {_ids(item[2])}, not in the Recommendations sheet; ignored.",
            "Use rec_ids from the Recommendations sheet.",
        ),
    )
    tasks["rec_ids"] = pd.Series(cleaned, index=tasks.index, dtype="object")
    starts = parse_plan_dates(tasks["start"], Side.START)
    finishes = parse_plan_dates(tasks["finish"], Side.FINISH)
    tasks["start_as_written"] = [p.as_written for p in starts]
    tasks["finish_as_written"] = [p.as_written for p in finishes]
    tasks["planned_start"] = pd.to_datetime(pd.Series([p.date for p in starts], index=tasks.index, dtype="object"))
    tasks["planned_finish"] = pd.to_datetime(pd.Series([p.date for p in finishes], index=tasks.index, dtype="object"))
    tasks["start_kind"] = [str(p.kind) for p in starts]
    tasks["finish_kind"] = [str(p.kind) for p in finishes]
    tasks["started_at_plan"] = tasks["start_kind"] == DateKind.STARTED
    for side, parsed in (("start", starts), ("finish", finishes)):
        add_capped(
            findings,
            ((row, task_id, p) for row, task_id, p in zip(tasks["excel_row"], tasks["task_id"], parsed) if p.kind == DateKind.UNREADABLE),
            lambda item, side=side: _warning(
                wb,
                sheet,
                item[0],
                side,
                f"Task {item[1]}: the {side} '{item[2].as_written}' is not a date the dashboard can read; it is treated as not set.",
                "Write a date (31/03/2017), a month (March 2017), a quarter (Q1 2017), 'Started' (starts only) or TBC.",
            ),
        )
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
    parsed = parse_plan_dates(actions["timescale"], Side.FINISH)
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
            wb, sheet, item[0], "timescale", f"LSCB action {item[1]}: timescale '{item[2].as_written}' is not a readable date."
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
        findings=cap_findings(findings),
        sheet_names={name: table.name for name, table in raw.tables.items()},
    )
