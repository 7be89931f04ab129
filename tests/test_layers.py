"""The house's layering (guides/house.md). The src packages' layers are import-linter contracts in
pyproject.toml, run by `lint-imports` in the test command (scripts/test.sh); pages/ is not a package,
so what the pages import is checked here, relative imports included."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE_MAY_IMPORT = ("streamlit", "pandas", "src.ui", "src.charts", "src.analysis", "src.export")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports; a relative import is resolved against the file's own package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).parent.parts)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".") if package else []
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            # `from src import charts` imports src.charts: name each imported thing under its module.
            names.update(".".join([*module, alias.name]) for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_only_wire_ui_charts_and_analysis(path):
    offenders = [
        name
        for name in imported_modules(path)
        if name.split(".")[0] not in sys.stdlib_module_names and not any(name == m or name.startswith(m + ".") for m in PAGE_MAY_IMPORT)
    ]
    assert offenders == [], f"{path.name} imports {offenders}"


def test_relative_imports_are_seen():
    """The page check would miss `from ..x import y` if relative imports were not resolved."""
    page = ROOT / "pages" / "zz_probe_for_test.py"
    try:
        page.write_text("from .. import cli\nimport plotly.express\n", encoding="utf-8")
        assert imported_modules(page) == {"cli", "plotly.express"}
        with pytest.raises(AssertionError, match="plotly.express"):
            test_pages_only_wire_ui_charts_and_analysis(page)
    finally:
        page.unlink()


def test_import_contracts_hold():
    """The same `lint-imports` the test command runs: analysis, charts and export stay below the UI."""
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_pages_stay_small_and_logic_lives_in_src():
    for path in sorted((ROOT / "pages").glob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 250, f"{path.name} has {lines} lines"


CLI = ROOT / "src" / "cli"


def cli_package_imports(path: Path) -> list[str]:
    """What a module of src/cli imports from the package's own `__init__` (not from a sibling module)."""
    modules = {p.stem for p in CLI.glob("*.py")}
    return sorted(
        name for name in imported_modules(path) if name == "src.cli" or (name.startswith("src.cli.") and name.split(".")[2] not in modules)
    )


@pytest.mark.parametrize("path", sorted(p for p in CLI.glob("*.py") if p.stem not in ("__init__", "__main__")), ids=lambda p: p.name)
def test_cli_modules_never_import_the_package_that_registers_them(path):
    """`src.cli` imports every subcommand module; one importing `src.cli` back would be the old cli <-> export_cli cycle
    (lint-imports checks that the subcommand modules share only `common`)."""
    assert cli_package_imports(path) == [], f"{path.name} imports {cli_package_imports(path)}"


def test_the_cli_cycle_check_sees_package_imports():
    probe = CLI / "zz_probe_for_test.py"
    try:
        probe.write_text("from . import main\nfrom .common import UsageError\nfrom src.cli import load_inputs\n", encoding="utf-8")
        assert cli_package_imports(probe) == ["src.cli.load_inputs", "src.cli.main"]
    finally:
        probe.unlink()
