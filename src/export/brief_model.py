"""One content model for every document: what is said, in which order, for the brief, the full pack and the deck.

A `Document` is an ordered list of `Section`s (heading, paragraphs, tables with a header row, figures
with their text description as alternative text); a `Deck` an ordered list of `Slide`s. Both are built
here from the one set of figures (PlanView, the analysis functions, `content`, `narrative`) and
rendered by three writers that decide nothing about content: `pdf_writer` (tagged PDF via WeasyPrint),
`docx_writer` (Word) and `pptx_writer` (PowerPoint). So the documents never disagree with each other.

Every text that came from a workbook is plain text here (writers escape it); long text is cut at a
sentence or word boundary with a note saying so (`long_text`), never left to break a layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from src.analysis.dates import format_date
from src.analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS, ExceptionKind, exception_summary, previous_reporting_date
from src.analysis.governance_log import open_issue_for_task
from src.analysis.headline import Group, change_words, figures
from src.analysis.lscb import lscb_status
from src.analysis.narrative import (
    Narrative,
    board_decisions,
    clip_sentences,
    clip_words,
    plan_narrative,
    task_words,
)
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import RAG_ORDER, Rag, TaskStatus
from src.analysis.progress import changes_between, progress_trend, rollup, rollup_words, scope_words
from src.analysis.risks import risk_register
from src.analysis.scorecard_words import citation
from src.analysis.wording import MISSING, count_of, days, number, percent, plural, sentence
from src.charts.palette import RAG_STYLES

from . import content, images

LANG = "en-GB"
CHART_WIDTH_PX = 720  # drawn at the text width of A4, so the charts' 14px text prints at about 9.5pt
CELL_HARD_LIMIT = 1600  # no cell of any table is longer than this
CELL_LIMIT = 700  # characters of one table cell on paper; the Excel workbook keeps every character
SHORTENED = " [shortened: the whole text is in the Excel workbook]"
RAG_WORDS = [str(r) for r in RAG_ORDER]


# ---- the model ---------------------------------------------------------------------------------


@dataclass
class Para:
    """A paragraph. style: body, bullet, notice (boxed), small, question (a numbered question)."""

    text: str
    style: str = "body"


@dataclass
class Table:
    """A table: header row (repeated on every page) and rows of plain text. `widths` are relative;
    cells of `rag_columns` that start with a RAG word are filled with its colour (the word stays)."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    rag_columns: tuple[int, ...] = ()
    caption: str = ""

    def __post_init__(self) -> None:
        # The last guard against a cell too long for paper or a slide: no layout ever fails on it.
        self.rows = [[c if len(str(c)) <= CELL_HARD_LIMIT else long_text(c, CELL_HARD_LIMIT) for c in row] for row in self.rows]


@dataclass
class Figure:
    """A chart image (PNG) with its title and text description (the alternative text). `png` None: the
    chart could not be drawn; `problem` says why in words, and writers print a note instead."""

    title: str
    description: str
    png: bytes | None
    problem: str | None
    width_px: int
    height_px: int


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)
    level: int = 2
    page_break: bool = False  # start on a new page (paper only)
    keep_together: bool = False  # a short section: its heading never sits on a page apart from its table (paper only)


@dataclass
class Document:
    """title: the document's metadata title (the plan and date); heading: the first heading on page 1."""

    title: str
    heading: str
    subtitle: list[str]
    sections: list[Section]
    footer: str
    author: str
    subject: str
    created: dt.datetime
    lang: str = LANG
    notice: str = ""


@dataclass
class Slide:
    """kind: title, summary (text beside a table), content, or card (one exception in large type). `rag` is a RAG word shown as a badge."""

    kind: str
    title: str
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None
    figure: Figure | None = None
    notes: str = ""
    rag: str | None = None
    rag_label: str = ""  # what the badge's RAG is of, when not the slide's own task: "Worst task" on a theme slide
    fields: list[tuple[str, str]] = field(default_factory=list)
    subtitle: str = ""


@dataclass
class Deck:
    title: str
    slides: list[Slide]
    author: str
    created: dt.datetime
    lang: str = LANG


# ---- words -------------------------------------------------------------------------------------


def long_text(value: object, limit: int = CELL_LIMIT) -> str:
    """Workbook text for paper: whole sentences within `limit` characters, with a note when shortened."""
    kept, cut = clip_sentences(content.text(value), limit)
    return kept + (SHORTENED if cut else "")


def lines_text(value: object, limit: int = CELL_LIMIT) -> str:
    """Like `long_text`, keeping the line breaks of a multi-line cell (a mitigation list)."""
    lines = [" ".join(line.split()) for line in content.text(value).splitlines() if line.strip()]
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    return long_text(" ".join(lines), limit)


def source_words(value: object) -> str:
    """A KPI source for a reader: the short plain citation (src/analysis/scorecard_words.citation), as the screens show it."""
    return citation(content.text(value))


def rag_meaning(rag: object) -> str:
    """'Red (off track)': RAG as word and meaning, never colour alone."""
    if not isinstance(rag, str) or not rag:
        return "not rated (an LSCB action, not a plan task)"
    return f"{rag} ({RAG_STYLES[Rag(rag)].meaning})" if rag in RAG_STYLES else rag


def _change_words(delta: int | None) -> str:
    if delta is None:
        return "no earlier date"
    return "no change" if delta == 0 else (f"up {delta}" if delta > 0 else f"down {-delta}")


