"""src/ui/context.py: the page context's shared, memoised views."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from src.analysis.plan_view import PlanView
from src.ui.context import PageContext
from tests.apptest_helpers import use_embedded_workbooks  # noqa: F401 - autouse fixture

ROOT = Path(__file__).resolve().parents[1]

# A one-line page that hands the context to the test (AppTest shares modules with the test process).
PAGE = """
from src.ui import frame
import tests.test_context as here
ctx = frame.page("Context test")
previous = ctx.previous_date()
here.SEEN.update(ctx=ctx, view_at=ctx.view_at(previous), previous=previous)
"""
SEEN: dict = {}


def test_view_at_another_date_is_planview_build_there_and_shares_the_task_table():
    SEEN.clear()
    at = AppTest.from_string(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    ctx, shown, previous = SEEN["ctx"], SEEN["view_at"], SEEN["previous"]
    assert isinstance(ctx, PageContext) and previous is not None
    built = PlanView.build(ctx.plan, previous, ctx.view.tolerance_days, kpis=ctx.performance.kpis)
    assert shown.as_at == built.as_at == previous
    pd.testing.assert_frame_equal(shown.tasks, built.tasks)
    pd.testing.assert_frame_equal(shown.coverage, built.coverage)
    shown.tasks.loc[:, "reason"] = "changed"  # a copy: the shared task table at that date is untouched
    assert (ctx.table_at(previous)["reason"] != "changed").all()
