"""The words of the Performance scorecard, the published tables and the overview's caseload cells. Plain pandas.

src/analysis/scorecard.py computes (a month's caseload headline, a focus, the workers of a month); kpi.py and
published.py compute the KPIs' status and benchmarks; this module only words them for people: values in
their unit, direction of travel in the KPI's meaning, sources as short plain citations, and the tables the
pages and documents show. It lives in src/analysis (not src/ui) because the chart builders and the
documents word values the same way and may not import Streamlit glue (docs/screen-wording.md, "Scorecard").
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .dates import format_date
from .kpi import Direction, Polarity, compared_with_other_areas, kpi_status
from .values import is_blank as _blank
from .wording import MISSING, plural

UNIT_WORDS = {
    "percent": "%",
    "rate_per_10k": "per 10,000 children",
    "count": "count",
    "days": "days",
    "ratio": "cases per FTE",
    "number": "number",
}
DEFINITIONS = {
    "Average caseload": "total cases / total FTE of case-holding workers (workers with cases > 0 in that month).",
    "Caseload per worker": "cases / fte.",
    "Over threshold": "share of case-holding workers whose caseload per worker is above the threshold for their role "
    "(default 20; ASYE 15).",
    "Agency rate": "agency FTE / filled FTE (Workforce sheet; from Caseloads when there is no Workforce sheet, and then labelled so).",
    "Vacancy rate": "(establishment FTE - filled FTE) / establishment FTE.",
    "Turnover (rolling 12 months)": "leavers in the 12 months to the period / mean filled FTE over those months.",
}
NOT_COMPARED = (
    "Counts (numbers of children, social workers in post) are not set beside England's, the region's or other "
    "councils' counts: a bigger council has more children. Compare the rates per 10,000 children instead."
)


# ---- values ---------------------------------------------------------------------------------------


def _number_text(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.1f}"


def short_value(value: object, unit: object) -> str:
    """A value for a small cell: the number, with % for percent (the unit goes in the row label)."""
    if _blank(value):
        return ""
    text = _number_text(float(value))
    return f"{text}%" if unit == "percent" else text


def format_value(value: object, unit: object) -> str:
    """A KPI value in its unit: 18.5 percent -> '18.5%', 408.6 rate_per_10k -> '408.6 per 10,000'; blank -> 'no value'."""
    if _blank(value):
        return "no value"
    unit = None if _blank(unit) else str(unit)  # a blank unit may arrive as pd.NA, which cannot be compared
    text = _number_text(float(value))
    if unit == "percent":
        return f"{text}%"
    if unit == "rate_per_10k":
        return f"{text} per 10,000"
    if unit == "days":
        return f"{text} days"
    return text


def rate_text(rate: object, digits: int = 1) -> str:
    """0.1684 -> '16.8%'; blank -> wording.MISSING ('not known': plain words, on screen as on paper)."""
    return MISSING if _blank(rate) else f"{float(rate) * 100:.{digits}f}%"


def _comparator(value: object, unit: object) -> str:
    """A comparator in the KPI's unit; blank when there is none or the KPI is a count (kpi.compared_with_other_areas)."""
    return "" if _blank(value) or not compared_with_other_areas(unit) else format_value(value, unit)


# ---- direction of travel ----------------------------------------------------------------------------


def movement_words(value: object, previous: object, unit: object) -> str:
    """How far a value moved: 'up 16%' (relative), 'down 1.6 points' for a percent KPI; '' when unknown or unchanged."""
    if _blank(value) or _blank(previous):
        return ""
    now, then = float(value), float(previous)
    if math.isclose(now, then, abs_tol=1e-9):
        return ""
    way = "up" if now > then else "down"
    if str(unit) == "percent":
        points = abs(now - then)
        return f"{way} {points:.1f} {'point' if round(points, 1) == 1 else 'points'}"
    if then == 0:
        return way
    return f"{way} {abs(now - then) / abs(then):.0%}"


def direction_text(direction: object, polarity: object, value: object = None, previous: object = None, unit: object = None) -> str:
    """The direction of travel in the KPI's meaning, with an arrow for how the value moved.

    A `context` KPI (children in need, referrals: a rise is neither good nor bad) shows only the movement:
    '↑ up 16%' (or '↑ rising' without the two values), never 'improving' or 'worsening'. A KPI with a
    polarity shows the judgement and the movement: '↓ improving (down 8%)'. kpi.direction_of_travel and
    published.direction give the direction; this is the one place it is worded, for the workbook's
    scorecard and the published tables alike."""
    if _blank(direction):
        return "no earlier value"
    word = str(direction)
    if word == Direction.NO_CHANGE:
        return "→ no change"
    moved = movement_words(value, previous, unit)
    if word in (Direction.RISING, Direction.FALLING):
        return f"{'↑' if word == Direction.RISING else '↓'} {moved or word}"
    rising = (word == Direction.IMPROVING) == (str(polarity) == Polarity.HIGHER_IS_BETTER)
    return f"{'↑' if rising else '↓'} {word}" + (f" ({moved})" if moved else "")