def _slip_words(slip: object, kind: str = "") -> str:
    """A slip in days (E - F; negative is early) in words: '12 days late', 'on time', 'overdue by 3 days'."""
    if content.is_blank(slip):
        return f"{MISSING} (no finish date to measure against)"
    slip = int(slip)
    if kind == str(ExceptionKind.LSCB_OVERDUE):
        return f"overdue by {days(slip)}"
    return "on time" if slip == 0 else f"{days(abs(slip))} {'late' if slip > 0 else 'early'}"


LEAD_LIMIT = 160  # a lead is a job title or a team; longer text is clipped, never allowed to break a layout


def _lead(value: object) -> str:
    return clip_words(content.text(value), LEAD_LIMIT) or "(no lead given)"


def _status_notice(view, performance) -> str:
    words = []
    if view.plan.is_illustrative:
        words.append(
            "Illustrative progress: the task progress, RAG ratings and slippage here come from illustrative updates "
            "and are not the council's reported progress."
        )
    else:
        status = content.text(view.plan.about.get("data_status"))
        if status:
            words.append(f"Plan data status: {clip_words(status, 300)}.")
    if performance is not None:
        labels = dict(content.figure_status(view, performance)[1:])
        published = [k for k, v in labels.items() if v == "published"]
        illustrative = [k for k, v in labels.items() if v == "illustrative"]
        if published:
            words.append(f"Published figures: {', '.join(published)} (official statistics).")
        if illustrative:
            words.append(f"Illustrative figures: {', '.join(illustrative)} (generated for demonstration, not the council's records).")
    return " ".join(words)


# ---- figures -----------------------------------------------------------------------------------


def figure_from_chart(chart, label: str | None = None) -> Figure:
    """The chart drawn once as PNG for every writer; its headline goes above as text that wraps."""
    fig = go.Figure(chart.figure)
    top = 70 if fig.layout.margin.t is None else fig.layout.margin.t
    height_px = max(200, min(900, int(fig.layout.height or 450) - max(0, top - 20)))
    fig.update_layout(title_text="", margin={"t": 20}, height=height_px)
    png, problem = images.chart_png(fig, CHART_WIDTH_PX, height_px)
    description = chart.description + (f" Figures: {label}." if label else "")
    return Figure(chart.title, description, png, problem, CHART_WIDTH_PX, height_px)


def _theme_chart(view) -> Figure:
    from src.charts import rag_by_group

    names = content.theme_names(view)
    frame = rollup(view.tasks, "theme_id").assign(theme_id=lambda f: f["theme_id"].astype(str).map(names).fillna(f["theme_id"].astype(str)))
    return figure_from_chart(rag_by_group(frame, "theme_id", "Theme"), "illustrative" if view.plan.is_illustrative else None)


# ---- shared pieces (brief, pack and deck say the same thing) -----------------------------------


@dataclass
class Inputs:
    """Everything the documents are built from, computed once."""

    view: PlanView
    performance: object
    previous: PlanView | None
    due_within_days: int
    narrative: Narrative
    decisions: pd.DataFrame
    exceptions: pd.DataFrame
    created: dt.datetime

    @property
    def organisation(self) -> str:
        return content.text(self.view.plan.about.get("organisation"))

    @property
    def when(self) -> str:
        return format_date(self.view.as_at)


def gather(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS, decisions: pd.DataFrame | None = None) -> Inputs:
    """Compute the narrative, the previous reporting date's view, decisions and exceptions once."""
    previous_date = previous_reporting_date(view.plan, view.as_at)
    previous = None
    if previous_date is not None:
        kpis = performance.kpis if performance is not None else None
        previous = PlanView.build(view.plan, previous_date, view.tolerance_days, kpis)
    decisions = board_decisions(view) if decisions is None else decisions
    return Inputs(
        view=view,
        performance=performance,
        previous=previous,
        due_within_days=due_within_days,
        narrative=plan_narrative(view, previous, decisions),
        decisions=decisions,
        exceptions=content.view_exceptions(view, due_within_days),
        created=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )


def rag_count_table(inputs: Inputs, short: bool = False) -> Table:
    """RAG counts at D, at the previous date and the change; `short`: the RAG word alone (a slide), else with its meaning."""
    story = inputs.narrative
    before = story.rag_before
    previous = format_date(inputs.previous.as_at) if inputs.previous is not None else None
    header = ["RAG", f"Tasks at {inputs.when}"] + ([f"At {previous}", "Change"] if previous else [])
    rows = []
    for rag in RAG_WORDS:
        row = [rag if short else rag_meaning(rag), str(story.rag_now.get(rag, 0))]
        if previous:
            row += [str(before.get(rag, 0)), _change_words(story.rag_change.get(rag, 0))]
        rows.append(row)
    widths = [30, 24, 24, 22] if short else [34, 18, 18, 18]
    return Table(header, rows, widths[: len(header)], rag_columns=(0,))


def _headline_figures(inputs: Inputs) -> list[tuple]:
    """(figure at D, the same figure at the previous reporting date or None) for the registry's headline
    figures (`headline.HEADLINES`; detail figures are left to the Excel workbook)."""
    extra = tuple(inputs.performance.findings) if inputs.performance is not None else ()
    now = figures(replace(inputs.view, extra_findings=extra), details=False)
    if inputs.previous is None:
        return [(figure, None) for figure in now]
    return list(zip(now, figures(replace(inputs.previous, extra_findings=extra), details=False)))


def _paper_label(headline) -> str:
    """The figure's label; a RAG count as paper words it everywhere ('Red (off track)'), so the writers fill it in its colour."""
    return rag_meaning(headline.label.split(":")[0]) if headline.group is Group.RAG else headline.label


