"""The notices every page carries under its title: the data in use, the quarters note, the illustrative-data
warning, the filters in force; and the one way a workbook's problems are shown (show_problems)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from src.analysis.dates import format_date
from src.analysis.findings import Finding, Severity
from src.analysis.progress import in_scope, scope_words
from src.analysis.wording import sentence

from .safe import md

if TYPE_CHECKING:
    from .context import PageContext


def show_problems(heading: str, findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == Severity.ERROR] or findings
    lines = [f"- {md(f)}" + (f" What to do: {md(f.advice)}" if f.advice else "") for f in errors[:20]]
    if len(errors) > 20:
        lines.append(f"- … and {len(errors) - 20} more.")
    st.error(f"**{md(heading)}:**\n" + "\n".join(lines))


def page_notices(ctx: PageContext) -> None:
    """The data in use, its date and tolerance; the quarters note; illustrative data; the filters in force."""
    from .context import memo  # here: context imports sources, which imports this module

    parts = [f"Plan: {md(ctx.plan_source.label())}"]
    if ctx.performance_source:
        parts.append(f"performance: {md(ctx.performance_source.label())}")
    parts.append(f"as at {format_date(ctx.as_at)}; RAG tolerance {ctx.view.tolerance_days} days")
    st.caption(" · ".join(parts))
    quarters = memo(("quarters notice", ctx.plan_source.sha256), ctx.plan.quarters_notice)  # scans every task: once per plan
    if quarters:
        st.caption(quarters)
    perf = ctx.performance
    generated = [sheet.lower() for sheet in perf.generated_workforce_sheets()] if perf is not None else []
    if ctx.plan.is_illustrative or generated:  # one line for all the illustrative data; the details on click (issue 14)
        said = []
        if ctx.plan.is_illustrative:
            said.append("the plan is the council's own; its progress figures are not the council's reported progress")
        if generated:
            said.append(f"the {' and '.join(generated)} figures are generated, not the council's records")
        notice, details = st.columns([5, 1], vertical_alignment="center")
        notice.warning(f"**Illustrative figures:** {'; '.join(said)}.")
        with details.popover("About this data", width="stretch"):
            if ctx.plan.is_illustrative:
                st.markdown(f"**Data status:** {md(ctx.plan.about.get('data_status'))}")
                st.caption(
                    "Updates, RAG and slippage are illustrative, generated for demonstration; recommendations, tasks, leads and dates "
                    "are transcribed."
                )
            if generated:
                st.markdown(
                    f"**{sentence(' and '.join(generated))} figures:** calibrated to published totals, not the council's records. "
                    f"{md(perf.about.get('illustrative_method', ''))}"
                )
    if ctx.filtered:
        bits = []
        if ctx.controls.themes:
            bits.append("theme " + md(", ".join(ctx.controls.themes)))
        if ctx.controls.leads:
            bits.append("lead " + md("; ".join(ctx.controls.leads)))
        if ctx.controls.rags:
            bits.append("RAG " + ", ".join(ctx.controls.rags))
        scope = memo(("filtered scope words", *ctx.view_key), lambda: scope_words(ctx.tasks, len(in_scope(ctx.view.tasks))))
        st.info(f"Filtered to {' and '.join(bits)}: {scope}.")
