"""The one-cell workbook (a value in XFD1048576, which once made the reader ask for about 550 GB and
abort the server) uploaded in one session while a second session keeps working: the uploader gets a
plain message naming the sheet and the cell, the other session's pages still run, and the server
process is the same one, healthy, afterwards."""

from __future__ import annotations

import urllib.request

from tests.builders import plan_bytes, task
from tests.e2e.conftest import PAGES, RUN_TIMEOUT_MS, caption_text, nav_link, open_data_source, sidebar, wait_for_run
from tests.test_hostile_input import add_raw_sheet, one_far_cell, replace_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAR_ROW = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def _health(url: str) -> bytes:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        return response.read().strip()


def _upload(page, name: str, data: bytes) -> None:
    open_data_source(page)
    uploader = sidebar(page).get_by_test_id("stFileUploader").filter(has_text="Upload a plan workbook")
    uploader.locator('input[type="file"]').set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    wait_for_run(page, 2 * RUN_TIMEOUT_MS)


def test_one_cell_workbook_cannot_take_the_server_down(browser, server):
    pid = server.process.pid
    tasks = [task("T1", "May 16", "June 16"), task("T2", "May 16", "June 16")]
    on_tasks = replace_sheet(plan_bytes(tasks), "Tasks", lambda xml: xml.replace(b"</sheetData>", FAR_ROW))
    on_notes = add_raw_sheet(plan_bytes(tasks, about={"organisation": "Far Cell Council"}), "Notes", one_far_cell("XFD1048576"))
    assert len(on_tasks) < 20_000 and len(on_notes) < 20_000
    overview = next(p for p in PAGES if p.url_path == "")
    quality = next((p for p in PAGES if p.title == "Data quality"), overview)

    attacker_context, bystander_context = browser.new_context(), browser.new_context()
    try:
        attacker, bystander = attacker_context.new_page(), bystander_context.new_page()
        for page in (attacker, bystander):
            page.set_default_timeout(2 * RUN_TIMEOUT_MS)
            page.goto(server.page_url(quality), wait_until="commit")
            wait_for_run(page, 2 * RUN_TIMEOUT_MS)

        _upload(attacker, "one_cell.xlsx", on_tasks)  # the far cell on a sheet the dashboard uses: refused
        alert = attacker.get_by_test_id("stAlert").filter(has_text="one_cell.xlsx cannot be used").first
        alert.wait_for(state="visible")
        text = alert.inner_text()
        assert "sheet Tasks" in text and "XFD1048576" in text
        assert "Traceback" not in attacker.content()

        # Meanwhile the other session keeps working: it switches page and its data is still the embedded plan.
        nav_link(bystander, overview).click()
        wait_for_run(bystander, 2 * RUN_TIMEOUT_MS)
        assert "embedded" in caption_text(bystander)

        _upload(attacker, "one_cell_notes.xlsx", on_notes)  # on a sheet it ignores: loaded, with a finding
        notice = attacker.get_by_test_id("stAlert").filter(has_text="Loaded one_cell_notes.xlsx with").first
        notice.wait_for(state="visible")
        assert "data-quality finding" in notice.inner_text()
        assert "one_cell_notes.xlsx (Far Cell Council), upload" in caption_text(attacker)

        assert server.process.poll() is None and server.process.pid == pid
        assert _health(server.url) == b"ok"
        bystander.reload(wait_until="commit")
        wait_for_run(bystander, 2 * RUN_TIMEOUT_MS)
        assert "embedded" in caption_text(bystander)
    finally:
        attacker_context.close()
        bystander_context.close()
