"""Set before any test module imports openpyxl: see src/__init__.py (openpyxl's own writer, not lxml's)."""

import os

os.environ.setdefault("OPENPYXL_LXML", "False")
