"""The board's governance log: the Issues Log and the QIB's decisions, at a reporting date (issue 15).

The plan's governance section gives the programme office three jobs: coordinate the risk register
(`risks.risk_register`), coordinate the Issues Log, and identify when the QIB needs to make a
decision. This module answers the last two from the optional Issues and Decisions sheets, read and
validated by `plan_workbook.load_plan` (`PlanData.issues`, `PlanData.decisions`).

Plain pandas. `view` is a `plan_view.PlanView`: every task RAG here is the task table's RAG at D, so
it is the RAG on every other page. The public functions return frames with plain-English column
names, ready for a page, the Excel export or the brief; dates stay real dates (`format_date` words them).

Rules (D is the reporting date, P the previous reporting date in Updates):

- **An issue is open at D** when it was raised on or before D (a blank raised date counts as
  raised before any D) and it is not closed by D: its status is Open, or its closed date is after D.
  A Closed issue with no closed date is closed at every D. Issues raised after D are not listed.
- **Open issues** come first, oldest raised first (blank raised dates after the dated ones); then
  the issues closed by D, most recently closed first. Each names the tasks it holds up with their
  RAG at D; an issue naming a theme holds up that theme's tasks.
- **Decisions needed**: where the plan has a Decisions sheet, the decisions whose status is Needed,
  earliest meeting first (those asked for at a meeting before D and still not made first; blank
  meetings last). Where it has none, worked out from the data: open tasks whose expected finish is
  beyond the RAG tolerance at D for the first time (within the tolerance, or not yet late, at P; at
  the first reporting date every such task is new), which need a re-plan agreed by the board. The
  result always says which source it used.
- **Decisions taken, not yet done**: status Taken, from a meeting on or before D (or no meeting
  date); overdue (due before D) first, then by due date, no due date last. The log keeps each
  decision's current status, not its history, so a view at an earlier D uses today's statuses.
- **Between two reporting dates** (the Changes page): issues raised in (P, D], issues closed in
  (P, D] (a closed date is needed), decisions taken or done at a meeting in (P, D].
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .dates import format_date
from .exceptions import previous_reporting_date
from .plan_workbook import DecisionStatus, IssueStatus, PlanData, Rag, TaskStatus
from .progress import rag_grid, task_table
from .wording import MISSING, days

ISSUES_SHEET, DECISIONS_SHEET = "Issues", "Decisions"
SOURCE_LOG = "decisions log"
SOURCE_DATA = "worked out from the data"
NO_OWNER = "(no owner given)"

ISSUE_COLUMNS = [
    "Issue ID",
    "Issue",
    "State at reporting date",
    "Raised",
    "Days open",
    "Owner",
    "Tasks held up",
    "Worst RAG of tasks held up",
    "Theme",
    "Impact",
    "Action",
    "Closed",
    "Note",
    "Task IDs",
]
DECISION_COLUMNS = ["Decision ID", "Decision", "Status", "Meeting", "When", "Board", "Owner", "Tasks", "Due", "Timeliness", "Outcome"]
ISSUE_FOR_TASK_COLUMNS = ["Task ID", "Task", "RAG", "Issue ID", "Issue", "Owner", "Raised", "Linked by", "Summary"]


def _days(n: int) -> str:
    return days(n)


def _words(value: object) -> str:
    """A cell as words: blank for missing."""
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    return str(value)


def has_issues_log(plan: PlanData) -> bool:
    """Whether the plan workbook keeps an Issues sheet (it may be empty)."""
    return plan.has_sheet(ISSUES_SHEET)


def has_decisions_log(plan: PlanData) -> bool:
    """Whether the plan workbook keeps a Decisions sheet (it may be empty)."""
    return plan.has_sheet(DECISIONS_SHEET)


def absent_log_text(plan: PlanData) -> dict[str, str | None]:
    """Plain sentences for a plan without either sheet ({"issues": ..., "decisions": ...}; None where the sheet exists)."""
    return {
        "issues": None
        if has_issues_log(plan)
        else "This plan workbook keeps no issues log (it has no Issues sheet), so there are no issues to show. "
        "To track issues here, add an Issues sheet (the blank plan template has one).",
        "decisions": None
        if has_decisions_log(plan)
        else "This plan workbook keeps no decisions log (it has no Decisions sheet), so there are no decisions "
        "taken to show; the decisions needed are worked out from the data.",
    }


# ---- issues -------------------------------------------------------------------------------------


def _open_at(issues: pd.DataFrame, as_at: pd.Timestamp) -> pd.Series:
    raised_by = issues["raised"].isna() | (issues["raised"] <= as_at)
    closed_by = (issues["status"] == IssueStatus.CLOSED) & (issues["closed"].isna() | (issues["closed"] <= as_at))
    return raised_by & ~closed_by


def _task_lookup(view, task_ids: pd.Series) -> dict[str, dict]:
    """task_id -> {"words", "rag", "status"} at D for the tasks named in `task_ids` (a column of tuples), built
    once per call. The words put the task's wording first, then its code and RAG: `Recruit 10 social workers (T4, Red)`."""
    named = {t for ids in task_ids if isinstance(ids, tuple) for t in ids}
    tasks = view.tasks[view.tasks["task_id"].isin(named)]
    words = [f"{_words(t)} ({i}, {_words(r)})" for t, i, r in zip(tasks["task"], tasks["task_id"], tasks["rag"])]
    return {i: {"words": w, "rag": r, "status": s} for i, w, r, s in zip(tasks["task_id"], words, tasks["rag"], tasks["status"])}


