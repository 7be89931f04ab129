"""Recommendation coverage: recommendations x themes, each cell in words, colour only reinforcing them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.analysis.coverage import grid_title

from .base import (
    BLACK,
    GRID_BAND_PX,
    GRID_NAME_CHARS,
    Chart,
    apply_layout,
    category_label,
    count_of,
    empty_chart,
    grid_rows_with_names_above,
    is_blank,
    join_words,
    names_above_grid_rows,
    plot_text,
    plural,
    truncate,
    verb,
    wrap_lines,
)

# Cell states, their shading (all light, so near-black text is >= 4.5:1 on each) and meaning.
BLANK, COVERED, DECLARED_NO_TASK, UNDECLARED_TASKS = 0, 1, 2, 3
CELL_COLOURS = {
    BLANK: "#FFFFFF",
    COVERED: "#BFE3DF",  # light turquoise (Analysis Function #28A197, tinted)
    DECLARED_NO_TASK: "#FBD9C5",  # light orange (#F46A25, tinted): a gap
    UNDECLARED_TASKS: "#E6C5D6",  # light pink (#801650, tinted): a gap
}
CELL_MEANINGS = {
    COVERED: "named under the theme in the plan and addressed by its tasks",
    DECLARED_NO_TASK: "named under the theme in the plan, but none of its tasks addresses it",
    UNDECLARED_TASKS: "addressed by the theme's tasks, but not named under it in the plan",
}


def cell_words(declared: bool, tasks: int) -> str:
    """'Named here, 3 tasks', 'Named here, no task', 'Not named here, 1 task' or '' (neither)."""
    if declared:
        return f"Named here, {plural(tasks, 'task')}" if tasks else "Named here, no task"
    return f"Not named here, {plural(tasks, 'task')}" if tasks else ""


# What a cell shows (issue 14): a symbol and the number of tasks fit a column of a phone's width; the words do not.
CELL_SYMBOLS = {COVERED: "\u2713", DECLARED_NO_TASK: "\u2717", UNDECLARED_TASKS: "+"}
CELL_KEY = "\u2713 named here, with tasks<br>\u2717 named here, no task<br>+ not named here, has tasks<br>The number is the theme's tasks."


def cell_symbol(declared: bool, tasks: int) -> str:
    """'\u2713 3' (named here, 3 tasks), '\u2717 0' (named here, no task), '+ 1' (not named here, 1 task) or '' (neither)."""
    state = cell_state(declared, tasks)
    return f"{CELL_SYMBOLS[state]} {tasks}" if state in CELL_SYMBOLS else ""


def cell_state(declared: bool, tasks: int) -> int:
    if declared:
        return COVERED if tasks else DECLARED_NO_TASK
    return UNDECLARED_TASKS if tasks else BLANK


def coverage_matrix(coverage_frame: pd.DataFrame, themes_frame: pd.DataFrame, task_frame: pd.DataFrame) -> Chart:
    """Grid of recommendations (rows) by themes (columns); each cell says in words whether the plan
    names the recommendation under the theme and how many of that theme's tasks address it (live tasks, from
    coverage's `theme_tasks` when the frame has it).

    `coverage_frame` is `coverage.coverage(...)` (rec_id, recommendation, themes, tasks, findings);
    `themes_frame` is `plan.themes` (theme_id, theme); `task_frame` has task_id and theme_id.
    """
    if coverage_frame is None or coverage_frame.empty or themes_frame is None or themes_frame.empty:
        return empty_chart(
            "No recommendations or themes to show coverage for",
            "There are no recommendations or no themes, so there is no coverage grid.",
            x_title="Theme",
            y_title="Recommendation",
        )
    theme_ids = [str(t) for t in themes_frame["theme_id"]]
    theme_names = {
        str(t): ("" if is_blank(n) else str(n))
        for t, n in zip(themes_frame["theme_id"], themes_frame["theme"] if "theme" in themes_frame else [None] * len(theme_ids))
    }
    task_theme: dict[str, str] = {}
    if task_frame is not None and not task_frame.empty:
        task_theme = {str(k): str(v) for k, v in zip(task_frame["task_id"], task_frame["theme_id"])}

    rec_ids = [str(r) for r in coverage_frame["rec_id"]]
    texts = ["" if is_blank(t) else str(t) for t in coverage_frame.get("recommendation", pd.Series([""] * len(rec_ids)))]
    words, symbols, states, hovers, gaps = [], [], [], [], []
    # The cells are coverage.coverage's `theme_tasks` (live tasks per theme) when given: one definition with the findings.
    cells = coverage_frame["theme_tasks"] if "theme_tasks" in coverage_frame else [None] * len(rec_ids)
    for rec_id, text, declared_themes, tasks, given in zip(rec_ids, texts, coverage_frame["themes"], coverage_frame["tasks"], cells):
        declared = {str(t) for t in (declared_themes or ())}
        per_theme: dict[str, int] = {str(k): int(v) for k, v in given.items()} if isinstance(given, dict) else {}
        for task_id in () if isinstance(given, dict) else tasks or ():
            theme = task_theme.get(str(task_id))
            if theme is not None:
                per_theme[theme] = per_theme.get(theme, 0) + 1
        row_words, row_symbols, row_states, row_hover = [], [], [], []
        for theme_id in theme_ids:
            n = per_theme.get(theme_id, 0)
            is_declared = theme_id in declared
            w, s = cell_words(is_declared, n), cell_state(is_declared, n)
            row_words.append(w)
            row_symbols.append(cell_symbol(is_declared, n))
            row_states.append(s)
            row_hover.append(
                f"<b>Recommendation {plot_text(rec_id)}</b>: {wrap_lines(plot_text(truncate(text, 240)), 60)}"
                f"<br>Theme {plot_text(theme_id)}: {plot_text(theme_names.get(theme_id, ''))}"
                f"<br>{w or 'Not named here, no task'}" + (f" ({CELL_MEANINGS[s]})" if s in CELL_MEANINGS else "")
            )
            if s in (DECLARED_NO_TASK, UNDECLARED_TASKS):
                gaps.append(
                    f"recommendation {rec_id} is {'named under theme ' + theme_id + ' in the plan with no task there' if s == DECLARED_NO_TASK else 'addressed by ' + plural(n, 'task') + ' in theme ' + theme_id + ' but not named under it in the plan'}"
                )
        words.append(row_words)
        symbols.append(row_symbols)
        states.append(row_states)
        hovers.append(row_hover)

    no_task = [r for r, t in zip(rec_ids, coverage_frame["tasks"]) if not t]
    gap_recs = [r for r, row in zip(rec_ids, states) if r not in no_task and any(s in (DECLARED_NO_TASK, UNDECLARED_TASKS) for s in row)]
    n = len(rec_ids)
    if not no_task and not gap_recs:
        title = f"All {n} recommendations have tasks in the themes that name them"
    else:
        parts = []
        if no_task:
            parts.append(f"{count_of(len(no_task), n, 'recommendation')} {verb(len(no_task), 'has', 'have')} no task")
        if gap_recs:
            parts.append(
                f"{len(gap_recs)}{' more' if no_task else f' of {n} recommendations'} "
                f"{verb(len(gap_recs), 'has', 'have')} themes and tasks that do not match"
            )
        title = "; ".join(parts)
    if "theme_tasks" in coverage_frame and "findings" in coverage_frame:
        title = grid_title(coverage_frame["findings"])  # the page's findings list and the grid count alike

    # Each recommendation's name is written across the whole width above its row (issue 14): beside the rows the names
    # left columns of about 37 px on a phone, and no cell words fitted. The cells say it in a symbol and a number
    # (CELL_SYMBOLS, with the key under the grid); the hover and the data table keep the words.
    row_labels = [category_label(f"{r} {t}".strip(), GRID_NAME_CHARS, 2) for r, t in zip(rec_ids, texts)]
    col_labels = [plot_text(str(t)) for t in theme_ids]  # under the axis title "Theme"
    colours = CELL_COLOURS
    scale = [
        [0.0, colours[0]],
        [0.25, colours[0]],
        [0.25, colours[1]],
        [0.5, colours[1]],
        [0.5, colours[2]],
        [0.75, colours[2]],
        [0.75, colours[3]],
        [1.0, colours[3]],
    ]
    blank_row = [None] * len(theme_ids)
    z, text, custom = [], [], []
    for row_states, row_symbols, row_hover in zip(states, symbols, hovers):
        z += [blank_row, row_states]
        text += [[""] * len(theme_ids), row_symbols]
        custom += [[""] * len(theme_ids), row_hover]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=col_labels,
            y=grid_rows_with_names_above(row_labels),
            text=text,
            texttemplate="%{text}",
            textfont={"color": BLACK, "size": 16},
            customdata=custom,
            hovertemplate="%{customdata}<extra></extra>",
            hoverongaps=False,
            colorscale=scale,
            zmin=-0.5,
            zmax=3.5,
            showscale=False,
            xgap=2,
            ygap=2,
            name="Coverage",
        )
    )
    plot_px = names_above_grid_rows(fig, row_labels, GRID_BAND_PX)
    apply_layout(fig, title, "Theme", "Recommendation", height=max(300, plot_px + 230), show_legend=False)
    fig.update_xaxes(side="top", showgrid=False, showline=False, type="category")
    fig.update_yaxes(autorange="reversed", showgrid=False, showline=False)
    fig.update_layout(margin={"t": 110, "b": 90})
    fig.update_xaxes(title_standoff=6)
    fig.add_annotation(
        text=CELL_KEY, x=0, xref="paper", xanchor="left", y=0, yref="paper", yanchor="top", yshift=-8, align="left", showarrow=False
    )

    covered = sum(1 for row in states if COVERED in row and not any(s in (DECLARED_NO_TASK, UNDECLARED_TASKS) for s in row))
    description = (
        f"Grid of {plural(n, 'recommendation')} by {plural(len(theme_ids), 'theme')}; each cell says whether the plan "
        f"names the recommendation under the theme and how many of that theme's tasks address it. "
        f"{covered} {verb(covered)} named under their themes and addressed with no gap. Themes: "
        + "; ".join(f"{t} {theme_names.get(t, '')}".strip() for t in theme_ids)
        + "."
    )
    if no_task:
        description += f" No task addresses recommendation{'s' if len(no_task) > 1 else ''} {join_words(no_task)}."
    if gaps:
        shown = gaps[:8]
        description += " Gaps: " + "; ".join(shown) + (f"; and {len(gaps) - len(shown)} more" if len(gaps) > len(shown) else "") + "."

    data = pd.DataFrame({"Recommendation": rec_ids, "Recommendation text": texts})
    for j, theme_id in enumerate(theme_ids):
        name = f"Theme {theme_id}" + (f": {theme_names[theme_id]}" if theme_names.get(theme_id) else "")
        data[name] = [row[j] for row in words]
    data["Tasks"] = [len(t or ()) for t in coverage_frame["tasks"]]
    if "findings" in coverage_frame:
        data["Findings"] = [" ".join(f or []) for f in coverage_frame["findings"]]
    return Chart(fig, title, description, data)
