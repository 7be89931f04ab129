"""The workbook contract (shared/spec/workbook-format.md) as data: sheets, columns, kinds and accepted spellings.

Aliases are an extension of the contract: other councils' trackers say `Lead officer` or
`Due date`; we accept those too. Canonical names never change (public interface).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a column's cells are read."""

    ID = "id"  # trimmed text; 3 and 3.0 are the same id
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # a real date; text dates and plan wording accepted (month -> month end)
    PLAN_DATE = "plan_date"  # kept as written; parsed by dates.parse_plan_date with its side
    ID_LIST = "id_list"  # "3, 9" -> ("3", "9")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    required: bool = True
    aliases: tuple[str, ...] = ()
    key: str | None = None  # unique id column
    about: bool = field(default=False)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def normalise_name(text: object) -> str:
    """Contract matching rule: case-insensitive, trimmed, spaces/hyphens/underscores alike; brackets
    and what they hold (`Due Date (mm/yy)`), question marks and other punctuation ignored (`Who by?`)."""
    value = str(text).strip().lower()
    unbracketed = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", value)
    if unbracketed.strip():  # a header that is all brackets keeps its words: `(Ref)` is `ref`
        value = unbracketed
    value = value.replace("%", " percent ").replace("&", " and ")
    value = re.sub(r"['\u2019`]", "", value)  # child's -> childs
    value = re.sub(r"[^\w]+|_+", "_", value)
    return value.strip("_")


C = ColumnSpec

