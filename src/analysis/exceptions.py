"""The Quality Improvement Board's view by exception: what needs the board's attention at D.

Plain pandas. Every figure comes from the shared task table (`PlanView.tasks`), so a task's RAG,
reason, slip and expected finish here are the ones on every page and in every export.

Rules (D is the reporting date, N the "due within" window in days, P the previous reporting
date; "open" means status neither Complete nor Cancelled). One row per (item, kind); an item can
appear under several kinds (a TBC task is both "Amber" and "No finish date"):

- **Red** / **Amber**: the task's computed RAG at D, with its reason in words. Cancelled and
  complete (Blue) tasks never appear.
- **Due soon**: open tasks whose planned finish F or expected finish E falls in (D, D + N]: after
  D and no later than N days after it. A task already past F is Red (overdue), not "due soon".
- **RAG disagreement**: the lead's reported RAG in the latest update differs from the computed
  one (the engine's `rag_disagrees`; never for cancelled tasks). Both are shown in the reason.
- **Stale update**: open tasks whose latest update (as_at <= D) is older than P. P defaults to
  the latest reporting date before D in the plan's Updates; with no earlier date there is nothing
  to be stale against, so only tasks with no update at all are stale. A task with no update at
  all is stale whenever the plan has any update on or before D (a plan with no Updates sheet
  yet has no stale tasks: nothing is being reported). Complete and cancelled tasks need no update.
- **No finish date**: open tasks whose planned finish is not set (TBC, blank or unreadable).
- **LSCB overdue**: LSCB actions whose due date is before D and whose status is not Complete or
  Cancelled (a blank status counts as not complete). Their `task_id` is `LSCB-<action_id>`, and
  `slip_days` is the number of days overdue.

Rows are ordered by kind (the order of `KINDS`), then by plan order.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from .dates import format_date
from .plan_workbook import PlanData, TaskStatus
from .wording import days

DEFAULT_DUE_WITHIN_DAYS = 30
LSCB_PREFIX = "LSCB-"


class ExceptionKind(StrEnum):
    RED = "Red"
    AMBER = "Amber"
    DUE_SOON = "Due soon"
    RAG_DISAGREEMENT = "RAG disagreement"
    STALE_UPDATE = "Stale update"
    NO_FINISH_DATE = "No finish date"
    LSCB_OVERDUE = "LSCB overdue"


KINDS = list(ExceptionKind)
EXCEPTION_COLUMNS = [
    "kind",
    "task_id",
    "theme_id",
    "theme",
    "milestone_ref",
    "task",
    "lead",
    "rag",
    "reason",
    "slip_days",
    "forecast",
    "commentary",
    "last_update",
]


def previous_reporting_date(plan: PlanData, as_at: pd.Timestamp) -> pd.Timestamp | None:
    """The latest reporting date in Updates strictly before `as_at`; None when there is none."""
    earlier = [d for d in plan.reporting_dates if d < pd.Timestamp(as_at)]
    return earlier[-1] if earlier else None


def stale_update(last_update: pd.Series, plan: PlanData, as_at: pd.Timestamp, previous_as_at: pd.Timestamp | None) -> pd.Series:
    """The stale-update rule (module docstring): no update at all while the plan has updates on or before D,
    or a last update before the previous reporting date. `last_update`: each task's latest update date (NaT: none)."""
    any_updates = any(d <= pd.Timestamp(as_at) for d in plan.reporting_dates)
    never = last_update.isna() & any_updates
    if previous_as_at is None:
        return never
    return never | (last_update.notna() & (last_update < pd.Timestamp(previous_as_at)))


def _task_rows(tasks: pd.DataFrame, mask: pd.Series, kind: ExceptionKind, reasons: pd.Series | list[str]) -> pd.DataFrame:
    chosen = tasks[mask]
    reasons = pd.Series(list(reasons), index=tasks.index)[mask] if not isinstance(reasons, pd.Series) else reasons[mask]
    return pd.DataFrame(
        {
            "kind": str(kind),
            "task_id": chosen["task_id"].astype(str),
            "theme_id": chosen["theme_id"],
            "theme": chosen["theme"],
            "milestone_ref": chosen["milestone_ref"],
            "task": chosen["task"],
            "lead": chosen["lead"],
            "rag": chosen["rag"].astype("object").map(lambda r: None if r is None or pd.isna(r) else str(r)),
            "reason": reasons.astype("object"),
            "slip_days": chosen["slip_days"].astype("Int64"),
            "forecast": pd.to_datetime(chosen["expected_finish"]),
            "commentary": chosen["commentary"],
            "last_update": pd.to_datetime(chosen["last_update"]),
            "_order": chosen["plan_order"],
        }
    )