def headline_table(inputs: Inputs) -> Table:
    """The headline figures at D, at the previous reporting date and the change in words, one per row
    (the full pack); RAG rows lead with their word (filled in its colour)."""
    previous = format_date(inputs.previous.as_at) if inputs.previous is not None else None
    header = ["Figure", f"At {inputs.when}"] + ([f"At {previous}", "Change"] if previous else [])
    rows = []
    for now, before in _headline_figures(inputs):
        row = [_paper_label(now.headline), now.text]
        if before is not None:
            row += [before.text, change_words(now.headline.unit, now.value, before.value) or "not known"]
        rows.append(row)
    return Table(header, rows, [40, 20, 20, 20][: len(header)], rag_columns=(0,))


def headline_pairs_table(inputs: Inputs) -> Table:
    """The same figures two to a row (the brief's page 1 has room for six rows, not twelve): figure, value at
    D and the change since the previous reporting date, in registry order read along each row."""
    since = f"Change since {format_date(inputs.previous.as_at)}" if inputs.previous is not None else None
    cells = []
    for now, before in _headline_figures(inputs):
        cell = [_paper_label(now.headline), now.text]
        if since:
            cell.append(change_words(now.headline.unit, now.value, before.value) or "not known")
        cells.append(cell)
    if len(cells) % 2:
        cells.append([""] * len(cells[0]))
    one = ["Figure", f"At {inputs.when}"] + ([since] if since else [])
    widths = [24, 13, 13] if since else [30, 20]
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    return Table(one + one, rows, widths + widths, rag_columns=(0, len(one)))


def slipped_tasks(view) -> pd.DataFrame:
    """Open Red then Amber tasks, most late first: what slipped (and what is at risk of slipping)."""
    tasks = view.tasks
    rag = tasks["rag"].astype("object").map(str)
    chosen = tasks[rag.isin([str(Rag.RED), str(Rag.AMBER)])].copy()
    chosen["_rank"] = chosen["rag"].astype("object").map(str).map({str(Rag.RED): 0, str(Rag.AMBER): 1})
    chosen["_slip"] = pd.to_numeric(chosen["slip_days"], errors="coerce").fillna(-1e9)
    return chosen.sort_values(["_rank", "_slip", "plan_order"], ascending=[True, False, True], kind="stable")


def _why(row) -> str:
    reason = content.text(row.reason)
    words = reason[:1].upper() + reason[1:]
    if not reason.startswith("forecast") and not content.is_blank(row.slip_days) and int(row.slip_days) > 0:
        words += f" ({_slip_words(row.slip_days)})"
    return words + "."


def slipped_table(view, limit: int | None, text_limit: int = 240) -> tuple[Table, int]:
    """What slipped: Red then Amber tasks, with why, the lead's latest update and, where the issues log holds
    one up, its open issue (governance_log.open_issue_for_task: the same words as the Exceptions page)."""
    frame = slipped_tasks(view)
    shown = frame if limit is None else frame.head(limit)
    held_up = open_issue_for_task(view)
    rows = [
        [
            task_words(r, 160),
            _lead(r.lead),
            str(r.rag),
            _why(r) + (f" Open issue: {long_text(held_up[str(r.task_id)], 200)}" if str(r.task_id) in held_up else ""),
            long_text(r.commentary, text_limit) or "none given",
        ]
        for r in shown.itertuples(index=False)
    ]
    table = Table(["Task", "Lead", "RAG", "Why (how late)", "Lead's latest update"], rows, [33, 17, 9, 19, 32], rag_columns=(2,))
    return table, len(frame) - len(shown)


def changes_frame(inputs: Inputs) -> pd.DataFrame:
    if inputs.previous is None:
        return pd.DataFrame()
    return changes_between(inputs.previous.tasks, inputs.view.tasks)


def changes_table(inputs: Inputs, limit: int | None) -> tuple[Table, int]:
    frame = changes_frame(inputs)
    frame = frame.assign(
        _rank=frame["newly_red"].astype(int) * -3 - frame["newly_amber"].astype(int) * 2 - frame["newly_complete"].astype(int)
    ).sort_values("_rank", kind="stable")
    shown = frame if limit is None else frame.head(limit)
    rows = []
    for r in shown.itertuples(index=False):
        moved = r.forecast_moved_days
        what = []
        if r.newly_complete:
            what.append("completed")
        if not content.is_blank(moved) and int(moved) != 0 and r.forecast_moved:
            what.append(f"forecast moved {days(abs(int(moved)))} {'later' if int(moved) > 0 else 'earlier'}")
        rows.append(
            [
                task_words(r, 160),
                _lead(r.lead),
                content.rag_word(r.rag_before) or "not rated",
                content.rag_word(r.rag),
                sentence("; ".join(what)) or "RAG changed",
            ]
        )
    table = Table(["Task", "Lead", "RAG before", "RAG now", "What changed"], rows, [40, 20, 12, 12, 24], rag_columns=(2, 3))
    return table, len(frame) - len(shown)


def recommendations_at_risk(view) -> pd.DataFrame:
    """Recommendations whose roll-up is Red or Amber, or that no task addresses (full text kept)."""
    cov = view.coverage
    rag = cov["rag"].map(lambda r: "" if r is None else str(r))
    no_task = cov["tasks"].map(len) == 0
    chosen = cov[rag.isin([str(Rag.RED), str(Rag.AMBER)]) | no_task].copy()
    chosen["_rank"] = [0 if str(r) == "Red" else 1 if str(r) == "Amber" else 2 for r in chosen["rag"]]
    return chosen.sort_values("_rank", kind="stable")


def progress_words(row) -> str:
    """A roll-up row's counts in words (`progress.rollup_words`, the screens' words): '1 of 5 tasks off track,
    4 complete'; a recommendation no task addresses says so."""
    if "tasks" in row and not isinstance(row["tasks"], (int, float)) and len(row["tasks"]) == 0:
        return "no task addresses it"
    return rollup_words(row)


