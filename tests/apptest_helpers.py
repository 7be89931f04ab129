"""Running one page headlessly with AppTest: shared by the page test modules."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def run_page(page: str, timeout: float = 30, **query) -> AppTest:
    """Run `page` alone (as st.navigation would, minus the entry script) with the given query parameters."""
    at = AppTest.from_file(page, default_timeout=timeout)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    """Metric label -> value as shown (AppTest gives metric values back as strings)."""
    return {m.label: m.value for m in at.metric}


@pytest.fixture(autouse=True)
def use_embedded_workbooks(monkeypatch):
    """Autouse in every module that imports it: tests start on the embedded workbooks, whatever the
    environment says (a test that wants another workbook sets DASHBOARD_PLAN itself)."""
    monkeypatch.delenv("DASHBOARD_PLAN", raising=False)
    monkeypatch.delenv("DASHBOARD_PERFORMANCE", raising=False)
    # The app's config hides error details from the browser (client.showErrorDetails = "none"); a failing
    # page test should still say what went wrong, so AppTest runs show them in full.
    from streamlit import config

    shown = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", shown)