def _theme_words(plan: PlanData, theme_id: object) -> str:
    if not isinstance(theme_id, str):
        return ""
    names = dict(zip(plan.themes["theme_id"], plan.themes["theme"]))
    return f"Theme {theme_id}. {_words(names.get(theme_id))}".rstrip(". ")


def _worst(rags: list) -> str | None:
    """The roll-up rule on plain values (as `progress.rollup_rag`): Red, Amber, Green; Blue only when all are
    Blue; cancelled tasks count in none. A plain loop: it runs once per issue."""
    counted = {str(r) for r in rags if str(r) != str(Rag.CANCELLED)}
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
        if str(rag) in counted:
            return str(rag)
    return None


def _theme_rags(view) -> dict[str, list]:
    """theme_id -> the RAGs of its tasks at D (as text)."""
    rags: dict[str, list] = {}
    for theme, rag in zip(view.tasks["theme_id"].tolist(), view.tasks["rag"].tolist()):
        rags.setdefault(theme, []).append(str(rag))
    return rags


def _held_up(lookup: dict[str, dict], theme_rags: dict[str, list], task_ids: tuple, theme_id: object) -> tuple[str, object, str]:
    """(tasks held up in words, worst RAG among them, a note for the board) for one issue."""
    named = [lookup[t] | {"task_id": t} for t in task_ids if t in lookup]
    parts = [t["words"] for t in named]
    rags = [t["rag"] for t in named]
    if isinstance(theme_id, str):
        in_theme = theme_rags.get(theme_id, [])
        theme_worst = _worst(in_theme)
        parts.append(f"all {len(in_theme)} tasks in theme {theme_id}" + (f" (worst RAG {theme_worst})" if theme_worst else ""))
        rags += in_theme
    worst = _worst(rags)
    notes = []
    statuses = [t["status"] for t in named]
    if named and all(s in (TaskStatus.COMPLETE, TaskStatus.CANCELLED) for s in statuses) and not isinstance(theme_id, str):
        notes.append("Every task it holds up is complete or cancelled: can it be closed?")
    else:
        cancelled = [t["task_id"] for t in named if t["status"] == TaskStatus.CANCELLED]
        if cancelled:
            notes.append(
                f"Task {', '.join(cancelled)} is cancelled." if len(cancelled) == 1 else f"Tasks {', '.join(cancelled)} are cancelled."
            )
    if not named and not isinstance(theme_id, str):
        notes.append("Names no task or theme.")
    return "; ".join(parts), worst, " ".join(notes)


def empty_issues_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_COLUMNS})
    frame["Raised"] = pd.Series(dtype="datetime64[ns]")
    frame["Closed"] = pd.Series(dtype="datetime64[ns]")
    frame["Days open"] = pd.Series(dtype="Int64")
    return frame


