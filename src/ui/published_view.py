"""Streamlit glue for published figures: a chart/table toggle with a CSV download for every view, and the
council's published table (src/analysis/scorecard_words.published_table). Pages call these; the numbers come from
src/analysis/published.py and the charts from src/charts/published.py."""

from __future__ import annotations

import streamlit as st

from src.analysis import published
from src.analysis.scorecard_words import published_table

from . import context, widgets


@st.cache_resource(show_spinner=False)
def data() -> published.PublishedData:
    return published.load_published()


def show_view(chart_obj, key: str) -> None:
    """A chart or its table, as the reader chooses; a CSV download of the data either way."""
    shown = st.segmented_control("Show as", ["Chart", "Table"], default="Chart", key=f"view_{key}", label_visibility="collapsed")
    if shown == "Table":
        st.header(chart_obj.title, anchor=False)
        widgets.show_table(chart_obj.data, key=f"view_{key}", file_name=f"{key}.csv")
        st.caption(chart_obj.description)
    else:
        widgets.show_chart(chart_obj, key=key)


def council_records(code: str, as_at, model: str) -> list[dict]:
    return context.memo(("published records", code, str(as_at), model), published.council_measures, data(), code, as_at, model)


def show_published_table(code: str, as_at, model: str, key: str, measure_ids=None, local: dict | None = None) -> list[dict]:
    """The council's published measures (at their latest year on or before D) with comparators, as a table with a download."""
    records = council_records(code, as_at, model)
    if measure_ids is not None:
        records = [r for r in records if r["kpi_id"] in measure_ids]
    if not records:
        st.info("No published figures for this council up to the reporting date.")
        return records
    # Once per (council, date, model, measures, local figures): the table is not rebuilt on every rerun (issue 19).
    ids = None if measure_ids is None else tuple(measure_ids)
    local_key = None if local is None else repr(sorted(local.items()))
    table = context.memo(
        ("published table", code, str(as_at), model, ids, local_key), lambda: published_table(records, local).drop(columns=["kpi_id"])
    )
    widgets.show_table(
        table,
        key=key,
        file_name=f"published_{code.replace(' ', '')}_{key}.csv",
        column_config={
            "Measure": st.column_config.TextColumn(width="medium", pinned=True),
            "Value": st.column_config.TextColumn(width="medium"),
            "Local figure": st.column_config.TextColumn(
                width="large", help="The workbook's own latest monthly figure; its month differs from the published period."
            ),
            "Source": st.column_config.TextColumn(width="large"),
        },
    )
    return records


def explain_codes() -> None:
    with st.expander("What the suppression codes and comparators mean"):
        st.markdown("\n".join(f"- {text}" for text in published.REASONS.values()))
        st.markdown(
            "- **Statistical neighbours:** the 10 councils most like this one in DfE's model (2025 unless the 2021 "
            "groups are chosen); the median of those with a value, as DfE's outcomes dashboard shows it, and the "
            "mean beside it, as the Local Authority Interactive Tool does.\n"
            "- **Rank:** among all councils with a value, 1 = best for the measure; equal values share the better "
            "rank. **Quartile:** A is the best quarter of councils, D the worst.\n"
            "- **Context measures** (children in need, referrals, plans, children looked after, social workers in "
            "post) are neither good nor bad when they rise: they are not ranked and carry no band.\n"
            "- **More than chance?** The funnel compares the council with England for a council of its size: "
            "inside the 95% limits is within what chance would give; outside the 99.8% limits it is very unlikely "
            "to be chance."
        )
