"""src/ui/widgets.py: what a page shows is worked out once per memoised object (issue 19), and is the same
as working it out afresh."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.ui import widgets
from src.ui.tables import for_display


class TestDisplayFrame:
    def test_the_display_frame_is_for_display_of_the_rows_shown(self):
        frame = pd.DataFrame(
            {"when": pd.to_datetime(["2017-03-31"] * (widgets.MAX_TABLE_ROWS + 5)), "n": range(widgets.MAX_TABLE_ROWS + 5)}
        )
        shown = widgets.display_frame(frame)
        pd.testing.assert_frame_equal(shown, for_display(frame.head(widgets.MAX_TABLE_ROWS)))

    def test_once_per_frame_object_and_never_for_another_frame(self):
        frame = pd.DataFrame({"when": pd.to_datetime(["2017-03-31"])})
        assert widgets.display_frame(frame) is widgets.display_frame(frame)
        other = pd.DataFrame({"when": pd.to_datetime(["2016-12-31"])})
        assert widgets.display_frame(other)["when"].tolist() == ["31 Dec 2016"]

    def test_the_entry_goes_with_its_frame(self):
        frame = pd.DataFrame({"n": [1]})
        widgets.display_frame(frame)
        key = id(frame)
        assert key in widgets._DISPLAY_FRAMES
        del frame
        assert key not in widgets._DISPLAY_FRAMES


class TestScreenFigure:
    def test_the_screen_figure_has_no_title_and_its_dict_is_worked_out_once(self):
        figure = go.Figure(go.Bar(x=[1, 2], y=["a", "b"]), layout={"title": {"text": "Title"}})
        screen = widgets._screen_figure(figure)
        assert widgets._screen_figure(figure) is screen
        first = screen.to_dict()
        assert screen.to_dict() is first  # st.plotly_chart calls to_dict() on every rerun
        assert first == go.Figure(first).to_dict()  # the same spec a plain Figure gives
        assert first["layout"]["title"]["text"] == "" and first["layout"]["margin"]["t"] == 40
        assert figure.layout.title.text == "Title"  # the chart's own figure is unchanged