PLAN_SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("About", (C("key"), C("value", required=False)), required=False, about=True),
    SheetSpec(
        "Recommendations",
        (
            C("rec_id", Kind.ID, aliases=("rec", "rec_no", "recommendation_id", "recommendation_no", "ref", "no")),
            C("recommendation", aliases=("recommendation_text", "text", "description")),
            C("source", required=False),
        ),
        aliases=("recs", "ofsted_recommendations"),
        key="rec_id",
    ),
    SheetSpec(
        "Themes",
        (
            C("theme_id", Kind.ID, aliases=("theme_no", "programme", "programme_id", "theme_ref")),
            C("theme", aliases=("theme_name", "name")),
            C("chair", required=False, aliases=("programme_board_chair", "board_chair")),
        ),
        aliases=("programmes",),
        key="theme_id",
    ),
    SheetSpec(
        "Theme_Recommendations",
        (
            C("theme_id", Kind.ID, aliases=("theme", "theme_no", "programme")),
            C("rec_id", Kind.ID, aliases=("rec", "recommendation", "rec_no", "recommendation_id")),
        ),
        aliases=("theme_recs", "themes_recommendations", "recommendation_themes"),
    ),
    SheetSpec(
        "Tasks",
        (
            C("task_id", Kind.ID, aliases=("id", "task_key", "action_id")),
            C("theme_id", Kind.ID, aliases=("theme", "theme_no", "programme", "programme_id")),
            C("milestone_ref", Kind.ID, aliases=("milestone_no", "milestone_id", "ms_ref")),
            C("milestone", required=False, aliases=("milestone_description", "milestone_text")),
            C("task_ref", Kind.ID, required=False, aliases=("task_no", "ref")),
            C("task", aliases=("task_description", "action", "description", "task_text", "activity", "what", "deliverable", "key_actions")),
            C(
                "lead",
                required=False,
                aliases=(
                    "lead_officer",
                    "owner",
                    "responsible_officer",
                    "responsible",
                    "who",
                    "who_by",
                    "by_whom",
                    "accountable",
                    "action_owner",
                ),
            ),
            C("start", Kind.PLAN_DATE, aliases=("start_date", "planned_start", "from", "begin")),
            C(
                "finish",
                Kind.PLAN_DATE,
                aliases=(
                    *("finish_date", "end", "end_date", "planned_finish", "due", "due_date", "deadline", "to"),
                    *("when", "target_date", "timescale", "timescales", "by_when", "completion_date", "date_due", "target"),
                ),
            ),
            C(
                "rec_ids",
                Kind.ID_LIST,
                required=False,
                aliases=("recommendations", "rec", "recs", "rec_id", "recommendation_ids", "ofsted_recommendations"),
            ),
        ),
        aliases=("actions", "action_plan", "plan"),
        key="task_id",
    ),
    SheetSpec(
        "Updates",
        (
            C("task_id", Kind.ID, aliases=("id", "task", "action_id")),
            C("as_at", Kind.DATE, aliases=("as_at_date", "reporting_date", "update_date", "date", "period")),
            C("status", aliases=("task_status", "progress_status", "current_status")),
            C(
                "percent_complete",
                Kind.NUMBER,
                required=False,
                aliases=("percent", "percent_done", "pct_complete", "progress", "complete_percent"),
            ),
            C(
                "forecast_finish",
                Kind.DATE,
                required=False,
                aliases=("forecast", "forecast_date", "revised_finish", "revised_date", "expected_finish"),
            ),
            C("actual_finish", Kind.DATE, required=False, aliases=("actual", "completed_on", "completion_date", "date_completed")),
            C("reported_rag", required=False, aliases=("rag", "lead_rag", "rag_status", "reported_status")),
            C(
                "commentary",
                required=False,
                aliases=("comment", "comments", "update", "narrative", "notes", "progress_update", "progress_and_review", "latest_update"),
            ),
            C("updated_by", required=False, aliases=("author", "reported_by")),
        ),
        required=False,
        aliases=("progress", "progress_updates", "monthly_updates"),
    ),
    SheetSpec(
        "Risks",
        (
            C("risk_id", Kind.ID, aliases=("id", "risk_no", "ref")),
            C("risk", aliases=("identified_risk", "description", "risk_description")),
            C("rating", aliases=("risk_rating", "level")),
            C("response", required=False),
            C("mitigation", required=False, aliases=("mitigations", "controls")),
            C("likelihood", Kind.NUMBER, required=False),
            C("impact", Kind.NUMBER, required=False),
            C("owner", required=False, aliases=("risk_owner",)),
        ),
        required=False,
        aliases=("risk_register",),
        key="risk_id",
    ),
    SheetSpec(
        "LSCB_Actions",
        (
            C("action_id", Kind.ID, aliases=("id", "ref", "no")),
            C("action", aliases=("action_description", "description")),
            C("lead", required=False, aliases=("lead_officer", "owner")),
            C("timescale", Kind.PLAN_DATE, aliases=("due", "due_date", "finish", "deadline")),
            C("status", required=False),
            C("commentary", required=False, aliases=("comment", "comments", "update")),
        ),
        required=False,
        aliases=("lscb", "lscb_action_plan", "lscb_actions_plan"),
        key="action_id",
    ),
    SheetSpec(
        "Governance",
        (
            C("name"),
            C("post", required=False, aliases=("post_held", "job_title", "title")),
            C("board", aliases=("group", "committee")),
            C("role", required=False, aliases=("membership",)),
        ),
        required=False,
        aliases=("membership", "boards"),
    ),
    # The programme office's Issues Log and the QIB's decisions (issue 15): optional, read like every sheet.
    SheetSpec(
        "Issues",
        (
            C("issue_id", Kind.ID, aliases=("id", "issue_no", "issue_ref", "ref", "no")),
            C("issue", aliases=("issue_description", "description", "issue_text", "title")),
            C("raised", Kind.DATE, required=False, aliases=("date_raised", "raised_on", "opened", "date_opened", "logged", "date_logged")),
            C("owner", required=False, aliases=("issue_owner", "lead", "lead_officer", "responsible", "assigned_to")),
            C("task_ids", Kind.ID_LIST, required=False, aliases=("tasks", "task_id", "task", "task_refs", "action_ids", "affects_tasks")),
            C("theme_id", Kind.ID, required=False, aliases=("theme", "theme_no", "programme", "programme_id")),
            C("impact", required=False, aliases=("impact_on_delivery", "effect", "consequence")),
            C("action", required=False, aliases=("actions", "action_agreed", "next_steps", "resolution", "response")),
            C("status", required=False, aliases=("issue_status", "open_closed")),
            C("closed", Kind.DATE, required=False, aliases=("date_closed", "closed_on", "closed_date", "resolved_on", "date_resolved")),
        ),
        required=False,
        aliases=("issues_log", "issue_log", "issues_register", "issue_register"),
        key="issue_id",
    ),
    SheetSpec(
        "Decisions",
        (
            C("decision_id", Kind.ID, aliases=("id", "decision_no", "decision_ref", "ref", "no")),
            C("meeting", Kind.DATE, required=False, aliases=("meeting_date", "date_of_meeting", "board_date", "qib_date", "date")),
            C("decision", aliases=("decision_needed", "decision_taken", "decision_text", "description")),
            C("board", required=False, aliases=("by", "decided_by", "forum", "group", "committee")),
            C("owner", required=False, aliases=("action_owner", "lead", "lead_officer", "responsible")),
            C("task_ids", Kind.ID_LIST, required=False, aliases=("tasks", "task_id", "task", "task_refs", "action_ids")),
            C("due", Kind.DATE, required=False, aliases=("due_date", "deadline", "by_when", "action_by", "target_date")),
            C("status", required=False, aliases=("decision_status",)),
            C("outcome", required=False, aliases=("result", "decision_made", "notes", "comment", "comments")),
        ),
        required=False,
        aliases=("decisions_log", "decision_log", "qib_decisions", "decision_register"),
        key="decision_id",
    ),
)