def worst_rag_words(rag: object) -> str:
    """The worst task RAG of a group (the roll-up rule), or 'none counted' when every task is cancelled."""
    return "none counted" if content.is_blank(rag) or not str(rag) else str(rag)


def recommendations_table(view, limit: int | None) -> tuple[Table, int]:
    frame = recommendations_at_risk(view)
    shown = frame if limit is None else frame.head(limit)
    rows = [
        [
            content.text(r["rec_id"]),
            long_text(r["recommendation"], 1500),  # the whole text (a huge one ends at a sentence, with a note)
            progress_words(r),
            worst_rag_words(r["rag"]) if len(r["tasks"]) else "",
            " ".join(r["findings"]) or "Tasks at risk of slipping address it.",
        ]
        for _, r in shown.iterrows()
    ]
    header = ["No.", "Recommendation", "Progress of its tasks", "Worst task RAG", "Why at risk"]
    return Table(header, rows, [5, 45, 18, 10, 22], rag_columns=(3,)), len(frame) - len(shown)


def _number(value: object, unit: str) -> str:
    """A KPI figure (a value in its unit, not a share 0-1): '18', '16.8%'; blank -> 'not published'."""
    if content.is_blank(value):
        return "not published"
    return number(value, 1) + ("%" if unit == "percent" else "")


def kpi_table(performance, as_at, limit: int | None, compared_only: bool) -> tuple[Table | None, list[str], list[str]]:
    """(table, KPIs with no figure by D, source lines). With `compared_only`, only KPIs with a value and
    at least one comparator (England or statistical neighbours) are rows."""
    frame = content.kpi_frame(performance, as_at)
    if frame.empty:
        return None, [], []
    missing = frame[frame["Value"].isna()]
    frame = frame[frame["Value"].notna()]
    if compared_only:
        frame = frame[frame["England"].notna() | frame["Statistical neighbours"].notna()]
    if limit is not None:
        frame = frame.head(limit)
    rows = [
        [
            content.text(r["KPI"]),
            format_date(r["Period"]),
            _number(r["Value"], r["Unit"]),
            _number(r["England"], r["Unit"]),
            _number(r["Statistical neighbours"], r["Unit"]),
            r["KPI RAG"] or "no target set",
            sentence(r["Direction of travel"] or "first figure"),
        ]
        for _, r in frame.iterrows()
    ]
    table = Table(
        ["Indicator", "Period", "Value", "England", "Statistical neighbours", "Status", "Direction"],
        rows,
        [40, 14, 11, 11, 14, 12, 14],
        rag_columns=(5,),
    )
    sources = []
    for r in frame.itertuples(index=False):
        words = source_words(r.Source)
        if words:
            sources.append(f"{content.text(r.KPI)}: {clip_words(words, 300)}")
    return table, [content.text(k) for k in missing["KPI"]], sources


def decisions_table(inputs: Inputs) -> Table:
    """Task, lead, decision and why. When every row gives the same why (decisions worked out from the data:
    "Next meeting: newly beyond tolerance at D"), the paragraph above the table already says it, so the
    column is left out and the decision gets its width: the brief stays within four pages."""
    whys = [sentence(content.text(r.why)) for r in inputs.decisions.itertuples()]
    rows = [[task_words(r, 160), _lead(r.lead), content.text(r.decision)] for r in inputs.decisions.itertuples()]
    if len(rows) > 1 and len(set(whys)) == 1:
        return Table(["Task", "Lead", "Decision asked of the board"], rows, [34, 18, 48])
    return Table(["Task", "Lead", "Decision asked of the board", "Why"], [r + [w] for r, w in zip(rows, whys)], [34, 18, 30, 18])


def scope_para(view) -> Para:
    """What the task counts include, under the RAG counts: '33 tasks in scope, 1 cancelled not counted.'
    (`progress.scope_words`, the words the overview shows under its task tile)."""
    return Para(f"{sentence(scope_words(view.tasks))}.", "small")


def theme_progress(view) -> list:
    """The theme table on paper: what the counts include (`progress.scope_words`: '33 tasks in scope, 1 cancelled
    not counted'), then per theme its progress in words first (`progress.rollup_words`), the worst task RAG, the
    tasks in scope with the cancelled ones named, complete of in scope with the rate, and slipped."""
    themes = content.theme_rollup(view)
    ids = view.tasks["theme_id"].astype(str)
    rows = []
    for _, r in themes.iterrows():
        scope = r["Tasks in scope"]
        rows.append(
            [
                f"{r['Theme ID']}. {r['Theme']}",
                r["Progress"],
                worst_rag_words(r["Roll-up RAG"]),
                scope_words(view.tasks[ids == str(r["Theme ID"])]),
                f"{count_of(int(r['Complete']), int(scope), 'task')} ({percent(r['Completion rate'])})" if scope else "none in scope",
                str(r["Slipped"]),
            ]
        )
    intro = Para(
        f"At {format_date(view.as_at)}: {scope_words(view.tasks)}. Each theme's progress is its tasks' counts; the worst task RAG "
        "(Red if any task is Red, then Amber, then Green; Blue only when every task is complete) follows them."
    )
    header = ["Theme", "Progress", "Worst task RAG", "Tasks", "Complete", "Slipped"]
    return [intro, Table(header, rows, [28, 24, 10, 16, 14, 8], (2,))]


# ---- the Portfolio Holder brief (2-4 pages) ----------------------------------------------------