def _lscb_rows(plan: PlanData, as_at: pd.Timestamp) -> pd.DataFrame:
    actions = plan.lscb_actions.reset_index(drop=True)
    if actions.empty:
        return pd.DataFrame(columns=EXCEPTION_COLUMNS + ["_order"])
    status = actions["status"].astype("object")
    done = status.isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    due = pd.to_datetime(actions["due"])
    overdue = due.notna() & (due < as_at) & ~done
    chosen = actions[overdue]
    late = (as_at - due[overdue]).dt.days.astype("int64")
    reasons = [
        f"overdue by {days(int(n))}: due {format_date(d)}; status {s if isinstance(s, str) else 'not reported'}"
        for n, d, s in zip(late, due[overdue], status[overdue])
    ]
    return pd.DataFrame(
        {
            "kind": str(ExceptionKind.LSCB_OVERDUE),
            "task_id": [f"{LSCB_PREFIX}{a}" for a in chosen["action_id"]],
            "theme_id": None,
            "theme": None,
            "milestone_ref": None,
            "task": chosen["action"],
            "lead": chosen["lead"],
            "rag": None,
            "reason": reasons,
            "slip_days": pd.array(late.to_numpy(), dtype="Int64"),
            "forecast": pd.NaT,
            "commentary": chosen["commentary"],
            "last_update": pd.NaT,
            "_order": np.arange(len(chosen)),
        },
        index=chosen.index,
    )


def exceptions(view, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS, previous_as_at: pd.Timestamp | None = None) -> pd.DataFrame:
    """Items needing the board's attention at the view's reporting date (rules in the module docstring).

    `view` is a `plan_view.PlanView`. Columns: EXCEPTION_COLUMNS; `slip_days` is E - F in days for tasks
    (days overdue for LSCB actions); `forecast` is the expected finish E; `last_update` the as_at of the
    task's latest update at D.
    """
    plan, tasks, as_at = view.plan, view.tasks.reset_index(drop=True), pd.Timestamp(view.as_at)
    if due_within_days < 0:
        raise ValueError("due_within_days must be 0 or more")
    status = tasks["status"].astype("object")
    is_open = ~status.isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    rag = tasks["rag"].astype("object").map(str)
    parts = [
        _task_rows(tasks, rag == "Red", ExceptionKind.RED, tasks["reason"]),
        _task_rows(tasks, rag == "Amber", ExceptionKind.AMBER, tasks["reason"]),
    ]

    horizon = as_at + pd.Timedelta(days=due_within_days)
    planned, expected = pd.to_datetime(tasks["planned_finish"]), pd.to_datetime(tasks["expected_finish"])
    planned_soon = planned.notna() & (planned > as_at) & (planned <= horizon)
    expected_soon = expected.notna() & (expected > as_at) & (expected <= horizon)
    due_soon = is_open & (planned_soon | expected_soon)
    soon_reasons = []
    for p, e, p_soon in zip(planned, expected, planned_soon):
        when = p if p_soon else e
        which = "planned finish" if p_soon else "forecast finish"
        extra = f" (forecast {format_date(e)})" if p_soon and pd.notna(e) and e != p else ""
        soon_reasons.append(f"{which} {format_date(when)}, within {days(due_within_days)}{extra}")
    parts.append(_task_rows(tasks, due_soon, ExceptionKind.DUE_SOON, soon_reasons))

    disagrees = tasks["rag_disagrees"].fillna(False).astype(bool)
    disagree_reasons = [f"lead reported {r}; computed {c}: {why}" for r, c, why in zip(tasks["reported_rag"], rag, tasks["reason"])]
    parts.append(_task_rows(tasks, disagrees, ExceptionKind.RAG_DISAGREEMENT, disagree_reasons))

    if previous_as_at is None:
        previous_as_at = previous_reporting_date(plan, as_at)
    last_update = pd.to_datetime(tasks["last_update"])
    stale = is_open & stale_update(last_update, plan, as_at, previous_as_at)
    stale_reasons = [
        "no progress update received"
        if pd.isna(u)
        else f"last update {format_date(u)}, before the previous reporting date {format_date(previous_as_at)}"
        for u in last_update
    ]
    parts.append(_task_rows(tasks, stale, ExceptionKind.STALE_UPDATE, stale_reasons))

    no_finish = is_open & planned.isna()
    if "finish_kind" in tasks:  # an ongoing task (`Monthly`) has no fixed finish by design: never "no finish date"
        no_finish &= tasks["finish_kind"].ne("ongoing")
    finish_reasons = [
        f"no finish date in the plan ({w})" if w else "no finish date in the plan" for w in tasks["finish_as_written"].fillna("")
    ]
    parts.append(_task_rows(tasks, no_finish, ExceptionKind.NO_FINISH_DATE, finish_reasons))
    parts.append(_lscb_rows(plan, as_at))

    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_exceptions()
    result = pd.concat(parts, ignore_index=True)
    result["_kind"] = result["kind"].map({str(k): i for i, k in enumerate(KINDS)})
    result = result.sort_values(["_kind", "_order"], kind="stable").reset_index(drop=True)
    result["slip_days"] = result["slip_days"].astype("Int64")
    for column in ("forecast", "last_update"):
        result[column] = pd.to_datetime(result[column])
    return result[EXCEPTION_COLUMNS]