PERFORMANCE_SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("About", (C("key"), C("value", required=False)), required=False, about=True),
    SheetSpec(
        "KPIs",
        (
            C("kpi_id", Kind.ID, aliases=("id", "code", "indicator_id")),
            C("kpi", aliases=("name", "indicator", "kpi_name")),
            C("unit", required=False),
            C("polarity", required=False, aliases=("direction", "good_is")),
            C("target", Kind.NUMBER, required=False),
            C("tolerance", Kind.NUMBER, required=False),
            C("rec_ids", Kind.ID_LIST, required=False, aliases=("recommendations", "recs", "rec_id")),
            C("definition", required=False),
            C("source", required=False),
        ),
        aliases=("indicators",),
        key="kpi_id",
    ),
    SheetSpec(
        "KPI_Values",
        (
            C("kpi_id", Kind.ID, aliases=("id", "code", "indicator_id")),
            C("period", Kind.DATE, aliases=("date", "as_at", "month", "year_end")),
            C("value", Kind.NUMBER),
            C("stat_neighbours", Kind.NUMBER, required=False, aliases=("statistical_neighbours", "sn", "sn_average", "stat_neighbour")),
            C("england", Kind.NUMBER, required=False, aliases=("national", "england_average")),
            C("north_east", Kind.NUMBER, required=False, aliases=("region", "regional")),
            C("source", required=False),
        ),
        aliases=("values", "kpi_data"),
    ),
    SheetSpec(
        "Caseloads",
        (
            C("period", Kind.DATE, aliases=("month", "date", "as_at")),
            C("team"),
            C("locality", required=False, aliases=("area",)),
            C("worker_id", Kind.ID, aliases=("worker", "worker_code", "staff_code", "staff_id")),
            C("role", required=False, aliases=("post", "job_role")),
            C("fte", Kind.NUMBER, aliases=("fte_hours", "full_time_equivalent")),
            C("cases", Kind.NUMBER, aliases=("caseload", "open_cases", "allocated_cases")),
            C("agency", required=False, aliases=("is_agency", "agency_worker")),
        ),
        required=False,
        aliases=("caseload",),
    ),
    SheetSpec(
        "Workforce",
        (
            C("period", Kind.DATE, aliases=("month", "date", "as_at")),
            C("team"),
            C("locality", required=False, aliases=("area",)),  # extension: lets vacancy and turnover group by locality
            C("establishment_fte", Kind.NUMBER, aliases=("establishment",)),
            C("filled_fte", Kind.NUMBER, aliases=("filled", "in_post_fte")),
            C("agency_fte", Kind.NUMBER, required=False, aliases=("agency",)),
            C("starters", Kind.NUMBER, required=False),
            C("leavers", Kind.NUMBER, required=False),
        ),
        required=False,
        aliases=("staffing",),
    ),
)

