"""Pages never change what they share with other sessions: the cached PlanData of the embedded plan
(src/ui/sources.py caches it per workbook for every session) is the same, frame by frame, after every
page has run, at two reporting dates and with a filter."""

from __future__ import annotations

import hashlib

import pandas as pd

from src.analysis.workbook_paths import DEFAULT_PLAN, ROOT
from src.ui import cache_keys, sources
from src.ui.navigation import PAGES
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 - autouse fixture


def fingerprint(plan) -> dict[str, str]:
    """A hash of every frame (values, index and column names) and of the findings and About of a plan."""
    out = {}
    for name, value in vars(plan).items():
        if isinstance(value, pd.DataFrame):
            hashed = pd.util.hash_pandas_object(value.astype("string"), index=True).to_numpy().tobytes()
            out[name] = hashlib.sha256(hashed + repr(list(value.columns)).encode()).hexdigest()
    out["findings"] = hashlib.sha256(repr(plan.findings).encode()).hexdigest()
    out["about"] = repr(sorted(plan.about.items()))
    return out


def cached_embedded_plan():
    data = DEFAULT_PLAN.read_bytes()
    return sources.read_workbook(sources.PLAN, cache_keys.workbook(data), DEFAULT_PLAN.name, data, trusted=True)


def test_every_page_leaves_the_shared_plan_as_it_found_it():
    run_page(str(ROOT / PAGES[0].file))  # fills the cache as a first visitor would
    plan = cached_embedded_plan()
    before = fingerprint(plan)
    derived_before = {k: fingerprint_frame(v) for k, v in plan.derived.items()}
    for page in PAGES:
        for query in ({"as_at": "2017-03-31"}, {"as_at": "2017-12-31", "rag": "Amber"}):
            at = run_page(str(ROOT / page.file), **query)
            assert not at.exception, f"{page.file}: {at.exception[0].message if at.exception else ''}"
    assert cached_embedded_plan() is plan, "the pages used the one cached plan"
    assert fingerprint(plan) == before
    assert {k: fingerprint_frame(v) for k, v in plan.derived.items() if k in derived_before} == derived_before


def fingerprint_frame(value: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(value.astype("string"), index=True).to_numpy().tobytes()).hexdigest()


def test_the_fingerprint_sees_a_change():
    plan = cached_embedded_plan()
    copy = type(plan)(**{**vars(plan), "tasks": plan.tasks.copy()})
    before = fingerprint(copy)
    copy.tasks.loc[0, "task"] = "changed by a page"
    assert fingerprint(copy) != before
