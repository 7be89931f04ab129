"""Every cache key of the dashboard, built here and nowhere else.

A key names everything a cached result depends on. Workbooks are named by content: the SHA-256 of their
bytes (plus a saved column mapping and earlier versions, when a tracker is read with them), never by file
name or upload time, so the same file is read once however it arrives. Derived tables add the reporting
date (ISO text), the RAG tolerance (days) and, when the result depends on them, the sidebar filters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd


def workbook(data: bytes, mapping: str | None = None, earlier: Iterable[bytes] = ()) -> str:
    """The SHA-256 (hex) of a workbook's bytes, then its mapping JSON, then its earlier versions' bytes."""
    digest = hashlib.sha256(data)
    if mapping:
        digest.update(mapping.encode())
    for version in earlier:
        digest.update(version)
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    """The SHA-256 (hex) of bytes alone: compares a file with the workbook in use (`Source.sha256`)."""
    return workbook(data)


def workbook_read(kind: str, digest: str, name: str, trusted: bool) -> tuple:
    """One read of a workbook: the file name is in its findings; trusted (embedded) files skip the worker."""
    return ("workbook", kind, digest, name, trusted)


def template(kind: str) -> tuple:
    return ("template", kind)


def date_text(as_at) -> str | None:
    """A reporting date as ISO text (`2017-03-31`), or None (the plan's default date)."""
    return None if as_at is None else pd.Timestamp(as_at).strftime("%Y-%m-%d")


def view(plan_sha: str, perf_sha: str | None, as_at, tolerance_days: int) -> tuple:
    """The whole plan's view: workbooks, reporting date and tolerance (no filters)."""
    return (plan_sha, perf_sha, date_text(as_at), tolerance_days)


def filtered_view(plan_sha: str, perf_sha: str | None, as_at, tolerance_days: int, themes, leads, rags) -> tuple:
    """The view after the sidebar's theme / lead / RAG filters."""
    return (*view(plan_sha, perf_sha, as_at, tolerance_days), tuple(themes), tuple(leads), tuple(rags))


def task_table(plan_sha: str, as_at, tolerance_days: int) -> tuple:
    """The task table at a reporting date."""
    return ("task table", plan_sha, date_text(as_at), tolerance_days)


def trend(plan_sha: str, as_at, tolerance_days: int, task_ids: tuple | None) -> tuple:
    """progress_trend up to a date, for these tasks (None = every task)."""
    return ("trend", plan_sha, date_text(as_at), tolerance_days, task_ids)