# ---- trackers as kept (docs/trackers.md) ---------------------------------------------------------
# What a column of a council's own tracker can mean, and the headers councils write for it. A header
# matches when it equals a synonym after normalise_name (so `Who by?` is `who_by`); fuzzy matches are
# only ever suggestions (src/analysis/mapping.py). Order matters only for the documentation.
TRACKER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": (
        "No",
        "Nos",
        "No.",
        "Number",
        "Ref",
        "Ref no",
        "Reference",
        "Action no",
        "Action ref",
        "Item",
        "#",
        "Id",
        "Task id",
        "Task ref",
    ),
    "task": (
        "Task",
        "Action",
        "Actions",
        "Activity",
        "Activities",
        "What",
        "Milestone",
        "Milestones",
        "Deliverable",
        "Deliverables",
        "Key actions",
        "Action required",
        "Actions required",
        "Task description",
        "Action description",
    ),
    "milestone": ("Objective", "Sub objective", "Aim", "Outcome required", "Key milestone"),
    "theme": ("Theme", "Priority", "Area", "Workstream", "Programme", "Strand", "Priority area"),
    "recommendation": (
        "Recommendation",
        "Recommendations",
        "Area for improvement",
        "Areas for improvement",
        "Ofsted recommendation",
        "Para ref",
        "Paragraph",
        "Paragraph ref",
        "Rec",
        "Rec no",
        "Rec ids",
    ),
    "lead": (
        "Lead",
        "Owner",
        "Who",
        "Who by",
        "By whom",
        "Responsible officer",
        "Lead officer",
        "Lead officers",
        "Accountable",
        "Accountable officer",
        "Responsible",
        "Action owner",
        "Lead person",
    ),
    "start": ("Start", "Start date", "From", "Begin", "Planned start"),
    "finish": (
        "When",
        "Target date",
        "Due date",
        "Due",
        "Timescale",
        "Timescales",
        "Deadline",
        "By when",
        "Completion date",
        "Finish",
        "Finish date",
        "End date",
        "Target",
        "Date due",
        "Target completion date",
    ),
    "status": ("Current status", "Status", "Progress", "Progress status", "Current position"),
    "rag": ("RAG", "RAG status", "RAG rating", "Rating", "BRAG"),
    "percent_complete": ("Percent complete", "% complete", "% done", "Percentage complete"),
    "commentary": (
        "Progress update",
        "Progress & review",
        "Progress and review",
        "Outcome",
        "Outcomes",
        "Update",
        "Updates",
        "Comments",
        "Comment",
        "Commentary",
        "Notes",
        "Progress notes",
        "Latest update",
    ),
    "impact": (
        "Success measures",
        "Success measure",
        "Measure of success",
        "Measures of success",
        "Evidence of impact",
        "Impact",
        "Success criteria",
    ),
    "detail": ("How", "How will we do it", "Method", "Resources"),
    "forecast_finish": ("Revised date", "Revised deadline", "Revised timescale", "Forecast date", "Forecast finish"),
    "actual_finish": ("Date completed", "Actual completion date", "Completed on", "Actual finish", "Date achieved"),
}
TRACKER_MEANINGS: tuple[str, ...] = tuple(TRACKER_SYNONYMS)
