"""Task positions, RAG, slippage, completion and roll-ups at a reporting date (indicators.md).

Notation as in the spec: D is the reporting date, F a task's planned finish, S its planned
start, E its expected finish. All day counts are whole calendar days.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .dates import format_date
from .plan_workbook import RAG_ORDER, PlanData, Rag, TaskStatus

DEFAULT_TOLERANCE_DAYS = 30
NO_LEAD = "(no lead given)"
_ROLLUP_RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _date_text(value: pd.Timestamp) -> str:
    return format_date(value)


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """values[key] for each key, aligned to `keys` (Series.map fails on an empty datetime mapper)."""
    return pd.Series(values.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def positions_at(plan: PlanData, as_at: pd.Timestamp) -> pd.DataFrame:
    """Each task's position at D from its updates with as_at <= D (one row per task with any update).

    Blank forecast_finish / percent_complete / status carry the last one given. Columns:
    status, percent_complete (0-100), forecast_finish, actual_finish, first_complete_at,
    last_update, reported_rag, commentary, updated_by, forecast_moves (count).
    """
    as_at = pd.Timestamp(as_at)
    updates = plan.updates
    upto = updates[updates["as_at"] <= as_at]
    columns = ["status", "percent_complete", "forecast_finish", "actual_finish", "first_complete_at",
               "last_update", "reported_rag", "commentary", "updated_by", "forecast_moves"]
    if upto.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="task_id"))
    grouped = upto.groupby("task_id", sort=False)
    carried = grouped[["status", "percent_complete", "forecast_finish", "actual_finish"]].last()
    latest = upto.drop_duplicates("task_id", keep="last").set_index("task_id")
    carried["last_update"] = latest["as_at"]
    carried["reported_rag"] = latest["reported_rag"]
    carried["commentary"] = latest["commentary"]
    carried["updated_by"] = latest["updated_by"]
    # The update that first said Complete, in the run of Complete updates that is current at D.
    said = upto[upto["status"].notna()]
    last_not_complete = said[said["status"] != TaskStatus.COMPLETE].groupby("task_id")["as_at"].max()
    complete = said[said["status"] == TaskStatus.COMPLETE]
    since = _lookup(complete["task_id"], last_not_complete)
    complete = complete[since.isna() | (complete["as_at"] > since)]
    carried["first_complete_at"] = complete.groupby("task_id")["as_at"].min()
    carried["forecast_moves"] = _forecast_moves(upto, plan.tasks.set_index("task_id")["planned_finish"])
    carried["forecast_moves"] = carried["forecast_moves"].fillna(0).astype("int64")
    return carried[columns]


def _forecast_moves(upto: pd.DataFrame, planned_finish: pd.Series) -> pd.Series:
    """Times the forecast changed: each given forecast that differs from the one before (the first from F).

    A first forecast for a task with no planned finish sets a date rather than moving one.
    """
    given = upto.loc[upto["forecast_finish"].notna(), ["task_id", "forecast_finish"]]
    if given.empty:
        return pd.Series(dtype="int64")
    previous = given.groupby("task_id", sort=False)["forecast_finish"].shift(1)
    previous = previous.fillna(_lookup(given["task_id"], planned_finish))
    moved = previous.notna() & (given["forecast_finish"] != previous)
    return moved.groupby(given["task_id"]).sum()


def task_table(plan: PlanData, as_at: pd.Timestamp, tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> pd.DataFrame:
    """One row per task at D: plan fields, position, RAG with reason, expected finish, slip.

    `slip_days` is E - F in days (negative is early; missing when E or F is unknown);
    `percent_complete` is 0-100 (Complete 100, Not started 0, else the latest given).
    """
    as_at = pd.Timestamp(as_at).normalize()
    tasks = plan.tasks
    table = tasks.join(positions_at(plan, as_at), on="task_id")
    for column in ("forecast_finish", "actual_finish", "first_complete_at", "last_update"):
        table[column] = pd.to_datetime(table[column])
    table["percent_complete"] = pd.to_numeric(table["percent_complete"]).astype("float64")
    default_status = np.where(table["started_at_plan"], TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)
    table["has_update"] = table["last_update"].notna()
    table["status"] = table["status"].where(table["status"].notna(), pd.Series(default_status, index=table.index)).astype("object")
    table["forecast_moves"] = table["forecast_moves"].fillna(0).astype("int64")
    status = table["status"]
    is_cancelled = status == TaskStatus.CANCELLED
    is_complete = status == TaskStatus.COMPLETE
    table["percent_complete"] = np.select(
        [is_complete, status == TaskStatus.NOT_STARTED], [100.0, 0.0], default=table["percent_complete"].astype("float64")
    )
    table.loc[is_cancelled, "percent_complete"] = np.nan

    planned_finish = table["planned_finish"]
    completed_on = table["actual_finish"].fillna(table["first_complete_at"])
    open_estimate = table["forecast_finish"].fillna(planned_finish)
    open_estimate = open_estimate.where(open_estimate.isna() | (open_estimate >= as_at), as_at)
    expected = completed_on.where(is_complete, open_estimate)
    table["expected_finish"] = expected.where(~is_cancelled)
    table["slip_days"] = (table["expected_finish"] - planned_finish).dt.days.astype("Int64")
    table["slipped"] = (table["slip_days"].fillna(0) > 0) & ~is_cancelled

    late = table["slip_days"].fillna(0).astype("int64")
    no_finish = planned_finish.isna()
    overdue = ~no_finish & (as_at > planned_finish)
    late_red = ~no_finish & (late > tolerance_days)
    late_amber = ~no_finish & (late >= 1) & (late <= tolerance_days)
    on_hold = status == TaskStatus.ON_HOLD
    planned_start = table["planned_start"]
    should_have_started = (status == TaskStatus.NOT_STARTED) & (table["started_at_plan"] | (planned_start.notna() & (as_at > planned_start)))
    conditions = [is_cancelled, is_complete, no_finish, overdue, late_red, late_amber, on_hold, should_have_started]
    rags = [Rag.CANCELLED, Rag.BLUE, Rag.AMBER, Rag.RED, Rag.RED, Rag.AMBER, Rag.AMBER, Rag.AMBER]
    rules = [1, 2, 3, 4, 5, 6, 7, 8]
    table["rag"] = pd.Series(np.select(conditions, [str(r) for r in rags], default=str(Rag.GREEN)), index=table.index).map(Rag)
    table["rag_rule"] = np.select(conditions, rules, default=9)
    table["reason"] = [
        _reason(rule, row, tolerance_days) for rule, row in zip(table["rag_rule"], table.itertuples(index=False))
    ]
    reported = table["reported_rag"]
    table["rag_disagrees"] = reported.notna() & ~is_cancelled & (reported.astype("object") != table["rag"].astype("object"))
    table["as_at"] = as_at
    table["tolerance_days"] = tolerance_days
    return table


def _reason(rule: int, row, tolerance_days: int) -> str:
    """The RAG's reason in words, e.g. 'overdue: planned finish 31 Mar 2017 has passed'."""
    if rule == 1:
        return "cancelled"
    if rule == 2:
        done = row.expected_finish
        return "complete" if pd.isna(done) else f"complete ({_date_text(done)})"
    if rule == 3:
        if row.finish_kind == "unreadable":
            return f"no finish date ('{row.finish_as_written}' could not be read)"
        return "no finish date" + (f" ({row.finish_as_written})" if row.finish_as_written else "")
    if rule == 4:
        return f"overdue: planned finish {_date_text(row.planned_finish)} has passed"
    if rule in (5, 6):
        days = int(row.slip_days)
        unit = "day" if days == 1 else "days"
        where = "beyond" if rule == 5 else "within"
        return f"forecast {days} {unit} after planned finish ({where} the {tolerance_days}-day tolerance)"
    if rule == 7:
        return "on hold"
    if rule == 8:
        return "should have started"
    return "on track"