def empty_exceptions() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in EXCEPTION_COLUMNS})
    frame["slip_days"] = frame["slip_days"].astype("Int64")
    frame["forecast"] = pd.Series(dtype="datetime64[ns]")
    frame["last_update"] = pd.Series(dtype="datetime64[ns]")
    return frame


def exception_summary(ex: pd.DataFrame) -> dict[str, int]:
    """Number of rows of each kind, every kind present (0 when none), in KINDS order."""
    counts = ex["kind"].value_counts()
    return {str(k): int(counts.get(str(k), 0)) for k in KINDS}


def exception_groups(ex: pd.DataFrame, group_by: str) -> pd.Series:
    """The group of each exception row for the board's list: its lead ("(no lead given)" when blank) or its
    theme ("Theme 2. Oversight"); overdue LSCB actions form their own "LSCB action plan" group by theme."""
    if group_by == "Lead":
        lead = ex["lead"].astype("object")
        return lead.where(lead.map(lambda v: isinstance(v, str) and bool(v)), "(no lead given)")
    themes = "Theme " + ex["theme_id"].astype(str) + ". " + ex["theme"].astype(str)
    return themes.where(ex["kind"].astype(str) != str(ExceptionKind.LSCB_OVERDUE), "LSCB action plan")


# ---- the board's list: one row per task, LSCB actions with no status reported apart (issue 14) ------

# How each kind reads in the "Why listed" column: the RAG column already gives the colour, so Red and
# Amber are said in words rather than repeated.
KIND_WORDS = {
    str(ExceptionKind.RED): "Off track",
    str(ExceptionKind.AMBER): "At risk",
    str(ExceptionKind.DUE_SOON): "Due soon",
    str(ExceptionKind.RAG_DISAGREEMENT): "Lead's RAG differs",
    str(ExceptionKind.STALE_UPDATE): "No recent update",
    str(ExceptionKind.NO_FINISH_DATE): "No finish date",
    str(ExceptionKind.LSCB_OVERDUE): "LSCB action overdue",
}

TASK_EXCEPTION_COLUMNS = [*EXCEPTION_COLUMNS, "kinds", "why_listed", "reasons"]


def unreported_lscb(ex: pd.DataFrame, plan: PlanData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the exceptions without overdue LSCB actions whose status nobody reported, those actions).

    An LSCB action past its due date with a blank status is not known to be late: the LSCB has not said.
    The board asks for an update rather than counting it with real exceptions. Both frames keep
    EXCEPTION_COLUMNS; the second is empty when every overdue action has a status."""
    actions = plan.lscb_actions
    if actions.empty or ex.empty:
        return ex, ex.iloc[0:0]
    blank = actions["status"].astype("object").map(lambda s: not isinstance(s, str) or not s.strip())
    unreported_ids = {f"{LSCB_PREFIX}{a}" for a in actions.loc[blank, "action_id"]}
    mask = (ex["kind"].astype(str) == str(ExceptionKind.LSCB_OVERDUE)) & ex["task_id"].isin(unreported_ids)
    return ex[~mask].reset_index(drop=True), ex[mask].reset_index(drop=True)


def by_task(ex: pd.DataFrame) -> pd.DataFrame:
    """One row per task or action, in the order of its most serious kind, then plan order (the order rows
    arrive in): EXCEPTION_COLUMNS from its first row (`kind` is the most serious), plus `kinds` (every
    kind, KINDS order), `why_listed` (those kinds in words, KIND_WORDS, joined with '; ') and `reasons`
    (every distinct reason joined with '; ')."""
    if ex.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TASK_EXCEPTION_COLUMNS})
    first = ex.drop_duplicates("task_id", keep="first").reset_index(drop=True)
    grouped = ex.groupby("task_id", sort=False)
    kinds = grouped["kind"].agg(lambda k: list(dict.fromkeys(str(v) for v in k)))
    reasons = grouped["reason"].agg(lambda r: "; ".join(dict.fromkeys(str(v) for v in r if isinstance(v, str) and v)))
    first["kinds"] = first["task_id"].map(kinds)
    first["why_listed"] = first["kinds"].map(lambda ks: "; ".join(KIND_WORDS.get(k, k) for k in ks))
    first["reasons"] = first["task_id"].map(reasons)
    return first[TASK_EXCEPTION_COLUMNS]
