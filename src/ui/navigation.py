"""The pages and their sections: one list that the sidebar, the entry script and the browser tests read.

Why the app does not call `st.navigation`: with a folder named `pages/` beside the entry script,
every Streamlit server process starts in its older folder-based navigation and stays there until
some session's entry script has called `st.navigation`. A first visit to a freshly started server
that went straight to `/exceptions` (a QIB facilitator's bookmark) therefore got the folder-based
app (file names in the sidebar, no sections), or a "Page not found" pop-up for URLs that only
`st.navigation` knew. So the app uses the folder-based pages on purpose, for every request: a
page's URL is the name Streamlit derives from its file name (`pages/9_exceptions.py` ->
`/exceptions`), the default list is hidden (`client.showSidebarNavigation = false`), and the frame
draws the sectioned list itself with `st.page_link`. The overview is the entry script's page (`/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.source_util import page_icon_and_name

ROOT = Path(__file__).resolve().parents[2]
ENTRY_SCRIPT = "dashboard.py"
APP_NAME = "Children's services improvement plan"


@dataclass(frozen=True)
class NavPage:
    """One page: its file under pages/, the title people see, and the sidebar section it sits in."""

    file: str  # relative to the project root
    title: str
    section: str
    home: bool = False  # the entry script's page, served at "/"

    @property
    def url_path(self) -> str:
        """The page's URL path without the leading slash: "" for the home page, else the name Streamlit
        derives from the file name (leading number and underscores dropped)."""
        return "" if self.home else page_icon_and_name(Path(self.file))[1]

    @property
    def link_target(self) -> str:
        """What st.page_link is given: the page file, the home page's too. A link to the entry script would
        get an empty href (a new tab opened from it would show the page it was on); the home page's file
        is served at its own name (/overview) as well as at "/"."""
        return self.file

    @property
    def link_path(self) -> str:
        """Where the sidebar link points: the name Streamlit derives from the file (the home page's too)."""
        return page_icon_and_name(Path(self.file))[1]

    @property
    def slug(self) -> str:
        return self.url_path or "default"


PLAN, PERFORMANCE, GOVERNANCE = "Plan", "Performance", "Governance"

PAGES: tuple[NavPage, ...] = (
    NavPage("pages/1_overview.py", "Overview", PLAN, home=True),
    NavPage("pages/2_timeline.py", "Plan timeline", PLAN),
    NavPage("pages/3_rag.py", "RAG and slippage", PLAN),
    NavPage("pages/4_coverage.py", "Recommendation coverage", PLAN),
    NavPage("pages/5_explore.py", "Explore", PLAN),
    NavPage("pages/6_data_quality.py", "Data quality", PLAN),
    NavPage("pages/7_caseloads.py", "Caseloads and workforce", PERFORMANCE),
    NavPage("pages/8_scorecard.py", "Performance scorecard", PERFORMANCE),
    NavPage("pages/14_benchmarks.py", "Published benchmarks", PERFORMANCE),
    NavPage("pages/9_exceptions.py", "Exceptions (QIB)", GOVERNANCE),
    NavPage("pages/10_changes.py", "Changes since the last meeting", GOVERNANCE),
    NavPage("pages/11_risks.py", "Governance log", GOVERNANCE),
    NavPage("pages/12_briefing.py", "Briefing pack", GOVERNANCE),
    NavPage("pages/13_returns.py", "Monthly update returns", GOVERNANCE),
)
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(page.section for page in PAGES))


def page_by_title(title: str) -> NavPage | None:
    return next((page for page in PAGES if page.title == title), None)


def sidebar_links() -> None:
    """The sectioned page list at the top of the sidebar (Streamlit's own list is hidden by config)."""
    slot = st.sidebar.empty()
    nav = slot.container(key="page_navigation")
    try:
        for section in SECTIONS:
            nav.markdown(f"**{section}**")
            for page in PAGES:
                if page.section == section:
                    nav.page_link(page.link_target, label=page.title)
    except StreamlitPageNotFoundError:
        # A page run on its own (AppTest.from_file) knows no other page: no list to draw.
        slot.empty()
