"""A council's tracker with its own column names, in a real browser: uploaded, mapped in the mapping
step, the mapping downloaded, used; then the same tracker and the downloaded mapping through
`python -m src.cli summary --plan T.xlsx --mapping M.json --json` give the same figures (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.conftest import ROOT, choose, metrics, open_page, upload_plan, wait_for_run
from tests.e2e.test_browser import OVERVIEW
from tests.tracker_builders import OWN_NAMES_MAPPING, own_names_tracker

LABELS = {
    "ref": "number / reference",
    "task": "action wording (task)",
    "lead": "lead officer",
    "finish": "finish / due date",
    "status": "status",
}


def test_mapping_step_download_and_the_cli_agree(page, server, tmp_path):
    open_page(page, server, OVERVIEW)
    tracker = own_names_tracker()
    upload_plan(page, "our_tracker.xlsx", tracker)
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Read your tracker").wait_for()
    for header, meaning in OWN_NAMES_MAPPING.items():
        choose(page, f"Column “{header}” means", LABELS[meaning], scope=main)
    page.screenshot(path=str(ROOT / "artifacts" / "tracker_mapping_step.png"), full_page=True)
    main.get_by_text("3 tasks").first.wait_for()
    with page.expect_download() as download:
        main.get_by_role("button", name="Download this mapping").click()
    mapping_path = tmp_path / "our_tracker.mapping.json"
    download.value.save_as(mapping_path)
    saved = json.loads(mapping_path.read_text(encoding="utf-8"))
    assert {k: v for k, v in saved["columns"].items() if v != "ignore"} == OWN_NAMES_MAPPING
    main.get_by_role("button", name="Use this mapping").click()
    wait_for_run(page)
    page.get_by_test_id("stMetric").first.wait_for()
    shown = metrics(page)
    assert page.errors.all() == []

    plan_path = tmp_path / "our_tracker.xlsx"
    plan_path.write_bytes(tracker)
    result = subprocess.run(
        [sys.executable, "-m", "src.cli", "summary", "--plan", str(plan_path), "--mapping", str(mapping_path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(result.stdout)
    done = summary["completion"]
    assert (done["complete"], done["in_scope"]) == (1, 3)
    assert shown["Tasks complete"] == f"{done['complete']} of {done['in_scope']}"
    assert shown["Completion rate"] == f"{done['rate']:.0%}"
    for rag, count in summary["rag"].items():
        label = next((k for k in shown if k.startswith(f"{rag}:")), None)
        if label:
            assert shown[label] == str(count), label
