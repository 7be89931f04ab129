"""The dashboard's code: analysis (plain pandas), charts (plotly), export, ui (Streamlit glue), cli."""

import os

# openpyxl switches to lxml's writer whenever lxml is importable (python-docx and python-pptx bring it).
# That writer drops xml:space="preserve" on whitespace-only cells and orders attributes differently, so
# the data builds stop being byte-for-byte reproducible and "  " cells read back as other text. Keep
# openpyxl's own writer everywhere src is imported (scripts, pages, CLI, tests), unless a caller chose.
os.environ.setdefault("OPENPYXL_LXML", "False")