BRIEF_SLIPPED_ROWS = 7
BRIEF_CHANGE_ROWS = 8
BRIEF_RECOMMENDATION_ROWS = 5
BRIEF_KPI_ROWS = 8
BRIEF_DECISION_ROWS = 6


def _rest(n: int, what: str) -> list[Para]:
    if n <= 0:
        return []
    return [Para(f"{plural(n, 'other ' + what, 'other ' + what + 's')} {'is' if n == 1 else 'are'} listed in the full pack.", "small")]


def portfolio_brief(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS, inputs: Inputs | None = None) -> Document:
    """The 2-4 page brief: page 1 summary, RAG counts with change and questions; then what slipped and
    why, what changed, recommendations at risk, key performance figures, decisions needed."""
    inputs = inputs or gather(view, performance, due_within_days)
    story = inputs.narrative
    org = inputs.organisation
    sections = [
        Section("Summary", [Para(s) for s in story.summary_sentences()]),
        Section("Headline figures", [headline_pairs_table(inputs), scope_para(view)]),
        Section("Questions you may want to ask", [Para(q, "question") for q in story.questions]),
    ]

    slipped, rest = slipped_table(view, BRIEF_SLIPPED_ROWS, 200)
    blocks: list = [Para(" ".join(story.slipped))]
    blocks.append(_theme_chart(view))
    if slipped.rows:
        blocks += [slipped, *_rest(rest, "Red or Amber task")]
    else:
        blocks.append(Para("No task is Red or Amber at this date."))
    sections.append(Section("What slipped and why", blocks, page_break=True))

    if inputs.previous is not None:
        changes, rest = changes_table(inputs, BRIEF_CHANGE_ROWS)
        blocks = [Para(s) for s in story.changed]
        blocks += (
            [changes, *_rest(rest, "changed task")] if changes.rows else [Para("No task changed RAG, finished or moved its forecast.")]
        )
        sections.append(Section(f"What changed since {format_date(inputs.previous.as_at)}", blocks))
    else:
        sections.append(Section("What changed", [Para(s) for s in story.changed]))

    recs, rest = recommendations_table(view, BRIEF_RECOMMENDATION_ROWS)
    blocks = (
        [Para("Recommendations with tasks at risk or no task addressing them, in full."), recs, *_rest(rest, "recommendation")]
        if recs.rows
        else [Para("No recommendation is at risk: every one has tasks, none of them Red or Amber.")]
    )
    sections.append(Section("Recommendations at risk", blocks))

    if performance is not None:
        table, _, _ = kpi_table(performance, view.as_at, BRIEF_KPI_ROWS, compared_only=True)
        status = performance.sheet_status("KPI_Values")
        if table is not None and table.rows:
            blocks = [
                Para(
                    f"Figures: {status}. Each indicator at its latest period up to {inputs.when}, against England and the "
                    "council's statistical neighbours; sources are in the full pack."
                ),
                table,
            ]
        else:
            blocks = [Para("The performance workbook has no figures with England or statistical neighbour comparisons at this date.")]
        sections.append(Section("Key performance figures against England and statistical neighbours", blocks))

    decisions = inputs.decisions
    if len(decisions):
        table = decisions_table(inputs)
        shown = Table(table.header, table.rows[:BRIEF_DECISION_ROWS], table.widths)
        blocks = [Para(" ".join(story.decisions)), shown, *_rest(len(table.rows) - len(shown.rows), "decision")]
    else:
        blocks = [Para(" ".join(story.decisions))]
    sections.append(Section("Decisions needed", blocks, keep_together=True))

    title = f"{view.plan.title}: Portfolio Holder brief at {inputs.when}"
    return Document(
        title=title,
        heading="Portfolio Holder brief",
        subtitle=[p for p in (org, view.plan.title, f"Position at {inputs.when}") if p],
        sections=sections,
        footer=" · ".join(p for p in (org, f"Portfolio Holder brief at {inputs.when}") if p),
        author=org or "children's services improvement dashboard",
        subject="Portfolio Holder brief",
        created=inputs.created,
        notice=_status_notice(view, performance),
    )


# ---- the full pack (every table) ---------------------------------------------------------------

PAPER_ROWS = 60  # rows of a long table on paper; the Excel workbook carries every row


def _paper(frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list[Para]]:
    if len(frame) <= PAPER_ROWS:
        return frame, []
    return frame.head(PAPER_ROWS), [
        Para(
            f"The first {PAPER_ROWS} of {len(frame):,} {what} are listed here, the most serious first; the Excel workbook has them all.",
            "small",
        )
    ]


