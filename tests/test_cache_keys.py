"""src/ui/cache_keys.py: every cache key in one place; workbook digests stay those the sessions already hold."""

import hashlib

import pandas as pd

from src.ui import cache_keys


def test_a_workbook_is_named_by_the_sha256_of_its_bytes_then_its_mapping_then_its_earlier_versions():
    data, mapping, earlier = b"PK workbook", '{"columns": {}}', [b"PK january", b"PK february"]
    assert cache_keys.workbook(data) == hashlib.sha256(data).hexdigest() == cache_keys.sha256(data)
    assert cache_keys.workbook(data, mapping) == hashlib.sha256(data + mapping.encode()).hexdigest()
    assert cache_keys.workbook(data, mapping, earlier) == hashlib.sha256(data + mapping.encode() + b"".join(earlier)).hexdigest()
    assert cache_keys.workbook(data, None, earlier) == hashlib.sha256(data + b"".join(earlier)).hexdigest()


def test_a_reporting_date_keys_alike_however_it_is_given():
    as_text = cache_keys.view("plan", None, "2017-03-31", 30)
    assert as_text == cache_keys.view("plan", None, pd.Timestamp("2017-03-31 00:00"), 30) == ("plan", None, "2017-03-31", 30)
    assert cache_keys.view("plan", None, None, 30) == ("plan", None, None, 30)  # the plan's default date


def test_the_filters_are_part_of_the_filtered_key_only():
    whole = cache_keys.view("plan", "perf", "2017-03-31", 30)
    filtered = cache_keys.filtered_view("plan", "perf", "2017-03-31", 30, ["1"], [], ["Red"])
    assert filtered[:4] == whole and filtered[4:] == (("1",), (), ("Red",))
    assert cache_keys.filtered_view("plan", "perf", "2017-03-31", 30, [], [], []) != filtered


def test_a_workbook_read_is_keyed_by_kind_content_name_and_trust():
    keys = {
        cache_keys.workbook_read("plan", "abc", "plan.xlsx", False),
        cache_keys.workbook_read("performance", "abc", "plan.xlsx", False),
        cache_keys.workbook_read("plan", "abc", "other.xlsx", False),
        cache_keys.workbook_read("plan", "abc", "plan.xlsx", True),
    }
    assert len(keys) == 4
