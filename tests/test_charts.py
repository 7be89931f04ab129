"""Chart builders (src/charts): headlines, descriptions, accessibility and paging, on real and hand-made input.

Assertions read the figure's JSON (what the browser is sent), not the builders' internals.
"""

import json

import pandas as pd
import pytest

from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import RAG_ORDER
from src.analysis.progress import progress_trend, rag_counts, rollup
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from src.charts import (
    Chart,
    completion_trend,
    contrast_ratio,
    coverage_matrix,
    explore_bar,
    gantt,
    lightness,
    rag_by_group,
    rag_summary,
    slippage_trend,
)
from src.charts.base import DATE_TICK_FORMAT, DATE_TICK_FORMAT_TWO_LINES, truncate
from src.charts.coverage import CELL_COLOURS, cell_symbol, cell_words
from src.charts.palette import BLACK, CATEGORY_COLOURS, RAG_STYLES, WHITE, text_colour_on

RAG_WORDS = [str(r) for r in RAG_ORDER]
T = pd.Timestamp


@pytest.fixture(scope="module")
def view():
    return PlanView.build(read_plan_file(DEFAULT_PLAN), T("2017-03-31"))


def fig_json(chart: Chart) -> dict:
    return json.loads(chart.figure.to_json())


def axis_title(layout: dict, axis: str) -> str:
    return layout.get(axis, {}).get("title", {}).get("text", "")


def assert_titled(chart: Chart, x: str | None = None, y: str | None = None):
    layout = fig_json(chart)["layout"]
    assert layout["title"]["text"] == chart.title and chart.title
    assert layout["font"]["size"] >= 14
    assert layout["plot_bgcolor"].upper() in ("#FFFFFF", "WHITE")
    if x is not None:
        assert axis_title(layout, "xaxis") == x
    if y is not None:
        assert axis_title(layout, "yaxis") == y
    assert chart.description.endswith(".")


def rag_traces(chart: Chart) -> list[dict]:
    return [t for t in fig_json(chart)["data"] if t.get("name") in RAG_WORDS]


def rollup_frame(rows):
    """Hand-made rollup: (group, Red, Amber, Green, Blue, Cancelled)."""
    frame = pd.DataFrame(rows, columns=["theme_id", *RAG_WORDS])
    frame["tasks"] = frame[RAG_WORDS].sum(axis=1)
    return frame


def task_frame(n: int, **overrides) -> pd.DataFrame:
    """n tasks in one theme, two per milestone, each a month long from Jan 2017, all Green."""
    rows = []
    for i in range(n):
        start = T("2017-01-01") + pd.DateOffset(months=i)
        rows.append(
            {
                "task_id": f"P1-M{i // 2 + 1}-T{i % 2 + 1}",
                "task": f"Task number {i + 1}",
                "theme_id": "1",
                "theme": "Capacity",
                "milestone_ref": f"M{i // 2 + 1}",
                "milestone": f"Milestone {i // 2 + 1}",
                "lead": "Lead A",
                "plan_order": i,
                "planned_start": start,
                "planned_finish": start + pd.offsets.MonthEnd(0),
                "expected_finish": start + pd.offsets.MonthEnd(0),
                "started_at_plan": False,
                "status": "In progress",
                "percent_complete": 50.0,
                "rag": "Green",
                "reason": "on track",
                "commentary": "Going well",
            }
        )
    frame = pd.DataFrame(rows)
    for column, value in overrides.items():
        frame[column] = value
    return frame