def full_pack(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS, inputs: Inputs | None = None) -> Document:
    """Every table: summary, progress by theme, coverage, exceptions and LSCB actions, caseload, KPIs,
    risks, and how the figures were made."""
    from src.charts import completion_trend, explore_bar

    inputs = inputs or gather(view, performance, due_within_days)
    story = inputs.narrative
    org = inputs.organisation
    illustrative = "illustrative" if view.plan.is_illustrative else None
    sections = [
        Section("1. Summary", [Para(s) for s in story.summary_sentences()] + [headline_table(inputs), scope_para(view)], level=2),
        Section("Questions you may want to ask", [Para(q, "question") for q in story.questions], level=3),
    ]

    trend = progress_trend(view.plan, view.as_at, view.tolerance_days)
    sections.append(
        Section(
            "2. Progress by theme",
            [
                _theme_chart(view),
                *theme_progress(view),
                figure_from_chart(completion_trend(trend), illustrative),
            ],
        )
    )
    slipped, _ = slipped_table(view, PAPER_ROWS, 500)
    sections.append(
        Section("What slipped and why", [slipped] if slipped.rows else [Para("No task is Red or Amber at this date.")], level=3)
    )
    if inputs.previous is not None:
        changes, rest = changes_table(inputs, PAPER_ROWS)
        blocks = [Para(s) for s in story.changed] + ([changes, *_rest(rest, "changed task")] if changes.rows else [])
        sections.append(Section(f"What changed since {format_date(inputs.previous.as_at)}", blocks, level=3))

    cov, note = _paper(content.coverage_frame(view), "recommendations")
    rows = [
        [
            r["Recommendation"],
            long_text(r["Recommendation text"], 1500),
            r["Themes declared"] or "none",
            str(len([t for t in r["Tasks addressing it"].split(", ") if t])),
            r["Progress"],
            worst_rag_words(r["Roll-up RAG"]) if r["Tasks addressing it"] else "",
            r["Findings"],
        ]
        for _, r in cov.iterrows()
    ]
    sections.append(
        Section(
            "3. Recommendation coverage",
            [
                Para(
                    "Each inspection recommendation in full, the themes the plan names it under, the tasks that address it, their "
                    "progress in counts and the worst task RAG. Findings point to gaps: a recommendation no task addresses, or one "
                    "with no measure of impact."
                ),
                Table(
                    ["No.", "Recommendation", "Themes", "Tasks", "Progress of its tasks", "Worst task RAG", "Findings"],
                    rows,
                    [5, 35, 7, 6, 16, 9, 22],
                    (5,),
                ),
                *note,
            ],
        )
    )

    ex = inputs.exceptions
    counts = exception_summary(ex)
    blocks = [
        Para(
            f"At {inputs.when}: "
            + "; ".join(f"{k}: {v}" for k, v in counts.items())
            + f". An item can appear under more than one heading. 'Due soon' means within {plural(due_within_days, 'day')}; "
            "'Stale update' means no update since the previous reporting date."
        )
    ]
    if ex.empty:
        blocks.append(Para("No item needs the board's attention at this date."))
    else:
        listed, note = _paper(ex, "items")
        rows = [
            [
                r.kind,
                task_words(r, 200) if r.kind != str(ExceptionKind.LSCB_OVERDUE) else long_text(r.task, 300),
                _lead(r.lead),
                content.text(r.reason),
                format_date(r.forecast) or "none given",
                long_text(r.commentary, 400) or "none given",
            ]
            for r in listed.itertuples(index=False)
        ]
        blocks += [
            Table(
                ["Heading", "Task or action", "Lead", "Why", "Expected finish", "Latest commentary"], rows, [13, 27, 15, 17, 11, 27], (0,)
            ),
            *note,
        ]
    lscb = lscb_status(view.plan, view.as_at)
    sections.append(Section("4. Items for the board's attention", blocks))
    if not lscb.empty:
        rows = [
            [content.text(r.action_id), long_text(r.action, 500), _lead(r.lead), r.due or "none given", r.status, r.timeliness]
            for r in lscb.itertuples(index=False)
        ]
        sections.append(
            Section(
                "LSCB actions", [Table(["No.", "Action", "Lead", "Due", "Status", "Timeliness"], rows, [5, 45, 18, 11, 10, 12])], level=3
            )
        )

    number = 5
    if performance is not None:
        month, frame = content.caseload_team_frame(performance, view.as_at if view.plan.reporting_dates else None)
        if frame.empty:
            blocks = [Para("The performance workbook has no caseload figures.")]
        else:
            label = frame["Figures"].iloc[0]
            whole = frame[frame["Team"] == "Whole service"].iloc[0]
            words = (
                f"{sentence(label)} figures for {format_date(month)}. Across the service, {int(whole['Case-holding workers'])} "
                f"case-holding workers carry an average of {whole['Average caseload (cases per FTE)']:.1f} cases per full-time equivalent; "
                f"{percent(whole['Share over threshold'])} of them are above their caseload threshold."
            )
            teams = frame[frame["Team"] != "Whole service"]
            chart = explore_bar(teams, "Team", "Average caseload (cases per FTE)", "Average caseload (cases per FTE)", group_column="Team")
            rows = [
                [
                    r["Team"],
                    str(int(r["Case-holding workers"])),
                    f"{r['Average caseload (cases per FTE)']:.1f}",
                    percent(r["Share over threshold"]),
                    percent(r["Agency rate"]),
                    percent(r["Vacancy rate"]),
                ]
                for _, r in frame.iterrows()
            ]
            blocks = [
                Para(words, "notice" if label == "illustrative" else "body"),
                figure_from_chart(chart, label),
                Table(
                    ["Team", "Case-holding workers", "Average caseload", "Over threshold", "Agency rate", "Vacancy rate"],
                    rows,
                    [34, 14, 13, 13, 12, 12],
                ),
            ]
        sections.append(Section(f"{number}. Caseload and workforce", blocks))
        number += 1
        table, missing, sources = kpi_table(performance, view.as_at, PAPER_ROWS, compared_only=False)
        if table is None:
            blocks = [Para("The performance workbook has no KPIs.")]
        else:
            blocks = [
                Para(
                    f"Figures: {performance.sheet_status('KPI_Values')}. Each indicator at its latest period up to {inputs.when}, against England "
                    "and the council's statistical neighbours. Status is against the council's target where one is set."
                ),
                table,
            ]
            if missing:
                blocks.append(Para(f"No figure yet at {inputs.when} for: {'; '.join(missing)}.", "small"))
            if sources:
                blocks += [Para("Sources", "subheading")] + [Para(s, "small") for s in sources]
        sections.append(Section(f"{number}. Key performance indicators", blocks))
        number += 1

    risks = risk_register(view.plan)
    if risks.empty:
        blocks = [Para("The plan workbook lists no risks.")]
    else:
        has_score = risks["score"].notna().any()
        header = ["No.", "Risk", "Rating", "Response", "Mitigation", "Owner"] + (["Score"] if has_score else [])
        rows = []
        for r in risks.itertuples(index=False):
            row = [
                content.text(r.risk_id),
                long_text(r.risk, 400),
                content.text(r.rating),
                content.text(r.response),
                lines_text(r.mitigation),
            ]
            row.append(content.text(r.owner) or MISSING)
            if has_score:
                row.append("" if pd.isna(r.score) else f"{int(r.score)} ({int(r.likelihood)} x {int(r.impact)})")
            rows.append(row)
        blocks = [Table(header, rows, [5, 24, 9, 11, 35, 12] + ([9] if has_score else []))]
        if not has_score:
            blocks.append(Para("The plan gives a rating for each risk but no likelihood or impact scores.", "small"))
    sections.append(Section(f"{number}. Risks", blocks))

    about = [
        [k, clip_words(v, 600)]
        for k, v in content.about_rows(view, performance, due_within_days)
        if k not in ("Plan source", "Performance source")
    ]
    sections.append(Section("How these figures were made", [Table(["Item", "Detail"], about, [25, 75])], level=3))

    title = f"{view.plan.title}: briefing pack at {inputs.when}"
    return Document(
        title=title,
        heading="Briefing pack: every table",
        subtitle=[
            p
            for p in (org, view.plan.title, "For the Portfolio Holder and the Quality Improvement Board", f"Position at {inputs.when}")
            if p
        ],
        sections=sections,
        footer=" · ".join(
            p for p in (org, f"Briefing pack at {inputs.when}", "illustrative progress" if view.plan.is_illustrative else "") if p
        ),
        author=org or "children's services improvement dashboard",
        subject="Briefing pack for the Portfolio Holder and the Quality Improvement Board",
        created=inputs.created,
        notice=_status_notice(view, performance),
    )