def issues_at(view) -> pd.DataFrame:
    """Every issue raised by D: open first (oldest raised first), then those closed by D (latest first).

    Columns ISSUE_COLUMNS: `State at reporting date` Open/Closed; `Days open` whole days from raised to D
    (open issues with a raised date only); `Tasks held up` the tasks in words with their RAG at D;
    `Worst RAG of tasks held up` Red/Amber/Green/Blue (None when it names no task or theme);
    `Note` what the board may want to ask; `Task IDs` the tuple of task ids it names (known ones only).
    """
    plan, as_at = view.plan, pd.Timestamp(view.as_at)
    issues = plan.issues
    if issues.empty:
        return empty_issues_frame()
    issues = issues[issues["raised"].isna() | (issues["raised"] <= as_at)].copy()
    if issues.empty:
        return empty_issues_frame()
    is_open = _open_at(issues, as_at)
    lookup, theme_rags = _task_lookup(view, issues["task_ids"]), _theme_rags(view)
    held = [_held_up(lookup, theme_rags, ids, theme) for ids, theme in zip(issues["task_ids"], issues["theme_id"])]
    days_open = (as_at - issues["raised"]).dt.days.astype("Int64").where(is_open)
    out = pd.DataFrame(
        {
            "Issue ID": issues["issue_id"].astype(str),
            "Issue": issues["issue"].map(_words),
            "State at reporting date": is_open.map({True: str(IssueStatus.OPEN), False: str(IssueStatus.CLOSED)}),
            "Raised": issues["raised"],
            "Days open": days_open,
            "Owner": issues["owner"].map(lambda v: _words(v) or NO_OWNER),
            "Tasks held up": [h[0] for h in held],
            "Worst RAG of tasks held up": [h[1] for h in held],
            "Theme": issues["theme_id"].map(lambda t: _theme_words(plan, t)),
            "Impact": issues["impact"].map(_words),
            "Action": issues["action"].map(_words),
            "Closed": issues["closed"].where(~is_open),
            "Note": [h[2] for h in held],
            "Task IDs": issues["task_ids"],
        }
    )
    out["_open"] = ~is_open  # False (open) sorts first
    out["_raised_unknown"] = out["Raised"].isna()
    out["_closed_order"] = -out["Closed"].fillna(pd.Timestamp("1900-01-01")).astype("int64")
    opened = out[~out["_open"]].sort_values(["_raised_unknown", "Raised"], kind="stable")
    closed = out[out["_open"]].sort_values(["_closed_order", "Raised"], kind="stable")
    return pd.concat([opened, closed])[ISSUE_COLUMNS].reset_index(drop=True)


def open_issues(view) -> pd.DataFrame:
    """The issues open at D, oldest raised first, with the tasks they hold up and those tasks' RAG at D
    (columns ISSUE_COLUMNS; see `issues_at`)."""
    issues = issues_at(view)
    return issues[issues["State at reporting date"] == str(IssueStatus.OPEN)].reset_index(drop=True)