class TestPalette:
    def test_contrast_ratio_matches_wcag_reference_values(self):
        assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
        assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
        assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey

    @pytest.mark.parametrize("rag", RAG_WORDS)
    def test_text_on_each_rag_colour_is_at_least_4_5_to_1(self, rag):
        style = RAG_STYLES[rag]
        assert contrast_ratio(style.text_colour, style.colour) >= 4.5

    @pytest.mark.parametrize("colour", CATEGORY_COLOURS)
    def test_text_on_each_category_colour_is_at_least_4_5_to_1(self, colour):
        assert contrast_ratio(text_colour_on(colour), colour) >= 4.5

    def test_rag_colours_differ_in_lightness_not_just_hue(self):
        levels = sorted(lightness(s.colour) for s in RAG_STYLES.values())
        assert min(b - a for a, b in zip(levels, levels[1:])) >= 10

    def test_each_rag_has_its_own_pattern(self):
        assert {r: RAG_STYLES[r].pattern for r in RAG_WORDS} == {"Red": "x", "Amber": "/", "Green": "", "Blue": ".", "Cancelled": "-"}

    def test_coverage_cells_keep_black_text_readable(self):
        assert all(contrast_ratio(BLACK, c) >= 4.5 for c in CELL_COLOURS.values())

    def test_text_colour_picks_white_on_dark_and_black_on_light(self):
        assert text_colour_on("#12436D") == WHITE and text_colour_on("#F5A623") == BLACK


class TestRagByGroup:
    def test_hand_made_rollup_gives_headline_counts_and_patterns(self):
        chart = rag_by_group(rollup_frame([("1", 0, 1, 2, 0, 0), ("2", 2, 1, 0, 3, 1), ("3", 1, 0, 0, 0, 0)]), "theme_id")
        assert chart.title == "3 of 10 tasks are Red; Theme 2 has the most Red tasks (2)"
        assert "Theme 2 has 2 Red, 1 Amber, 3 Blue and 1 Cancelled" in chart.description
        assert_titled(chart, x="Number of tasks", y="Theme")
        traces = rag_traces(chart)
        assert [t["name"] for t in traces] == RAG_WORDS  # legend order, RAG words
        assert {t["name"]: t["marker"]["pattern"]["shape"] for t in traces}["Red"] == "x"
        assert fig_json(chart)["layout"]["legend"]["title"]["text"] == "RAG"
        assert list(chart.data.columns[:6]) == ["Theme", *RAG_WORDS]
        assert chart.data["Tasks"].tolist() == [3, 7, 1]

    def test_count_labels_sit_inside_bars_in_a_contrasting_colour(self):
        chart = rag_by_group(rollup_frame([("1", 4, 0, 0, 0, 0)]), "theme_id")
        red = rag_traces(chart)[0]
        assert red["text"] == ["4 Red"] and red["textposition"] == "inside"
        assert contrast_ratio(red["insidetextfont"]["color"], red["marker"]["color"]) >= 4.5

    def test_no_red_headline_names_amber(self):
        chart = rag_by_group(rollup_frame([("1", 0, 0, 2, 0, 0), ("2", 0, 2, 0, 1, 0)]), "theme_id")
        assert chart.title == "No tasks are Red; 2 of 5 are Amber; Theme 2 has the most Amber tasks (2)"

    def test_real_rollup_by_theme_at_31_mar_2017(self, view):
        frame = rollup(view.tasks, "theme_id")
        chart = rag_by_group(frame, "theme_id")
        red = int(frame["Red"].sum())
        in_scope = int(frame[["Red", "Amber", "Green", "Blue"]].to_numpy().sum())
        assert chart.title.startswith(f"{red} of {in_scope} tasks are Red")
        assert chart.data["Tasks"].sum() == len(view.tasks)

    def test_empty_rollup_does_not_raise(self):
        chart = rag_by_group(rollup_frame([]), "theme_id")
        assert "No tasks" in chart.title and chart.data.empty


class TestExploreBar:
    def test_plain_measure_names_the_highest(self):
        frame = pd.DataFrame({"Lead": ["A", "B", "C"], "slipped": [1, 4, 2]})
        chart = explore_bar(frame, "Lead", "Tasks slipped", "slipped")
        assert chart.title == "Lead B has the highest tasks slipped (4)"
        assert "Lead A 1; Lead B 4; Lead C 2" in chart.description
        assert_titled(chart, x="Tasks slipped", y="Lead")
        assert chart.data.columns.tolist() == ["Lead", "Tasks slipped"]

    def test_rag_mix_draws_rag_stacks(self):
        frame = rollup_frame([("x", 1, 0, 1, 0, 0)]).rename(columns={"theme_id": "Lead"})
        chart = explore_bar(frame, "Lead", "Number of tasks", "tasks", rag_mix=True)
        assert [t["name"] for t in rag_traces(chart)] == ["Red", "Green"]
        assert chart.title == "1 of 2 tasks is Red"

    def test_empty_does_not_raise(self):
        assert explore_bar(pd.DataFrame(), "Lead", "Tasks", "tasks").data.empty