# ---- the QIB deck ------------------------------------------------------------------------------

DECK_EXCEPTIONS = 20  # one slide each; the rest are counted on the last exception slide
DECK_LIST_ROWS = 4  # rows of a table on one slide, in type a room can read; the rest are in the notes


def slide_table(table: Table, keep: list[int], rows: int = DECK_LIST_ROWS, words: int = 70) -> Table:
    """A table cut for a slide: the columns `keep`, the first `rows` rows, each cell at most `words` characters."""
    return Table(
        [table.header[c] for c in keep],
        [[clip_words(row[c], words) for c in keep] for row in table.rows[:rows]],
        [table.widths[c] for c in keep],
        tuple(i for i, c in enumerate(keep) if c in table.rag_columns),
    )


def exception_card(row) -> list[tuple[str, str]]:
    """The Exceptions page's one-at-a-time card as (label, words): kind, RAG, reason, lead, slip, forecast, commentary."""
    commentary, _ = clip_sentences(content.text(row["commentary"]), 320)
    return [
        ("Kind", content.text(row["kind"])),
        ("RAG", rag_meaning(row["rag"])),
        ("Reason", content.text(row["reason"])),
        ("Lead", _lead(row["lead"])),
        ("Slip", _slip_words(row["slip_days"], content.text(row["kind"]))),
        ("Current forecast", format_date(row["forecast"]) or "none given"),
        ("Latest commentary", commentary or "none given"),
    ]


def _theme_slide(inputs: Inputs, theme_id: str, name: str, tasks: pd.DataFrame) -> Slide:
    from src.charts import rag_by_group

    view = inputs.view
    sub = tasks
    frame = rollup(sub, "milestone_ref")
    theme_roll = rollup(sub, "theme_id").iloc[0]
    rag = "" if content.is_blank(theme_roll["rag"]) else str(theme_roll["rag"])
    counts = ", ".join(f"{int(theme_roll[w])} {w}" for w in RAG_WORDS if int(theme_roll[w]))
    bullets = [f"{sentence(rollup_words(theme_roll))}."]
    slipped = slipped_tasks(view)
    slipped = slipped[slipped["theme_id"].astype(str) == theme_id]
    if len(slipped):
        bullets.append(
            "Slipped or at risk: "
            + "; ".join(f"{task_words(r, 70)} ({r.rag}, {_slip_words(r.slip_days)})" for r in slipped.head(3).itertuples())
            + "."
        )
    else:
        bullets.append("Nothing slipped or at risk.")
    open_ = sub[~sub["status"].astype("object").isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])]
    due = open_.assign(due_at=pd.to_datetime(open_["expected_finish"]).fillna(pd.to_datetime(open_["planned_finish"])))
    due = due[due["due_at"].notna() & (due["due_at"] > view.as_at)].sort_values("due_at", kind="stable")
    if len(due):
        bullets.append("Due next: " + "; ".join(f"{task_words(r, 70)} ({format_date(r.due_at)})" for r in due.head(3).itertuples()) + ".")
    else:
        bullets.append("Due next: no open task has a finish date after this one.")
    chart = rag_by_group(frame, "milestone_ref", "Milestone")
    notes = [
        f"Theme {theme_id}: {name}. {sentence(rollup_words(theme_roll))}; {scope_words(sub)}. "
        f"Worst task RAG {rag_meaning(rag) if rag else 'none (no task counted)'}; tasks of each RAG: {counts}."
    ]
    for r in slipped.itertuples():
        notes.append(
            f"{r.task_id} {content.text(r.task)} (lead: {_lead(r.lead)}): {r.rag}, {r.reason}. Latest update: {content.text(r.commentary) or 'none given'}"
        )
    for r in due.head(6).itertuples():
        notes.append(f"Due {format_date(r.due_at)}: {r.task_id} {content.text(r.task)} (lead: {_lead(r.lead)}).")
    return Slide(
        "content",
        f"Theme {theme_id}: {clip_words(name, 70)}",
        bullets=bullets,
        figure=figure_from_chart(chart, "illustrative" if view.plan.is_illustrative else None),
        notes="\n".join(notes),
        rag=rag or None,
        rag_label="Worst task",
    )