# ---- plain words for workbook text -------------------------------------------------------------------

_CODES = {
    "stat_neighbours": "statistical neighbours",
    "north_east": "North East",
    "lower_is_better": "lower is better",
    "higher_is_better": "higher is better",
    "rate_per_10k": "per 10,000 children",
}
_FILE_NOTE = re.compile(r"\(\s*(?:file|files|script):")
_PATHLIKE = re.compile(r"(?:[A-Za-z]:)?[\w.\-]*/[\w./\-]+\.(?:csv|gz|xlsx?|json|txt|parquet|py|md)\b|\b[\w\-]+\.(?:py|csv)\b")
_COMMIT = re.compile(r"(?i),?\s*\bcommit [0-9a-f]{6,40}\b")
_QUOTED = re.compile(r":\s*['\"‘“]")  # "report, para 58: 'The latest figures ...'": the quotation is not the citation
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _drop_file_notes(text: str) -> str:
    """Text without '(file: ...)' notes, nested brackets included."""
    while True:
        match = _FILE_NOTE.search(text)
        if not match:
            return text
        depth, end = 0, len(text)
        for i in range(match.start(), len(text)):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                end = i + 1
                break
        text = text[: match.start()] + text[end:]


def _tidy(text: str) -> str:
    text = " ".join(text.split()).replace("( ", "(").replace(" )", ")").replace("()", "")
    return " ".join(text.split()).replace(" ,", ",").replace(" ;", ";").strip(" ,;:")


def plain_words(text: object) -> str:
    """Workbook text for a reader: column and code names in words (`stat_neighbours` -> 'statistical
    neighbours', `lower_is_better` -> 'lower is better', `rate_per_10k` -> 'per 10,000 children'), with
    file notes, file paths, script names and commit hashes left out. Blank -> ''."""
    if _blank(text):
        return ""
    words = _COMMIT.sub("", _PATHLIKE.sub("", _drop_file_notes(str(text))))
    for code, said in _CODES.items():
        words = words.replace(code, said)
    return _tidy(_SNAKE.sub(lambda m: m.group(0).replace("_", " "), words))


def citation(source: object) -> str:
    """A source as a short plain citation: its first clause in plain words ('DfE, Characteristics of
    children in need, table B1 (children in need at 31 March)'), without the notes after ';' (how the
    comparators were made, where the target comes from) or any file, path or commit. Blank -> ''.
    The one rule for the scorecard, the published tables and the documents."""
    first = _drop_file_notes("" if _blank(source) else str(source)).split(";")[0]
    return plain_words(_QUOTED.split(first, maxsplit=1)[0])


def source_notes(source: object) -> str:
    """The notes after a source's citation (the clauses after ';'), in plain words; '' when there are none."""
    first, *clauses = _drop_file_notes("" if _blank(source) else str(source)).split(";")
    quoted = _QUOTED.split(first, maxsplit=1)
    quote = [first[len(quoted[0]) :].lstrip(": ")] if len(quoted) > 1 else []
    return "; ".join(w for w in (plain_words(c) for c in quote + clauses) if w)


def citation_list(sources) -> list[str]:
    """The distinct citations of some sources, in the order first given (blank ones left out)."""
    return list(dict.fromkeys(c for c in (citation(s) for s in sources) if c))


# ---- the workbook's KPIs -------------------------------------------------------------------------------


def rag_words(row) -> str:
    """The RAG word, or why there is none (no target; a target but no polarity; no value)."""
    if not _blank(row.rag):
        return str(row.rag)
    if _blank(row.target):
        return "no target, no RAG"
    polarity = "" if _blank(row.polarity) else str(row.polarity)
    if polarity == Polarity.CONTEXT:
        return "context measure, no RAG"
    return "no polarity, no RAG" if not polarity else "no value, no RAG"


