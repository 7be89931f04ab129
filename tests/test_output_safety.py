"""Issue 10, the output half: workbook text is shown as text (pages and charts), downloads never hold a
live formula, a KPI without polarity is a finding (not a crash), the CLI never harms its input and
escapes control characters, tracebacks stay on the server, bad paths and dates are clear messages."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from src import charts, cli
from src.analysis.performance_summary import kpi_values_known_at, latest_kpis_at, performance_summary
from src.analysis.performance_workbook import load_performance
from src.analysis.scorecard_words import scorecard
from src.analysis.textsafe import clean_label, terminal_text
from src.charts.base import Chart, plot_text
from src.output_files import OutputError, check_output_path, write_atomically
from src.ui.safe import WORD_JOINER, md, md_frame, plain
from src.ui.tables import csv_bytes
from src.xlsx import build_workbook, looks_like_formula, workbook_bytes
from tests.apptest_helpers import use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.builders import plan_bytes, task, update
from tests.hostile_text import (
    ATTACKS,
    FILE_NAME,
    MARK,
    hostile_performance_bytes,
    hostile_plan_bytes,
    markdown_problems,
    plotly_problems,
    strings,
)

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(str(p) for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 30


# ---- the Streamlit escaper ----------------------------------------------------------------------


class TestMarkdownEscaper:
    @pytest.mark.parametrize("text", ATTACKS)
    def test_every_attack_renders_as_inert_text(self, text):
        assert markdown_problems(text), "the check must see the raw attack"  # the check can fail
        assert markdown_problems(md(text)) == []

    @pytest.mark.parametrize("text", [a for a in ATTACKS if "\n" not in a and "\u202e" not in a])
    def test_the_reader_sees_the_words_as_written(self, text):
        from html import unescape

        from markdown_it import MarkdownIt

        shown = MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(md(text))
        assert unescape(shown.removeprefix("<p>").removesuffix("</p>\n")).replace(WORD_JOINER, "") == text

    @pytest.mark.parametrize(
        "text",
        ["improvement_plan.xlsx (Durham County Council), embedded", "Data status: illustrative", "Head of Service (Children & Families)"],
    )
    def test_ordinary_text_is_unchanged(self, text):
        assert md(text) == text

    def test_one_line_no_bidi_no_controls(self):
        assert md("# a\n\n# b\u202e\x1b[2J") == "\\# a # b\\[2J"  # one line: only its start can be a heading
        assert plain("\u202eLead\u202c\x07") == "Lead"

    def test_streamlit_extras_are_broken(self):
        assert md(":red[x]") == "\\:red\\[x\\]"
        assert md("$x$") == "\\$x\\$"
        assert md(":smile:") == "\\:" + WORD_JOINER + "smile:"
        assert md(":material/home:").startswith("\\:" + WORD_JOINER)  # Streamlit rewrites ':material/' before parsing

    def test_table_cells_and_headers(self):
        table = md_frame(pd.DataFrame({"[h](http://x)": ["# x", 1]}))
        assert list(table.columns) == ["\\[h\\](http\\:" + WORD_JOINER + "//x)"] and table.iloc[0, 0] == "\\# x" and table.iloc[1, 0] == 1


# ---- every page, with a hostile plan and performance workbook ----------------------------------


def _bodies(at: AppTest) -> list[tuple[str, str]]:
    """(where, Markdown source) for everything a page renders as Markdown."""
    found = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success"):
        found += [(kind, str(e.value)) for e in at.get(kind)]
    for m in at.metric:
        found += [("metric label", m.label), ("metric value", str(m.value)), ("metric help", m.proto.help)]
    found += [("tab label", t.label) for t in at.tabs]
    found += [("expander label", e.label) for e in at.expander]
    for table in at.table:
        frame = table.value
        found += [("table header", str(c)) for c in frame.columns]
        found += [("table cell", v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return found


def _hostile_run(page: str, plan: bytes, performance: bytes) -> AppTest:
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.session_state["pending_upload_plan"] = (FILE_NAME, plan)
    at.session_state["pending_upload_performance"] = ("perf " + FILE_NAME, performance)
    return at.run()


@pytest.fixture(scope="module")
def hostile():
    return hostile_plan_bytes(), hostile_performance_bytes()


class TestEveryPageShowsWorkbookTextAsText:
    @pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
    def test_no_link_image_heading_or_markup_from_the_workbook(self, page, hostile):
        at = _hostile_run(page, *hostile)
        assert not at.exception, [e.value for e in at.exception]
        assert any("Loaded" in s.value for s in at.success), "the hostile workbooks must be in use"
        bodies = _bodies(at)
        from_workbook = [(where, body) for where, body in bodies if MARK.replace(".", "") in body.replace("\\", "").replace(".", "")]
        assert from_workbook, "the page must show some workbook text (or the test shows nothing)"
        bad = [(where, body, markdown_problems(body)) for where, body in from_workbook if markdown_problems(body)]
        assert bad == []
        # Plain-text places: options without bidi overrides.
        for widget in list(at.selectbox) + list(at.multiselect):
            assert not any("\u202e" in str(o) for o in widget.options)
        # Charts: no live plotly markup from workbook text anywhere in the figure.
        for chart in at.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            assert [(s, plotly_problems(s)) for s in strings(spec) if plotly_problems(s)] == []


class TestChartsEscapeWorkbookText:
    def test_plot_text(self):
        assert plot_text('<a href="x">R&D</a>\u202e') == '&lt;a href="x"&gt;R&amp;D&lt;/a&gt;'

    def test_safety_net_in_every_chart(self):
        fig = go.Figure(go.Bar(x=[1], y=["<img src=x> \u202eok"], hovertemplate="%{y}<br><b>n</b><extra></extra>"))
        fig.add_annotation(text='<span style="color:red">x</span>', x=1, y=1)
        fig.update_layout(title="<a href='http://evil.example'>t</a>")
        chart = Chart(fig, "t", "d", pd.DataFrame())
        texts = list(strings(chart.figure.to_plotly_json()))
        assert [t for t in texts if plotly_problems(t)] == []
        assert chart.figure.data[0].hovertemplate == "%{y}<br><b>n</b><extra></extra>"  # the builder's own markup stays

    def test_explore_bar_and_gantt_labels(self):
        tasks = pd.DataFrame({"group": ATTACKS[:3], "tasks": [1, 2, 3]})
        chart = charts.explore_bar(tasks, "Lead", "Tasks", "tasks")
        labels = list(chart.figure.data[0].y)
        assert any("&lt;img" in label for label in labels) and not any("\u202e" in label for label in labels)
        assert list(chart.data["Lead"]) == ATTACKS[:3]  # the table behind the chart keeps the text as written

    def test_kpi_chart_area_and_name(self):
        row = {"kpi_id": "K1", "kpi": ATTACKS[1], "unit": "percent", "target": None, "rag": None}
        values = pd.DataFrame({"period": pd.to_datetime(["2017-03-31", "2017-06-30"]), "value": [1.0, 2.0]})
        chart = charts.kpi_chart(row, values, area=f"<a href='http://{MARK}'>Evil</a>")
        texts = list(strings(chart.figure.to_plotly_json()))
        assert [t for t in texts if plotly_problems(t)] == []
        assert chart.figure.data[0].name == f"&lt;a href='http://{MARK}'&gt;Evil&lt;/a&gt;"


# ---- downloads: no live formula -----------------------------------------------------------------

TRIGGERS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example","x")']


class TestFormulaInjection:
    @pytest.mark.parametrize("text", TRIGGERS)
    def test_looks_like_formula(self, text):
        assert looks_like_formula(text)

    def test_csv_cells_and_headers_are_quoted(self):
        frame = pd.DataFrame({"=org": TRIGGERS, "n": range(len(TRIGGERS))})
        rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline="")))
        assert rows[0] == ["'=org", "n"]
        assert [row[0] for row in rows[1:]] == ["'" + t for t in TRIGGERS]

    def test_scorecard_chart_csv_header_from_the_organisation(self):
        values = pd.DataFrame({"period": pd.to_datetime(["2017-03-31"]), "value": [1.0]})
        chart = charts.kpi_chart({"kpi_id": "K1", "kpi": "K"}, values, area='=HYPERLINK("http://evil.example")')
        header = next(csv.reader(io.StringIO(csv_bytes(chart.data).decode("utf-8-sig"))))
        assert header == ["Period", '\'=HYPERLINK("http://evil.example")']

    def test_excel_title_rows_headers_and_cells_are_text(self):
        title = '=HYPERLINK("http://evil.example","Plan")'
        data = workbook_bytes(build_workbook({"Tasks": pd.DataFrame({"=h": TRIGGERS, "n": 1})}, title_rows={"Tasks": [title]}))
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet
        ws = load_workbook(io.BytesIO(data))["Tasks"]
        assert ws["A1"].value == title and ws["A1"].data_type == "s"
        assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if isinstance(c.value, str))

    def test_the_cli_export_of_a_hostile_plan_has_no_formula(self, tmp_path, hostile):
        plan, performance = tmp_path / "plan.xlsx", tmp_path / "perf.xlsx"
        plan.write_bytes(hostile[0])
        performance.write_bytes(hostile[1])
        out = tmp_path / "out.xlsx"
        assert cli.main(["export", "--plan", str(plan), "--performance", str(performance), "--out", str(out)]) == 0
        with zipfile.ZipFile(out) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
        book = load_workbook(out)
        assert any(c.value.startswith("=HYPERLINK") for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str))


# ---- KPIs with missing optional values ------------------------------------------------------------


def _performance(kpis: pd.DataFrame) -> bytes:
    values = pd.DataFrame(
        {"kpi_id": ["K1", "K1", "K2"], "period": pd.to_datetime(["2017-03-31", "2017-06-30", "2017-06-30"]), "value": [10.0, 12.0, 5.0]}
    )
    about = pd.DataFrame({"key": ["organisation"], "value": ["Test council"]})
    return workbook_bytes(build_workbook({"About": about, "KPIs": kpis, "KPI_Values": values}))


ID_AND_NAME = pd.DataFrame({"kpi_id": ["K1", "K2"], "kpi": ["One", "Two"]})
BLANK_POLARITY = pd.DataFrame(
    {"kpi_id": ["K1", "K2"], "kpi": ["One", "Two"], "unit": ["percent", None], "polarity": [None, None], "target": [11.0, None]}
)


class TestKpiWithoutPolarity:
    @pytest.mark.parametrize("kpis", [ID_AND_NAME, BLANK_POLARITY], ids=["id and name only", "blank polarity"])
    def test_summary_and_scorecard_work_and_say_why(self, kpis):
        perf = load_performance(_performance(kpis), "perf.xlsx")
        as_at = pd.Timestamp("2017-06-30")
        records = performance_summary(perf, as_at)["kpis"]
        assert [r["rag"] for r in records] == [None, None]
        table = scorecard(latest_kpis_at(perf, as_at), kpi_values_known_at(perf, as_at))
        assert list(table["Latest value"])[1] == "5"
        assert any(f.column == "polarity" and "K1" in f.message for f in perf.findings)
        assert any(f.column == "polarity" and "K2" in f.message for f in perf.findings)

    def test_a_target_without_polarity_says_so(self):
        perf = load_performance(_performance(BLANK_POLARITY), "perf.xlsx")
        as_at = pd.Timestamp("2017-06-30")
        table = scorecard(latest_kpis_at(perf, as_at), kpi_values_known_at(perf, as_at))
        assert list(table["RAG"]) == ["no polarity, no RAG", "no target, no RAG"]

    @pytest.mark.parametrize("page", ["1_overview.py", "8_scorecard.py", "12_briefing.py", "9_exceptions.py"])
    def test_pages_show_no_traceback(self, page):
        at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT)
        at.session_state["pending_upload_performance"] = ("perf.xlsx", _performance(ID_AND_NAME))
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("Loaded perf.xlsx" in s.value for s in at.success)


# ---- the CLI: outputs never harm an input; clear messages ----------------------------------------


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "P.xlsx"
    path.write_bytes(plan_bytes([task("1-1", "2017-01-01", "2017-03-31")], [update("1-1", "2017-03-31", "In progress")]))
    return path


class TestCliOutputs:
    def test_refuses_to_overwrite_the_plan(self, plan_file, capsys):
        before = plan_file.read_bytes()
        code, _, err = run(["export", "--plan", str(plan_file), "--out", str(plan_file)], capsys)
        assert code == 2 and "input" in err and plan_file.read_bytes() == before

    def test_refuses_a_link_to_the_plan(self, plan_file, tmp_path, capsys):
        (tmp_path / "link.xlsx").symlink_to(plan_file)
        os.link(plan_file, tmp_path / "hard.xlsx")
        for other in ("link.xlsx", "hard.xlsx"):
            code, _, err = run(["export", "--plan", str(plan_file), "--out", str(tmp_path / other)], capsys)
            assert code == 2 and "input" in err
        relative = os.path.relpath(plan_file)
        assert run(["export", "--plan", relative, "--out", str(plan_file)], capsys)[0] == 2

    def test_refuses_to_overwrite_the_embedded_workbooks(self, capsys):
        from src.analysis.workbook_paths import DEFAULT_PLAN

        before = DEFAULT_PLAN.stat().st_mtime_ns
        code, _, err = run(["export", "--out", str(DEFAULT_PLAN)], capsys)
        assert code == 2 and "input" in err and DEFAULT_PLAN.stat().st_mtime_ns == before

    def test_a_directory_or_a_missing_folder(self, plan_file, tmp_path, capsys):
        folder = tmp_path / "out.xlsx"
        folder.mkdir()
        code, _, err = run(["export", "--plan", str(plan_file), "--out", str(folder)], capsys)
        assert code == 2 and "is a directory" in err
        code, _, err = run(["export", "--plan", str(plan_file), "--out", str(tmp_path / "nowhere" / "x.xlsx")], capsys)
        assert code == 2 and "does not exist" in err

    def test_a_full_disk_leaves_the_old_file_and_no_half_file(self, plan_file, tmp_path, capsys, monkeypatch):
        out = tmp_path / "out.xlsx"
        out.write_bytes(b"the previous export")

        def full(*_args):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        code, _, err = run(["export", "--plan", str(plan_file), "--out", str(out)], capsys)
        assert code == 2 and "the disk is full" in err and "Traceback" not in err
        assert out.read_bytes() == b"the previous export"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["P.xlsx", "out.xlsx"]  # no temporary file left

    def test_permission_denied(self, tmp_path, monkeypatch):
        monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
        with pytest.raises(OutputError, match="permission denied"):
            check_output_path(tmp_path / "x.xlsx")

    def test_writes_atomically_with_ordinary_permissions(self, tmp_path):
        out = tmp_path / "x.bin"
        write_atomically(out, b"data")
        assert out.read_bytes() == b"data" and oct(out.stat().st_mode & 0o777) != oct(0o600)
        assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]

    def test_a_successful_export_still_works(self, plan_file, tmp_path, capsys):
        code, out, _ = run(["export", "--plan", str(plan_file), "--out", str(tmp_path / "o.xlsx")], capsys)
        assert code == 0 and "written" in out and (tmp_path / "o.xlsx").stat().st_size > 0


class TestCliInputsAndDates:
    def test_path_problems_say_what_is_wrong(self, tmp_path, capsys):
        fifo = tmp_path / "pipe.xlsx"
        os.mkfifo(fifo)
        (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
        cases = {str(tmp_path): "is a directory", str(fifo): "not a regular file", str(tmp_path / "none.xlsx"): "no such file"}
        cases[str(tmp_path / "dangling.xlsx")] = "link to a file that does not exist"
        for path, words in cases.items():
            code, _, err = run(["summary", "--plan", path], capsys)
            assert code == 2 and words in err, err

    @pytest.mark.parametrize("as_at", ["1500-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
    def test_dates_far_outside_any_plan_are_refused(self, as_at, capsys):
        code, _, err = run(["summary", "--as-at", as_at], capsys)
        assert code == 2 and "between 1990 and 2100" in err

    def test_the_edges_are_accepted(self, capsys):
        assert run(["summary", "--as-at", "1990-01-01", "--json"], capsys)[0] == 0
        assert run(["summary", "--as-at", "2100-12-31", "--json"], capsys)[0] == 0


CONTROL_LEAD = "Lead \x1b[2J\x1b]52;c;ZXZpbA==\x07 \x9b31m\u202eredaeL"


def _xlsx_escaped(text: str) -> str:
    """Control characters as the workbook XML carries them (_x001B_): openpyxl refuses them raw."""
    return "".join(f"_x{ord(c):04X}_" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in text)


class TestTerminalReport:
    def test_controls_are_escaped_in_the_text_report(self, tmp_path, capsys):
        path = tmp_path / "c.xlsx"
        tasks = [task("1-1", "2017-01-01", "2017-02-01", lead=_xlsx_escaped(CONTROL_LEAD), text=_xlsx_escaped("Task \x1b[31mred"))]
        path.write_bytes(plan_bytes(tasks, [update("1-1", "2017-03-31", "In progress")]))
        code, out, _ = run(["summary", "--plan", str(path), "--as-at", "2017-03-31"], capsys)
        assert code == 0
        assert not any(c in out for c in ("\x1b", "\x07", "\x9b", "\u202e"))
        assert "\\x1b[2J" in out and "\\u202e" in out

    def test_json_escapes_what_a_terminal_would_obey(self, tmp_path, capsys):
        path = tmp_path / "c.xlsx"
        tasks = [task("1-1", "2017-01-01", "2017-02-01", lead=_xlsx_escaped(CONTROL_LEAD))]
        path.write_bytes(plan_bytes(tasks, [update("1-1", "2017-03-31", "In progress")]))
        code, out, _ = run(["summary", "--plan", str(path), "--json"], capsys)
        assert code == 0 and not any(c in out for c in ("\x1b", "\x07", "\x9b", "\u202e"))
        assert json.loads(out)["tasks"][0]["lead"] == CONTROL_LEAD  # the same data, only escaped

    def test_terminal_text_keeps_newlines_tabs_and_letters(self):
        assert terminal_text("a\tb\nc é ’") == "a\tb\nc é ’"
        assert clean_label("a\u2066b\u2069\x00") == "ab"


# ---- the server keeps tracebacks; bad environment paths show no other council's data --------------


def test_tracebacks_stay_on_the_server():
    from streamlit import config

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    value = settings["client"]["showErrorDetails"]
    assert value == config.ShowErrorDetailsConfigOptions.NONE


class TestBadEnvironmentPaths:
    def test_a_bad_plan_path_shows_the_problem_and_no_data(self, tmp_path, monkeypatch):
        monkeypatch.setenv("DASHBOARD_PLAN", str(tmp_path))  # a directory
        at = AppTest.from_file(str(ROOT / "pages" / "1_overview.py"), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any("DASHBOARD_PLAN" in e.value and "is a directory" in e.value for e in at.error)
        assert not at.metric and not at.get("plotly_chart")
        assert not any("Durham" in c.value for c in at.caption)
        assert str(tmp_path.parent) not in " ".join(e.value for e in at.error)  # no server path on screen

    def test_a_bad_performance_path_shows_the_problem_and_no_figures(self, tmp_path, monkeypatch):
        monkeypatch.setenv("DASHBOARD_PERFORMANCE", str(tmp_path / "missing.xlsx"))
        at = AppTest.from_file(str(ROOT / "pages" / "8_scorecard.py"), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any("DASHBOARD_PERFORMANCE" in e.value and "no such file" in e.value for e in at.error)
        assert any("No performance workbook" in i.value for i in at.info)  # the published figures stand in (issue 17)