class TestRagSummary:
    def test_words_and_counts(self, view):
        chart = rag_summary({"Red": 2, "Amber": 5, "Green": 9, "Blue": 17, "Cancelled": 1})
        assert chart.title == "2 of 33 tasks are Red"
        assert "2 Red (off track), 5 Amber (at risk), 9 Green (on track) and 17 Blue (complete)" in chart.description
        assert "1 more cancelled" in chart.description
        assert [t["name"] for t in rag_traces(chart)] == RAG_WORDS
        assert chart.data["Number of tasks"].tolist() == [2, 5, 9, 17, 1]
        assert rag_summary(rag_counts(view.tasks)).data["Number of tasks"].sum() == len(view.tasks)

    def test_empty_does_not_raise(self):
        assert "No tasks" in rag_summary({}).title


def trend(rows):
    """(as_at, completion_rate, planned_rate, complete, in_scope, slipped, median, total)."""
    return pd.DataFrame(
        rows, columns=["as_at", "completion_rate", "planned_rate", "complete", "in_scope", "slipped", "median_slip_days", "total_slip_days"]
    )


HAND_TREND = trend(
    [
        (T("2017-01-31"), 0.25, 0.5, 1, 4, 1, 10.0, 10),
        (T("2017-02-28"), 0.5, 0.75, 2, 4, 2, 15.0, 30),
    ]
)


class TestCompletionTrend:
    def test_hand_made_trend_description_and_lines(self):
        chart = completion_trend(HAND_TREND)
        assert chart.title == "50% of tasks complete at 28 Feb 2017 against 75% planned: 25 percentage points behind plan"
        assert chart.description == (
            "Line chart of planned and actual completion at 2 reporting dates from 31 Jan 2017 to "
            "28 Feb 2017. At 28 Feb 2017, 50% of tasks were complete (2 of 4 tasks not cancelled) "
            "against 75% planned."
        )
        assert_titled(chart, x="Reporting date", y="Percent of tasks complete")
        data = fig_json(chart)["data"]
        assert {t["line"]["dash"] for t in data} == {"dash", "solid"}  # not colour alone
        assert {t["marker"]["symbol"] for t in data} == {"diamond", "circle"}
        assert fig_json(chart)["layout"]["xaxis"]["tickformat"] == DATE_TICK_FORMAT
        assert chart.data["Tasks complete (%)"].tolist() == [25.0, 50.0]

    def test_real_trend_to_31_dec_2017(self):
        plan = read_plan_file(DEFAULT_PLAN)
        frame = progress_trend(plan, T("2017-12-31"))
        chart = completion_trend(frame)
        last = frame.iloc[-1]
        assert f"at {len(frame)} reporting dates from 30 Sep 2016 to 31 Dec 2017" in chart.description
        assert f"{round(last['completion_rate'] * 100)}% of tasks were complete" in chart.description

    def test_empty_does_not_raise(self):
        assert completion_trend(trend([])).data.empty


class TestSlippageTrend:
    def test_bars_and_median_line_on_second_axis(self):
        chart = slippage_trend(HAND_TREND)
        assert chart.title == "2 tasks had slipped at 28 Feb 2017, by a median of 15 days (up from 1 at 31 Jan 2017)"
        assert "2 tasks had slipped, by a median of 15 days, 30 days in total" in chart.description
        assert_titled(chart, x="Reporting date", y="Number of tasks slipped")
        layout = fig_json(chart)["layout"]
        assert layout["yaxis2"]["title"]["text"] == "Median slip (days)"
        assert [t["type"] for t in fig_json(chart)["data"]] == ["bar", "scatter"]

    def test_no_slip(self):
        chart = slippage_trend(trend([(T("2017-01-31"), 0.0, 0.0, 0, 2, 0, None, 0)]))
        assert chart.title == "No tasks had slipped at 31 Jan 2017"

    def test_empty_does_not_raise(self):
        assert slippage_trend(pd.DataFrame()).data.empty


