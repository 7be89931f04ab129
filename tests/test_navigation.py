"""The page registry (src/ui/navigation.py): every page file is listed once, and the addresses people
have bookmarked stay what they were when st.navigation set them."""

from pathlib import Path

from src.ui.navigation import ENTRY_SCRIPT, PAGES, SECTIONS

ROOT = Path(__file__).resolve().parents[1]

# The addresses published before the switch to folder-based pages (dashboard.py's url_path values then).
BOOKMARKS = {
    "Overview": "",
    "Plan timeline": "timeline",
    "RAG and slippage": "rag",
    "Recommendation coverage": "coverage",
    "Explore": "explore",
    "Data quality": "data_quality",
    "Caseloads and workforce": "caseloads",
    "Performance scorecard": "scorecard",
    "Exceptions (QIB)": "exceptions",
    "Changes since the last meeting": "changes",
    "Governance log": "risks",  # was "Risks and LSCB" before the issues log and decisions joined it
    "Briefing pack": "briefing",
}


def test_every_page_file_is_registered_once():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    assert sorted(page.file for page in PAGES) == files


def test_bookmarked_addresses_still_open_their_pages():
    addresses = {page.title: page.url_path for page in PAGES}
    assert {title: addresses.get(title) for title in BOOKMARKS} == BOOKMARKS


def test_addresses_are_unique_and_the_home_page_is_the_entry_script():
    assert len({page.url_path for page in PAGES}) == len(PAGES)
    [home] = [page for page in PAGES if page.home]
    assert home.url_path == "" and home.link_path == "overview"  # "/" and the link's own address serve the same page
    assert Path(home.file).name in (ROOT / ENTRY_SCRIPT).read_text(encoding="utf-8"), "the entry script runs the home page file"


def test_sections_in_order_of_first_appearance():
    assert SECTIONS == ("Plan", "Performance", "Governance")
