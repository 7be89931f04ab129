"""The overview's tiles as (label, value, help) text, from the registry of headline figures.

Plain Python: the overview shows exactly these strings, and the tests compare them with the registry's
figures (`headline.figures`) worked out for the same view, the same figures the CLI JSON carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from src.analysis.headline import Figure, Group, change_words


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str = ""
    note: str = ""  # a few words shown under the value (not a change: no arrow, no colour)
    delta: str = ""  # a change since the previous reporting date in words ("up 2"), shown with an arrow
    delta_color: str = "off"  # st.metric's delta_color: "normal" (up is good), "inverse" (up is bad), "off"


def _colour(figure: Figure, before: Figure) -> str:
    """Green for good news, red for bad, grey for none (the words carry it without the colour)."""
    good = figure.headline.rise_is_good
    if good is None or figure.value is None or before.value is None or figure.value == before.value:
        return "off"
    return "normal" if (figure.value > before.value) == good else "inverse"


def metric(figure: Figure, before: Figure | None = None, since: str = "") -> Metric:
    """One tile. With the same figure at the previous reporting date (`before`, for figures that show a
    change), the change in words ("up 2", no arrow: Streamlit would point "down 1" up) coloured by meaning,
    and the earlier value in the help ("3 at 28 Feb 2017.")."""
    if before is None or not figure.headline.show_change:
        return Metric(figure.headline.label, figure.text, figure.help, figure.note)
    earlier = f"{before.text} at {since}." if since else ""
    return Metric(
        figure.headline.label,
        figure.text,
        f"{figure.help} {earlier}".strip(),
        figure.note,
        delta=change_words(figure.headline.unit, figure.value, before.value),
        delta_color=_colour(figure, before),
    )


def metric_rows(figures: list[Figure], before: list[Figure] | None = None, since: str = "") -> dict[Group, list[Metric]]:
    """The tiles by overview row (`Group`), in registry order; detail figures have no tile."""
    earlier = {f.headline.key: f for f in before or []}
    rows: dict[Group, list[Metric]] = {}
    for figure in figures:
        if figure.headline.group is not Group.DETAIL:
            rows.setdefault(figure.headline.group, []).append(metric(figure, earlier.get(figure.headline.key), since))
    return rows