class TestGantt:
    def test_real_plan_has_rag_traces_reporting_line_and_hover(self, view):
        chart = gantt(view.tasks, view.as_at)
        # No axis titles drawn (issue 14): the rows are task names and the ticks dates; at 390 px "Task" sat on the names.
        assert_titled(chart, x="", y="")
        figure = fig_json(chart)
        names = [t["name"] for t in figure["data"]]
        assert set(names) >= {"Red", "Amber", "Green", "Blue", "Cancelled"}
        for trace in rag_traces(chart):
            assert trace["marker"]["pattern"]["shape"] == RAG_STYLES[trace["name"]].pattern
        assert any(s["type"] == "line" and str(s["x0"]).startswith("2017-03-31") for s in figure["layout"]["shapes"])
        assert any(a["text"] == "Reporting date 31 Mar 2017" for a in figure["layout"]["annotations"])
        assert figure["layout"]["xaxis"]["tickformat"] == DATE_TICK_FORMAT_TWO_LINES
        red = next(t for t in figure["data"] if t["name"] == "Red")
        assert "RAG: Red" in red["customdata"][0] and "Planned finish:" in red["customdata"][0]
        assert any(t["marker"].get("symbol") == "diamond" for t in figure["data"] if t["type"] == "scatter")
        assert len(chart.data) == len(view.tasks)

    def test_labels_are_task_id_and_truncated_text(self):
        frame = task_frame(1)
        frame["task"] = "Assess requirement for additional resources and put in place an improvement programme for all staff"
        chart = gantt(frame, T("2017-06-30"))
        label = fig_json(chart)["layout"]["yaxis"]["categoryarray"][0]
        # wrapped onto at most three lines, and only then cut (issue 14: wrapped, not cut at a fixed length)
        assert label.replace("<br>", " ").startswith("P1-M1-T1 Assess requirement for") and label.endswith("…")
        assert label.count("<br>") <= 2 and all(len(line) <= 19 for line in label.split("<br>"))

    def test_started_before_plan_begins_at_plan_start(self):
        frame = task_frame(2)
        frame.loc[0, "planned_start"] = pd.NaT
        frame.loc[0, "started_at_plan"] = True
        chart = gantt(frame, T("2017-06-30"), plan_start=T("2016-09-08"))
        row = chart.data.iloc[0]
        assert row["On chart"].startswith("drawn: started before plan")
        assert row["Bar start"] == T("2016-09-08")
        green = next(t for t in fig_json(chart)["data"] if t["name"] == "Green")
        assert green["base"][0].startswith("2016-09-08")

    def test_task_with_no_dates_is_listed_not_drawn(self):
        frame = task_frame(3)
        for column in ("planned_start", "planned_finish", "expected_finish"):
            frame.loc[1, column] = pd.NaT
        chart = gantt(frame, T("2017-06-30"))
        assert chart.data.set_index("Task").loc["P1-M1-T2", "On chart"] == "not drawn: no date"
        drawn = fig_json(chart)["layout"]["yaxis"]["categoryarray"]
        assert len(drawn) == 2 and not any(label.startswith("P1-M1-T2") for label in drawn)
        assert "1 task is not drawn" in chart.description and "P1-M1-T2" in chart.description

    def test_paging_offset_2_max_rows_2_draws_rows_3_and_4(self):
        chart = gantt(task_frame(5), T("2017-03-31"), offset=2, max_rows=2)
        labels = fig_json(chart)["layout"]["yaxis"]["categoryarray"]
        assert [label.replace("<br>", " ") for label in labels] == ["P1-M2-T1 Task number 3", "P1-M2-T2 Task number 4"]
        assert "(rows 3 to 4 of 5 shown)" in chart.title
        assert "Rows 3 to 4 of 5 are drawn; 3 tasks are on other pages." in chart.description
        assert chart.data["Chart row"].tolist() == [1, 2, 3, 4, 5]

    def test_height_grows_with_rows(self):
        small = fig_json(gantt(task_frame(2), T("2017-03-31")))["layout"]["height"]
        big = fig_json(gantt(task_frame(40), T("2017-03-31")))["layout"]["height"]
        assert small >= 300 and big >= 40 * 28

    def test_500_rows_build_with_few_traces(self):
        frame = pd.concat([task_frame(2)] * 250, ignore_index=True)
        frame["task_id"] = [f"P1-M{i // 5}-T{i}" for i in range(500)]
        frame["milestone_ref"] = [f"M{i // 5}" for i in range(500)]
        frame["plan_order"] = range(500)
        frame["rag"] = [RAG_WORDS[i % 5] for i in range(500)]
        chart = gantt(frame, T("2017-03-31"), max_rows=500)
        assert len(chart.figure.data) <= 12
        assert len(fig_json(chart)["layout"]["yaxis"]["categoryarray"]) == 500

    @pytest.mark.parametrize("level,expected", [("milestone", 17), ("theme", 4)])
    def test_levels_give_one_bar_per_group(self, view, level, expected):
        chart = gantt(view.tasks, view.as_at, level=level)
        assert len(fig_json(chart)["layout"]["yaxis"]["categoryarray"]) == expected
        assert chart.data["Worst task RAG"].isin(RAG_WORDS).all()
        assert {t["name"] for t in rag_traces(chart)} <= set(RAG_WORDS)

    def test_theme_level_rolls_up_worst_rag(self):
        frame = task_frame(2)
        frame.loc[1, "rag"] = "Red"
        chart = gantt(frame, T("2017-03-31"), level="theme")
        assert chart.data["Worst task RAG"].tolist() == ["Red"]
        assert chart.data["RAG counts"].tolist() == ["1 Red and 1 Green"]

    def test_empty_does_not_raise(self, view):
        assert gantt(view.tasks.iloc[0:0], view.as_at).data.empty
        assert gantt(task_frame(2), T("2017-03-31"), offset=10).title.startswith("Timeline:")


