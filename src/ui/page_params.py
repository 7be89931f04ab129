"""A page's own controls in the URL, as the sidebar's are (issue 14): a link opens the page as it was shown.

`restore(key, name, choices)` before the widget puts the URL's value into the widget's session state
(only when it is one the widget offers, and only once, so a later click is never undone);
`keep(name, value, default)` after it writes the value back, leaving defaults out of the URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st


def restore(key: str, name: str, choices: Iterable | None = None, parse: Callable[[str], object] | None = None) -> None:
    """Set session_state[key] from ?name=... the first time the page runs in this session.

    `choices`: the widget's options (the URL value must be one of them, compared as text); `parse`: text ->
    value for free inputs (a ValueError or None means unreadable, and the URL is ignored)."""
    seen = f"_url_restored_{key}"
    if st.session_state.get(seen):
        return
    st.session_state[seen] = True
    text = st.query_params.get(name)
    if text is None:
        return
    if choices is not None:
        match = [c for c in choices if str(c) == text]
        if match:
            st.session_state[key] = match[0]
        return
    try:
        value = parse(text) if parse else text
    except (TypeError, ValueError):
        return
    if value is not None:
        st.session_state[key] = value


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
