"""Task positions, RAG, slippage, completion and roll-ups at a reporting date (indicators.md).

Notation as in the spec: D is the reporting date, F a task's planned finish, S its planned
start, E its expected finish. All day counts are whole calendar days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dates import format_date
from .plan_workbook import RAG_ORDER, PlanData, Rag, TaskStatus
from .wording import days, plural

DEFAULT_TOLERANCE_DAYS = 30
NO_LEAD = "(no lead given)"
_ROLLUP_RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """values[key] for each key, aligned to `keys` (Series.map fails on an empty datetime mapper)."""
    return pd.Series(values.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


_POSITION_COLUMNS = [
    "status",
    "percent_complete",
    "forecast_finish",
    "actual_finish",
    "first_complete_at",
    "last_update",
    "reported_rag",
    "commentary",
    "updated_by",
    "forecast_moves",
]


def _group_starts(codes: np.ndarray) -> np.ndarray:
    """For rows sorted by group code: the position of the first row of each row's group."""
    first = np.ones(len(codes), dtype=bool)
    first[1:] = codes[1:] != codes[:-1]
    return np.maximum.accumulate(np.where(first, np.arange(len(codes)), 0))


def _last_given(given: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Position of the last row at or before each row, within its group, where `given` is true; -1 when none
    (a group-wise forward fill as positions, `starts` from `_group_starts`)."""
    last = np.maximum.accumulate(np.where(given, np.arange(len(given)), -1))
    return np.where(last >= starts, last, -1)


def _take(series: pd.Series, positions: np.ndarray) -> pd.Series:
    """series' values at `positions` (-1: missing, as a left join leaves it), on a fresh RangeIndex."""
    if isinstance(series.dtype, np.dtype):  # numpy-backed: a numpy result (object stays object, int with gaps becomes float)
        values = pd.api.extensions.take(series.to_numpy(), positions, allow_fill=True)
        return pd.Series(values, dtype=values.dtype, name=series.name, copy=False)
    return pd.Series(series.array.take(positions, allow_fill=True), name=series.name)


def carried_updates(plan: PlanData) -> pd.DataFrame:
    """Updates in (task, as_at) order with what each one leaves standing once blanks carry the last given.

    Computed once per plan and reused for every reporting date. Adds status/percent/forecast/
    actual carried forward, `first_complete_at` (start of the current run of Complete updates)
    and `forecast_moves` (cumulative count of forecast changes, the first compared with F).

    Group-wise steps (forward fill, shift, cumulative sum) are numpy operations on positions within each
    task's contiguous run of rows, not pandas groupbys (tests/test_progress.py, "fast paths", pins them to
    the groupby definitions). Updates without a task id or an as_at date never reach here: the loader
    leaves them out with a finding.
    """
    cached = plan.derived.get("carried_updates")
    if cached is not None and plan.derived.get("carried_updates_of") is plan.updates:  # not a copy's with other updates
        return cached
    codes, task_ids = pd.factorize(plan.updates["task_id"], sort=True)
    codes = np.where(codes < 0, np.iinfo(np.int64).max, codes)  # a missing task id sorts last, as sort_values puts it
    order = np.lexsort((plan.updates["as_at"].to_numpy().astype("int64"), codes))  # stable: ties keep their row order
    updates = plan.updates.take(order).reset_index(drop=True)
    starts = _group_starts(codes[order])
    row = np.arange(len(updates))
    carried = pd.DataFrame({"task_id": updates["task_id"], "as_at": updates["as_at"], "last_update": updates["as_at"]})
    for column in ("status", "percent_complete", "forecast_finish", "actual_finish"):
        carried[column] = _take(updates[column], _last_given(updates[column].notna().to_numpy(), starts))
    for column in ("reported_rag", "commentary", "updated_by"):
        carried[column] = updates[column]
    complete = (carried["status"] == TaskStatus.COMPLETE).to_numpy()
    previous_complete = np.concatenate([[False], complete[:-1]]) & (row > starts)
    # A run of Complete counts from its first update only when an earlier update said otherwise: a task
    # first seen already Complete (a one-off snapshot) has an unknown completion date (indicators.md, Slippage).
    seen_before = row > starts
    run_start = _take(carried["as_at"], _last_given(complete & ~previous_complete & seen_before, starts))
    carried["first_complete_at"] = run_start.where(complete)
    given = updates["forecast_finish"].notna().to_numpy()
    # F of each update's task: looked up once per distinct task id, then spread by the id's code.
    finish_of_id = _lookup(pd.Series(task_ids, dtype="object"), plan.tasks.set_index("task_id")["planned_finish"])
    planned_finish = _take(finish_of_id, np.where(codes[order] < len(task_ids), codes[order], -1))
    last_forecast = _last_given(given, starts)
    before = np.where(row > starts, np.concatenate([[-1], last_forecast[:-1]]), -1)  # the last forecast before this update
    previous = _take(updates["forecast_finish"], before).fillna(planned_finish)
    moved = (given & previous.notna().to_numpy() & (updates["forecast_finish"] != previous).to_numpy()).astype("int64")
    running = np.cumsum(moved)
    carried["forecast_moves"] = running - (running[starts] - moved[starts]) if len(moved) else moved
    plan.derived["carried_updates"] = carried  # depends on the plan alone; never changed once stored
    plan.derived["carried_updates_of"] = plan.updates
    return carried


def positions_grid(plan: PlanData, dates: list[pd.Timestamp]) -> pd.DataFrame:
    """One row per (task, reporting date): the task's plan fields and its position at that date.

    The position is the last carried update at or before the date (an as-of join, by binary search on
    (task, as_at) keys); rows in date order, then plan order."""
    return _positions(plan, dates)


# What the RAG rules and the trend read: a trend's grid carries only these (`_positions(..., lean=True)`).
_LEAN_PLAN_FIELDS = ("planned_start", "planned_finish", "started_at_plan", "plan_status", "finish_kind", "plan_order")
_LEAN_LEFT_OUT = ("commentary", "updated_by")


def _positions(plan: PlanData, dates: list[pd.Timestamp], lean: bool = False, task_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """positions_grid; `lean`: only the plan fields and positions the RAG rules and the trend read; `task_ids`:
    only those tasks' rows."""
    dates = sorted({pd.Timestamp(d).normalize() for d in dates})
    chosen = None if task_ids is None else plan.tasks["task_id"].isin(set(task_ids)).to_numpy()
    tasks = plan.tasks if chosen is None else plan.tasks[chosen]
    date_values = np.array(dates, dtype="datetime64[ns]")
    n_tasks, n_dates = len(tasks), len(dates)
    carried = carried_updates(plan)
    if not plan.tasks["task_id"].astype(str).is_unique:  # not a valid plan; kept to the join's meaning (a row per match)
        grid = _positions_grid_by_merge(plan, dates)
        return grid if chosen is None else grid[grid["task_id"].isin(set(tasks["task_id"]))].reset_index(drop=True)
    if lean:
        tasks = tasks[["task_id", *(c for c in _LEAN_PLAN_FIELDS if c in tasks)]]
    grid = {
        "as_at": np.repeat(date_values, n_tasks),
        "task_id": pd.Series(np.tile(tasks["task_id"].to_numpy(dtype=object), n_dates), dtype="object"),
    }
    if carried.empty:
        for column in _POSITION_COLUMNS:
            empty = pd.Series(dtype="object") if column in ("status", "reported_rag", "commentary", "updated_by") else np.nan
            grid[column] = empty
        grid = pd.DataFrame(grid) if n_tasks * n_dates else pd.DataFrame({k: v for k, v in grid.items()})
        return _with_plan_fields(grid, tasks, n_dates)
    order, keys, row_task, instants = _carried_keys(plan)
    rows = np.arange(len(plan.tasks)) if chosen is None else np.flatnonzero(chosen)
    # The last carried update at or before each date: the date as the rank of the last instant not after it.
    date_rank = np.searchsorted(instants, date_values.astype("int64"), side="right") - 1
    wanted = np.tile(rows.astype("int64"), n_dates) * np.int64(len(instants) + 1) + np.repeat(date_rank, len(rows))
    found = np.searchsorted(keys, wanted, side="right") - 1
    matched = found >= 0
    matched[matched] = row_task[found[matched]] == np.tile(rows, n_dates)[matched]
    positions = np.where(matched, order[np.maximum(found, 0)], -1)
    frame = pd.DataFrame(grid)
    for column in carried.columns:
        if column not in ("task_id", "as_at") and not (lean and column in _LEAN_LEFT_OUT):
            frame[column] = _take(carried[column], positions)
    return _with_plan_fields(frame, tasks, n_dates)


def _carried_keys(plan: PlanData) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The carried updates of the plan's tasks sorted by (task's row in plan.tasks, as_at), ties in carried order:
    (positions in carried, int64 keys row * (instants + 1) + rank of as_at among `instants`, each key's task row,
    the distinct as_at instants in ns). Computed once per plan (plan.derived), for every grid's binary search; a copy
    of the plan sharing `derived` but holding other tasks or updates gets its own."""
    carried = carried_updates(plan)
    derived = plan.derived
    if derived.get("carried_keys_of") is plan.tasks and derived.get("carried_keys_for") is carried:  # not a copy's with other tasks
        keyed = derived["carried_keys"]
        return (
            keyed["position"].to_numpy(),
            keyed["key"].to_numpy(),
            keyed["task_row"].to_numpy(),
            derived["carried_instants"]["ns"].to_numpy(),
        )
    task_row = pd.Index(plan.tasks["task_id"].astype(str)).get_indexer(carried["task_id"].astype(str))  # -1: not a task of the plan
    at = carried["as_at"].to_numpy().astype("datetime64[ns]").astype("int64")
    order = np.lexsort((at, task_row))
    order = order[task_row[order] >= 0]
    instants = np.unique(at)
    keys = task_row[order].astype("int64") * np.int64(len(instants) + 1) + np.searchsorted(instants, at[order])
    # Stored as frames (plan.derived holds frames), with the tasks and carried updates they were made from.
    derived["carried_keys"] = pd.DataFrame({"position": order, "key": keys, "task_row": task_row[order]})
    derived["carried_instants"] = pd.DataFrame({"ns": instants})
    derived["carried_keys_of"], derived["carried_keys_for"] = plan.tasks, carried
    return order, keys, task_row[order], instants


def _with_plan_fields(grid: pd.DataFrame, tasks: pd.DataFrame, n_dates: int) -> pd.DataFrame:
    """The grid (date-major, tasks in the plan's row order) with each task's plan fields, sorted by date then plan order."""
    fields = tasks.drop(columns="task_id").take(np.tile(np.arange(len(tasks)), n_dates)).reset_index(drop=True)
    grid = pd.concat([grid.reset_index(drop=True), fields], axis=1)
    plan_order = tasks["plan_order"].to_numpy()
    if (np.diff(plan_order) >= 0).all():  # tasks already in plan order (as read): the grid is sorted as it stands
        return grid
    date_rank = np.repeat(np.arange(1, n_dates + 1, dtype="int64"), len(tasks))
    order = date_rank * (len(tasks) + 1) + grid["plan_order"].to_numpy()
    return grid.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def _positions_grid_by_merge(plan: PlanData, dates: list[pd.Timestamp]) -> pd.DataFrame:
    """positions_grid as a pandas as-of join and merge: for a plan whose task ids repeat (a merge gives a row per match)."""
    tasks = plan.tasks
    grid = pd.DataFrame(
        {
            "as_at": np.repeat(np.array(dates, dtype="datetime64[ns]"), len(tasks)),
            "task_id": np.tile(tasks["task_id"].to_numpy(dtype=object), len(dates)),
        }
    )
    carried = carried_updates(plan)
    if carried.empty:
        for column in _POSITION_COLUMNS:
            grid[column] = pd.Series(dtype="object") if column in ("status", "reported_rag", "commentary", "updated_by") else np.nan
    else:
        right = carried.assign(as_at=carried["as_at"].astype("datetime64[ns]"), task_id=carried["task_id"].astype(str))
        right = right.sort_values("as_at", kind="stable")
        grid["task_id"] = grid["task_id"].astype(str)
        grid = pd.merge_asof(grid.sort_values("as_at", kind="stable"), right, on="as_at", by="task_id", direction="backward")
    grid = grid.merge(tasks, on="task_id", how="left", sort=False)
    order = grid["as_at"].rank(method="dense").astype("int64") * (len(tasks) + 1) + grid["plan_order"]
    return grid.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def positions_at(plan: PlanData, as_at: pd.Timestamp) -> pd.DataFrame:
    """Each task's position at D (indexed by task_id): status, percent (0-100), forecast, actual,
    first_complete_at, last_update, reported_rag, commentary, updated_by, forecast_moves (count)."""
    grid = positions_grid(plan, [as_at]).set_index("task_id")
    return grid[_POSITION_COLUMNS]


# ---- the RAG rules (indicators.md "Task RAG at D"), one ordered table ------------------------


def _equal_to(values: pd.Series) -> Callable[[object], np.ndarray]:
    """`values == word` as a numpy mask, for any number of words: the column's distinct values are compared
    once, not every row in Python (what `==` on an object column does). Missing values equal nothing."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    distinct = list(distinct)

    def equal(word: object) -> np.ndarray:
        hits = [i for i, value in enumerate(distinct) if value == word]
        return np.isin(codes, hits) if len(hits) != 1 else codes == hits[0]

    return equal


def _text_or_none(values: pd.Series) -> np.ndarray:
    """Each value as `str` (a Rag or a lead's own word alike), None where missing: per distinct value, not per row."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    words = np.array([None, *(str(value) for value in distinct)], dtype=object)
    return words[codes + 1]


@dataclass(frozen=True)
class _RuleFacts:
    """The masks the rules are written in (numpy bool arrays), for a grid of tasks at their `as_at` (vectorised)."""

    cancelled: np.ndarray
    complete: np.ndarray
    ongoing: np.ndarray
    reported_given: np.ndarray
    reported_text: np.ndarray
    no_finish: np.ndarray
    overdue: np.ndarray
    late_beyond_tolerance: np.ndarray
    late_within_tolerance: np.ndarray
    on_hold: np.ndarray
    should_have_started: np.ndarray

    @classmethod
    def of(cls, table: pd.DataFrame, tolerance_days: int, status_is: Callable[[object], np.ndarray] | None = None) -> _RuleFacts:
        """`status_is(word)`: the status mask (`_equal_to(table["status"])` unless given)."""
        status_is = status_is or _equal_to(table["status"])
        as_at, planned_finish, planned_start = table["as_at"], table["planned_finish"], table["planned_start"]
        late = table["slip_days"].fillna(0).astype("int64").to_numpy()
        no_finish = planned_finish.isna().to_numpy()
        reported_text = _text_or_none(table["reported_rag"])
        ongoing = table["finish_kind"].eq("ongoing").to_numpy(dtype=bool) if "finish_kind" in table else np.zeros(len(table), dtype=bool)
        started = table["started_at_plan"].to_numpy(dtype=bool) | (planned_start.notna() & (as_at > planned_start)).to_numpy()
        return cls(
            cancelled=status_is(TaskStatus.CANCELLED),
            complete=status_is(TaskStatus.COMPLETE),
            ongoing=ongoing,
            reported_given=reported_text != None,  # noqa: E711 (elementwise on an object array)
            reported_text=reported_text,
            no_finish=no_finish,
            overdue=~no_finish & (as_at > planned_finish).to_numpy(),
            late_beyond_tolerance=~no_finish & (late > tolerance_days),
            late_within_tolerance=~no_finish & (late >= 1) & (late <= tolerance_days),
            on_hold=status_is(TaskStatus.ON_HOLD),
            should_have_started=status_is(TaskStatus.NOT_STARTED) & started,
        )


class _ReasonFacts(NamedTuple):
    """What a rule's reason says, for one task."""

    expected_finish: object
    finish_kind: str
    finish_as_written: str
    planned_finish: object
    slip_days: object
    tolerance_days: int


def _no_finish_reason(f: _ReasonFacts) -> str:
    if f.finish_kind == "unreadable":
        return f"no finish date ('{f.finish_as_written}' could not be read)"
    return "no finish date" + (f" ({f.finish_as_written})" if f.finish_as_written else "")


def _late_reason(where: str):
    def reason(f: _ReasonFacts) -> str:
        return f"forecast {days(int(f.slip_days))} after planned finish ({where} the {f.tolerance_days}-day tolerance)"

    return reason


@dataclass(frozen=True)
class RagRule:
    """One row of the RAG table: its number (as indicators.md and docs/indicators.md number them), when it
    applies, the RAG it gives (None: the lead's reported RAG), its reason in words, and the `_ReasonFacts`
    fields that reason reads (`uses`: the task table words each distinct combination once; tests check that
    changing any other field leaves the reason unchanged)."""

    number: int
    applies: Callable[[_RuleFacts], np.ndarray]
    rag: Rag | None
    reason: Callable[[_ReasonFacts], str]
    uses: tuple[str, ...] = ()


# In the order they are tried: the first that applies wins. Rules 10-13 (ongoing tasks, docs/plan-dates.md)
# come before 3-8 because an ongoing task has no finish to be missing or overdue.
RAG_RULES: tuple[RagRule, ...] = (
    RagRule(1, lambda f: f.cancelled, Rag.CANCELLED, lambda r: "cancelled"),
    RagRule(
        2,
        lambda f: f.complete,
        Rag.BLUE,
        lambda r: "complete" if pd.isna(r.expected_finish) else f"complete ({format_date(r.expected_finish)})",
        uses=("expected_finish",),
    ),
    RagRule(10, lambda f: f.ongoing & f.reported_given, None, lambda r: "ongoing (no fixed finish): RAG as the lead reported it"),
    RagRule(11, lambda f: f.ongoing & f.on_hold, Rag.AMBER, lambda r: "ongoing (no fixed finish): on hold"),
    RagRule(12, lambda f: f.ongoing & f.should_have_started, Rag.AMBER, lambda r: "ongoing (no fixed finish): should have started"),
    RagRule(13, lambda f: f.ongoing, Rag.GREEN, lambda r: "ongoing (no fixed finish)"),
    RagRule(3, lambda f: f.no_finish, Rag.AMBER, _no_finish_reason, uses=("finish_kind", "finish_as_written")),
    RagRule(
        4,
        lambda f: f.overdue,
        Rag.RED,
        lambda r: f"overdue: planned finish {format_date(r.planned_finish)} has passed",
        uses=("planned_finish",),
    ),
    RagRule(5, lambda f: f.late_beyond_tolerance, Rag.RED, _late_reason("beyond"), uses=("slip_days", "tolerance_days")),
    RagRule(6, lambda f: f.late_within_tolerance, Rag.AMBER, _late_reason("within"), uses=("slip_days", "tolerance_days")),
    RagRule(7, lambda f: f.on_hold, Rag.AMBER, lambda r: "on hold"),
    RagRule(8, lambda f: f.should_have_started, Rag.AMBER, lambda r: "should have started"),
    RagRule(9, lambda f: np.ones(len(f.cancelled), dtype=bool), Rag.GREEN, lambda r: "on track"),
)
DEFAULT_RULE = RAG_RULES[-1]  # "otherwise Green"
_RULES_BY_NUMBER = {rule.number: rule for rule in RAG_RULES}


def rag_for(
    status: str,
    as_at: object,
    planned_start: object,
    planned_finish: object,
    started_at_plan: bool = False,
    forecast_finish: object = None,
    actual_finish: object = None,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> Rag:
    """The RAG the table gives one task (for scripts that need a single answer: the data build's defaults)."""
    row = {
        "as_at": pd.Timestamp(as_at),
        "status": status,
        "percent_complete": np.nan,
        "forecast_finish": forecast_finish,
        "actual_finish": actual_finish,
        "first_complete_at": actual_finish,
        "last_update": pd.Timestamp(as_at),
        "forecast_moves": 0,
        "started_at_plan": bool(started_at_plan),
        "planned_start": pd.Timestamp(planned_start) if planned_start is not None else pd.NaT,
        "planned_finish": pd.Timestamp(planned_finish) if planned_finish is not None else pd.NaT,
        "reported_rag": None,
    }
    table = pd.DataFrame([row])
    for column in ("planned_start", "planned_finish"):
        table[column] = pd.to_datetime(table[column])
    return _evaluate(table, tolerance_days)["rag"].iloc[0]


def _evaluate(table: pd.DataFrame, tolerance_days: int, lean: bool = False) -> pd.DataFrame:
    """Status defaults, expected finish, slip and RAG for a grid whose `as_at` is a column (`lean`: without
    `rag_disagrees`, which only the task table shows).

    Status and RAG words are compared once per distinct value (`_equal_to`), not once per row."""
    as_at = table["as_at"]
    for column in ("forecast_finish", "actual_finish", "first_complete_at", "last_update"):
        table[column] = pd.to_datetime(table[column])
    default_status = np.where(table["started_at_plan"], TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED).astype(object)
    if "plan_status" in table:  # a status written with the plan date (`Done (March 2004)`) stands until an update
        plan_status = table["plan_status"].to_numpy(dtype=object)
        default_status = np.where(pd.notna(plan_status), plan_status, default_status)
    table["has_update"] = table["last_update"].notna()
    status = table["status"].to_numpy(dtype=object)
    table["status"] = pd.Series(np.where(pd.notna(status), status, default_status), index=table.index, dtype="object")
    table["forecast_moves"] = pd.to_numeric(table["forecast_moves"]).fillna(0).astype("int64")
    status_is = _equal_to(table["status"])
    is_cancelled = status_is(TaskStatus.CANCELLED)
    is_complete = status_is(TaskStatus.COMPLETE)
    percent = pd.to_numeric(table["percent_complete"]).astype("float64").to_numpy()
    percent = np.select([is_complete, status_is(TaskStatus.NOT_STARTED)], [100.0, 0.0], default=percent)
    table["percent_complete"] = np.where(is_cancelled, np.nan, percent)

    planned_finish = table["planned_finish"]
    completed_on = table["actual_finish"].fillna(table["first_complete_at"])
    open_estimate = table["forecast_finish"].fillna(planned_finish)
    open_estimate = open_estimate.where(open_estimate.isna() | (open_estimate >= as_at), as_at)
    expected = completed_on.where(is_complete, open_estimate)
    table["expected_finish"] = expected.where(~is_cancelled)
    table["slip_days"] = (table["expected_finish"] - planned_finish).dt.days.astype("Int64")
    table["slipped"] = (table["slip_days"].fillna(0) > 0) & ~is_cancelled

    facts = _RuleFacts.of(table, tolerance_days, status_is)
    rules = [rule for rule in RAG_RULES if rule.number != DEFAULT_RULE.number] + [DEFAULT_RULE]
    # The first rule that applies, as its position in `rules` (the last, "otherwise Green", when none does).
    which = np.select([rule.applies(facts) for rule in rules[:-1]], np.arange(len(rules) - 1), default=len(rules) - 1)
    rag_text = np.array([None if rule.rag is None else str(rule.rag) for rule in rules], dtype=object)[which]
    from_lead = np.array([rule.rag is None for rule in rules])[which]
    rag_text[from_lead] = facts.reported_text[from_lead]
    codes, distinct = pd.factorize(rag_text)
    table["rag"] = pd.Series(list(distinct), dtype="object").map(_RAG_BY_TEXT).take(codes).set_axis(table.index)
    table["rag_rule"] = np.array([rule.number for rule in rules], dtype="int64")[which]
    if not lean:
        reported = facts.reported_text
        table["rag_disagrees"] = facts.reported_given & ~is_cancelled & _differs(reported, table["rag"].to_numpy(dtype=object))
    table["tolerance_days"] = tolerance_days
    return table


def _differs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """left != right elementwise for two object arrays of few distinct values (each pair compared once)."""
    left_codes, left_values = pd.factorize(left)
    right_codes, right_values = pd.factorize(right)
    left_values = [None, *left_values]
    right_values = [None, *right_values]
    table = np.array([[a != b for b in right_values] for a in left_values], dtype=bool)
    return table[left_codes + 1, right_codes + 1]


_RAG_BY_TEXT = {str(r): r for r in Rag}


def task_grid(plan: PlanData, dates: list[pd.Timestamp], tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> pd.DataFrame:
    """Every task at every given date, with RAG and slip (no reason text): for trends at scale."""
    return _evaluate(positions_grid(plan, dates), tolerance_days)


def rag_grid(
    plan: PlanData, dates: list[pd.Timestamp], tolerance_days: int = DEFAULT_TOLERANCE_DAYS, task_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """task_grid without the plan's text, the updates' commentary and `rag_disagrees`: task_id, the position, the
    plan dates and finish kind, RAG (rule), expected finish and slip, each with task_grid's values. For counts over
    many dates; `task_ids` limits it to those tasks (None: all), the plan's carried updates still computed once."""
    return _evaluate(_positions(plan, dates, lean=True, task_ids=task_ids), tolerance_days, lean=True)


def task_table(plan: PlanData, as_at: pd.Timestamp, tolerance_days: int = DEFAULT_TOLERANCE_DAYS) -> pd.DataFrame:
    """One row per task at D: plan fields, position, RAG with reason, expected finish, slip.

    `slip_days` is E - F in days (negative is early; missing when E or F is unknown);
    `percent_complete` is 0-100 (Complete 100, Not started 0, else the latest given).
    """
    table = task_grid(plan, [as_at], tolerance_days)
    table["reason"] = _reasons(table, tolerance_days)
    return table


def _reasons(table: pd.DataFrame, tolerance_days: int) -> list[str]:
    """Each row's RAG reason (`_reason`), worded once per rule and distinct combination of the fields that rule's
    reason reads (`RagRule.uses`; the fields it does not read are passed as None)."""
    rules = table["rag_rule"].to_numpy()
    reasons = np.empty(len(table), dtype=object)
    for number in np.unique(rules):
        rows = np.flatnonzero(rules == number)
        uses = [name for name in _RULES_BY_NUMBER[number].uses if name != "tolerance_days"]
        # Keys compare dates as their int64 instants (a Timestamp per row costs ~10 us); a reason is worded from
        # the values as before: a date column's Timestamp read at the first row holding the key.
        keys = list(zip(*(_key_values(table[name], rows) for name in uses))) if uses else [()] * len(rows)
        worded: dict[tuple, str] = {}
        for row, key in zip(rows, keys):
            reason = worded.get(key)
            if reason is None:
                values = [table[name].iloc[row] if table[name].dtype.kind == "M" else value for name, value in zip(uses, key)]
                facts = dict.fromkeys(_ReasonFacts._fields) | dict(zip(uses, values)) | {"tolerance_days": tolerance_days}
                reason = worded[key] = _reason(int(number), **facts)
            reasons[row] = reason
    return reasons.tolist()


def _key_values(column: pd.Series, rows: np.ndarray) -> list:
    """The column's values at `rows`, as keys: naive datetimes as int64 instants, anything else as it is."""
    if column.dtype.kind == "M":
        return column.to_numpy()[rows].view("i8").tolist()
    return column.iloc[rows].tolist()


def _reason(rule: int, expected_finish, finish_kind: str, finish_as_written: str, planned_finish, slip_days, tolerance_days: int) -> str:
    """The RAG's reason in words, e.g. 'overdue: planned finish 31 Mar 2017 has passed' (from the rule's own row)."""
    return _RULES_BY_NUMBER[rule].reason(
        _ReasonFacts(expected_finish, finish_kind, finish_as_written, planned_finish, slip_days, tolerance_days)
    )


# ---- summaries -------------------------------------------------------------------------------


def in_scope(table: pd.DataFrame) -> pd.DataFrame:
    """Tasks not Cancelled: the denominator of every count and rate."""
    return table[table["status"] != TaskStatus.CANCELLED]


def _is_ongoing(table: pd.DataFrame) -> pd.Series:
    if "finish_kind" not in table:
        return pd.Series(False, index=table.index)
    return table["finish_kind"].eq("ongoing")


def completion(table: pd.DataFrame) -> dict:
    """complete, in_scope, rate (0-1), planned_rate (0-1), weighted_progress (percent 0-100), progress_unknown,
    ongoing, finish_unreadable, finish_not_set (tasks).

    Ongoing tasks (no fixed finish) are left out of every rate and counted in `ongoing` beside them;
    `finish_unreadable` and `finish_not_set` count tasks in scope whose finish could not be read or is not set:
    they can never count as planned by now (docs/indicators.md, "Completion").
    """
    not_cancelled = in_scope(table)
    ongoing = _is_ongoing(not_cancelled)
    scope = not_cancelled[~ongoing]
    n = len(scope)
    complete = int((scope["status"] == TaskStatus.COMPLETE).sum())
    planned = int((scope["planned_finish"].notna() & (scope["planned_finish"] <= scope["as_at"])).sum()) if n else 0
    known = scope["percent_complete"].dropna()
    kinds = scope["finish_kind"] if "finish_kind" in scope else pd.Series("", index=scope.index)
    return {
        "complete": complete,
        "in_scope": n,
        "rate": complete / n if n else None,
        "planned_rate": planned / n if n else None,
        "weighted_progress": float(known.mean()) if len(known) else None,
        "progress_unknown": int(n - len(known)),
        "ongoing": int(ongoing.sum()),
        "finish_unreadable": int((kinds == "unreadable").sum()),
        "finish_not_set": int((kinds == "unset").sum()),
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


def scope_words(table: pd.DataFrame, of: int | None = None) -> str:
    """What a task count includes, in words: '33 tasks in scope, 1 cancelled not counted'; with `of` (the
    whole plan's tasks in scope, for a filtered table): '12 of 33 tasks in scope, 1 cancelled not counted'.

    The one wording of the denominator every page, caption and filter note shows beside its counts:
    tasks in scope are those not Cancelled (`in_scope`); ongoing tasks (no fixed finish) are in scope
    but left out of the rates, and said so when there are any."""
    total = len(table)
    cancelled = int((table["status"] == TaskStatus.CANCELLED).sum()) if total else 0
    scope = total - cancelled
    words = (plural(scope, "task") if of is None else f"{scope:,} of {plural(of, 'task')}") + " in scope"
    if cancelled:
        words += f", {cancelled:,} cancelled not counted"
    ongoing = int(_is_ongoing(in_scope(table)).sum()) if total else 0
    if ongoing:
        words += f", {ongoing:,} ongoing (no fixed finish) left out of the rates"
    return words


def tasks_without_finish(table: pd.DataFrame) -> pd.DataFrame:
    """Tasks in scope whose finish is not set (TBC, blank) or could not be read: they never count as planned
    by now and cannot slip, and Exceptions lists them, so Data quality lists them too (issue 14). Ongoing
    tasks have no fixed finish by design and are not among them. Plan order; the table's own columns."""
    scope = in_scope(table)
    if "finish_kind" not in scope:
        return scope.iloc[0:0]
    return scope[scope["finish_kind"].isin(["unset", "unreadable"])].sort_values("plan_order", kind="stable")


def rollup_words(counts: dict | pd.Series) -> str:
    """The counts behind a worst-RAG roll-up, so a nearly finished group does not read as failing:
    '1 of 5 tasks off track, 4 complete'.

    `counts`: tasks per RAG word (keys 'Red', 'Amber', 'Green', 'Blue', optionally 'Cancelled'), as
    `rag_counts` or a `rollup` row. Cancelled tasks are outside the denominator and named after it."""
    get = lambda word: int(counts.get(word, 0) or 0)  # noqa: E731
    red, amber, green, blue, cancelled = (get(str(r)) for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.CANCELLED))
    scope = red + amber + green + blue
    if scope == 0:
        return "no tasks in scope" + (f", {cancelled:,} cancelled" if cancelled else "")
    parts = []
    for count, word in ((red, "off track"), (amber, "at risk"), (green, "on track")):
        if count:
            parts.append(f"{count:,} {word}" if parts else f"{count:,} of {plural(scope, 'task')} {word}")
    if blue:
        whole = f"all {plural(scope, 'task')} complete" if scope > 1 else "1 of 1 task complete"
        parts.append(f"{blue:,} complete" if parts else whole)
    text = ", ".join(parts)
    if cancelled:
        text += f" ({cancelled:,} cancelled not counted)"
    return text


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
    meta = grouped.agg(
        milestone=("milestone", "first"),
        theme=("theme", "first"),
        planned_finish=("planned_finish", "max"),
        expected_finish=("expected_finish", "max"),
        plan_order=("plan_order", "min"),
    ).reset_index()
    result = result.merge(meta, on=["theme_id", "milestone_ref"], how="left")
    scope = result["tasks"] - result[str(Rag.CANCELLED)]
    result["milestone_complete"] = (scope > 0) & (result["complete"] == scope)
    return result.sort_values("plan_order").drop(columns="plan_order").reset_index(drop=True)


def recommendation_rollup(table: pd.DataFrame) -> pd.DataFrame:
    """Tasks exploded by the recommendations they address (a task with two rec_ids counts under both)."""
    exploded = table.assign(rec_id=table["rec_ids"]).explode("rec_id")
    return exploded[exploded["rec_id"].notna()]


def progress_trend(
    plan: PlanData, as_at: pd.Timestamp, tolerance_days: int = DEFAULT_TOLERANCE_DAYS, task_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """Completion, planned completion, RAG counts and slippage at every reporting date up to D.

    Same definitions as `completion`, `slippage` and `rag_counts`, computed for all dates in one pass
    (`finish_unreadable` and `ongoing` as in `completion`);
    `task_ids` limits it to a filtered set of tasks (None: all).
    """
    as_at = pd.Timestamp(as_at)
    dates = [d for d in plan.reporting_dates if d <= as_at] or [as_at]
    grid = rag_grid(plan, dates, tolerance_days, task_ids=task_ids)
    # Counted per grid date with bincount over each row's date position (no groupby, no crosstab).
    grid_dates, date_of = np.unique(grid["as_at"].to_numpy(), return_inverse=True)
    date_of = date_of.reshape(-1)

    def per_date(mask: np.ndarray) -> pd.Series:
        counts = np.bincount(date_of[mask], minlength=len(grid_dates)).astype("int64")
        return pd.Series(counts, index=pd.DatetimeIndex(grid_dates))

    status_is = _equal_to(grid["status"])
    cancelled, ongoing = status_is(TaskStatus.CANCELLED), _is_ongoing(grid).to_numpy(dtype=bool)
    counted = ~cancelled & ~ongoing
    planned_finish = grid["planned_finish"]
    planned = (planned_finish.notna() & (planned_finish <= grid["as_at"])).to_numpy()
    index = pd.DatetimeIndex(dates, name="as_at").astype("datetime64[ns]")
    trend = pd.DataFrame(
        {
            "in_scope": per_date(counted).reindex(index, fill_value=0),
            "complete": per_date(counted & status_is(TaskStatus.COMPLETE)).reindex(index, fill_value=0),
            "planned": per_date(counted & planned).reindex(index, fill_value=0),
            "finish_unreadable": per_date(counted & (grid["finish_kind"] == "unreadable").to_numpy(dtype=bool)).reindex(
                index, fill_value=0
            ),
        },
        index=index,
    ).astype("int64")
    trend["ongoing"] = per_date(~cancelled & ongoing).reindex(trend.index, fill_value=0).astype("int64")
    slipped = counted & grid["slipped"].to_numpy(dtype=bool, na_value=False)
    slip = grid["slip_days"].to_numpy(dtype="float64", na_value=np.nan)
    trend["slipped"] = per_date(slipped).reindex(trend.index, fill_value=0).astype("int64")
    total = np.bincount(date_of[slipped], weights=slip[slipped], minlength=len(grid_dates))
    trend["total_slip_days"] = pd.Series(total.astype("int64"), index=pd.DatetimeIndex(grid_dates)).reindex(trend.index, fill_value=0)
    medians = [np.median(slip[slipped & (date_of == i)]) if (slipped & (date_of == i)).any() else np.nan for i in range(len(grid_dates))]
    trend["median_slip_days"] = pd.Series(np.array(medians, dtype="float64"), index=pd.DatetimeIndex(grid_dates)).reindex(trend.index)
    denominator = trend["in_scope"].where(trend["in_scope"] > 0)
    trend["completion_rate"] = trend["complete"] / denominator
    trend["planned_rate"] = trend["planned"] / denominator
    rag_is = _equal_to(grid["rag"])
    for rag in RAG_ORDER:
        trend[str(rag)] = per_date(rag_is(str(rag))).reindex(trend.index, fill_value=0)
    trend = trend.reset_index()
    trend["as_at"] = trend["as_at"].astype("datetime64[s]")  # the unit dates are read in
    columns = ["as_at", "completion_rate", "planned_rate", "complete", "in_scope", "slipped", "total_slip_days", "median_slip_days"]
    return trend[columns + [str(r) for r in RAG_ORDER] + ["finish_unreadable", "ongoing"]]


def changes_between(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Tasks whose RAG or status changed, or whose lead re-forecast, between two task tables.

    `forecast_moved_days` compares the lead's forecast (the planned finish where none was given)
    at the two dates: positive is later. Merely passing a forecast date is not a move.
    """
    keep = ["task_id", "rag", "status", "forecast_finish", "expected_finish", "reason"]
    merged = after[["task_id", "theme_id", "milestone_ref", "task_ref", "task", "lead", "planned_finish", *keep[1:], "commentary"]].merge(
        before[keep], on="task_id", suffixes=("", "_before"), how="left"
    )
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


def rag_scale(plan: PlanData) -> list[str]:
    """The plan's own RAG levels in order (About `rag_scale`, e.g. Red, Amber, Yellow, Green), Blue last; [] when not declared."""
    text = str(plan.about.get("rag_scale") or "")
    levels = [part.strip().title() for part in text.replace(";", ",").split(",") if part.strip()]
    if levels and "Blue" not in levels:
        levels.append("Blue")
    return levels


def reported_rag_counts(table: pd.DataFrame, scale: list[str]) -> dict[str, int]:
    """Tasks by the RAG the plan itself reports at D, on its own scale (Yellow kept as its own level); `None given` last."""
    reported = table["reported_rag"].astype("object")
    counts = {level: int((reported == level).sum()) for level in scale}
    others = sorted({str(r) for r in reported.dropna()} - set(scale))
    counts.update({level: int((reported == level).sum()) for level in others})
    counts["None given"] = int(reported.isna().sum())
    return counts
