"""Charts for the governance pages: RAG counts at two reporting dates, and the risk grid.

No streamlit here. Each builder returns a Chart whose title states the finding and whose
description gives the numbers in words.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.analysis.plan_workbook import Rag
from src.analysis.risks import HIGH_SCORE, MEDIUM_SCORE, score_band

from .base import Chart, apply_layout, date_text, empty_chart, join_words, plot_text, plural
from .palette import BLACK, RAG_STYLES, WHITE, text_colour_on
from .rag import RAG_WORDS, _rag_stack

# ---- RAG counts at two reporting dates -------------------------------------------------------

_MOVES = [("Red", "Red"), ("Amber", "Amber"), ("Blue", "complete (Blue)")]


def _move(word: str, before: int, after: int) -> str | None:
    if before == after:
        return None
    return f"{word} {'rose' if after > before else 'fell'} from {before} to {after}"


def rag_at_two_dates(before: dict[str, int], after: dict[str, int], from_as_at, to_as_at) -> Chart:
    """Two stacked bars, one per reporting date, of the number of tasks by RAG (colour, pattern and word).

    `before` / `after` are `progress.rag_counts(table)` at `from_as_at` / `to_as_at`.
    """
    names = [date_text(from_as_at), date_text(to_as_at)]
    counts = pd.DataFrame([{r: int((d or {}).get(r, 0) or 0) for r in RAG_WORDS} for d in (before, after)])
    if int(counts.to_numpy().sum()) == 0:
        return empty_chart(
            f"No tasks at {names[0]} or {names[1]}",
            "There are no tasks, so there are no RAG counts to compare.",
            x_title="Number of tasks",
            y_title="Reporting date",
        )
    moves = [m for m in (_move(label, int(counts.at[0, w]), int(counts.at[1, w])) for w, label in _MOVES) if m]
    if moves:
        title = f"From {names[0]} to {names[1]}: {join_words(moves)}"
    else:
        title = f"Red, Amber and complete counts are unchanged from {names[0]} to {names[1]}"
    fig = _rag_stack(names, counts, "Number of tasks", "Reporting date")
    apply_layout(fig, title, "Number of tasks", "Reporting date", legend_title="RAG", height=300)

    def phrase(i: int) -> str:
        return join_words([f"{int(counts.at[i, r])} {r}" for r in RAG_WORDS if int(counts.at[i, r])]) or "no tasks"

    description = (
        f"Horizontal stacked bar chart of the number of tasks by RAG at two reporting dates. "
        f"At {names[0]}: {phrase(0)}. At {names[1]}: {phrase(1)}."
    )
    data = pd.DataFrame({"Reporting date": names, **{r: counts[r].to_numpy() for r in RAG_WORDS}})
    data["Tasks"] = counts.to_numpy().sum(axis=1)
    return Chart(fig, title, description, data)


# ---- risk grid: likelihood x impact -----------------------------------------------------------

# The bands' colours; the bands themselves are the engine's (risks.score_band).
BANDS = [("Low", RAG_STYLES[Rag.GREEN].colour), ("Medium", RAG_STYLES[Rag.AMBER].colour), ("High", RAG_STYLES[Rag.RED].colour)]
GRID_SIZE = 5
CELL_IDS = 4  # risk ids written in a cell before "+ n more"


def risk_label(risk_id: object) -> str:
    """'R3' for a bare number, the id itself otherwise."""
    text = str(risk_id)
    return f"R{text}" if text.isdigit() else text


def has_grid(register: pd.DataFrame) -> bool:
    """True when at least one risk gives both likelihood and impact."""
    return register is not None and not register.empty and bool(register["score"].notna().any())


def risk_grid(register: pd.DataFrame) -> Chart:
    """A likelihood (across) by impact (up) grid; each cell coloured and worded by its score band and
    listing the risks in it. `register` is `risks.risk_register(plan)`."""
    if not has_grid(register):
        return empty_chart(
            "No risk gives both a likelihood and an impact",
            "The risk register gives no likelihood and impact pairs, so there is no grid to draw.",
            x_title="Likelihood",
            y_title="Impact",
        )
    scored = register[register["score"].notna()].reset_index(drop=True)
    size = max(GRID_SIZE, int(scored["likelihood"].max()), int(scored["impact"].max()))
    axis = list(range(1, size + 1))
    band_index = {name: i for i, (name, _) in enumerate(BANDS)}
    z = [[band_index[score_band(lk * im)] for lk in axis] for im in axis]
    colourscale = []
    for i, (_, colour) in enumerate(BANDS):
        colourscale += [[i / len(BANDS), colour], [(i + 1) / len(BANDS), colour]]
    fig = go.Figure(
        go.Heatmap(
            x=axis,
            y=axis,
            z=z,
            zmin=-0.5,
            zmax=len(BANDS) - 0.5,
            colorscale=colourscale,
            showscale=False,
            xgap=3,
            ygap=3,
            customdata=[[f"{BANDS[z[j][i]][0]} (score {lk * im})" for i, lk in enumerate(axis)] for j, im in enumerate(axis)],
            hovertemplate="Likelihood %{x}, impact %{y}<br>%{customdata}<extra></extra>",
        )
    )
    for im in axis:
        for lk in axis:
            here = scored[(scored["likelihood"] == lk) & (scored["impact"] == im)]
            band, colour = BANDS[band_index[score_band(lk * im)]]
            ids = [risk_label(r) for r in here["risk_id"]]
            listed = ", ".join(ids[:CELL_IDS]) + (f" +{len(ids) - CELL_IDS}" if len(ids) > CELL_IDS else "")
            # Risk ids are workbook text (plot_text); an empty cell's band in a smaller font (no inline style markup).
            text = f"<b>{plot_text(listed)}</b><br>{band}" if ids else band
            font = {"color": text_colour_on(colour)} | ({} if ids else {"size": 11})
            fig.add_annotation(x=lk, y=im, text=text, showarrow=False, font=font)
    high = scored[scored["score"] >= HIGH_SCORE]
    top = scored.loc[scored["score"].idxmax()]
    if len(high):
        title = f"{len(high)} of {plural(len(scored), 'scored risk')} {'is' if len(high) == 1 else 'are'} High (score {HIGH_SCORE} or more)"
    else:
        title = f"No risk scores {HIGH_SCORE} or more; the highest is risk {top['risk_id']} at {int(top['score'])}"
    apply_layout(fig, title, "Likelihood (1 rare to 5 almost certain)", "Impact (1 minimal to 5 severe)", height=520, show_legend=False)
    fig.update_xaxes(tickmode="array", tickvals=axis, showgrid=False, linecolor=BLACK, constrain="domain")
    fig.update_yaxes(tickmode="array", tickvals=axis, showgrid=False, linecolor=BLACK, scaleanchor="x", scaleratio=1)
    fig.update_layout(plot_bgcolor=WHITE)
    unscored = len(register) - len(scored)
    pieces = [
        f"Risk {r['risk_id']} (likelihood {int(r['likelihood'])}, impact {int(r['impact'])}, score {int(r['score'])}, "
        f"{score_band(r['score'])})"
        for _, r in scored.iterrows()
    ]
    description = (
        f"Grid of likelihood (across, 1 to {size}) by impact (up, 1 to {size}), each cell worded Low, Medium or High "
        f"by its score (likelihood times impact: under {MEDIUM_SCORE} Low, {MEDIUM_SCORE} to {HIGH_SCORE - 1} Medium, "
        f"{HIGH_SCORE} or more High). "
        + "; ".join(pieces)
        + "."
        + (
            f" {plural(unscored, 'risk')} without both a likelihood and an impact {'is' if unscored == 1 else 'are'} not drawn."
            if unscored
            else ""
        )
    )
    data = pd.DataFrame(
        {
            "Risk": scored["risk_id"].astype(str),
            "Description": scored["risk"],
            "Likelihood": scored["likelihood"],
            "Impact": scored["impact"],
            "Score": scored["score"],
            "Band": scored["score"].map(score_band),
            "Rating as written": scored["rating"],
        }
    )
    return Chart(fig, title, description, data)