class TestCoverageMatrix:
    def test_cell_words(self):
        assert cell_words(True, 3) == "Named here, 3 tasks"
        assert cell_words(True, 0) == "Named here, no task"
        assert cell_words(False, 1) == "Not named here, 1 task"
        assert cell_words(False, 0) == ""
        assert [cell_symbol(True, 3), cell_symbol(True, 0), cell_symbol(False, 1), cell_symbol(False, 0)] == [
            "\u2713 3",
            "\u2717 0",
            "+ 1",
            "",
        ]

    def test_hand_made_coverage(self):
        coverage = pd.DataFrame(
            {
                "rec_id": ["1", "2", "3"],
                "recommendation": ["Caseloads are manageable", "Leaders know", "Records are coherent"],
                "themes": [("1",), ("2",), ()],
                "tasks": [("T1", "T2"), (), ("T3",)],
                "findings": [[], ["No task"], []],
            }
        )
        themes = pd.DataFrame({"theme_id": ["1", "2"], "theme": ["Capacity", "Oversight"]})
        tasks = pd.DataFrame({"task_id": ["T1", "T2", "T3"], "theme_id": ["1", "1", "2"]})
        chart = coverage_matrix(coverage, themes, tasks)
        heat = fig_json(chart)["data"][0]
        # a symbol and the number of tasks a cell, each row's name in a band above it (issue 14: narrow columns on a phone)
        assert heat["text"] == [["", ""], ["\u2713 2", ""], ["", ""], ["", "\u2717 0"], ["", ""], ["", "+ 1"]]
        assert heat["z"][0] == [None, None] and heat["z"][1] == [1, 0]
        names = [a["text"] for a in fig_json(chart)["layout"]["annotations"]]
        assert "1 Caseloads are manageable" in names and any("\u2713 named here" in n for n in names)
        assert fig_json(chart)["layout"]["yaxis"]["showticklabels"] is False
        assert chart.title == "1 of 3 recommendations has no task; 1 more has themes and tasks that do not match"
        assert "No task addresses recommendation 2." in chart.description
        assert "recommendation 3 is addressed by 1 task in theme 2 but not named under it in the plan" in chart.description
        assert_titled(chart, x="Theme", y="Recommendation")
        assert chart.data["Theme 1: Capacity"].tolist() == ["Named here, 2 tasks", "", ""]

    def test_real_coverage(self, view):
        chart = coverage_matrix(view.coverage, view.plan.themes, view.tasks)
        assert len(chart.data) == 14
        assert chart.title.startswith("2 of 14 recommendations have no task")

    def test_empty_does_not_raise(self):
        assert coverage_matrix(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()).data.empty