def open_issues_by_task(view, rags: tuple[str, ...] = (str(Rag.RED), str(Rag.AMBER))) -> pd.DataFrame:
    """One row per (task whose RAG at D is in `rags`, issue open at D that holds it up), in plan order then
    oldest issue first. An issue holds a task up when it names the task (`Linked by` "task") or its theme
    ("theme"). Columns ISSUE_FOR_TASK_COLUMNS; `Summary` is one line for a table cell or the brief."""
    issues = open_issues(view)
    tasks = view.tasks[view.tasks["rag"].astype("object").map(str).isin(set(rags))]
    if issues.empty or tasks.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_FOR_TASK_COLUMNS})
    theme_of = dict(zip(view.plan.issues["issue_id"].astype(str), view.plan.issues["theme_id"]))
    # Pairs by merging, not a loop over tasks x issues: a large programme has thousands of each.
    listed = issues.assign(_issue_order=range(len(issues)), theme_id=issues["Issue ID"].map(theme_of))
    columns = ["task_id", "task", "rag", "theme_id", "plan_order"]
    direct = (
        listed.explode("Task IDs")
        .dropna(subset=["Task IDs"])
        .merge(tasks[columns].drop(columns="theme_id"), left_on="Task IDs", right_on="task_id")
    )
    by_theme = listed[listed["theme_id"].map(lambda t: isinstance(t, str))].merge(tasks[columns], on="theme_id")
    by_theme = by_theme[[t not in ids for t, ids in zip(by_theme["task_id"], by_theme["Task IDs"])]]
    pairs = pd.concat([direct.assign(_direct=True), by_theme.assign(_direct=False)], ignore_index=True)
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ISSUE_FOR_TASK_COLUMNS})
    pairs = pairs.sort_values(["plan_order", "_issue_order"], kind="stable")
    # One line per issue, then per pair only the theme note (thousands of pairs in a large programme).
    line = {
        i: (f"{text} (owner {owner}" + (f", open since {format_date(raised)})" if pd.notna(raised) else ")"))
        for i, text, owner, raised in zip(issues["Issue ID"].tolist(), issues["Issue"].tolist(), issues["Owner"].tolist(), issues["Raised"])
    }
    summaries = [
        f"Issue {i}{'' if d else f' (theme {th})'}: {line[i]}"
        for i, d, th in zip(pairs["Issue ID"].tolist(), pairs["_direct"].tolist(), pairs["theme_id"].tolist())
    ]
    frame = pd.DataFrame(
        {
            "Task ID": pairs["task_id"].astype(str).to_numpy(),
            "Task": pairs["task"].map(_words).to_numpy(),
            "RAG": pairs["rag"].map(str).to_numpy(),
            "Issue ID": pairs["Issue ID"].to_numpy(),
            "Issue": pairs["Issue"].to_numpy(),
            "Owner": pairs["Owner"].to_numpy(),
            "Raised": pd.to_datetime(pairs["Raised"]).to_numpy(),
            "Linked by": ["task" if d else "theme" for d in pairs["_direct"]],
            "Summary": summaries,
        },
        columns=ISSUE_FOR_TASK_COLUMNS,
    )
    return frame


def open_issue_for_task(view, rags: tuple[str, ...] = (str(Rag.RED), str(Rag.AMBER))) -> dict[str, str]:
    """task_id -> the open issues holding it up, in words ("Issue I2: ... (owner ..., open since ...)"; several
    joined by "; "), for the tasks whose RAG at D is Red or Amber. Tasks with no open issue are absent."""
    by_task = open_issues_by_task(view, rags)
    joined: dict[str, list[str]] = {}
    for task_id, summary in zip(by_task["Task ID"].tolist(), by_task["Summary"].tolist()):
        joined.setdefault(task_id, []).append(summary)
    return {task_id: "; ".join(summaries) for task_id, summaries in joined.items()}


# ---- decisions ----------------------------------------------------------------------------------


@dataclass
class DecisionsNeeded:
    """The decisions the board is asked to make at its next meeting, and where that list came from.

    `source` is SOURCE_LOG ("decisions log": the Decisions sheet) or SOURCE_DATA ("worked out from the
    data": tasks newly beyond tolerance); `source_text` says so in a sentence for the page or the brief;
    `table` has DECISION_COLUMNS.
    """

    source: str
    source_text: str
    table: pd.DataFrame

    @property
    def from_log(self) -> bool:
        return self.source == SOURCE_LOG


def _task_list(lookup: dict[str, dict], task_ids: object) -> str:
    if not isinstance(task_ids, tuple) or not task_ids:
        return ""
    return "; ".join(lookup[t]["words"] if t in lookup else str(t) for t in task_ids)


def _timeliness(due: object, as_at: pd.Timestamp) -> str:
    if pd.isna(due):
        return "No due date"
    if due < as_at:
        return f"Overdue by {_days((as_at - due).days)}"
    if due == as_at:
        return "Due today"
    return f"Due in {_days((due - as_at).days)}"


def _decision_frame(view, decisions: pd.DataFrame, when: list[str]) -> pd.DataFrame:
    as_at = pd.Timestamp(view.as_at)
    lookup = _task_lookup(view, decisions["task_ids"])
    frame = pd.DataFrame(
        {
            "Decision ID": decisions["decision_id"].astype(str),
            "Decision": decisions["decision"].map(_words),
            "Status": decisions["status"].map(_words),
            "Meeting": decisions["meeting"],
            "When": when,
            "Board": decisions["board"].map(_words),
            "Owner": decisions["owner"].map(lambda v: _words(v) or NO_OWNER),
            "Tasks": [_task_list(lookup, ids) for ids in decisions["task_ids"]],
            "Due": decisions["due"],
            "Timeliness": [_timeliness(d, as_at) for d in decisions["due"]],
            "Outcome": decisions["outcome"].map(_words),
        },
        columns=DECISION_COLUMNS,
    )
    frame["Meeting"] = pd.to_datetime(frame["Meeting"])
    frame["Due"] = pd.to_datetime(frame["Due"])
    return frame.reset_index(drop=True)