def qib_deck(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS, inputs: Inputs | None = None) -> Deck:
    """The QIB deck: title; summary; one slide per theme; the exceptions one per slide; changes since the
    last meeting; risks and LSCB actions; decisions for the board. Detail in the speaker notes."""
    inputs = inputs or gather(view, performance, due_within_days)
    story = inputs.narrative
    org = inputs.organisation
    slides = [
        Slide(
            "title",
            clip_words(view.plan.title, 120),
            subtitle="\n".join(p for p in (org, f"Quality Improvement Board: position at {inputs.when}") if p),
            notes=_status_notice(view, performance) or "Figures as reported in the plan workbook.",
        )
    ]
    slides.append(
        Slide(
            "summary",
            f"Summary at {inputs.when}",
            bullets=story.headline + story.on_track + story.slipped,
            table=rag_count_table(inputs, short=True),
            notes="\n".join(story.summary_sentences() + ["Questions the board may want to ask:"] + story.questions),
        )
    )
    tasks = view.tasks
    for theme_id, name in content.theme_names(view).items():
        sub = tasks[tasks["theme_id"].astype(str) == theme_id]
        if not sub.empty:
            slides.append(_theme_slide(inputs, theme_id, content.text(name), sub))

    ex = inputs.exceptions.reset_index(drop=True)
    for i, row in ex.head(DECK_EXCEPTIONS).iterrows():
        label = content.text(row["task"]) if row["kind"] == str(ExceptionKind.LSCB_OVERDUE) else task_words(row, 200)
        more = (
            f" ({len(ex) - DECK_EXCEPTIONS} more are in the full pack.)" if i == DECK_EXCEPTIONS - 1 and len(ex) > DECK_EXCEPTIONS else ""
        )
        slides.append(
            Slide(
                "card",
                clip_words(label, 100),
                fields=exception_card(row),
                rag=content.text(row["rag"]) or None,
                subtitle=f"Exception {i + 1} of {len(ex)}.{more}",
                notes=f"{row['task_id']}: {content.text(row['task'])}\nLead: {_lead(row['lead'])}\nLatest commentary: {content.text(row['commentary']) or 'none given'}",
            )
        )
    if ex.empty:
        slides.append(Slide("content", "Exceptions", bullets=["Nothing needs the board's attention at this reporting date."]))

    if inputs.previous is not None:
        full, _ = changes_table(inputs, None)
        rest = len(full.rows) - DECK_LIST_ROWS
        slides.append(
            Slide(
                "content",
                f"Changes since {format_date(inputs.previous.as_at)}",
                bullets=story.changed[:2] + ([f"{plural(rest, 'more change')} in the speaker notes."] if rest > 0 else []),
                table=slide_table(full, [0, 2, 3, 4]) if full.rows else None,
                notes="\n".join(" | ".join(row) for row in full.rows) or "No task changed.",
            )
        )
    else:
        slides.append(Slide("content", "Changes since the last meeting", bullets=story.changed))

    risks = risk_register(view.plan)
    lscb = lscb_status(view.plan, view.as_at)
    overdue = lscb[lscb["timeliness"].astype("object").map(lambda t: str(t).startswith("Overdue"))] if len(lscb) else lscb
    named = [f"{clip_words(r.risk, 80)} ({content.text(r.rating) or 'no rating'})" for r in risks.head(4).itertuples()]
    bullets = [f"{plural(len(risks), 'risk')} in the register: {'; '.join(named)}." if named else "The plan workbook lists no risks."]
    bullets.append(
        f"LSCB actions: {len(lscb)} in all, {len(overdue)} overdue." if len(lscb) else "The plan workbook lists no LSCB actions."
    )
    rows = [
        [clip_words(r.action, 110), _lead(r.lead), r.due or "none given", r.timeliness] for r in overdue.head(DECK_LIST_ROWS).itertuples()
    ]
    notes = [
        f"Risk {content.text(r.risk_id)}: {content.text(r.risk)}; rating {content.text(r.rating)}; mitigation: {lines_text(r.mitigation, 1500)}"
        for r in risks.itertuples()
    ]
    notes += [f"LSCB {content.text(r.action_id)}: {content.text(r.action)} ({r.timeliness}; status {r.status})" for r in lscb.itertuples()]
    slides.append(
        Slide(
            "content",
            "Risks and LSCB actions",
            bullets=bullets,
            table=Table(["Overdue LSCB action", "Lead", "Due", "Timeliness"], rows, [50, 22, 13, 15]) if rows else None,
            notes="\n".join(notes) or "No risks or LSCB actions in the plan workbook.",
        )
    )

    decisions = decisions_table(inputs)
    slides.append(
        Slide(
            "content",
            "Decisions for the board",
            bullets=story.decisions,
            table=slide_table(decisions, [0, 1, 2], words=110) if decisions.rows else None,
            notes="\n".join(" | ".join(r) for r in decisions.rows) + "\nQuestions:\n" + "\n".join(story.questions),
        )
    )
    return Deck(
        title=f"{view.plan.title}: Quality Improvement Board at {inputs.when}",
        slides=slides,
        author=org or "children's services improvement dashboard",
        created=inputs.created,
    )
