"""Streamlit glue: `frame` draws the shared sidebar and hands pages their context; `tables` and
`state` are plain pandas/Python helpers the frame and pages use (testable without streamlit)."""
