"""Placeholder: this page is being built."""
from src.ui import frame

ctx = frame.page("Coming soon")
frame.st.info("This page is being built.")