def empty_decisions_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in DECISION_COLUMNS})
    frame["Meeting"] = pd.Series(dtype="datetime64[ns]")
    frame["Due"] = pd.Series(dtype="datetime64[ns]")
    return frame


def _needed_from_log(view) -> pd.DataFrame:
    as_at = pd.Timestamp(view.as_at)
    decisions = view.plan.decisions
    needed = decisions[decisions["status"] == DecisionStatus.NEEDED].copy()
    if needed.empty:
        return empty_decisions_frame()
    needed["_no_meeting"] = needed["meeting"].isna()
    needed = needed.sort_values(["_no_meeting", "meeting"], kind="stable")
    when = [
        "No meeting date given"
        if pd.isna(m)
        else (f"Asked for at the meeting of {format_date(m)}; not yet made" if m < as_at else f"For the meeting of {format_date(m)}")
        for m in needed["meeting"]
    ]
    return _decision_frame(view, needed, when)


def newly_beyond_tolerance(view, previous_as_at: pd.Timestamp | None = None) -> pd.DataFrame:
    """Open tasks whose slip (E - F, days) is beyond the tolerance at D but was not at P (the previous
    reporting date, or `previous_as_at`): the task table's rows at D, in plan order, plus `slip_days_before`
    (Int64; missing when the task had no slip at P or there is no P)."""
    plan, as_at, tolerance = view.plan, pd.Timestamp(view.as_at), view.tolerance_days
    tasks = view.tasks
    is_open = ~tasks["status"].isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    beyond = is_open & tasks["planned_finish"].notna() & (tasks["slip_days"].fillna(0).astype("int64") > tolerance)
    if previous_as_at is None:
        previous_as_at = previous_reporting_date(plan, as_at)
    chosen = tasks[beyond].copy()
    if previous_as_at is None or chosen.empty:
        chosen["slip_days_before"] = pd.array([pd.NA] * len(chosen), dtype="Int64")
        return chosen.sort_values("plan_order").reset_index(drop=True)
    # Only the candidates' positions at P are needed (the plan's carried updates, computed once, are shared).
    before = rag_grid(plan, [pd.Timestamp(previous_as_at)], tolerance, task_ids=chosen["task_id"]).set_index("task_id")
    slip_before = before["slip_days"].reindex(chosen["task_id"]).to_numpy()
    chosen["slip_days_before"] = pd.array(slip_before, dtype="Int64")
    was_beyond = pd.Series(chosen["slip_days_before"].fillna(0).astype("int64").to_numpy() > tolerance, index=chosen.index)
    was_open = ~pd.Series(
        before["status"].reindex(chosen["task_id"]).isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED]).to_numpy(), index=chosen.index
    )
    return chosen[~(was_beyond & was_open)].sort_values("plan_order").reset_index(drop=True)


def _needed_from_data(view) -> pd.DataFrame:
    tasks = newly_beyond_tolerance(view)
    if tasks.empty:
        return empty_decisions_frame()
    tolerance = view.tolerance_days
    decisions = pd.DataFrame(
        {
            "decision_id": tasks["task_id"].astype(str),
            "decision": [
                f"Agree a re-plan for '{_words(t)}': expected to finish {_days(int(s))} after its planned finish of "
                f"{format_date(f)}, beyond the {tolerance}-day tolerance for the first time"
                for t, s, f in zip(tasks["task"], tasks["slip_days"], tasks["planned_finish"])
            ],
            "status": str(DecisionStatus.NEEDED),
            "meeting": pd.NaT,
            "board": "",
            "owner": tasks["lead"],
            "task_ids": [(t,) for t in tasks["task_id"]],
            "due": pd.NaT,
            "outcome": "",
        }
    )
    when = ["Next meeting: newly beyond tolerance at " + format_date(view.as_at)] * len(decisions)
    return _decision_frame(view, decisions, when)