def kpi_count_words(latest: pd.DataFrame, as_at: pd.Timestamp | None = None) -> str:
    """How many KPIs and what the count includes, the same for the scorecard table and the status grid:
    '18 KPIs: 13 with a figure by 31 Mar 2017, 1 with a target'. `latest` is latest_kpis_at(...)."""
    total = len(latest)
    with_value = int(latest["value"].notna().sum()) if total else 0
    with_target = int(latest["target"].notna().sum()) if total else 0
    by = f" by {format_date(as_at)}" if as_at is not None else ""
    figures = "all with a figure" + by if with_value == total else f"{with_value} with a figure{by}"
    return f"{plural(total, 'KPI')}: {figures}, {with_target} with a target"


def kpi_grid_title(latest: pd.DataFrame, as_at: pd.Timestamp | None = None) -> str:
    """The status grid's title: kpi_count_words and the RAG of the KPIs with a target at their latest figure,
    '18 KPIs: all with a figure by 31 Dec 2017, 1 with a target (1 Green)'."""
    rags = [str(r) for r in latest["rag"] if not _blank(r)] if len(latest) else []
    tally = ", ".join(f"{rags.count(w)} {w}" for w in ("Red", "Amber", "Green") if rags.count(w))
    return kpi_count_words(latest, as_at) + (f" ({tally})" if tally else "")


def recommendation_words(rec_ids) -> str:
    """'Evidences recommendation 2.', 'Evidences recommendations 2 and 5.', 'Evidences no recommendation.'"""
    ids = [str(r) for r in rec_ids] if isinstance(rec_ids, (list, tuple)) else []
    if not ids:
        return "Evidences no recommendation."
    listed = ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]
    return f"Evidences recommendation{'s' if len(ids) > 1 else ''} {listed}."


