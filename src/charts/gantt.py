"""The plan timeline (Gantt) at task, milestone or theme level, fast at 500+ rows.

Built from a handful of `go.Bar(orientation="h", base=start)` traces (one per RAG, so the legend
lists RAG words) rather than a trace per task.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from src.analysis.plan_workbook import RAG_ORDER, Rag
from src.analysis.progress import rollup_rag

from .base import (
    BLACK,
    DATE_TICK_FORMAT_TWO_LINES,
    MIN_HEIGHT_PX,
    Chart,
    apply_layout,
    category_label,
    date_text,
    empty_chart,
    is_blank,
    join_words,
    month_ticks,
    percent,
    plot_text,
    plural,
    truncate,
    unique_labels,
    verb,
    wrap_lines,
)
from .palette import rag_pattern, rag_style

LEVELS = ("task", "milestone", "theme")
LABEL_CHARS = 54  # a task's words on its row (wrapped onto three lines); the hover has them whole
LABEL_WRAP = 18  # three lines of 18 characters: about 150 px of a 390 px phone for the names
LABEL_LINES = 3
GANTT_ROW_PX = 66  # three lines of 16 px text
PLANNED_COLOUR = "#505A5F"  # GOV.UK dark grey: 7:1 on white
MILESTONE_COLOUR = BLACK
DAY_MS = 24 * 60 * 60 * 1000

DRAWN = "drawn"
STARTED_BEFORE_PLAN = "drawn: started before plan (bar starts at the start of the plan)"
NO_PLANNED_FINISH = "drawn: no planned finish, so no planned bar"
FINISH_ONLY = "drawn: no start date, finish marked only"
NOT_DRAWN_NO_DATE = "not drawn: no date"
NOT_DRAWN_NO_FINISH = "not drawn: no date to finish by"


def _col(frame: pd.DataFrame, name: str, default: object = None) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype="object")


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(_col(frame, name), errors="coerce")


def _hover_text(value: object, width: int = 70, limit: int = 300) -> str:
    """Escaped, shortened and wrapped for a hover box."""
    return wrap_lines(plot_text(truncate(value, limit)) if not is_blank(value) else "none", width)


def _percent_text(value: object) -> str:
    """Percent complete as given (0-100) -> '40%' (wording.percent, which takes a share)."""
    return percent(None if is_blank(value) else float(value) / 100, missing="not given")


def _task_rows(frame: pd.DataFrame, plan_start: pd.Timestamp | None) -> pd.DataFrame:
    """One row per task in plan order with bar dates, label, hover fields and whether it is drawn."""
    if "plan_order" in frame:
        frame = frame.sort_values("plan_order", kind="stable")
    frame = frame.reset_index(drop=True)
    planned_start, planned_finish = _dates(frame, "planned_start"), _dates(frame, "planned_finish")
    expected = _dates(frame, "expected_finish")
    started = _col(frame, "started_at_plan", False).fillna(False).astype(bool)
    earliest = plan_start
    if earliest is None or pd.isna(earliest):
        known = pd.concat([planned_start, planned_finish, expected]).dropna()
        earliest = known.min() if len(known) else pd.NaT
    start = planned_start.copy()
    before_plan = start.isna() & started & pd.notna(earliest)
    start[before_plan] = earliest
    end = expected.fillna(planned_finish)
    note = np.select(
        [
            start.notna() & end.notna() & before_plan,
            start.notna() & end.notna() & planned_finish.isna(),
            start.notna() & end.notna(),
            start.isna() & end.notna(),
            start.notna(),
        ],
        [STARTED_BEFORE_PLAN, NO_PLANNED_FINISH, DRAWN, FINISH_ONLY, NOT_DRAWN_NO_FINISH],
        default=NOT_DRAWN_NO_DATE,
    )
    task_id = _col(frame, "task_id", "").astype("object").fillna("").astype(str)
    text = _col(frame, "task", "").astype("object")
    rags = [("" if is_blank(r) else str(r)) for r in _col(frame, "rag")]
    rows = pd.DataFrame(
        {
            "key": task_id,
            "label": [truncate(f"{i} {t if not is_blank(t) else ''}".strip(), LABEL_CHARS) for i, t in zip(task_id, text)],
            "name": [f"{i} {t}".strip() if not is_blank(t) else i for i, t in zip(task_id, text)],
            "text": text.to_numpy(),
            "theme_id": _col(frame, "theme_id", "").astype("object").to_numpy(),
            "theme": _col(frame, "theme", "").astype("object").to_numpy(),
            "milestone_ref": _col(frame, "milestone_ref", "").astype("object").to_numpy(),
            "milestone": _col(frame, "milestone", "").astype("object").to_numpy(),
            "lead": _col(frame, "lead").astype("object").to_numpy(),
            "status": _col(frame, "status").astype("object").to_numpy(),
            "percent_complete": pd.to_numeric(_col(frame, "percent_complete"), errors="coerce").to_numpy(),
            "rag": rags,
            "reason": _col(frame, "reason").astype("object").to_numpy(),
            "commentary": _col(frame, "commentary").astype("object").to_numpy(),
            "start": start.to_numpy(),
            "end": end.to_numpy(),
            "planned_start": planned_start.to_numpy(),
            "planned_finish": planned_finish.to_numpy(),
            "expected_finish": expected.to_numpy(),
            "note": note,
        }
    )
    return rows


def timeline_notes(task_frame: pd.DataFrame) -> pd.Series:
    """How each task appears on the task timeline, by task id: "drawn", "drawn: no planned finish, so no
    planned bar", "not drawn: no date", ... (the chart's own rule, so a page's list of tasks not drawn
    never disagrees with the chart)."""
    rows = _task_rows(task_frame, None)
    return pd.Series(rows["note"].to_numpy(), index=rows["key"].to_numpy())


def _task_hover(rows: pd.DataFrame) -> list[str]:
    """Hover text for the task rows on the page (built for the shown rows only: 10,000 would cost seconds)."""
    return [
        f"<b>{plot_text(truncate(r.name, 120))}</b><br>Lead: {plot_text(str(r.lead)) if not is_blank(r.lead) else 'not given'}"
        f"<br>Status: {r.status if not is_blank(r.status) else 'not given'}, {_percent_text(r.percent_complete)} complete"
        f"<br>RAG: {r.rag or 'none'}{' (' + plot_text(str(r.reason)) + ')' if not is_blank(r.reason) else ''}"
        f"<br>Planned finish: {date_text(r.planned_finish) or 'not set'}; expected finish: {date_text(r.expected_finish) or 'not known'}"
        + ("<br>Bar starts at the start of the plan: started before the plan" if r.note == STARTED_BEFORE_PLAN else "")
        + f"<br>Latest commentary: {_hover_text(r.commentary)}"
        for r in rows.itertuples(index=False)
    ]


def _group_rows(tasks: pd.DataFrame, level: str) -> pd.DataFrame:
    """One row per milestone or theme spanning its tasks, coloured by its roll-up RAG (grouped, not looped)."""
    keys = ["theme_id"] if level == "theme" else ["theme_id", "milestone_ref"]
    frame = tasks.assign(**{f"_{k}": tasks[k].astype(str) for k in keys})
    group_keys = [f"_{k}" for k in keys]
    drawn = frame["note"].str.startswith("drawn")
    frame = frame.assign(_start=frame["start"].where(drawn), _end=frame["end"].where(drawn))
    grouped = frame.groupby(group_keys, sort=False)
    agg = grouped.agg(
        theme_id=("theme_id", "first"),
        theme=("theme", "first"),
        milestone_ref=("milestone_ref", "first"),
        milestone=("milestone", "first"),
        tasks=("key", "size"),
        start=("_start", "min"),
        end=("_end", "max"),
        planned_start=("planned_start", "min"),
        planned_finish=("planned_finish", "max"),
        expected_finish=("expected_finish", "max"),
    )
    counts = pd.crosstab([frame[k] for k in group_keys], frame["rag"]).reindex(agg.index, fill_value=0)
    rows = agg.reset_index(drop=True)
    count_table = {str(r): (counts[str(r)].to_numpy() if str(r) in counts.columns else np.zeros(len(rows), dtype=int)) for r in RAG_ORDER}
    rags, words = [], []
    for i in range(len(rows)):
        present = {r: int(count_table[str(r)][i]) for r in RAG_ORDER}
        # The engine's roll-up rule (progress.rollup_rag): none when every task is cancelled, drawn in the cancelled style.
        rag = rollup_rag(pd.Series([r for r, n in present.items() if n], dtype="object"))
        rags.append(str(rag) if rag is not None else str(Rag.CANCELLED))
        words.append(join_words([f"{n} {r}" for r, n in present.items() if n]))
    if level == "theme":
        names = [f"Theme {t}" + (f": {n}" if not is_blank(n) and n else "") for t, n in zip(rows["theme_id"], rows["theme"])]
        rows["milestone_ref"], rows["milestone"] = "", ""
    else:
        names = [
            f"Theme {t} {m}" + (f": {d}" if not is_blank(d) and d else "")
            for t, m, d in zip(rows["theme_id"], rows["milestone_ref"], rows["milestone"])
        ]
    rows["key"] = names
    rows["name"] = names
    rows["label"] = [truncate(n, LABEL_CHARS) for n in names]
    rows["rag"] = rags
    rows["counts"] = words
    rows["note"] = np.where(rows["start"].notna() & rows["end"].notna(), DRAWN, NOT_DRAWN_NO_DATE)
    rows["hover"] = [
        f"<b>{plot_text(truncate(n, 120))}</b><br>{plural(int(k), 'task')}: {w}<br>Worst task RAG: {r if r != Rag.CANCELLED else 'none (every task cancelled)'}"
        f"<br>Latest planned finish: {date_text(pf) or 'not set'}; latest expected finish: {date_text(ef) or 'not known'}"
        for n, k, w, r, pf, ef in zip(names, rows["tasks"], words, rags, rows["planned_finish"], rows["expected_finish"])
    ]
    return rows


def _milestone_points(tasks: pd.DataFrame, shown: pd.DataFrame, level: str) -> pd.DataFrame:
    """Diamonds at each milestone's latest planned finish, on its last visible row (or its own/theme row)."""
    if tasks.empty:
        return pd.DataFrame()
    # Only the milestones with a row on this page: grouping all 1,000 of a large plan costs seconds.
    if level == "task":
        tasks = tasks[tasks["key"].isin(set(shown["key"]))]
    else:
        tasks = tasks[tasks["theme_id"].astype(str).isin(set(shown["theme_id"].astype(str)))]
        if level == "milestone":
            pairs = set(zip(shown["theme_id"].astype(str), shown["milestone_ref"].astype(str)))
            tasks = tasks[[pair in pairs for pair in zip(tasks["theme_id"].astype(str), tasks["milestone_ref"].astype(str))]]
    if tasks.empty:
        return pd.DataFrame()
    keyed = tasks.assign(_theme=tasks["theme_id"].astype(str), _ref=tasks["milestone_ref"].astype(str))
    grouped = keyed.groupby(["_theme", "_ref"], sort=False)
    agg = grouped.agg(date=("planned_finish", "max"), milestone=("milestone", "first"), last_key=("key", "last")).reset_index()
    agg = agg[agg["date"].notna()]
    if level == "task":
        # the milestone's last task on this page carries its diamond
        visible = keyed[keyed["key"].isin(set(shown["key"]))].groupby(["_theme", "_ref"], sort=False)["key"].last()
        label_of_key = dict(zip(shown["key"], shown["label"]))
        agg["label"] = [label_of_key.get(visible.get((t, r))) for t, r in zip(agg["_theme"], agg["_ref"])]
    elif level == "milestone":
        label_of = {(str(t), str(r)): lab for t, r, lab in zip(shown["theme_id"], shown["milestone_ref"], shown["label"])}
        agg["label"] = [label_of.get((t, r)) for t, r in zip(agg["_theme"], agg["_ref"])]
    else:
        label_of = {str(t): lab for t, lab in zip(shown["theme_id"], shown["label"])}
        agg["label"] = [label_of.get(t) for t in agg["_theme"]]
    agg = agg[agg["label"].notna()]
    names = [
        f"Theme {t} {r}" + (f": {m}" if not is_blank(m) and m else "") for t, r, m in zip(agg["_theme"], agg["_ref"], agg["milestone"])
    ]
    return pd.DataFrame(
        {
            "label": agg["label"].to_numpy(),
            "date": agg["date"].to_numpy(),
            "hover": [
                f"<b>Milestone {plot_text(truncate(n, 120))}</b><br>Latest planned finish: {date_text(d)}"
                for n, d in zip(names, agg["date"])
            ],
        }
    )