def test_truncate_cuts_at_a_word_and_adds_ellipsis():
    assert truncate("one two three four", 12) == "one two…"
    assert truncate("short", 12) == "short"


def test_charts_never_import_streamlit():
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1] / "src" / "charts"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "streamlit" for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "streamlit", path


def font_sizes(node) -> list[float]:
    """Every font size set anywhere in a figure's JSON."""
    sizes = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "textfont", "insidetextfont", "outsidetextfont", "tickfont") and isinstance(value, dict) and "size" in value:
                sizes.append(value["size"])
            sizes.extend(font_sizes(value))
    elif isinstance(node, list):
        for item in node:
            sizes.extend(font_sizes(item))
    return sizes


def test_no_text_smaller_than_14px(view):
    charts = [
        rag_by_group(rollup(view.tasks, "theme"), "theme"),
        rag_summary(rag_counts(view.tasks)),
        completion_trend(progress_trend(view.plan, view.as_at)),
        slippage_trend(progress_trend(view.plan, view.as_at)),
        gantt(view.tasks, view.as_at),
        coverage_matrix(view.coverage, view.plan.themes, view.tasks),
    ]
    for chart in charts:
        sizes = font_sizes(fig_json(chart))
        assert sizes and min(sizes) >= 14, chart.title


class TestSmallScreens:
    """Issue 14: the layout rules every chart shares (docs/charts-on-small-screens.md)."""

    def test_an_all_blank_result_says_nothing_to_show_with_no_axes(self):
        import plotly.graph_objects as go

        from src.charts.base import NOTHING_TO_SHOW, apply_layout

        fig = go.Figure(go.Bar(x=[float("nan"), None], y=["a", "b"], orientation="h"))
        apply_layout(fig, "t", "Tasks slipped", "Lead")
        assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
        assert [a.text for a in fig.layout.annotations] == [NOTHING_TO_SHOW]
        assert explore_bar(pd.DataFrame({"Lead": ["A"], "v": [None]}), "Lead", "Tasks slipped", "v").figure.layout.xaxis.visible is False

    def test_whole_number_bars_tick_in_whole_numbers_whatever_the_axis_title(self):
        chart = explore_bar(pd.DataFrame({"Lead": ["A", "B"], "v": [3, 18]}), "Lead", "Tasks slipped", "v")
        assert (chart.figure.layout.xaxis.tickformat, chart.figure.layout.xaxis.dtick) == (",d", 5)

    def test_names_are_wrapped_not_cut(self):
        from src.charts.base import category_label

        name = "2. Strengthening political and management oversight"
        label = category_label(name)
        assert label.replace("<br>", " ") == name and all(len(line) <= 26 for line in label.split("<br>"))
        long = category_label("word " * 40, 10, 3)
        assert long.count("<br>") == 2 and long.endswith("…")

    def test_at_most_three_reporting_dates_labelled_latest_kept_on_two_lines(self):
        import plotly.graph_objects as go

        from src.charts.base import reporting_date_ticks

        fig = go.Figure()
        dates = pd.date_range("2016-09-30", periods=16, freq="ME")
        reporting_date_ticks(fig, dates)
        assert len(fig.layout.xaxis.tickvals) == 3 and fig.layout.xaxis.ticktext[-1] == "31 Dec<br>2017"

    def test_legend_lies_flat_above_the_plot(self, view):
        legend = rag_by_group(rollup(view.tasks, "theme"), "theme").figure.layout.legend
        assert (legend.orientation, legend.yanchor) == ("h", "bottom") and legend.y > 1

    def test_caseload_teams_above_threshold_in_colour_the_rest_grey(self):
        from src.charts.performance import BACKGROUND_LINE, caseload_trend

        summary = pd.DataFrame(
            {
                "period": [T("2017-02-28")] * 3 + [T("2017-03-31")] * 3,
                "team": ["A", "B", "C"] * 2,
                "average_caseload": [25.0, 18.0, 19.0, 22.0, 21.0, 15.0],
                "workers": [5] * 6,
                "fte": [5.0] * 6,
                "cases": [100] * 6,
            }
        )
        chart = caseload_trend(summary, 20.0)
        by_name = {t.name: t for t in chart.figure.data}
        assert by_name["A"].line.color != BACKGROUND_LINE and by_name["B"].line.color != BACKGROUND_LINE  # above 20 at 31 Mar
        assert by_name["C"].line.color == BACKGROUND_LINE and by_name["C"].showlegend is False
        assert "1 team at or below 20 (grey)" in by_name
        # grey drawn first, the teams in colour on top of it, the grey legend entry last (plotly draws in trace order)
        assert [t.name for t in chart.figure.data] == ["C", "A", "B", "1 team at or below 20 (grey)"]
        assert chart.title == "2 of 3 teams averaged above 20 cases per FTE at 31 Mar 2017"
        assert "In colour: the 2 teams above the threshold at 31 Mar 2017 (A, B); the other 1 in grey." in chart.description