# ---- summaries -------------------------------------------------------------------------------

def in_scope(table: pd.DataFrame) -> pd.DataFrame:
    """Tasks not Cancelled: the denominator of every count and rate."""
    return table[table["status"] != TaskStatus.CANCELLED]


def completion(table: pd.DataFrame) -> dict:
    """complete, in_scope, rate (0-1), planned_rate (0-1), weighted_progress (percent 0-100), progress_unknown."""
    scope = in_scope(table)
    n = len(scope)
    complete = int((scope["status"] == TaskStatus.COMPLETE).sum())
    planned = int((scope["planned_finish"].notna() & (scope["planned_finish"] <= scope["as_at"])).sum()) if n else 0
    known = scope["percent_complete"].dropna()
    return {
        "complete": complete,
        "in_scope": n,
        "rate": complete / n if n else None,
        "planned_rate": planned / n if n else None,
        "weighted_progress": float(known.mean()) if len(known) else None,
        "progress_unknown": int(n - len(known)),
    }


def rag_counts(table: pd.DataFrame) -> dict[str, int]:
    """Count of tasks of each RAG, Cancelled included (shown, never counted in rates)."""
    counts = table["rag"].value_counts()
    return {str(r): int(counts.get(r, 0)) for r in RAG_ORDER}


def slippage(table: pd.DataFrame) -> dict:
    """slipped (count), total_days and median_days over the slipped tasks (slip > 0)."""
    slipped = in_scope(table)
    days = slipped.loc[slipped["slipped"], "slip_days"].astype("int64")
    return {
        "slipped": int(len(days)),
        "total_days": int(days.sum()),
        "median_days": float(days.median()) if len(days) else None,
    }


def rollup_rag(rags: pd.Series) -> Rag | None:
    """Worst RAG: Red, then Amber, then Green; Blue only when all are Blue. None when nothing counts."""
    counted = [r for r in rags if r != Rag.CANCELLED]
    if not counted:
        return None
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rag in counted:
            return rag
    return Rag.BLUE