def _duration_ms(start: pd.Series, end: pd.Series) -> np.ndarray:
    """Bar length in ms, at least a day so one-day and back-to-front spans still show."""
    ms = (pd.to_datetime(end) - pd.to_datetime(start)).dt.total_seconds().to_numpy() * 1000
    return np.maximum(ms, DAY_MS)


def _iso(series: pd.Series) -> list[str]:
    return [pd.Timestamp(v).strftime("%Y-%m-%d") for v in series]


def gantt(
    task_frame: pd.DataFrame,
    as_at: pd.Timestamp,
    level: str = "task",
    offset: int = 0,
    max_rows: int = 60,
    plan_start: pd.Timestamp | None = None,
) -> Chart:
    """The plan timeline: a thin planned bar and a thick expected/actual bar per row, RAG-coloured and patterned.

    `task_frame` is `progress.task_table(...)` (or `PlanView.tasks`); `level` is "task", "milestone" or
    "theme". Rows `offset`..`offset + max_rows - 1` of the drawable rows are drawn (paging); `chart.data`
    lists every row with an "On chart" column ("drawn", "not drawn: no date", ...) and its "Chart row".
    `plan_start` is where a task that had `Started` before the plan begins its bar (default: the
    earliest date in the frame).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    as_at = pd.Timestamp(as_at)
    noun = {"task": "task", "milestone": "milestone", "theme": "theme"}[level]
    if task_frame is None or task_frame.empty:
        return empty_chart(
            f"No {noun}s to show on the timeline",
            f"There are no {noun}s, so there is no timeline.",
            x_title="Date",
            y_title=noun.capitalize(),
        )
    tasks = _task_rows(task_frame, plan_start)
    rows = tasks if level == "task" else _group_rows(tasks, level)
    drawable = rows["note"].str.startswith("drawn").to_numpy()
    rows["chart_row"] = pd.array([pd.NA] * len(rows), dtype="Int64")
    rows.loc[drawable, "chart_row"] = np.arange(1, int(drawable.sum()) + 1)
    offset, max_rows = max(0, int(offset)), max(1, int(max_rows))
    n_drawable = int(drawable.sum())
    shown = rows[drawable].iloc[offset : offset + max_rows].copy()
    shown["label"] = unique_labels([category_label(label, LABEL_WRAP, LABEL_LINES) for label in shown["label"]])
    if level == "task":
        shown["hover"] = _task_hover(shown)
    data = _data(rows, level)
    if shown.empty:
        why = (
            f"no {noun}s have dates to draw"
            if n_drawable == 0
            else f"there are only {plural(n_drawable, noun)} to draw, none from row {offset + 1}"
        )
        return empty_chart(
            f"Timeline: {why}", f"Nothing is drawn on the timeline because {why}.", data, x_title="Date", y_title=noun.capitalize()
        )

    labels = shown["label"].tolist()
    fig = go.Figure()
    bars = shown[shown["start"].notna() & shown["end"].notna()]
    for rag in RAG_ORDER:
        part = bars[bars["rag"] == str(rag)]
        if part.empty:
            continue
        style = rag_style(rag)
        low = part[["start", "end"]].min(axis=1)
        high = part[["start", "end"]].max(axis=1)
        fig.add_trace(
            go.Bar(
                name=str(rag),
                orientation="h",
                y=part["label"].tolist(),
                base=_iso(low),
                x=_duration_ms(low, high),
                width=0.5,
                offset=-0.4,
                marker={"color": style.colour, "pattern": rag_pattern(rag), "line": {"color": BLACK, "width": 0.5}},
                customdata=part["hover"].tolist(),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    planned = shown[shown["start"].notna() & shown["planned_finish"].notna()]
    if not planned.empty:
        low = planned[["start", "planned_finish"]].min(axis=1)
        high = planned[["start", "planned_finish"]].max(axis=1)
        fig.add_trace(
            go.Bar(
                name="Planned start to finish (thin bar)",
                orientation="h",
                y=planned["label"].tolist(),
                base=_iso(low),
                x=_duration_ms(low, high),
                width=0.16,
                offset=0.16,
                marker={"color": PLANNED_COLOUR},
                customdata=[
                    f"{h.split('<br>')[0]}<br>Planned: {date_text(s)} to {date_text(f)}" for h, s, f in zip(planned["hover"], low, high)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    finish_only = shown[shown["note"] == FINISH_ONLY]
    if not finish_only.empty:
        fig.add_trace(
            go.Scatter(
                name="Finish only (no start date)",
                mode="markers",
                y=finish_only["label"].tolist(),
                x=_iso(finish_only["end"]),
                marker={"symbol": "line-ns-open", "size": 16, "color": BLACK, "line": {"width": 3}},
                customdata=finish_only["hover"].tolist(),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    points = _milestone_points(tasks, shown, level)
    if not points.empty:
        fig.add_trace(
            go.Scatter(
                name="Milestone due (latest planned finish)",
                mode="markers",
                y=points["label"].tolist(),
                x=_iso(points["date"]),
                marker={"symbol": "diamond", "size": 13, "color": MILESTONE_COLOUR, "line": {"color": "#FFFFFF", "width": 1}},
                customdata=points["hover"].tolist(),
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    _separators(fig, shown, level)
    as_at_text = date_text(as_at)
    fig.add_shape(
        type="line",
        x0=as_at.strftime("%Y-%m-%d"),
        x1=as_at.strftime("%Y-%m-%d"),
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line={"color": BLACK, "width": 2, "dash": "dot"},
        name="Reporting date",
    )
    fig.add_annotation(
        x=as_at.strftime("%Y-%m-%d"),
        xref="x",
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=f"Reporting date {as_at_text}",
        font={"color": BLACK, "size": 14},
        bgcolor="#FFFFFF",
    )

    title, description = _words(rows, shown, level, noun, as_at_text, n_drawable, offset)
    apply_layout(
        fig,
        title,
        "Date",
        "Task" if level == "task" else noun.capitalize(),
        legend_title="Thick bar: expected, by RAG",
        height=max(MIN_HEIGHT_PX + 100, GANTT_ROW_PX * len(shown) + 300),
        x_dates=True,
        hovermode="closest",
    )
    # The legend at the foot of the figure (container-anchored): in paper units it sat on the date labels of a
    # short chart (the themes view) and on the axis title. The axis titles stay in the figure (exports, tests)
    # but are not drawn: the rows are task (milestone, theme) names and the ticks are dates, and at 390 px
    # "Task" sat on the names. Dates on two lines, at most five, so they never run together on a phone.
    fig.update_layout(
        barmode="overlay",
        bargap=0.2,
        margin={"t": 110, "b": 200},
        legend={"orientation": "h", "yref": "container", "xref": "container", "yanchor": "bottom", "y": 0.005, "x": 0, "xanchor": "left"},
    )
    fig.update_xaxes(title_text="", tickformat=DATE_TICK_FORMAT_TWO_LINES)
    span = pd.to_datetime(pd.concat([shown["start"], shown["end"], shown["planned_finish"], pd.Series([as_at])]), errors="coerce")
    month_ticks(fig, span.min(), span.max(), max_labels=2)  # the dates have about 130 px beside the names on a phone
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        # An explicit range, one row per category (the first at the top): plotly's autorange padded the bars' far side
        # by about 5% of the axis (1.4 rows, a 90 px blank band under the last row of 34, issue 14). Every bar and
        # marker lies within half a row of its category.
        autorange=False,
        range=[len(labels) - 0.5, -0.5],
        showgrid=False,
        title_text="",
    )
    return Chart(fig, title, description, data)


def _separators(fig: go.Figure, shown: pd.DataFrame, level: str) -> None:
    """A faint line between themes (task and milestone levels), so plan order reads as groups."""
    if level == "theme":
        return
    themes = shown["theme_id"].astype(str).tolist()
    for i in range(1, len(themes)):
        if themes[i] != themes[i - 1]:
            fig.add_shape(
                type="line",
                xref="paper",
                x0=0,
                x1=1,
                yref="y",
                y0=i - 0.5,
                y1=i - 0.5,
                line={"color": "#B1B4B6", "width": 1},
                layer="below",
            )


def _words(
    rows: pd.DataFrame, shown: pd.DataFrame, level: str, noun: str, as_at_text: str, n_drawable: int, offset: int
) -> tuple[str, str]:
    counts = {str(r): int((rows["rag"] == str(r)).sum()) for r in RAG_ORDER}
    in_scope = len(rows) - counts["Cancelled"]
    rag_words = join_words([f"{counts[str(r)]} {r}" for r in RAG_ORDER if counts[str(r)]])
    title = f"Timeline at {as_at_text}: {counts['Red']} Red and {counts['Amber']} Amber of {plural(in_scope, noun)}"
    if level != "task":
        title = f"Timeline by {noun} at {as_at_text}: {counts['Red']} Red and {counts['Amber']} Amber of {plural(in_scope, noun)}"
    first, last = offset + 1, offset + len(shown)
    hidden = n_drawable - len(shown)
    if hidden:
        title += f" (rows {first} to {last} of {n_drawable} shown)"
    not_drawn = rows[~rows["note"].str.startswith("drawn")]
    span_start = pd.to_datetime(shown[["start", "end"]].stack()).min() if not shown.empty else pd.NaT
    span_end = pd.to_datetime(shown[["start", "end", "planned_finish"]].stack()).max() if not shown.empty else pd.NaT
    description = (
        f"Timeline (Gantt) chart of {plural(len(rows), noun)} in plan order"
        + (f" ({in_scope:,} in scope, {counts['Cancelled']:,} cancelled not counted)" if level == "task" and counts["Cancelled"] else "")
        + (f", from {date_text(span_start)} to {date_text(span_end)}" if pd.notna(span_start) else "")
        + ". Each row has a thin bar from planned start to planned finish and a thick bar to the expected finish, "
        f"coloured and patterned by RAG ({rag_words or 'none'}); diamonds mark milestone due dates and a dotted line "
        f"marks the reporting date, {as_at_text}."
    )
    if hidden:
        description += f" Rows {first} to {last} of {n_drawable} are drawn; {plural(hidden, noun)} {verb(hidden)} on other pages."
    if len(not_drawn):
        description += (
            f" {plural(len(not_drawn), noun)} {verb(len(not_drawn))} not drawn because "
            f"{'it has' if len(not_drawn) == 1 else 'they have'} no usable dates: "
            + join_words(not_drawn["key"].astype(str).tolist()[:10])
            + "."
        )
    return title, description


def _data(rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """Every row, drawn or not, with human column names."""
    if level == "task":
        data = pd.DataFrame(
            {
                "Task": rows["key"],
                "Description": rows["text"],
                "Theme": rows["theme_id"],
                "Milestone": rows["milestone_ref"],
                "Lead": rows["lead"],
                "Status": rows["status"],
                "Percent complete": rows["percent_complete"],
                "RAG": rows["rag"],
                "Reason": rows["reason"],
            }
        )
    else:
        data = pd.DataFrame(
            {noun_col(level): rows["key"], "Tasks": rows["tasks"], "Worst task RAG": rows["rag"], "RAG counts": rows["counts"]}
        )
    data["Planned start"] = pd.to_datetime(rows["planned_start"]).to_numpy()
    data["Planned finish"] = pd.to_datetime(rows["planned_finish"]).to_numpy()
    data["Expected finish"] = pd.to_datetime(rows["expected_finish"]).to_numpy()
    data["Bar start"] = pd.to_datetime(rows["start"]).to_numpy()
    data["On chart"] = rows["note"].to_numpy()
    data["Chart row"] = rows["chart_row"].to_numpy()
    if level == "task":
        data["Latest commentary"] = rows["commentary"]
    return data


def noun_col(level: str) -> str:
    return "Milestone" if level == "milestone" else "Theme"
