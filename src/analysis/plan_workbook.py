"""The plan workbook: read, validate and tidy (Recommendations, Themes, Tasks, Updates, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from .dates import DateKind, Side, parse_plan_date, parse_plan_dates
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
        for row, task_id, p in zip(tasks["excel_row"], tasks["task_id"], parsed):
            if p.kind == DateKind.UNREADABLE:
                _warn(
                    findings,
                    wb,
                    sheet,
                    row,
                    side,
                    f"Task {task_id}: the {side} '{p.as_written}' is not a date the dashboard can read; it is treated as not set.",
                    "Write a date (31/03/2017), a month (March 2017), a quarter (Q1 2017), 'Started' (starts only) or TBC.",
                )
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
    parsed = parse_plan_dates(actions["timescale"], Side.FINISH)
    actions["timescale_as_written"] = [p.as_written for p in parsed]
    actions["due"] = pd.to_datetime(pd.Series([p.date for p in parsed], index=actions.index, dtype="object"))
    for row, action_id, p in zip(actions["excel_row"], actions["action_id"], parsed):
        if p.kind == DateKind.UNREADABLE:
            _warn(findings, wb, sheet, row, "timescale", f"LSCB action {action_id}: timescale '{p.as_written}' is not a readable date.")
    statuses = actions["status"].map(read_status)
    for _, a in actions[actions["status"].notna() & statuses.isna()].iterrows():
        _warn(findings, wb, sheet, a["excel_row"], "status", f"LSCB action {a['action_id']}: '{a['status']}' is not a known status.")
    actions["status"] = statuses.astype("object")
    return actions.drop(columns=["timescale"]).reset_index(drop=True)


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
                f"{noun} {item} names task(s) {', '.join(unknown)}, not in the Tasks sheet; ignored.",
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
        issues=_tidy_issues(raw, set(tasks["task_id"]), set(themes["theme_id"]), findings),
        decisions=_tidy_decisions(raw, set(tasks["task_id"]), findings),
    )
