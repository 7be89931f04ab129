"""Entry point: the overview, served at "/". Start with `streamlit run dashboard.py`.

The other pages are the files in pages/, served by Streamlit's folder-based pages at the URL their
file name gives (`pages/9_exceptions.py` -> `/exceptions`), so a bookmark opens its page even as the
first request to a freshly started server. The sectioned sidebar is drawn by the shared frame from
src/ui/navigation.py (why the app does not call st.navigation is written there). This script runs the
overview page's own file, so the overview has one definition for "/", "/overview" and AppTest.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent / "pages" / "1_overview.py"), run_name="__main__")
