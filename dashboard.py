"""Entry point: page config and navigation only. Every page draws the shared frame itself
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
# Other issues add sections here: "Performance" (Caseloads and workforce, Performance scorecard)
# and "Governance" (Exceptions, Changes, Risks and LSCB).
SECTIONS = {"Plan": PLAN_PAGES}

st.navigation(SECTIONS).run()
