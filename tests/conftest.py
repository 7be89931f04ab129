"""Set before any test module imports openpyxl: see src/__init__.py (openpyxl's own writer, not lxml's)."""

import os

os.environ.setdefault("OPENPYXL_LXML", "False")
# The parse cache (src/analysis/parse_cache.py) is off in tests: a test that counts reads must not meet a workbook
# parsed by an earlier run; tests/test_parse_cache.py turns it on in a folder of its own.
os.environ.setdefault("DASHBOARD_PARSE_CACHE", "off")
