"""A page's own controls in the URL, as the sidebar's are (issue 14): a link opens the page as it was shown.

`initial(name, fallback, choices)` gives the widget's default from the URL (only a value the widget
offers); `keep(name, value, default)` after the widget writes its value back, leaving defaults out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st


def initial(name: str, fallback, choices: Iterable | None = None, parse: Callable[[str], object] | None = None):
    """The widget's starting value from ?name=..., else `fallback`. Pass it as the widget's default (index or
    value): Streamlit keeps a keyed widget's own value after that, so a later click is never undone, and no
    value is pushed through session state (which would warn beside a widget default).

    `choices`: the widget's options (the URL value must be one of them, compared as text); `parse`: text ->
    value for free inputs (a ValueError or None means unreadable, and the URL is ignored)."""
    text = st.query_params.get(name)
    if text is None:
        return fallback
    if choices is not None:
        match = [c for c in choices if str(c) == text]
        return match[0] if match else fallback
    try:
        value = parse(text) if parse else text
    except (TypeError, ValueError):
        return fallback
    return fallback if value is None else value


def keep(name: str, value: object, default: object) -> None:
    """Write the widget's value to ?name=..., or remove it when it is the default."""
    text = None if value == default else str(value)
    if text is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != text:
        st.query_params[name] = text


def parse_bool(text: str) -> bool | None:
    return {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(text.strip().lower())


def parse_days(text: str) -> int | None:
    days = int(text)
    return days if 0 <= days <= 365 else None
