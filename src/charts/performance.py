"""Caseload, workforce and KPI charts. Plotly only; the numbers come from src/analysis (caseload, kpi, scorecard).

Lines are told apart by dash style and marker as well as colour; thresholds and targets are dashed
lines with their number written beside them; RAG is always written as a word.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.analysis.kpi import RAG
from src.analysis.scorecard_words import format_value, short_value

from .base import (
    GRID_BAND_PX,
    GRID_NAME_CHARS,
    Chart,
    apply_layout,
    category_label,
    date_text,
    empty_chart,
    grid_rows_with_names_above,
    is_blank,
    names_above_grid_rows,
    percent,
    plot_text,
    plural,
    reporting_date_ticks,
    thin_category_ticks,
    two_line_date,
)
from .palette import BLACK, CATEGORY_COLOURS, RAG_STYLES, Category, text_colour_on

DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "diamond", "square", "triangle-up", "x", "star", "triangle-down", "hexagon", "cross", "pentagon"]
THRESHOLD_COLOUR = BLACK
BACKGROUND_LINE = "#A9AEB1"  # the teams within the threshold, behind the ones above it (3:1 against white is not needed: not the story)
NO_TARGET_COLOUR = "#F3F2F1"  # GOV.UK light grey: value cells with no target (no RAG)


def _style(i: int) -> dict:
    """A distinct (colour, dash, marker) for the i-th line: dash and marker differ even where colours repeat."""
    return {
        "line": {"color": CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
        "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7},
    }


def _num(value: object, digits: int = 1) -> str:
    return "unknown" if is_blank(value) else f"{float(value):.{digits}f}"


def _pct(rate: object) -> str:
    """0.393 -> '39.3%' (wording.percent, one decimal)."""
    return percent(rate, 1)


def _threshold_line(fig: go.Figure, value: float, label: str, *, vertical: bool = False, dash: str = "dash") -> None:
    kwargs = {
        "line": {"color": THRESHOLD_COLOUR, "dash": dash, "width": 2},
        "annotation_text": label,
        "annotation_font": {"size": 13, "color": BLACK},
        "annotation_bgcolor": "rgba(255,255,255,0.85)",
    }
    if vertical:
        fig.add_vline(x=value, annotation_position="top right", **kwargs)
    else:
        fig.add_hline(y=value, annotation_position="top left", **kwargs)


def _span(dates: pd.Series) -> str:
    dates = sorted(pd.to_datetime(dates.dropna().unique()))
    if not dates:
        return "no months"
    if len(dates) == 1:
        return f"at {date_text(dates[0])}"
    return f"from {date_text(dates[0])} to {date_text(dates[-1])}"


def _group_column(frame: pd.DataFrame) -> str | None:
    for column in ("team", "locality"):
        if column in frame.columns:
            return column
    return None


def noun_for(group: str | None) -> str:
    return {"team": "team", "locality": "locality"}.get(group or "", "line")


def plural_for(group: str | None) -> str | None:
    return "localities" if group == "locality" else None


def caseload_trend(summary_by_group: pd.DataFrame, threshold: float = 20.0) -> Chart:
    """Average caseload per FTE over time, one line per team or locality (or the whole service),
    with a dashed threshold line. `summary_by_group` is caseload.caseload_summary(..., by=...)."""
    if summary_by_group is None or summary_by_group.empty:
        return empty_chart(
            "No caseload figures to show",
            "There are no case-holding workers in the months chosen.",
            x_title="Month",
            y_title="Average caseload (cases per FTE)",
        )
    group = _group_column(summary_by_group)
    frame = summary_by_group.sort_values(["period"] + ([group] if group else []))
    fig = go.Figure()
    names = sorted(frame[group].astype(str).unique()) if group else ["Whole service"]
    latest = frame[frame["period"] == frame["period"].max()]
    latest_value = dict(zip(latest[group].astype(str), latest["average_caseload"])) if group else {}
    # Issue 14: 15 teams in 5 reused colours told nothing. The teams above the threshold at the latest month
    # are drawn in colour (dash and marker differ too) and named in the legend; the rest are thin grey lines.
    above_now = [n for n in names if group and not is_blank(latest_value.get(n)) and latest_value[n] > threshold]
    # Grey lines first, the teams in colour last: plotly draws traces in order, so the coloured lines lie on top (the
    # chart has no drill-down, and its data table is built from the frame, so nothing depends on the trace order).
    for name in [n for n in names if n not in above_now] + above_now:
        rows = frame[frame[group].astype(str) == name] if group else frame
        highlighted = not group or name in above_now
        style = (
            _style(above_now.index(name) if group else 0)
            if highlighted
            else {"line": {"color": BACKGROUND_LINE, "dash": "solid", "width": 1.5}, "marker": {"symbol": "circle", "size": 4}}
        )
        fig.add_trace(
            go.Scatter(
                name=plot_text(name),
                x=rows["period"],
                y=rows["average_caseload"].round(1),
                legendgroup=None if highlighted else "within",
                showlegend=bool(group) and highlighted,
                mode="lines+markers",
                hovertemplate="%{fullData.name}: %{y:.1f} cases per FTE<extra></extra>",  # the name is data, never template text
                **style,
            )
        )
    within = len(names) - len(above_now)
    if group and within:
        # One legend entry for every grey line: a legend-only trace at the end, after the teams in colour.
        fig.add_trace(
            go.Scatter(
                name=f"{plural(within, noun_for(group), plural_for(group))} at or below {threshold:g} (grey)",
                x=[None],
                y=[None],
                mode="lines",
                line={"color": BACKGROUND_LINE, "width": 1.5},
                legendgroup="within",
                hoverinfo="skip",
            )
        )
    _threshold_line(fig, threshold, f"Threshold: {threshold:g} cases per FTE")
    last_month = frame["period"].max()
    last = frame[frame["period"] == last_month]
    when = date_text(last_month)
    noun = {"team": "team", "locality": "locality"}.get(group or "", "")
    if group:
        above = last[last["average_caseload"] > threshold]
        title = f"{len(above)} of {plural(len(last), noun, 'localities' if noun == 'locality' else None)} averaged above {threshold:g} cases per FTE at {when}"
        top = last.loc[last["average_caseload"].idxmax()]
        low = last.loc[last["average_caseload"].idxmin()]
        detail = (
            f"At {when} the highest was {top[group]} at {_num(top['average_caseload'])} and the lowest "
            f"{low[group]} at {_num(low['average_caseload'])} cases per FTE."
        )
    else:
        value = float(last["average_caseload"].iloc[0])
        title = f"Average caseload {value:.1f} cases per FTE at {when}, {'above' if value > threshold else 'within'} the threshold of {threshold:g}"
        first = frame.iloc[0]
        detail = f"It was {_num(first['average_caseload'])} at {date_text(first['period'])} and {value:.1f} at {when}."
    apply_layout(
        fig,
        title,
        "Month",
        "Average caseload (cases per FTE)",
        legend_title=f"Above the threshold at {when}" if group else "",
        x_dates=True,
        hovermode="closest",
        show_legend=bool(group),  # one line: the title names it
    )
    reporting_date_ticks(fig, sorted(frame["period"].unique()))
    fig.update_yaxes(rangemode="tozero")
    description = (
        f"Line chart of average caseload (total cases / total FTE of case holders) "
        f"{'for ' + plural(len(names), noun, 'localities' if noun == 'locality' else None) + ' ' if group else ''}"
        f"{_span(frame['period'])}, with a dashed line at the threshold of {threshold:g}. {detail}"
    )
    if group:
        description += (
            f" In colour: the {plural(len(above_now), noun, plural_for(group))} above the threshold at {when}"
            + (f" ({', '.join(above_now)})" if above_now else "")
            + f"; the other {within} in grey."
        )
    data = pd.DataFrame({"Month": frame["period"].to_numpy()})
    if group:
        data[noun.capitalize()] = frame[group].to_numpy()
    data["Case holders"] = frame["workers"].to_numpy()
    data["FTE"] = frame["fte"].round(1).to_numpy()
    data["Cases"] = frame["cases"].to_numpy()
    data["Average caseload (cases per FTE)"] = frame["average_caseload"].round(2).to_numpy()
    return Chart(fig, title, description, data)


def caseload_distribution(per_worker: pd.DataFrame, threshold: float = 20.0, asye_threshold: float = 15.0) -> Chart:
    """Histogram of caseload per FTE for the case holders of one month, with the threshold (dashed) and the
    ASYE threshold (dotted). `per_worker` is scorecard.workers_in_month(...): caseload_per_worker, role, period."""
    if per_worker is None or per_worker.empty:
        return empty_chart(
            "No case holders in this month",
            "There are no case-holding workers to show for this month.",
            x_title="Caseload per worker (cases per FTE)",
            y_title="Number of workers",
        )
    values = per_worker["caseload_per_worker"].astype(float)
    month = date_text(per_worker["period"].max()) if "period" in per_worker else "the month"
    n = len(values)
    above = int((values > threshold).sum())
    asye = per_worker[per_worker["role"].astype(str).str.strip().str.casefold() == "asye"] if "role" in per_worker else per_worker.iloc[0:0]
    asye_above = int((asye["caseload_per_worker"] > asye_threshold).sum())
    # Bands closed on the right, (18, 20], (20, 22], so every bar right of the threshold line is above it.
    top = max(float(values.max()), threshold)
    edges = [2.0 * i for i in range(int(top // 2) + 2)]
    bands = pd.cut(values, bins=[-0.001] + edges[1:], right=True)
    counts = bands.value_counts(sort=False)
    lows = [max(0.0, iv.left) for iv in counts.index]
    highs = [iv.right for iv in counts.index]
    labels = [f"{lo:g} to {hi:g}" if lo == 0 else f"over {lo:g} to {hi:g}" for lo, hi in zip(lows, highs)]
    fig = go.Figure(
        go.Bar(
            x=[(lo + hi) / 2 for lo, hi in zip(lows, highs)],
            y=counts.to_numpy(),
            width=1.9,
            customdata=labels,
            name="Workers",
            marker={"color": Category.DARK_BLUE.value, "line": {"color": "#FFFFFF", "width": 1}},
            hovertemplate="%{customdata} cases per FTE: %{y} workers<extra></extra>",
        )
    )
    _threshold_line(fig, threshold, f"Threshold {threshold:g}", vertical=True)
    fig.add_vline(
        x=asye_threshold,
        line={"color": Category.DARK_PINK.value, "dash": "dot", "width": 2},
        annotation_text=f"ASYE threshold {asye_threshold:g}",
        annotation_position="top left",
        annotation_yanchor="bottom",  # above the plot: inside it, the label sat on the top count's tick label at 320 px
        annotation_font={"size": 13, "color": BLACK},
        annotation_bgcolor="rgba(255,255,255,0.85)",
    )
    share = above / n
    title = f"{above} of {plural(n, 'case holder')} ({share:.0%}) held more than {threshold:g} cases per FTE at {month}"
    # The axis title on two lines: on one it ran off both edges at 320 px.
    apply_layout(
        fig, title, "Caseload per worker (cases per FTE),<br>bands of 2 (e.g. over 20 to 22)", "Number of workers", show_legend=False
    )
    asye_words = (
        f"{plural(len(asye), 'ASYE')} held cases; {asye_above} above the protected caseload of {asye_threshold:g}."
        if len(asye)
        else "No ASYE held cases."
    )
    description = (
        f"Histogram of caseload per FTE for {plural(n, 'case-holding worker')} at {month}: median "
        f"{values.median():.1f}, highest {values.max():.1f}; {above} above the threshold of {threshold:g} "
        f"(dashed line). {asye_words}"
    )
    data = per_worker.rename(
        columns={
            "period": "Month",
            "team": "Team",
            "locality": "Locality",
            "worker_id": "Worker",
            "role": "Role",
            "fte": "FTE",
            "cases": "Cases",
            "agency": "Agency",
            "caseload_per_worker": "Caseload per worker (cases per FTE)",
            "threshold": "Threshold for role",
            "over": "Above threshold",
        }
    )
    return Chart(fig, title, description, data.round({c: 2 for c in data.columns if pd.api.types.is_float_dtype(data[c])}))


def share_over_threshold_trend(summary_by_group: pd.DataFrame) -> Chart:
    """Share (percent) of case holders above their role's threshold over time, one line per group or the service.
    `summary_by_group` is caseload.caseload_summary(..., by=...)."""
    if summary_by_group is None or summary_by_group.empty:
        return empty_chart(
            "No caseload figures to show",
            "There are no case-holding workers in the months chosen.",
            x_title="Month",
            y_title="Case holders above threshold (%)",
        )
    group = _group_column(summary_by_group)
    frame = summary_by_group.sort_values(["period"] + ([group] if group else []))
    names = sorted(frame[group].astype(str).unique()) if group else ["Whole service"]
    fig = go.Figure()
    for i, name in enumerate(names):
        rows = frame[frame[group].astype(str) == name] if group else frame
        fig.add_trace(
            go.Scatter(
                name=plot_text(name),
                x=rows["period"],
                y=(rows["share_over_threshold"] * 100).round(1),
                mode="lines+markers",
                hovertemplate="%{fullData.name}: %{y:.1f}% above threshold<extra></extra>",
                **_style(i),
            )
        )
    first_month, last_month = frame["period"].min(), frame["period"].max()
    service = frame.groupby("period")[["over_threshold", "workers"]].sum()
    now = service.loc[last_month]
    then = service.loc[first_month]
    share_now, share_then = now["over_threshold"] / now["workers"], then["over_threshold"] / then["workers"]
    change = (
        "unchanged from"
        if round(share_now * 100, 1) == round(share_then * 100, 1)
        else ("up from" if share_now > share_then else "down from")
    )
    scope = "" if not group else f" across these {'teams' if group == 'team' else 'localities'}"
    title = f"{_pct(share_now)} of case holders{scope} were above their caseload threshold at {date_text(last_month)}"
    if first_month != last_month:
        title += f", {change} {_pct(share_then)} at {date_text(first_month)}"
    apply_layout(
        fig,
        title,
        "Month",
        "Case holders above threshold (%)",
        legend_title="Team" if group == "team" else "Locality" if group == "locality" else None,
        x_dates=True,
        show_legend=len(names) > 1,  # one line (the whole service): the title names it
    )
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    reporting_date_ticks(fig, sorted(frame["period"].unique()))
    description = (
        f"Line chart of the share of case-holding workers above the threshold for their role (20 cases per FTE; "
        f"ASYE 15) {_span(frame['period'])}. {int(now['over_threshold'])} of {int(now['workers'])} "
        f"({_pct(share_now)}) at {date_text(last_month)}; {int(then['over_threshold'])} of {int(then['workers'])} "
        f"({_pct(share_then)}) at {date_text(first_month)}."
    )
    data = pd.DataFrame({"Month": frame["period"].to_numpy()})
    if group:
        data[group.capitalize()] = frame[group].to_numpy()
    data["Case holders"] = frame["workers"].to_numpy()
    data["Above threshold"] = frame["over_threshold"].to_numpy()
    data["Share above threshold (%)"] = (frame["share_over_threshold"] * 100).round(1).to_numpy()
    return Chart(fig, title, description, data)


def workforce_rates_trend(agency: pd.DataFrame | None, vacancy: pd.DataFrame | None = None, turnover: pd.DataFrame | None = None) -> Chart:
    """Agency, vacancy and rolling 12-month turnover rates (percent) over time, whole service.

    Frames from caseload.agency_rate / vacancy_rate / turnover_rolling (by="service"); vacancy and turnover
    may be None (no Workforce sheet). When agency comes from Caseloads its line says so.
    """
    series = []
    if agency is not None and not agency.empty:
        from_caseloads = "basis" in agency and str(agency["basis"].iloc[0]).startswith("Caseloads")
        label = "Agency rate (from Caseloads: workers listed there only)" if from_caseloads else "Agency rate"
        series.append((label, "Agency rate", agency, "agency_rate"))
    if vacancy is not None and not vacancy.empty:
        series.append(("Vacancy rate", "Vacancy rate", vacancy, "vacancy_rate"))
    if turnover is not None and not turnover.empty and turnover["turnover_rate"].notna().any():
        series.append(("Turnover (rolling 12 months)", "Turnover", turnover, "turnover_rate"))
    if not series:
        return empty_chart(
            "No workforce figures to show", "There are no agency, vacancy or turnover figures.", x_title="Month", y_title="Percent"
        )
    fig = go.Figure()
    data = None
    parts = []
    last_month = max(frame["period"].max() for _, _, frame, _ in series)
    for i, (label, short, frame, column) in enumerate(series):
        frame = frame.sort_values("period")
        fig.add_trace(
            go.Scatter(
                name=label,
                x=frame["period"],
                y=(frame[column] * 100).round(1),
                mode="lines+markers",
                hovertemplate=f"{short}: %{{y:.1f}}%<extra></extra>",
                connectgaps=False,
                **_style(i),
            )
        )
        known = frame[frame[column].notna()]
        if len(known):
            parts.append(
                f"{short.lower()} {_pct(known[column].iloc[-1])}"
                + (f" (from {_pct(known[column].iloc[0])} at {date_text(known['period'].iloc[0])})" if len(known) > 1 else "")
            )
        column_frame = pd.DataFrame({"Month": frame["period"].to_numpy(), f"{label} (%)": (frame[column] * 100).round(1).to_numpy()})
        data = column_frame if data is None else data.merge(column_frame, on="Month", how="outer")
    title = f"At {date_text(last_month)}: " + ", ".join(
        f"{short.lower()} {_pct(frame.sort_values('period')[column].dropna().iloc[-1]) if frame[column].notna().any() else 'unknown'}"
        for _, short, frame, column in series
    )
    title = title[0].upper() + title[1:]
    apply_layout(fig, title, "Month", "Percent", legend_title="Rate", x_dates=True)
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    reporting_date_ticks(fig, sorted(data["Month"].unique()))
    description = f"Line chart of workforce rates {_span(data['Month'])}, percent: " + "; ".join(parts) + "."
    if len(series) == 1 and series[0][0] != "Agency rate":
        description += " There is no Workforce sheet, so there are no vacancy or turnover figures."
    return Chart(fig, title, description, data.sort_values("Month").reset_index(drop=True))


AXIS_TITLES = {
    "percent": "Percent",
    "rate_per_10k": "Per 10,000 children",
    "count": "Number of children",
    "days": "Days",
    "ratio": "Ratio",
    "number": "Number",
}
COMPARATOR_STYLES = {
    "england": ("England", {"color": Category.DARK_PINK.value, "dash": "dash"}, "diamond"),
    "north_east": ("North East", {"color": Category.TURQUOISE.value, "dash": "dot"}, "square"),
    "stat_neighbours": ("Statistical neighbours (median)", {"color": Category.ORANGE.value, "dash": "dashdot"}, "triangle-up"),
}


def kpi_chart(kpi_row: pd.Series | dict, values: pd.DataFrame, area: str = "Durham") -> Chart:
    """One KPI over all its periods (up to the reporting date): the area's value (solid, circles) and the
    England / North East / statistical neighbour comparators (dashed, dotted, dash-dot; distinct markers),
    with the target as a dashed line when there is one. `values` has period, value and comparator columns."""
    kpi = dict(kpi_row)
    name, unit = str(kpi.get("kpi", kpi.get("kpi_id", "KPI"))), kpi.get("unit")
    unit = None if is_blank(unit) else str(unit)  # a blank unit (pd.NA) cannot be compared
    y_title = AXIS_TITLES.get(str(unit), "Value")
    if values is None or values.empty or values["value"].notna().sum() == 0:
        return empty_chart(
            f"No values for {name} up to the reporting date",
            f"{name} has no published value up to the reporting date.",
            x_title="Period",
            y_title=y_title,
        )
    frame = values.sort_values("period")
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            name=plot_text(area),
            x=frame["period"],
            y=frame["value"],
            mode="lines+markers",
            line={"color": Category.DARK_BLUE.value, "dash": "solid", "width": 3},
            marker={"symbol": "circle", "size": 10},
            hovertemplate="%{fullData.name}: %{y}<extra></extra>",
        )
    )
    comparators = []
    for column, (label, line, symbol) in COMPARATOR_STYLES.items():
        if column in frame.columns and frame[column].notna().any():
            fig.add_trace(
                go.Scatter(
                    name=label,
                    x=frame["period"],
                    y=frame[column],
                    mode="lines+markers",
                    line={**line, "width": 2},
                    marker={"symbol": symbol, "size": 9},
                    hovertemplate=f"{label}: %{{y}}<extra></extra>",
                )
            )
            comparators.append((column, label))
    target = kpi.get("target")
    if not is_blank(target):
        _threshold_line(fig, float(target), f"Target: {format_value(target, unit)}")
    known = frame[frame["value"].notna()]
    last = known.iloc[-1]
    when = date_text(last["period"])
    title = f"{name}: {format_value(last['value'], unit)} at {when}"
    rag = kpi.get("rag")
    if not is_blank(rag):
        title += f" ({rag} against a target of {format_value(target, unit)})"
    vs = [f"{label} {format_value(last[column], unit)}" for column, label in comparators if not is_blank(last.get(column))]
    apply_layout(fig, title, "Period", y_title, x_dates=True)
    reporting_date_ticks(fig, frame["period"])
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%")
    first = known.iloc[0]
    description = (
        (
            f"Line chart of {name} at {plural(len(known), 'period')} {_span(known['period'])}"
            if len(known) > 1
            else f"Chart of {name} at one period, {when}"
        )
        + (f", with {', '.join(label for _, label in comparators)} for comparison" if comparators else "")
        + f". {area}: "
        + (f"{format_value(first['value'], unit)} at {date_text(first['period'])}, " if len(known) > 1 else "")
        + f"{format_value(last['value'], unit)} at {when}"
        + (f" ({', '.join(vs)})" if vs else "")
        + "."
    )
    data = pd.DataFrame({"Period": frame["period"].to_numpy(), area: frame["value"].to_numpy()})
    for column, label in comparators:
        data[label] = frame[column].to_numpy()
    if "source" in frame.columns:
        data["Source"] = frame["source"].to_numpy()
    return Chart(fig, title, description, data)


_RAG_CODE = {None: 0, RAG.RED.value: 1, RAG.AMBER.value: 2, RAG.GREEN.value: 3}


def _rag_fill(word: str) -> str:
    for rag, style in RAG_STYLES.items():
        if str(rag) == word:
            return style.colour
    return NO_TARGET_COLOUR


KPI_CELL_KEY = "G Green, A Amber, R Red:<br>against the KPI's target.<br>Grey: no target, the value only."  # 26 characters a line: 320 px


def _cell_text(value: object, unit: object, rag: object) -> str:
    """A KPI grid cell, short enough for a column of about 30 px at 320 px (issue 14): the value without its unit (the
    row's name carries '(%)' or 'per 10,000'), a value of 100 or more to the whole number ('436.8' -> '437'), and
    where the KPI has a target the RAG's letter above it ('G<br>18.8'). The hover and the data table give the value
    in full."""
    if is_blank(value):
        return ""
    number = float(value)
    text = f"{number:,.0f}" if abs(number) >= 100 else short_value(number, None)
    return text if is_blank(rag) else f"{str(rag)[0]}<br>{text}"


def kpi_heatmap(status_frame: pd.DataFrame, headline: str | None = None) -> Chart:
    """KPI status over periods: rows KPIs, columns periods, each cell's text its RAG word and value (KPIs with
    a target) or its value (no target: light grey, row marked 'no target'). `status_frame` is
    scorecard_words.status_grid; `headline` (scorecard_words.kpi_grid_title) replaces the title, so the grid
    counts KPIs as the scorecard table does."""
    if status_frame is None or status_frame.empty:
        return empty_chart("No KPI values to show", "There are no KPI values up to the reporting date.", x_title="Period", y_title="KPI")
    frame = status_frame.copy()
    frame["rag"] = frame["rag"].map(lambda r: None if is_blank(r) else str(r))
    has_target = frame.groupby("kpi_id")["rag"].agg(lambda s: s.notna().any())
    order = list(dict.fromkeys(frame["kpi_id"]))
    names = dict(zip(frame["kpi_id"], frame["kpi"]))
    units = dict(zip(frame["kpi_id"], frame["unit"]))
    labels = {
        k: category_label(
            str(names[k])
            + (" · per 10,000" if units.get(k) == "rate_per_10k" and "10,000" not in str(names[k]) else "")
            + (" (%)" if units.get(k) == "percent" and "%" not in str(names[k]) else "")
            + ("" if has_target.get(k) else " · no target"),
            GRID_NAME_CHARS,
            2,
        )
        for k in order
    }
    periods = sorted(frame["period"].unique())
    period_text = [two_line_date(p) for p in periods]  # two lines, never turned on their side
    frame["code"] = frame["rag"].map(lambda r: _RAG_CODE.get(r, 0))
    frame["cell"] = [_cell_text(v, u, r) for v, u, r in zip(frame["value"], frame["unit"], frame["rag"])]
    z = frame.pivot_table(index="kpi_id", columns="period", values="code", aggfunc="first").reindex(index=order, columns=periods)
    text = frame.pivot_table(index="kpi_id", columns="period", values="text", aggfunc="first").reindex(index=order, columns=periods)
    cells = frame.pivot_table(index="kpi_id", columns="period", values="cell", aggfunc="first").reindex(index=order, columns=periods)
    colours = [NO_TARGET_COLOUR, _rag_fill("Red"), _rag_fill("Amber"), _rag_fill("Green")]
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / 4, colour], [(i + 1) / 4, colour]]
    y_labels = [labels[k] for k in order]
    # Each KPI's name is written across the width above its row (issue 14): beside the rows the names left columns of
    # about 37 px on a phone (15 px for eight periods), and the cell text ran together.
    z_rows, hover_rows, blank_row = [], [], [None] * len(periods)
    for i in range(len(order)):
        z_rows += [blank_row, z.iloc[i].to_numpy(dtype=float).tolist()]
        hover_rows += [
            [""] * len(periods),
            [
                f"{plot_text(names[order[i]])}<br>{period_text[j].replace('<br>', ' ')}: {'' if is_blank(t) else t}"
                for j, t in enumerate(text.iloc[i])
            ],
        ]
    fig = go.Figure(
        go.Heatmap(
            z=z_rows,
            x=period_text,
            y=grid_rows_with_names_above(y_labels),
            customdata=hover_rows,
            colorscale=scale,
            zmin=0,
            zmax=4,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{customdata}<extra></extra>",
            hoverongaps=False,
        )
    )
    plot_px = names_above_grid_rows(fig, y_labels, GRID_BAND_PX)
    # Cell text as annotations, each in white or near-black, whichever contrasts with its fill (WCAG 1.4.3), on two lines
    # (the RAG's letter over the value) so that it fits a column of about 33 px at 320 px.
    # One layout update, not one add_annotation per cell (that cost about 0.6 s for 18 KPIs); made below, with the key.
    cell_annotations = [
        {
            "x": period_text[j],
            "y": y_labels[i],
            "text": str(cells.iloc[i, j]),
            "showarrow": False,
            "font": {"color": text_colour_on(colours[int(z.iloc[i, j])]), "size": 12},
        }
        for i in range(len(order))
        for j in range(len(periods))
        if not is_blank(z.iloc[i, j])
    ]
    with_rag = frame[frame["rag"].notna()]
    rag_words = with_rag.sort_values("period").groupby("kpi_id").tail(1)
    counts = {w: int((rag_words["rag"] == w).sum()) for w in (RAG.RED.value, RAG.AMBER.value, RAG.GREEN.value)}
    no_target = int((~has_target).sum())
    title = (
        (
            f"{plural(len(rag_words), 'KPI')} with a target: "
            + ", ".join(f"{n} {w}" for w, n in counts.items() if n)
            + f"; {no_target} without a target show values only"
        )
        if len(rag_words)
        else f"None of the {plural(len(order), 'KPI')} has a target: values only, no RAG"
    )
    title = headline or title
    # No y axis title: each row is named above it, and the title would take 30 px of a phone's width from the cells.
    apply_layout(fig, title, "Period", "", height=plot_px + 260, show_legend=False)
    fig.update_xaxes(type="category", showgrid=False, side="top")
    thin_category_ticks(fig, period_text, 3)  # every column has its period in the hover and the data table
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(margin={"b": 80})
    key = {"text": KPI_CELL_KEY, "x": 0, "xref": "paper", "xanchor": "left", "y": 0, "yref": "paper", "yanchor": "top", "yshift": -8}
    key |= {"align": "left", "showarrow": False}
    fig.update_layout(annotations=list(fig.layout.annotations) + cell_annotations + [key])  # once: each addition re-validates all
    description = (
        f"Grid of {plural(len(order), 'KPI')} over {plural(len(periods), 'period')} from {date_text(periods[0])} to "
        f"{date_text(periods[-1])}; each cell gives the value, with its RAG word where the KPI has a target. "
        + (
            f"At each KPI's latest period with a target: {counts['Green']} Green, {counts['Amber']} Amber, {counts['Red']} Red."
            if len(rag_words)
            else "No cell has a RAG: none of these KPIs with a value has a target."
        )
    )
    data = frame[["kpi", "period", "value", "rag", "text"]].rename(
        columns={"kpi": "KPI", "period": "Period", "value": "Value", "rag": "RAG", "text": "Shown as"}
    )
    data["RAG"] = data["RAG"].fillna("no target")
    return Chart(fig, title, description, data.reset_index(drop=True))
