"""Entry point: page config and navigation only. Page URLs are deliberately not the names Streamlit
would give the files in pages/ (e.g. /timeline, not /plan_timeline): a direct link to a pages/ name is
served by Streamlit's older folder-based navigation, without this entry script. Known framework limit
(streamlit#9992): the very first visit after the server starts, if it is to a page other than the
overview, shows a "Page not found" notice over the right page. Every page draws the shared frame itself
(src/ui/frame.py), so each page also runs alone (AppTest.from_file("pages/x.py"))."""

import streamlit as st

st.set_page_config(page_title="Children's services improvement plan", layout="wide")

PLAN_PAGES = [
    st.Page("pages/1_overview.py", title="Overview", default=True),
    st.Page("pages/2_plan_timeline.py", title="Plan timeline", url_path="timeline"),
    st.Page("pages/3_rag_and_slippage.py", title="RAG and slippage", url_path="rag"),
    st.Page("pages/4_recommendation_coverage.py", title="Recommendation coverage", url_path="coverage"),
    st.Page("pages/5_explore.py", title="Explore", url_path="explore"),
    st.Page("pages/6_data_quality.py", title="Data quality", url_path="data_quality"),
]
PERFORMANCE_PAGES = [
    st.Page("pages/7_caseloads_and_workforce.py", title="Caseloads and workforce", url_path="caseloads"),
    st.Page("pages/8_performance_scorecard.py", title="Performance scorecard", url_path="scorecard"),
    st.Page("pages/13_published_benchmarks.py", title="Published benchmarks", url_path="benchmarks"),
]
GOVERNANCE_PAGES = [
    st.Page("pages/9_exceptions.py", title="Exceptions (QIB)", url_path="exceptions"),
    st.Page("pages/10_changes.py", title="Changes since the last meeting", url_path="changes"),
    st.Page("pages/11_risks_and_lscb.py", title="Risks and LSCB", url_path="risks"),
    st.Page("pages/12_briefing_pack.py", title="Briefing pack", url_path="briefing"),
]
SECTIONS = {"Plan": PLAN_PAGES, "Performance": PERFORMANCE_PAGES, "Governance": GOVERNANCE_PAGES}

# Every page listed: with more than twelve pages Streamlit would otherwise hide some behind "View N more".
st.navigation(SECTIONS, expanded=True).run()
