"""Tables as people read them: dates as `31 Mar 2017`, RAG as words, lists joined. Plain pandas."""

from __future__ import annotations

import pandas as pd

from src.analysis.dates import format_date
from src.analysis.findings import findings_frame
from src.analysis.plan_workbook import RAG_ORDER, Rag
from src.analysis.progress import rollup_words
from src.analysis.wording import percent
from src.xlsx import csv_safe

RAG_COUNT_COLUMNS = [str(r) for r in RAG_ORDER]


def _text(value: object) -> object:
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return ""  # a blank cell, not the word "None"
    if isinstance(value, str):
        return str(value)  # StrEnum members (RAG, status) as their plain words
    return value


def _texty(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates to `31 Mar 2017` text, tuples/lists to `a, b`, enums to their words; nothing else changes."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.map(format_date).astype("object")
        elif _texty(series):
            out[column] = series.map(_text)
    return out


def task_view(tasks: pd.DataFrame) -> pd.DataFrame:
    """The task table as the RAG and slippage page shows and exports it (human column names)."""
    frame = pd.DataFrame(
        {
            "Task": tasks["task_id"],
            "Theme": tasks["theme_id"],
            "Milestone": tasks["milestone_ref"],
            "Task wording": tasks["task"],
            "Lead": tasks["lead"].fillna("(no lead given)") + tasks["lead_inferred"].map({True: " (inferred)", False: ""}),
            "Status": tasks["status"].astype("object"),
            "RAG": tasks["rag"].astype("object").map(str),
            "Why": tasks["reason"],
            "Lead's RAG": tasks["reported_rag"].astype("object").map(lambda v: "" if v is None or pd.isna(v) else str(v)),
            "RAG disagrees": tasks["rag_disagrees"].map({True: "Yes: lead and rule differ", False: ""}),
            "Start (as written)": tasks["start_as_written"],
            "Planned finish": tasks["planned_finish"].map(format_date),
            "Finish (as written)": tasks["finish_as_written"],
            "Expected finish": tasks["expected_finish"].map(format_date),
            "Slip (days)": tasks["slip_days"],
            "Forecast moves": tasks["forecast_moves"],
            "% complete": tasks["percent_complete"],
            "Recommendations": tasks["rec_ids"].map(_text),
            "Latest commentary": tasks["commentary"],
        }
    )
    if "task_id_derived" in tasks:  # a tracker's row without a number of its own (docs/trackers.md): the id is ours, said so
        frame["Id made by the dashboard"] = tasks["task_id_derived"].map({True: "Yes: the plan does not number this one", False: ""})
    first = ["Task", "RAG", "Why", "Lead's RAG", "RAG disagrees", "Slip (days)", "Expected finish", "Planned finish", "Task wording"]
    return frame[first + [c for c in frame.columns if c not in first]].reset_index(drop=True)


def _worst(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def rollup_view(rolled: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A roll-up led by its counts ("1 of 5 tasks off track, 4 complete", `progress.rollup_words`), the
    worst task RAG beside them, so a nearly finished group never reads as failing on its worst task alone."""
    frame = rolled.copy()
    frame["Progress"] = [rollup_words(row) for _, row in frame.iterrows()]
    frame["Worst task RAG"] = frame["rag"].map(_worst)
    frame["Tasks in scope"] = (frame["tasks"] - frame[str(Rag.CANCELLED)]).astype("int64")
    frame["Completion"] = frame["completion_rate"].map(lambda r: percent(r, missing=""))
    # Short keys first, then the counts in words and the worst RAG, then the long wording (the last key) if any.
    short, long = (keys[:-1], keys[-1:]) if len(keys) > 1 else (keys, [])
    columns = short + ["Progress", "Worst task RAG", "Tasks in scope", "complete", "Completion", "slipped"] + long + RAG_COUNT_COLUMNS
    return for_display(frame[columns].rename(columns={"complete": "Complete", "slipped": "Slipped"}))


def findings_view(findings: list) -> pd.DataFrame:
    """Findings with plain column names; advice as 'What to do'."""
    frame = findings_frame(findings)
    return frame.rename(
        columns={
            "workbook": "Workbook",
            "sheet": "Sheet",
            "row": "Row",
            "column": "Column",
            "message": "Problem",
            "severity": "Severity",
            "advice": "What to do",
        }
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with BOM so Excel opens accented names correctly; formula-like text guarded (src.xlsx.csv_safe),
    headers included (a column can be named after the organisation)."""
    safe = for_display(frame)
    for column in safe.columns:
        if _texty(safe[column]):
            safe[column] = safe[column].map(csv_safe)
    safe.columns = [csv_safe(str(c)) for c in safe.columns]
    # CRLF rows (RFC 4180, as Excel writes them): a carriage return inside a cell is then quoted, not a row break.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def coverage_view(coverage: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: text, themes by name, task count and ids, roll-up RAG with counts, KPIs, findings."""
    names = dict(zip(themes["theme_id"], themes["theme"]))
    frame = coverage.copy()
    frame["rag"] = frame["rag"].map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
    return pd.DataFrame(
        {
            "Rec": frame["rec_id"],
            "Recommendation": frame["recommendation"],
            "Themes in the plan": frame["themes"].map(lambda ids: "; ".join(f"{t}. {names.get(t, '')}" for t in ids) or "none"),
            "Tasks": frame["tasks"].map(len),
            "Task ids": frame["tasks"].map(_text),
            "Progress": [rollup_words(row) if len(row["tasks"]) else "no task addresses it" for _, row in frame.iterrows()],
            "Worst task RAG": frame["rag"].map(_worst),
            "KPIs": frame["kpis"].map(lambda ids: ", ".join(ids) or "none"),
            "Findings": frame["findings"].map(lambda items: " ".join(items) or "none"),
        }
    )


def exceptions_view(ex: pd.DataFrame) -> pd.DataFrame:
    """The Exceptions page's table (one row per task, `exceptions.by_task` with `group` and `open_issue`)."""
    # What the board reads first goes first: the task's words, its code beside them, why it is listed.
    return pd.DataFrame(
        {
            "Task or action": ex["task"].map(lambda v: v if isinstance(v, str) else ""),
            "Code": ex["task_id"],
            "Why listed": ex["why_listed"],
            "RAG": ex["rag"].map(lambda v: v if isinstance(v, str) else ""),
            "Reasons": ex["reasons"],
            "Open issue": ex["open_issue"],
            "Slip or days overdue": ex["slip_days"].astype("Int64"),
            "Expected finish": pd.to_datetime(ex["forecast"]),
            "Latest commentary": ex["commentary"].map(lambda v: v if isinstance(v, str) else ""),
            "Lead": ex["lead"].map(lambda v: v if isinstance(v, str) else ""),
            "Theme": ex["theme_id"].map(lambda v: "" if v is None or pd.isna(v) else str(v)),
            "Milestone": ex["milestone_ref"].map(lambda v: "" if v is None or pd.isna(v) else str(v)),
            "Latest update": pd.to_datetime(ex["last_update"]),
        }
    )