def test_kpi_grid_cells_fit_a_phone_column():
    """Issue 14: 'Amber 436.8' ran into the next cell in a 37 px column; a cell is now the RAG's letter over a short value."""
    from src.charts.performance import _cell_text

    assert _cell_text(436.8, "rate_per_10k", None) == "437"
    assert _cell_text(18.5, "percent", "Amber") == "A<br>18.5"
    assert _cell_text(1738.0, "count", "Red") == "R<br>1,738"
    assert _cell_text(None, "count", "Red") == ""


def test_every_council_chart_keeps_its_bars_across_the_width():
    """Issue 14: a centred label on a bar near the left edge made plotly widen the x range (the left 40% empty at 320 px)."""
    from src.charts.published import all_councils_chart

    table = pd.DataFrame(
        {
            "area_code": ["1", "2", "3", "4"],
            "area_name": ["A", "County Durham", "C", "D"],
            "region_name": ["R"] * 4,
            "value": [600.0, 408.6, 300.0, 200.0],
            "reason": [None] * 4,
            "rank": [4, 3, 2, 1],
            "of": [4] * 4,
            "quartile": ["D", "C", "B", "A"],
            "chosen": [False, True, False, False],
            "neighbour": [False] * 4,
        }
    )
    fig = all_councils_chart(
        table, {"name": "Children in need", "unit": "rate_per_10k", "polarity": "context"}, "County Durham", "2017"
    ).figure
    assert list(fig.layout.xaxis.range) == [-0.5, 3.5] and fig.layout.xaxis.autorange is False
    (label,) = [a for a in fig.layout.annotations if "Durham" in a.text]
    assert label.xanchor == "left" and label.text == "County Durham:<br>408.6 per 10,000"


def test_two_timeline_date_labels_lie_at_the_ends():
    """Issue 14: 1 Apr 2016 and 1 Apr 2017 ran together on the timeline's narrow date strip at 320 px."""
    import plotly.graph_objects as go

    from src.charts.base import month_ticks

    fig = go.Figure()
    month_ticks(fig, T("2016-04-01"), T("2018-03-31"), max_labels=2)
    assert fig.layout.xaxis.ticktext == ("1 Apr<br>2016", "1 Jan<br>2018")
