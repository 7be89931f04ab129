"""Charts over reporting dates: planned vs actual completion, and slippage."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.analysis.wording import days

from .base import FONT_SIZE, Chart, apply_layout, date_text, empty_chart, is_blank, percent_text, plural, reporting_date_ticks, verb
from .palette import Category

ACTUAL_COLOUR = Category.DARK_BLUE.value  # 10.3:1 on white
PLANNED_COLOUR = Category.DARK_PINK.value  # 9.8:1 on white (orange is only 2.9:1, too faint for a line)


def _percent(series: pd.Series) -> pd.Series:
    """Shares 0-1 as numbers 0-100 for the y axis (not display text: the axis adds the % sign)."""
    return (pd.to_numeric(series, errors="coerce") * 100).round(1)


def _span(dates: pd.Series) -> str:
    n = len(dates)
    if n == 1:
        return f"at 1 reporting date, {date_text(dates.iloc[0])}"
    return f"at {n} reporting dates from {date_text(dates.iloc[0])} to {date_text(dates.iloc[-1])}"


def completion_trend(trend_frame: pd.DataFrame) -> Chart:
    """Planned vs actual completion (percent of tasks not cancelled) at each reporting date.

    `trend_frame` is `progress.progress_trend(plan, as_at)`: as_at, completion_rate and planned_rate
    (0-1), complete, in_scope. Actual is a solid line with circles, planned a dashed line with diamonds.
    """
    if trend_frame is None or trend_frame.empty or "as_at" not in trend_frame:
        return empty_chart(
            "No reporting dates to show completion for",
            "There are no reporting dates, so there is no completion trend.",
            x_title="Reporting date",
            y_title="Percent of tasks complete",
        )
    frame = trend_frame.sort_values("as_at").reset_index(drop=True)
    dates = pd.to_datetime(frame["as_at"])
    actual, planned = _percent(frame["completion_rate"]), _percent(frame["planned_rate"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            name="Planned: tasks due by this date",
            x=dates,
            y=planned,
            mode="lines+markers",
            line={"color": PLANNED_COLOUR, "dash": "dash", "width": 3},
            marker={"symbol": "diamond", "size": 10},
            hovertemplate="Planned: %{y:.0f}% of tasks due<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            name="Actual: tasks complete",
            x=dates,
            y=actual,
            mode="lines+markers",
            line={"color": ACTUAL_COLOUR, "dash": "solid", "width": 3},
            marker={"symbol": "circle", "size": 9},
            hovertemplate="Actual: %{y:.0f}% of tasks complete<extra></extra>",
        )
    )
    last = frame.iloc[-1]
    when = date_text(dates.iloc[-1])
    done, due = percent_text(last["completion_rate"]), percent_text(last["planned_rate"])
    if is_blank(last["completion_rate"]):
        title = f"No tasks in scope at {when}"
    else:
        gap = round(float(last["completion_rate"]) * 100) - round(float(last["planned_rate"]) * 100)
        position = (
            "on plan"
            if gap == 0
            else f"{plural(-gap, 'percentage point')} behind plan"
            if gap < 0
            else f"{plural(gap, 'percentage point')} ahead of plan"
        )
        title = f"{done} of tasks complete at {when} against {done if gap == 0 else due} planned: {position}"
    apply_layout(fig, title, "Reporting date", "Percent of tasks complete", x_dates=True, hovermode="x unified")
    fig.update_yaxes(range=[0, 105], ticksuffix="%", dtick=20)
    reporting_date_ticks(fig, dates)
    counts = ""
    if "complete" in frame and "in_scope" in frame and not is_blank(last.get("in_scope")):
        counts = f" ({int(last['complete'])} of {plural(int(last['in_scope']), 'task')} not cancelled)"
    description = (
        f"Line chart of planned and actual completion {_span(dates)}. "
        f"At {when}, {done} of tasks were complete{counts} against {due} planned."
    )
    if "finish_unreadable" in frame and not is_blank(last.get("finish_unreadable")) and int(last["finish_unreadable"]):
        unread = int(last["finish_unreadable"])
        description += f" {plural(unread, 'task')} had a finish that could not be read, so {'it is' if unread == 1 else 'they are'} never counted as planned."
    if "ongoing" in frame and not is_blank(last.get("ongoing")) and int(last["ongoing"]):
        description += (
            f" {plural(int(last['ongoing']), 'ongoing task')} (no fixed finish) {verb(int(last['ongoing']))} left out of both lines."
        )
    data = pd.DataFrame(
        {"Reporting date": dates.to_numpy(), "Tasks complete (%)": actual.to_numpy(), "Planned complete (%)": planned.to_numpy()}
    )
    if "complete" in frame:
        data["Tasks complete"] = frame["complete"].to_numpy()
    if "in_scope" in frame:
        data["Tasks not cancelled"] = frame["in_scope"].to_numpy()
    return Chart(fig, title, description, data)


def _days(value: object) -> str:
    """'34 days', '1 day', '12.5 days'; 'no slip' when blank (wording.days)."""
    return days(value, missing="no slip")


def slippage_trend(trend_frame: pd.DataFrame) -> Chart:
    """Slipped task count (bars, left axis) and median slip in days (dashed line, right axis) by date.

    `trend_frame` is `progress.progress_trend(...)`: as_at, slipped, median_slip_days, total_slip_days.
    """
    if trend_frame is None or trend_frame.empty or "as_at" not in trend_frame:
        return empty_chart(
            "No reporting dates to show slippage for",
            "There are no reporting dates, so there is no slippage trend.",
            x_title="Reporting date",
            y_title="Number of tasks slipped",
        )
    frame = trend_frame.sort_values("as_at").reset_index(drop=True)
    dates = pd.to_datetime(frame["as_at"])
    slipped = pd.to_numeric(frame["slipped"], errors="coerce").fillna(0).astype("int64")
    median = pd.to_numeric(frame["median_slip_days"], errors="coerce")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Tasks slipped (left axis)",
            x=dates,
            y=slipped,
            marker={"color": Category.DARK_BLUE.value},
            text=slipped,
            textposition="outside",
            textfont={"color": "#0B0C0C"},
            hovertemplate="%{y} tasks slipped<extra></extra>",
        )
    )
    # 16 narrow bars at 320 px: their counts were shrunk to about 8 px. A count that would be drawn under 14 px is hidden
    # (the hover has it); the text stays constrained to its bar's width ("both"), so it is never run into the next.
    fig.update_layout(uniformtext={"minsize": FONT_SIZE, "mode": "hide"})
    fig.add_trace(
        go.Scatter(
            name="Median slip in days (right axis)",
            x=dates,
            y=median,
            yaxis="y2",
            mode="lines+markers",
            line={"color": Category.DARK_PINK.value, "dash": "dash", "width": 3},
            marker={"symbol": "diamond", "size": 10},
            hovertemplate="Median slip: %{y} days<extra></extra>",
        )
    )
    when = date_text(dates.iloc[-1])
    now = int(slipped.iloc[-1])
    if now == 0:
        title = f"No tasks had slipped at {when}"
    else:
        title = f"{plural(now, 'task')} had slipped at {when}, by a median of {_days(median.iloc[-1])}"
        if len(slipped) > 1:
            before = int(slipped.iloc[-2])
            change = "unchanged from" if before == now else ("up from" if now > before else "down from")
            title += f" ({change} {before} at {date_text(dates.iloc[-2])})"
    apply_layout(fig, title, "Reporting date", "Number of tasks slipped", legend_title="Measure", x_dates=True, hovermode="x unified")
    fig.update_layout(
        yaxis2={
            "title": {"text": "Median slip (days)", "font": {"size": 14}},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "showline": True,
            "linecolor": "#0B0C0C",
            "tickfont": {"size": 16},
            "automargin": True,
            "tickmode": "auto",
            "nticks": 6,
            "tickformat": ",d",
        },
        bargap=0.4,
    )
    reporting_date_ticks(fig, dates)
    fig.update_yaxes(rangemode="tozero", selector={"anchor": "x"})
    total = ""
    if "total_slip_days" in frame and now:
        total = f", {_days(frame['total_slip_days'].iloc[-1])} in total"
    description = f"Bar chart of the number of slipped tasks, with a line of the median slip in days, {_span(dates)}. " + (
        f"At {when}, {plural(now, 'task')} had slipped, by a median of {_days(median.iloc[-1])}{total}; "
        f"the most was {int(slipped.max())}, first at {date_text(dates.iloc[int(slipped.idxmax())])}."
        if now
        else f"At {when}, no tasks had slipped."
    )
    data = pd.DataFrame({"Reporting date": dates.to_numpy(), "Tasks slipped": slipped.to_numpy(), "Median slip (days)": median.to_numpy()})
    if "total_slip_days" in frame:
        data["Total slip (days)"] = frame["total_slip_days"].to_numpy()
    return Chart(fig, title, description, data)
