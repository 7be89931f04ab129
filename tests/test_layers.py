"""The house's layering, enforced: data flows one way (guides/house.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "package, forbidden",
    [
        ("src/analysis", ("streamlit", "plotly", "src.charts", "src.ui", "src.export")),
        ("src/charts", ("streamlit", "src.ui", "src.export")),
        ("src/export", ("streamlit", "src.ui")),
    ],
)
def test_lower_layers_never_import_upper_ones(package, forbidden):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden or any(name == f or name.startswith(f + ".") for f in forbidden):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_pages_stay_small_and_logic_lives_in_src():
    for path in sorted((ROOT / "pages").glob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 250, f"{path.name} has {lines} lines"
