"""The Briefing pack page builds the Word brief and the QIB deck on click and offers them named for a person."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as read_docx
from pptx import Presentation
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)

BRIEFING = str(Path(__file__).resolve().parents[1] / "pages" / "12_briefing.py")


def test_word_brief_and_deck_download_named_for_a_person(monkeypatch):
    saved: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        saved[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = run_page(BRIEFING, 120, as_at="2017-03-31")
    at.radio(key="format_brief").set_value("docx").run()
    at.button(key="build_brief").click().run()
    at.button(key="build_deck").click().run()
    assert not at.exception and not at.error
    files = {}
    for button in at.get("download_button"):
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        files[button.proto.label] = saved.get(file_id)
    brief = files["Download Portfolio Holder brief - 31 Mar 2017.docx"]
    deck = files["Download QIB slides - 31 Mar 2017.pptx"]
    assert read_docx(io.BytesIO(brief)).paragraphs[0].text == "Portfolio Holder brief"
    assert Presentation(io.BytesIO(deck)).slides[1].shapes.title.text == "Summary at 31 Mar 2017"
    assert sum(c.value.startswith("Built in") for c in at.caption) == 2