def decisions_needed(view) -> DecisionsNeeded:
    """The decisions the QIB is asked to make at its next meeting, from the Decisions sheet where the plan
    has one (status Needed, earliest meeting first), else worked out from the data (open tasks beyond the
    RAG tolerance for the first time at D, each needing a re-plan agreed). Always says which source:
    `DecisionsNeeded.source` / `.source_text`. Columns DECISION_COLUMNS (for the data source, `Decision ID`
    is the task id and `Owner` the task's lead)."""
    if has_decisions_log(view.plan):
        table = _needed_from_log(view)
        text = (
            f"From the plan's decisions log: {len(table)} decision{'s' if len(table) != 1 else ''} marked Needed."
            if len(table)
            else "From the plan's decisions log: no decision is marked Needed."
        )
        return DecisionsNeeded(SOURCE_LOG, text, table)
    table = _needed_from_data(view)
    text = "Worked out from the data (the plan keeps no decisions log): " + (
        f"{len(table)} task{'s' if len(table) != 1 else ''} forecast beyond the {view.tolerance_days}-day tolerance "
        f"for the first time at {format_date(view.as_at)}, each needing a re-plan agreed by the board."
        if len(table)
        else f"no task's forecast went beyond the {view.tolerance_days}-day tolerance for the first time at {format_date(view.as_at)}."
    )
    return DecisionsNeeded(SOURCE_DATA, text, table)


def decisions_taken_not_done(view) -> pd.DataFrame:
    """Decisions with status Taken from a meeting on or before D (or undated): overdue first (earliest due
    first), then by due date, no due date last. Columns DECISION_COLUMNS; `Timeliness` is "Overdue by N
    days", "Due today", "Due in N days" or "No due date" at D."""
    as_at = pd.Timestamp(view.as_at)
    decisions = view.plan.decisions
    taken = decisions[
        (decisions["status"] == DecisionStatus.TAKEN) & (decisions["meeting"].isna() | (decisions["meeting"] <= as_at))
    ].copy()
    if taken.empty:
        return empty_decisions_frame()
    taken["_no_due"] = taken["due"].isna()
    taken = taken.sort_values(["_no_due", "due"], kind="stable")
    when = [f"Taken at the meeting of {format_date(m)}" if pd.notna(m) else f"Meeting date {MISSING}" for m in taken["meeting"]]
    return _decision_frame(view, taken, when)