def rollup(table: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Roll-up RAG per group with the count of each colour and of cancelled tasks beside it."""
    keys = [by] if isinstance(by, str) else list(by)
    frame = table.copy()
    if "lead" in keys:
        frame["lead"] = frame["lead"].fillna(NO_LEAD)
    counts = pd.crosstab([frame[k] for k in keys], frame["rag"].astype("object"))
    for rag in RAG_ORDER:
        if str(rag) not in counts.columns:
            counts[str(rag)] = 0
    counts = counts[[str(r) for r in RAG_ORDER]]
    counts.columns = [str(c) for c in counts.columns]
    grouped = frame.groupby(keys, sort=False)
    result = counts.reindex(grouped.size().index).fillna(0).astype("int64")
    result["tasks"] = grouped.size()
    result["rag"] = grouped["rag"].agg(rollup_rag)
    result["slipped"] = grouped["slipped"].sum().astype("int64")
    result["complete"] = result[str(Rag.BLUE)]
    in_scope_counts = result["tasks"] - result[str(Rag.CANCELLED)]
    result["completion_rate"] = (result["complete"] / in_scope_counts.where(in_scope_counts > 0)).astype("float64")
    return result.reset_index()


def milestones(table: pd.DataFrame) -> pd.DataFrame:
    """Milestone roll-up; `milestone_complete` when all its tasks not Cancelled are complete."""
    result = rollup(table, ["theme_id", "milestone_ref"])
    grouped = table.groupby(["theme_id", "milestone_ref"], sort=False)
    meta = grouped.agg(milestone=("milestone", "first"), theme=("theme", "first"), planned_finish=("planned_finish", "max"),
                       expected_finish=("expected_finish", "max"), plan_order=("plan_order", "min")).reset_index()
    result = result.merge(meta, on=["theme_id", "milestone_ref"], how="left")
    scope = result["tasks"] - result[str(Rag.CANCELLED)]
    result["milestone_complete"] = (scope > 0) & (result["complete"] == scope)
    return result.sort_values("plan_order").drop(columns="plan_order").reset_index(drop=True)


def recommendation_rollup(table: pd.DataFrame) -> pd.DataFrame:
    """Tasks exploded by the recommendations they address (a task with two rec_ids counts under both)."""
    exploded = table.assign(rec_id=table["rec_ids"]).explode("rec_id")
    return exploded[exploded["rec_id"].notna()]


def progress_trend(plan: PlanData, as_at: pd.Timestamp, tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> pd.DataFrame:
    """Completion, planned completion, RAG counts and slippage at every reporting date up to D."""
    as_at = pd.Timestamp(as_at)
    dates = [d for d in plan.reporting_dates if d <= as_at] or [as_at]
    rows = []
    for date in dates:
        table = task_table(plan, date, tolerance_days)
        done = completion(table)
        slip = slippage(table)
        rows.append({
            "as_at": date,
            "completion_rate": done["rate"],
            "planned_rate": done["planned_rate"],
            "complete": done["complete"],
            "in_scope": done["in_scope"],
            "slipped": slip["slipped"],
            "total_slip_days": slip["total_days"],
            "median_slip_days": slip["median_days"],
            **rag_counts(table),
        })
    return pd.DataFrame(rows)


def changes_between(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Tasks whose RAG or status changed, or whose lead re-forecast, between two task tables.

    `forecast_moved_days` compares the lead's forecast (the planned finish where none was given)
    at the two dates: positive is later. Merely passing a forecast date is not a move.
    """
    keep = ["task_id", "rag", "status", "forecast_finish", "expected_finish", "reason"]
    merged = after[["task_id", "theme_id", "milestone_ref", "task_ref", "task", "lead", "planned_finish", *keep[1:], "commentary"]].merge(
        before[keep], on="task_id", suffixes=("", "_before"), how="left")
    now = merged["forecast_finish"].fillna(merged["planned_finish"])
    then = merged["forecast_finish_before"].fillna(merged["planned_finish"])
    merged["forecast_moved_days"] = (now - then).dt.days.astype("Int64")
    became = lambda rag: (merged["rag"] == rag) & (merged["rag_before"] != rag)  # noqa: E731
    merged["newly_red"] = became(Rag.RED)
    merged["newly_amber"] = became(Rag.AMBER)
    merged["newly_complete"] = (merged["status"] == TaskStatus.COMPLETE) & (merged["status_before"] != TaskStatus.COMPLETE)
    merged["rag_changed"] = merged["rag"] != merged["rag_before"]
    merged["forecast_moved"] = merged["forecast_moved_days"].fillna(0).ne(0) & (merged["status"] != TaskStatus.COMPLETE)
    changed = merged["rag_changed"] | merged["newly_complete"] | merged["forecast_moved"]
    return merged[changed].reset_index(drop=True)
