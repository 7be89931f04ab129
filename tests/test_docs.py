"""The documentation cannot drift from the code (datasette's trick): the README's JSON table is the
summary's keys, every CLI subcommand is in the README, and every rule row in docs/indicators.md names
a function that exists and that a test calls."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import re
from pathlib import Path

import pytest

from src import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INDICATORS = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
TEST_SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))


def readme_json_table() -> dict[str, set[str]]:
    """README's `summary --json` table: key -> the field names listed for it (empty when none)."""
    section = README[README.index("`summary --json` prints one object") :]
    rows = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        key = re.fullmatch(r"`([^`]+)`", cells[0])
        if key:
            described = re.sub(r"\([^()]*\)", "", cells[1])  # `(`2025` or `2021`)` gives values, not field names
            rows[key.group(1)] = set(re.findall(r"`([^`]+)`", described))
    return rows


def embedded_summary() -> dict:
    from src.cli import build_summary

    parser_args = argparse.Namespace(plan=None, performance=None, as_at=None, tolerance_days=30, json=True)
    return build_summary(parser_args)


def fields_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return set(value[0])
    return set()


class TestReadmeJsonTable:
    def test_top_level_keys_are_the_summarys(self, monkeypatch):
        monkeypatch.delenv("DASHBOARD_PLAN", raising=False)
        monkeypatch.delenv("DASHBOARD_PERFORMANCE", raising=False)
        assert set(readme_json_table()) == set(embedded_summary())

    def test_each_keys_fields_are_the_summarys(self, monkeypatch):
        monkeypatch.delenv("DASHBOARD_PLAN", raising=False)
        monkeypatch.delenv("DASHBOARD_PERFORMANCE", raising=False)
        summary, table = embedded_summary(), readme_json_table()
        mismatched = {
            key: (sorted(table[key] - fields_of(summary[key])), sorted(fields_of(summary[key]) - table[key]))
            for key in table
            if key in summary and fields_of(summary[key]) and fields_of(summary[key]) != table[key]
        }
        assert mismatched == {}, "README lists (extra, missing) fields"

    def test_the_parser_reads_the_table(self):
        table = readme_json_table()
        assert "completion" in table and {"rate", "planned_rate"} <= table["completion"]


def cli_subcommands() -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.main(["--help"])
    [choices] = re.findall(r"\{([a-z,\-]+)\}", out.getvalue())[:1]
    return choices.split(",")


@pytest.mark.parametrize("command", cli_subcommands())
def test_every_cli_subcommand_is_in_the_readme(command):
    assert re.search(rf"python -m src\.cli {re.escape(command)}\b", README), f"README shows no `python -m src.cli {command}`"


def indicator_functions() -> list[str]:
    """`module.function` (or `module.*`) named in the rule table at the top of docs/indicators.md."""
    names = []
    for line in INDICATORS.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            names += re.findall(r"`([a-z_]+\.(?:[a-z_]+|\*))`", line.split("|")[2] if line.count("|") > 3 else "")
    return names


def test_the_rule_table_was_read():
    assert len(indicator_functions()) >= 10


@pytest.mark.parametrize("name", indicator_functions())
def test_every_rule_names_a_function_that_exists_and_is_tested(name):
    module_name, function = name.split(".")
    module = importlib.import_module(f"src.analysis.{module_name}")
    if function == "*":
        assert re.search(rf"\b{module_name}\b", TEST_SOURCES), f"no test imports {module_name}"
        return
    assert callable(getattr(module, function, None)), f"src.analysis.{name} does not exist"
    assert re.search(rf"\b{function}\b", TEST_SOURCES), f"no test calls {function}"


def test_readme_quotes_the_committed_benchmark_results():
    """The README's performance numbers are benchmarks/results.md verbatim, written by `run.py --record`."""
    from benchmarks.results import readme_quote, results_text

    assert readme_quote(README) == results_text(), "run `python benchmarks/run.py --record` (and --large --record)"