def scorecard(latest: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI as people read it: value with unit, period, target, RAG word, direction in the KPI's
    meaning, comparators in the unit (none for counts), the KPI's values up to D as a list (for a sparkline)
    and the source as a short citation.

    `latest` is performance_summary.latest_kpis_at(...); `values` the KPI values known at D.
    """
    history = values.sort_values("period").groupby("kpi_id")["value"].agg(lambda s: [float(v) for v in s.dropna()])
    previous = (
        values.sort_values("period").dropna(subset=["value"]).groupby("kpi_id")["value"].agg(lambda s: s.iloc[-2] if len(s) > 1 else None)
    )
    rows = []
    for row in latest.itertuples(index=False):
        unit = row.unit
        rows.append(
            {
                "KPI": row.kpi,
                "Latest value": format_value(row.value, unit),
                "Unit": UNIT_WORDS.get(str(unit), str(unit) if not _blank(unit) else ""),
                "Period": row.period,
                "Target": "no target" if _blank(row.target) else format_value(row.target, unit),
                "RAG": rag_words(row),
                "Direction of travel": direction_text(row.direction, row.polarity, row.value, previous.get(row.kpi_id), unit),
                "England": _comparator(row.england, unit),
                "North East": _comparator(getattr(row, "north_east", None), unit),
                "Statistical neighbours": _comparator(row.stat_neighbours, unit),
                "Trend": history.get(row.kpi_id, []),
                "Source": citation(row.source),
                "kpi_id": row.kpi_id,
            }
        )
    return pd.DataFrame(rows)


def status_grid(kpis: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every KPI value with its RAG (kpi_status), in the KPIs sheet's order, and the short cell text for a heat
    map: 'Green 18.8' where the KPI has a target, else the value alone (the chart marks the row 'no target')."""
    columns = ["kpi_id", "kpi", "period", "value", "unit", "rag", "text"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    status = kpi_status(kpis, values)
    status = status[status["value"].notna()].copy()
    status["text"] = [
        (short_value(v, u) if _blank(r) else f"{r} {short_value(v, u)}") for v, u, r in zip(status["value"], status["unit"], status["rag"])
    ]
    rank = {str(k).strip(): i for i, k in enumerate(kpis["kpi_id"])}
    status["_order"] = status["kpi_id"].map(rank)
    return status.sort_values(["_order", "period"], kind="stable")[columns].reset_index(drop=True)


def kpis_by_recommendation(coverage: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: the names of the KPIs that evidence it (coverage's `kpis` ids), or what is missing."""
    names = dict(zip(kpis["kpi_id"].astype(str).str.strip(), kpis["kpi"]))
    rows = []
    for row in coverage.itertuples(index=False):
        ids = [str(k) for k in row.kpis]
        if ids:
            shown = "; ".join(names.get(k, k) for k in ids)
        else:
            shown = "none: no KPI shows the impact of its tasks" if len(row.tasks) else "none"
        rows.append({"Recommendation": row.rec_id, "KPIs that evidence it": shown, "Number of KPIs": len(ids)})
    return pd.DataFrame(rows)


def overview_caseload(perf, as_at: pd.Timestamp | None) -> dict | None:
    """The overview's caseload row for the reporting month: {'month', 'cells': [(label, value, help)], 'note'}.

    Average and share above threshold are performance_summary.caseload_headline's (the CLI summary's
    `caseload`); agency and vacancy are scorecard.month_headline's. None when there are no Caseloads.
    """
    from .caseload import BASIS_CASELOADS, DEFAULT_THRESHOLD
    from .performance_summary import caseload_headline, caseload_month
    from .scorecard import month_headline

    headline = caseload_headline(perf, as_at)
    if headline is None:
        return None
    month = caseload_month(perf.caseloads, as_at)
    rates = month_headline(perf.caseloads, perf.workforce, month)
    from_caseloads = rates["agency_basis"] == BASIS_CASELOADS
    cells = [
        (
            "Average caseload",
            MISSING if headline["average"] is None else f"{headline['average']:.1f}",
            f"Cases per FTE; the threshold is {DEFAULT_THRESHOLD:g}. " + DEFINITIONS["Average caseload"],
        ),
        ("Above threshold", rate_text(headline["over_threshold_share"]), DEFINITIONS["Over threshold"]),
        ("Agency rate" + (" (from Caseloads)" if from_caseloads else ""), rate_text(rates["agency_rate"]), DEFINITIONS["Agency rate"]),
        ("Vacancy rate", rate_text(rates["vacancy_rate"]), DEFINITIONS["Vacancy rate"]),
    ]
    status = {perf.sheet_status(s) for s in ("Caseloads", "Workforce")}
    note = f"Caseloads and workforce at {format_date(month)}"
    note += ": ILLUSTRATIVE figures, generated, not the council's records." if "illustrative" in status else "."
    return {"month": month, "cells": cells, "note": note + " More on the Caseloads and workforce page."}


# ---- published figures for a council (src/analysis/published.py) -------------------------------------


def published_table(records: list[dict], local: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per published measure as people read it (published.council_measures records): value or the
    suppression reason, England, region, the statistical neighbours' median (how many had a value) and mean
    (none of these for a count), rank and quartile band, direction, the funnel verdict, a small-numbers
    warning and the source as a short citation.

    `local` (kpi_id -> {'value', 'unit', 'month', 'note'}) puts a council's own monthly figure beside the
    published one with the lag labelled ('local: Aug 2026; published and statistical neighbours: 2024-25')."""
    from .published import lag_label

    rows = []
    for r in records:
        unit = r["unit"]
        sn = _comparator(r["stat_neighbours_median"], unit)
        if sn:
            sn += f" ({r['stat_neighbours_with_value']} of 10 with a value)"
        if r["polarity"] == Polarity.CONTEXT:
            rank = "not ranked: context measure"
        elif r["rank"] is None:
            rank = "no rank: no value"
        else:
            rank = f"{r['rank']} of {r['of']}"
        region = _comparator(r["region"], unit)
        row = {
            "Measure": r["kpi"],
            "Period": r["period_label"],
            "Value": r["reason_text"] if r["value"] is None else format_value(r["value"], unit),
            "England": _comparator(r["england"], unit),
            "Region": (f"{r['region_name']}: " if r["region_name"] and region else "") + region,
            "Statistical neighbours (median)": sn,
            "Statistical neighbours (mean)": _comparator(r["stat_neighbours_mean"], unit),
            "Rank (1 = best)": rank,
            "Quartile (A = best)": r["quartile"] or "",
            "Direction since the year before": direction_text(r.get("direction"), r["polarity"], r["value"], r.get("previous_value"), unit),
            "Is the difference from England more than chance?": r["funnel"]["text"] if r.get("funnel") else "no funnel for this measure",
            "Small numbers": r.get("small_numbers") or "",
            "Source": plain_words(r["source"]) + (f". {r['note']}" if r.get("note") else ""),
            "kpi_id": r["kpi_id"],
        }
        if local is not None:
            own = local.get(r["kpi_id"])
            row["Local figure"] = (
                f"{format_value(own['value'], unit)}{own.get('note', '')} ({lag_label(own['month'], r['period_label'])})" if own else ""
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if local is not None and len(frame):
        frame.insert(3, "Local figure", frame.pop("Local figure"))
    return frame
