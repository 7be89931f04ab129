"""Every test file has one predictable place (docs/architecture.md, "Where things live").

A module's unit tests are in tests/test_<name>.py, or tests/test_<package>_<name>.py when another package
has a module of the same name (the engine's, src/analysis, keeps the bare name). tests/test_<package>.py
holds what a whole package promises; page tests (AppTest) are tests/test_pages.py and
tests/test_<topic>_page(s).py; the rest are the cross-cutting tests listed below, each with its reason.
The browser tests live in tests/e2e/ and are named for what they check.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
TESTS = ROOT / "tests"
ENGINE = "analysis"

# Tests that follow a promise across modules rather than one module: name -> why.
CROSS_CUTTING = {
    "test_consistency.py": "one figure, the same on the pages, in the CLI and in the exports",
    "test_docs.py": "the README and docs/indicators.md agree with the code",
    "test_layers.py": "pages import only ui, charts and analysis",
    "test_hostile.py": "hostile and careless workbooks end in a clear message, through every reader",
    "test_hostile_input.py": "the readers' defences: size, extent, personal data, worker limits",
    "test_output_safety.py": "user text never becomes markup or a formula in any output",
    "test_shared_state.py": "page runs never change the frames cached for every session",
    "test_transcription.py": "the embedded plan agrees with the 2016 plan as printed",
    "test_performance_data.py": "the committed performance workbook agrees with its published sources",
    "test_plan_date_forms.py": "every plan-date form, from the cell to the JSON, the RAG and the sidebar",
    "test_overview_story.py": "issue 14's overview story, from the engine's words to the page",
    "test_where_tests_live.py": "this rule",
}


def source_modules(src: Path = SRC) -> list[tuple[str, str]]:
    """(package, module name) of every module under src/ ("" for src/<name>.py), dunder files left out."""
    found = []
    for path in sorted(src.rglob("*.py")):
        if path.name.startswith("__") or "__pycache__" in path.parts:
            continue
        package = path.parent.relative_to(src).as_posix()
        found.append(("" if package == "." else package.replace("/", "."), path.stem))
    return found


def expected_test_files(modules: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The test file of each module: test_<name>.py when the name is unique or the module is the engine's;
    test_<package>_<name>.py for the other modules sharing a name. Returns file name -> (package, name)."""
    by_name = defaultdict(list)
    for package, name in modules:
        by_name[name].append(package)
    files = {}
    for name, packages in by_name.items():
        for package in packages:
            bare = len(packages) == 1 or package == ENGINE
            files[f"test_{name}.py" if bare else f"test_{package.replace('.', '_')}_{name}.py"] = (package, name)
    return files


def package_test_files(src: Path = SRC) -> dict[str, str]:
    return {f"test_{p.parent.name}.py": p.parent.name for p in src.glob("*/__init__.py")}


def is_page_test(file_name: str) -> bool:
    return file_name == "test_pages.py" or re.fullmatch(r"test_\w+_pages?\.py", file_name) is not None


def top_level_test_files() -> list[str]:
    return sorted(p.name for p in TESTS.glob("test_*.py"))


def imported_modules(path: Path) -> set[str]:
    """Dotted names a file imports, relative imports resolved and `from src.analysis import progress` giving
    src.analysis.progress too."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def module_file(dotted: str) -> Path | None:
    path = ROOT.joinpath(*dotted.split("."))
    return next((p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()), None)


def reaches(test_file: Path, dotted: str) -> bool:
    """The test imports `dotted`, or a src module that imports it (the module tested through its caller), or
    runs a page (AppTest, pages/<n>_<name>.py named in the test) that imports it."""
    direct = imported_modules(test_file)
    if dotted in direct:
        return True
    callers = [module_file(name) for name in direct if name.startswith("src.")]
    pages = [ROOT / "pages" / name for name in set(re.findall(r"\b(\d+_\w+\.py)\b", test_file.read_text(encoding="utf-8")))]
    return any(dotted in imported_modules(path) for path in [*callers, *pages] if path is not None and path.is_file())


def test_the_naming_rule_by_hand():
    modules = [("analysis", "returns"), ("export", "returns"), ("cli", "returns"), ("ui", "navigation"), ("", "xlsx")]
    assert expected_test_files(modules) == {
        "test_returns.py": ("analysis", "returns"),
        "test_export_returns.py": ("export", "returns"),
        "test_cli_returns.py": ("cli", "returns"),
        "test_navigation.py": ("ui", "navigation"),
        "test_xlsx.py": ("", "xlsx"),
    }
    assert is_page_test("test_governance_pages.py") and is_page_test("test_returns_page.py") and is_page_test("test_pages.py")
    assert not is_page_test("test_page_params.py")


def test_reaching_a_module_by_hand():
    # plan_workbook reads through `from .load import ...`; test_load tests the reader through load_plan
    assert "src.analysis.load" in imported_modules(SRC / "analysis" / "plan_workbook.py")
    assert reaches(TESTS / "test_load.py", "src.analysis.load")
    # test_page_params runs pages/5_explore.py, which uses src.ui.page_params
    assert reaches(TESTS / "test_page_params.py", "src.ui.page_params")
    assert not reaches(TESTS / "test_performance_data.py", "src.analysis.performance_workbook")


def test_every_test_file_has_its_place():
    modules, packages = expected_test_files(source_modules()), package_test_files()
    misplaced = [
        name
        for name in top_level_test_files()
        if name not in modules and name not in packages and not is_page_test(name) and name not in CROSS_CUTTING
    ]
    assert misplaced == [], (
        f"{misplaced}: name each for the module it tests (tests/test_<name>.py, or test_<package>_<name>.py when the "
        "name is taken), or add it to CROSS_CUTTING with its reason (docs/architecture.md, 'Where things live')"
    )


@pytest.mark.parametrize("name", [n for n in top_level_test_files() if n in expected_test_files(source_modules())])
def test_a_module_test_reaches_its_module(name):
    package, module = expected_test_files(source_modules())[name]
    dotted = ".".join(part for part in ("src", package, module) if part)
    assert reaches(TESTS / name, dotted), f"tests/{name} is the place for {dotted}'s tests but never reaches it"


def test_the_cross_cutting_list_is_current_and_written_down():
    section = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("## Where things live", 1)[1].split("\n## ", 1)[0]
    for name in CROSS_CUTTING:
        assert (TESTS / name).exists(), f"tests/{name} is listed as cross-cutting but does not exist"
        assert name not in expected_test_files(source_modules()), f"tests/{name} is a module's place, not cross-cutting"
        assert name.removesuffix(".py") in section, f"docs/architecture.md 'Where things live' does not list {name}"
