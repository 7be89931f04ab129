"""Charts of published figures for every council: the trend against England, region and statistical
neighbours; every council ranked with the chosen one marked; the funnel plot. Plotly only.

Colour is never the only cue: the chosen council is a large diamond (or a patterned bar) with its name
written beside it, neighbours are triangles, limits are dashed (95%) and dotted (99.8%) lines labelled
in the legend. Council names come from the data and are escaped before plotly sees them (plotly reads
a few HTML tags in labels).
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from src.analysis.scorecard_words import format_value

from .base import Chart, apply_layout, empty_chart, is_blank, thin_category_ticks
from .palette import BLACK, Category

AXIS_TITLES = {
    "percent": "Percent",
    "rate_per_10k": "Per 10,000 children",
    "count": "Number of children",
    "ratio": "Cases per FTE social worker",
    "number": "Full-time equivalent social workers",
}
OTHER_COLOUR = "#8C9BAA"  # light slate: every other council, behind the chosen one
CHOSEN_COLOUR = Category.DARK_BLUE.value
NEIGHBOUR_COLOUR = Category.ORANGE.value


def _label(text: object) -> str:
    return html.escape(str(text), quote=False)


def _y_title(measure: dict) -> str:
    return AXIS_TITLES.get(str(measure.get("unit")), "Value")


def benchmark_trend(trend: pd.DataFrame, measure: dict, council: str) -> Chart:
    """The council's value each year beside England, its region and its statistical neighbours' median."""
    name = str(measure.get("name", measure.get("measure_id", "")))
    unit = measure.get("unit")
    if trend is None or trend.empty or trend["value"].notna().sum() == 0:
        return empty_chart(
            f"No published values of {name} for {council}",
            f"{council} has no published value of {name} in these years.",
            x_title="Year",
            y_title=_y_title(measure),
        )
    region_name = next((r for r in trend["region_name"] if r), "Region")
    lines = [
        ("value", council, {"color": CHOSEN_COLOUR, "dash": "solid", "width": 3}, "circle"),
        ("england", "England", {"color": Category.DARK_PINK.value, "dash": "dash", "width": 2}, "diamond"),
        ("region", region_name, {"color": Category.TURQUOISE.value, "dash": "dot", "width": 2}, "square"),
        (
            "stat_neighbours_median",
            "Statistical neighbours (median)",
            {"color": NEIGHBOUR_COLOUR, "dash": "dashdot", "width": 2},
            "triangle-up",
        ),
    ]
    fig = go.Figure()
    lines = [line for line in lines if line[0] == "value" or trend[line[0]].notna().any()]  # a count has no comparators
    for column, label, line, symbol in lines:
        fig.add_trace(
            go.Scatter(
                name=_label(label),
                x=trend["period_label"],
                y=trend[column],
                mode="lines+markers",
                line=line,
                marker={"symbol": symbol, "size": 9},
                hovertemplate=f"{_label(label)}: %{{y}}<extra></extra>",
            )
        )
    known = trend[trend["value"].notna()]
    last = known.iloc[-1]
    title = f"{name}: {council} {format_value(last['value'], unit)} in {last['period_label']}"
    apply_layout(fig, _label(title), "Year", _y_title(measure))
    thin_category_ticks(fig, [_label(p) for p in trend["period_label"]])
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%")
    vs = [
        f"{label} {format_value(last[column], unit)}"
        for column, label, _l, _s in lines[1:]
        if not is_blank(last[column]) and last[column] is not None
    ]
    description = (
        f"{name} for {council} from {known.iloc[0]['period_label']} to {last['period_label']}: "
        f"{format_value(known.iloc[0]['value'], unit)} then {format_value(last['value'], unit)}. "
        + (f"In {last['period_label']}: " + "; ".join(vs) + "." if vs else "")
        + " Suppressed years are gaps."
    )
    data = pd.DataFrame(
        {
            "Period": trend["period_label"],
            council: trend["value"],
            "Suppressed (reason)": trend["reason"],
            "England": trend["england"],
            region_name: trend["region"],
            "Statistical neighbours (median)": trend["stat_neighbours_median"],
            "Statistical neighbours (mean)": trend["stat_neighbours_mean"],
            "Rank (1 = best)": trend["rank"],
            "Of": trend["of"],
            "Quartile (A = best)": trend["quartile"],
        }
    )
    data = data.drop(
        columns=[
            c for c in ("England", region_name, "Statistical neighbours (median)", "Statistical neighbours (mean)") if data[c].isna().all()
        ]
    )
    return Chart(fig, title, description, data)


def all_councils_chart(table: pd.DataFrame, measure: dict, council: str | None, period_label: str) -> Chart:
    """Every council's value in a year, sorted best first (highest first for context), the chosen council's
    bar patterned and labelled, its statistical neighbours in orange with a hatch."""
    name = str(measure.get("name", ""))
    unit = measure.get("unit")
    known = table[table["value"].notna()]
    if known.empty:
        return empty_chart(f"No council has a published value of {name} in {period_label}", "Nothing to compare.", x_title="Council")
    if measure.get("polarity") == "context":
        known = known.sort_values("value", ascending=False)
    colours = [CHOSEN_COLOUR if c else NEIGHBOUR_COLOUR if n else OTHER_COLOUR for c, n in zip(known["chosen"], known["neighbour"])]
    patterns = ["x" if c else "/" if n else "" for c, n in zip(known["chosen"], known["neighbour"])]
    fig = go.Figure(
        go.Bar(
            x=[_label(n) for n in known["area_name"]],
            y=known["value"],
            marker={"color": colours, "pattern": {"shape": patterns, "fgcolor": BLACK, "size": 6}},
            hovertemplate="%{x}: %{y}<extra></extra>",
            showlegend=False,
        )
    )
    chosen = known[known["chosen"]]
    order = (
        "best first" if measure.get("polarity") in ("higher_is_better", "lower_is_better") else "highest first (a context measure: no best)"
    )
    title = f"{name} in {period_label}: every council, {order}"
    description = f"{len(known)} councils with a value, {order}."
    if not chosen.empty:
        row = chosen.iloc[0]
        # The label on two lines, running from the arrow towards the middle of the plot: a centred one-line label on a
        # bar near the left edge made plotly widen the x range to fit it, leaving the left 40% of the plot empty at 320 px.
        position = list(known.index).index(chosen.index[0])
        fig.add_annotation(
            x=_label(row["area_name"]),
            y=row["value"],
            text=f"{_label(council)}:<br>{_label(format_value(row['value'], unit))}",
            showarrow=True,
            arrowhead=2,
            ax=0,
            ay=-40,
            xanchor="left" if position < len(known) / 2 else "right",
            align="left" if position < len(known) / 2 else "right",
            font={"color": BLACK, "size": 14},
            bgcolor="rgba(255,255,255,0.9)",
        )
        rank = "" if is_blank(row["rank"]) else f", rank {int(row['rank'])} of {int(row['of'])} (band {row['quartile']})"
        description += f" {council} (cross-hatched, labelled): {format_value(row['value'], unit)}{rank}."
    description += " Its statistical neighbours are the orange hatched bars."
    apply_layout(fig, _label(title), "Councils (hover for names)", _y_title(measure), height=420)
    # Every council's bar across the whole width, whatever the annotation (plotly's autorange makes room for it).
    fig.update_xaxes(showticklabels=False, autorange=False, range=[-0.5, len(known) - 0.5])
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%")
    data = pd.DataFrame(
        {
            "Council": table["area_name"],
            "LA code": table["area_code"],
            "Region": table["region_name"],
            "Value": table["value"],
            "Suppressed (reason)": table["reason"],
            "Rank (1 = best)": table["rank"],
            "Quartile (A = best)": table["quartile"],
            "Chosen council": table["chosen"].map({True: "chosen", False: ""}),
            "Statistical neighbour": table["neighbour"].map({True: "neighbour", False: ""}),
        }
    )
    return Chart(fig, title, description, data)


def funnel_plot(
    councils: pd.DataFrame, limits: pd.DataFrame, england: float | None, measure: dict, council: str | None, period_label: str
) -> Chart:
    """Each council's value against its denominator, with England's value and the 95% and 99.8% control limits."""
    name = str(measure.get("name", ""))
    unit = measure.get("unit")
    size_words = "children counted in the denominator" if unit == "percent" else "children aged 0-17"
    if councils is None or councils.empty or england is None:
        return empty_chart(
            f"No funnel plot for {name} in {period_label}",
            "A funnel plot needs a rate or percentage with a known denominator and England's value.",
            x_title=f"Council size ({size_words})",
            y_title=_y_title(measure),
        )
    fig = go.Figure()
    for column, label, dash in (
        ("upper_998", "99.8% limits", "dot"),
        ("upper_95", "95% limits", "dash"),
        ("lower_95", "95% limits", "dash"),
        ("lower_998", "99.8% limits", "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=limits["denominator"],
                y=limits[column],
                name=label,
                mode="lines",
                line={"color": BLACK, "dash": dash, "width": 1.5},
                legendgroup=label,
                showlegend=column.startswith("upper"),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[limits["denominator"].min(), limits["denominator"].max()],
            y=[england, england],
            name=f"England {format_value(england, unit)}",
            mode="lines",
            line={"color": Category.DARK_PINK.value, "width": 2},
            hoverinfo="skip",
        )
    )
    others = councils[~councils["chosen"]]
    fig.add_trace(
        go.Scatter(
            x=others["denominator"],
            y=others["value"],
            name="Other councils",
            mode="markers",
            marker={"color": OTHER_COLOUR, "size": 7, "symbol": "circle", "line": {"color": BLACK, "width": 0.5}},
            text=[_label(n) for n in others["area_name"]],
            hovertemplate="%{text}: %{y} (size %{x:,.0f})<extra></extra>",
        )
    )
    chosen = councils[councils["chosen"]]
    title = f"{name} in {period_label}: councils against England's value, with the limits chance would give"
    description = (
        f"Funnel plot of {len(councils)} councils: each dot is a council's value against its size ({size_words}). "
        f"The lines are England's {format_value(england, unit)} with 95% (dashed) and 99.8% (dotted) limits: "
        "a council outside them differs from England by more than chance would give."
    )
    if not chosen.empty:
        row = chosen.iloc[0]
        fig.add_trace(
            go.Scatter(
                x=[row["denominator"]],
                y=[row["value"]],
                name=_label(council or row["area_name"]),
                mode="markers+text",
                marker={"color": CHOSEN_COLOUR, "size": 16, "symbol": "diamond", "line": {"color": BLACK, "width": 1.5}},
                text=[_label(council or row["area_name"])],
                textposition="top center",
                hovertemplate="%{text}: %{y} (size %{x:,.0f})<extra></extra>",
            )
        )
        description += f" {council} (large diamond): {format_value(row['value'], unit)}, {row['verdict']}."
        title = f"{name} in {period_label}: {council} is {row['verdict']}"
    apply_layout(fig, _label(title), f"Council size<br>({size_words}, log scale)", _y_title(measure), legend_title="Key", height=480)
    fig.update_xaxes(type="log", dtick=1)  # powers of ten only: the 2s and 5s between were 12 px and ran together
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%")
    data = pd.DataFrame(
        {
            "Council": councils["area_name"],
            "LA code": councils["area_code"],
            "Value": councils["value"],
            "Numerator": councils["numerator"],
            "Denominator": councils["denominator"],
            "Verdict": councils["verdict"],
            "Chosen council": councils["chosen"].map({True: "chosen", False: ""}),
        }
    )
    return Chart(fig, title, description, data)