def decisions_log(view) -> pd.DataFrame:
    """Every decision the board is asked for or has made at D, in one frame for an export: the decisions
    needed (from the log or the data), then those taken and not done, then those done (meeting on or before
    D). DECISION_COLUMNS plus `List` ("Needed at the next meeting", "Taken, not yet done", "Done") and
    `Source` ("decisions log" or "worked out from the data")."""
    needed = decisions_needed(view)
    as_at = pd.Timestamp(view.as_at)
    decisions = view.plan.decisions
    done = decisions[(decisions["status"] == DecisionStatus.DONE) & (decisions["meeting"].isna() | (decisions["meeting"] <= as_at))]
    done = done.sort_values("meeting", kind="stable")
    when = [f"Taken at the meeting of {format_date(m)}" if pd.notna(m) else f"Meeting date {MISSING}" for m in done["meeting"]]
    parts = [
        needed.table.assign(List="Needed at the next meeting", Source=needed.source),
        decisions_taken_not_done(view).assign(List="Taken, not yet done", Source=SOURCE_LOG),
        (_decision_frame(view, done, when) if len(done) else empty_decisions_frame()).assign(List="Done", Source=SOURCE_LOG),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_decisions_frame().assign(List=pd.Series(dtype="object"), Source=pd.Series(dtype="object"))[
            ["List", *DECISION_COLUMNS, "Source"]
        ]
    return pd.concat(parts, ignore_index=True)[["List", *DECISION_COLUMNS, "Source"]]


# ---- between two reporting dates ----------------------------------------------------------------


@dataclass
class GovernanceChanges:
    """Issues opened and closed and decisions taken in (from_as_at, to_as_at]: frames with ISSUE_COLUMNS
    (issues, as at `to_as_at`) and DECISION_COLUMNS (decisions)."""

    from_as_at: pd.Timestamp
    to_as_at: pd.Timestamp
    issues_opened: pd.DataFrame
    issues_closed: pd.DataFrame
    decisions_taken: pd.DataFrame


@dataclass
class _ViewAt:
    """The parts of a PlanView this module reads, at another reporting date."""

    plan: PlanData
    as_at: pd.Timestamp
    tolerance_days: int
    tasks: pd.DataFrame


def governance_changes(view, from_as_at: pd.Timestamp, to_as_at: pd.Timestamp | None = None) -> GovernanceChanges:
    """What the logs record between `from_as_at` (the last meeting, exclusive) and `to_as_at` (default the
    view's D, inclusive): issues raised, issues closed (a closed date is needed: a Closed issue without one
    cannot be placed), and decisions taken or done at a meeting in that window. Task RAGs are at `to_as_at`."""
    start = pd.Timestamp(from_as_at)
    end = pd.Timestamp(view.as_at if to_as_at is None else to_as_at)
    if end != pd.Timestamp(view.as_at):
        view = _ViewAt(view.plan, end, view.tolerance_days, task_table(view.plan, end, view.tolerance_days))
    issues = issues_at(view)
    raised, closed_on = issues["Raised"], issues["Closed"]  # Closed is set for the issues closed by D
    opened = issues[raised.notna() & (raised > start) & (raised <= end)]
    closed = issues[closed_on.notna() & (closed_on > start) & (closed_on <= end)]
    decisions = view.plan.decisions
    in_window = decisions["meeting"].notna() & (decisions["meeting"] > start) & (decisions["meeting"] <= end)
    taken = decisions[in_window & decisions["status"].isin([DecisionStatus.TAKEN, DecisionStatus.DONE])].sort_values(
        "meeting", kind="stable"
    )
    when = [f"Taken at the meeting of {format_date(m)}" for m in taken["meeting"]]
    taken_frame = _decision_frame(view, taken, when) if len(taken) else empty_decisions_frame()
    return GovernanceChanges(start, end, opened.reset_index(drop=True), closed.reset_index(drop=True), taken_frame)


# ---- the CLI's JSON -----------------------------------------------------------------------------


def _json(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    if value is None or value is pd.NA or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value if not isinstance(value, str) else (value or None)


def _records(frame: pd.DataFrame, keys: dict[str, str]) -> list[dict]:
    columns = {key: [_json(v) for v in frame[column].astype("object").tolist()] for column, key in keys.items()}
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


_ISSUE_KEYS = {
    "Issue ID": "issue_id",
    "Issue": "issue",
    "State at reporting date": "state",
    "Raised": "raised",
    "Days open": "days_open",
    "Owner": "owner",
    "Task IDs": "task_ids",
    "Tasks held up": "tasks_held_up",
    "Worst RAG of tasks held up": "worst_rag",
    "Theme": "theme",
    "Impact": "impact",
    "Action": "action",
    "Closed": "closed",
    "Note": "note",
}
_DECISION_KEYS = {
    "Decision ID": "decision_id",
    "Decision": "decision",
    "Status": "status",
    "Meeting": "meeting",
    "When": "when",
    "Board": "board",
    "Owner": "owner",
    "Tasks": "tasks",
    "Due": "due",
    "Timeliness": "timeliness",
    "Outcome": "outcome",
}


def governance_summary(view) -> dict:
    """The `issues` and `decisions` objects of `summary --json` (README lists the fields)."""
    plan = view.plan
    issues = issues_at(view)
    is_open = issues["State at reporting date"] == str(IssueStatus.OPEN)
    needed = decisions_needed(view)
    not_done = decisions_taken_not_done(view)
    absent = absent_log_text(plan)
    return {
        "issues": {
            "log": has_issues_log(plan),
            "note": absent["issues"],
            "open": int(is_open.sum()),
            "closed": int((~is_open).sum()),
            "items": _records(issues, _ISSUE_KEYS),
        },
        "decisions": {
            "log": has_decisions_log(plan),
            "needed_source": needed.source,
            "needed_source_text": needed.source_text,
            "needed": _records(needed.table, _DECISION_KEYS),
            "taken_not_done": _records(not_done, _DECISION_KEYS),
            "overdue": int(not_done["Timeliness"].str.startswith("Overdue").sum()) if len(not_done) else 0,
        },
    }
