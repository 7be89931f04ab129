"""The plan in plain English: the sentences the overview, the Portfolio Holder brief and the QIB deck share.

Plain pandas, no presentation: `plan_narrative` returns structured sentences (what is on track, what
slipped and by how much, what changed since the last reporting date, what the board is asked to
decide, and three questions a councillor could ask), each built from the shared task table
(`PlanView.tasks`) and coverage, so the words never disagree with the figures on any page.

Tasks are named by their words (the task text), not their codes: a councillor reads "Monthly
performance clinic", not "P2-M1-T1". Long task text is shortened at a word boundary (`task_words`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .coverage import NO_KPI, NO_TASK
from .dates import format_date
from .plan_workbook import RAG_ORDER, Rag, TaskStatus
from .progress import changes_between, completion, in_scope, rag_counts, slippage
from .values import is_blank
from .wording import days, percent, plural

TASK_WORDS_LIMIT = 90  # characters of a task's text in a sentence; tables carry the whole text


def clip_words(text: object, limit: int) -> str:
    """`text` on one line, cut at a word boundary within `limit` characters with an ellipsis."""
    words = "" if is_blank(text) else " ".join(str(text).split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def clip_sentences(text: object, limit: int) -> tuple[str, bool]:
    """(whole sentences of `text` within `limit` characters, whether anything was left out).

    Never cuts inside a sentence unless the first sentence alone is longer than `limit`; then it is
    cut at a word boundary with an ellipsis."""
    words = "" if is_blank(text) else " ".join(str(text).split())
    if len(words) <= limit:
        return words, False
    kept, length = [], 0
    for sentence in _sentences(words):
        if length + len(sentence) + (1 if kept else 0) > limit:
            break
        kept.append(sentence)
        length += len(sentence) + (1 if len(kept) > 1 else 0)
    if kept:
        return " ".join(kept), True
    return clip_words(words, limit), True


def _sentences(words: str) -> list[str]:
    out, start = [], 0
    for i, char in enumerate(words):
        if char in ".!?" and (i + 1 == len(words) or words[i + 1] == " "):
            out.append(words[start : i + 1].strip())
            start = i + 1
    if words[start:].strip():
        out.append(words[start:].strip())
    return out


def task_words(row, limit: int = TASK_WORDS_LIMIT) -> str:
    """A task named by its words (its text, shortened at a word boundary), its code only when it has no text."""
    words = clip_words(getattr(row, "task", None), limit).rstrip(".")
    return words or str(getattr(row, "task_id", ""))


def _days(n: int) -> str:
    return days(int(n))


@dataclass
class Narrative:
    """The plan at `as_at` in sentences. Each list holds complete sentences, in reading order.

    `rag_now` / `rag_before`: task counts per RAG word (RAG_ORDER) at D and at the previous reporting
    date (None when there is none); `rag_change`: now minus before per RAG word (None likewise).
    """

    as_at: pd.Timestamp
    previous_as_at: pd.Timestamp | None
    headline: list[str] = field(default_factory=list)
    on_track: list[str] = field(default_factory=list)
    slipped: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    rag_now: dict[str, int] = field(default_factory=dict)
    rag_before: dict[str, int] | None = None
    rag_change: dict[str, int] | None = None

    def summary_sentences(self) -> list[str]:
        """The plain-English summary: headline, on track, slipped, changed, asked to decide."""
        return self.headline + self.on_track + self.slipped + self.changed + self.decisions


# ---- decisions: governance_log.decisions_needed is the one definition; these put it in the documents' words --

DECISION_COLUMNS = ["task_id", "task", "lead", "theme", "decision", "why"]


def decisions_from_log_table(view, table: pd.DataFrame) -> pd.DataFrame:
    """`governance_log.decisions_needed(view).table` (columns "Decision ID", "Decision", "Owner", "Tasks",
    "When", ...) in DECISION_COLUMNS, for `plan_narrative` and the documents: the task is the first linked
    task's text found in the plan (by "Tasks" or, for decisions worked out from the data, "Decision ID"),
    else the decision's own words. The swap at merge: `decisions=decisions_from_log_table(view, needed.table)`."""
    if table is None or table.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    words = dict(zip(view.tasks["task_id"].astype(str), view.tasks["task"]))
    themes = dict(zip(view.tasks["task_id"].astype(str), view.tasks["theme"]))
    rows = []
    for _, r in table.iterrows():
        linked = [t.strip() for t in str(r.get("Tasks") or "").replace(";", ",").split(",") if t.strip()]
        ids = [t for t in [*linked, str(r.get("Decision ID") or "")] if t in words]
        decision = "" if is_blank(r.get("Decision")) else str(r.get("Decision"))
        rows.append(
            {
                "task_id": ids[0] if ids else str(r.get("Decision ID") or ""),
                "task": words[ids[0]] if ids else decision,
                "lead": r.get("Owner"),
                "theme": themes.get(ids[0]) if ids else None,
                "decision": decision,
                "why": "" if is_blank(r.get("When")) else str(r.get("When")),
            }
        )
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


# ---- questions ---------------------------------------------------------------------------------


def worst_slipping_theme(view) -> dict | None:
    """The theme whose slipped tasks add up to most days late at D (ties: most slipped tasks, then plan
    order): {theme_id, theme, slipped, total_days, still_open}. Open slipped tasks count first; only when
    none is open are finished late tasks used (`still_open` False). None when nothing has slipped."""
    scope = in_scope(view.tasks)
    slipped = scope[scope["slipped"].fillna(False).astype(bool)]
    if slipped.empty:
        return None
    still_open = slipped[slipped["status"] != TaskStatus.COMPLETE]
    if not still_open.empty:
        slipped = still_open
    by_theme = (
        slipped.assign(days=slipped["slip_days"].astype("int64"))
        .groupby("theme_id", sort=False)
        .agg(theme=("theme", "first"), slipped=("task_id", "size"), total_days=("days", "sum"), order=("plan_order", "min"))
        .reset_index()
        .sort_values(["total_days", "slipped", "order"], ascending=[False, False, True], kind="stable")
    )
    if by_theme.empty:  # a tracker whose tasks sit in no theme
        return None
    top = by_theme.iloc[0]
    return {
        "theme_id": str(top["theme_id"]),
        "theme": top["theme"],
        "slipped": int(top["slipped"]),
        "total_days": int(top["total_days"]),
        "still_open": not still_open.empty,
    }


def oldest_overdue_task(view) -> pd.Series | None:
    """The open task whose planned finish passed longest ago at D (None when no task is overdue)."""
    tasks = view.tasks
    is_open = ~tasks["status"].astype("object").isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    planned = pd.to_datetime(tasks["planned_finish"])
    overdue = tasks[is_open & planned.notna() & (planned < view.as_at)]
    if overdue.empty:
        return None
    return overdue.sort_values(["planned_finish", "plan_order"], kind="stable").iloc[0]


def recommendation_without_impact(view) -> pd.Series | None:
    """The first recommendation with no evidence of impact: tasks address it but no KPI measures it; else
    one that no task addresses. None when every recommendation has both."""
    cov = view.coverage
    if cov is None or cov.empty or "findings" not in cov:  # a tracker that lists no recommendations
        return None
    for finding in (NO_KPI, NO_TASK):
        hit = cov[cov["findings"].map(lambda f, w=finding: w in f)]
        if not hit.empty:
            return hit.iloc[0]
    return None


def _questions(view) -> list[str]:
    out = []
    theme = worst_slipping_theme(view)
    if theme is not None:
        theme["theme"] = clip_words(theme["theme"], 80)
    if theme is not None and theme["still_open"]:
        out.append(
            f"Theme {theme['theme_id']} ({theme['theme']}) has slipped most: {plural(theme['slipped'], 'open task')} "
            f"running {_days(theme['total_days'])} late in total. What is the recovery plan, and who owns it?"
        )
    elif theme is not None:
        out.append(
            f"Theme {theme['theme_id']} ({theme['theme']}) slipped most: {plural(theme['slipped'], 'task')} finished "
            f"{_days(theme['total_days'])} late in total. What has the service learned for its next plan?"
        )
    else:
        out.append("No theme has slipped. Which theme is most at risk of slipping before the next meeting, and why?")
    task = oldest_overdue_task(view)
    if task is not None:
        late = (pd.Timestamp(view.as_at) - pd.Timestamp(task["planned_finish"])).days
        lead = "" if is_blank(task["lead"]) else f" (lead: {clip_words(task['lead'], 80)})"
        out.append(
            f"The oldest overdue task, '{task_words(task)}'{lead}, was due on {format_date(task['planned_finish'])}, "
            f"{_days(late)} ago. What is stopping it, and when will it finish?"
        )
    else:
        out.append("No task is past its planned finish. Which tasks due next are least certain to finish on time?")
    rec = recommendation_without_impact(view)
    if rec is not None:
        said = f"Recommendation {rec['rec_id']} ('{clip_words(rec['recommendation'], 80)}')"
        if NO_KPI in rec["findings"]:
            out.append(f"{said} has tasks against it but no measure of impact. How will the board know practice has improved for children?")
        else:
            out.append(f"{said} has no task addressing it, so nothing shows its impact. Who will own it, and by when?")
    else:
        out.append("Every recommendation has tasks and a measure of impact. Which measure shows the most change for children?")
    return out


# ---- the narrative -----------------------------------------------------------------------------


def _rag_change_words(now: dict[str, int], before: dict[str, int]) -> str:
    parts = []
    for rag in (str(r) for r in RAG_ORDER if r != Rag.CANCELLED):
        delta = now.get(rag, 0) - before.get(rag, 0)
        if delta:
            parts.append(f"{rag} {'up' if delta > 0 else 'down'} {abs(delta)} (from {before.get(rag, 0)} to {now.get(rag, 0)})")
    return "; ".join(parts)


def board_decisions(view) -> pd.DataFrame:
    """The decisions the board is asked to make, in DECISION_COLUMNS, from the one definition:
    governance_log.decisions_needed (the plan's Decisions sheet where it keeps one, else worked out from
    the data: tasks whose forecast breaks the tolerance for the first time). `attrs["from_log"]` and
    `attrs["source_text"]` say which."""
    from .governance_log import decisions_needed

    needed = decisions_needed(view)
    frame = decisions_from_log_table(view, needed.table)
    frame.attrs.update(from_log=bool(needed.from_log), source_text=needed.source_text)
    return frame


def plan_narrative(view, previous_view=None, decisions: pd.DataFrame | None = None, decisions_source_text: str | None = None) -> Narrative:
    """The plan at the view's reporting date in plain English.

    `previous_view` is the PlanView at the previous reporting date (None: no comparison);
    `decisions` the board's decisions frame (DECISION_COLUMNS; default `board_decisions(view)`);
    `decisions_source_text` the sentence saying where those decisions came from (the decisions log or
    the data: `governance_log.decisions_needed(view).source_text`, which `board_decisions` carries too);
    when known, the decisions sentence ends with it, so the reader knows whether the board's own log or
    the figures produced the list.
    """
    tasks = view.tasks
    when = format_date(view.as_at)
    done, rag, slip = completion(tasks), rag_counts(tasks), slippage(tasks)
    story = Narrative(view.as_at, previous_view.as_at if previous_view is not None else None, rag_now=rag)
    if done["in_scope"] == 0:
        story.headline.append(f"At {when} the plan has no tasks in scope.")
        story.questions = _questions(view)
        return story

    gap = round((done["rate"] or 0) * 100) - round((done["planned_rate"] or 0) * 100)
    position = (
        "in line with the plan"
        if gap == 0
        else (f"{abs(gap)} percentage points behind the plan" if gap < 0 else f"{gap} percentage points ahead of the plan")
    )
    story.headline.append(
        f"At {when}, {done['complete']} of {done['in_scope']} tasks are complete ({percent(done['rate'])}); "
        f"the plan expected {percent(done['planned_rate'])} by this date, so delivery is {position}."
    )
    open_tasks = rag["Green"] + rag["Amber"] + rag["Red"]
    parts = [f"{rag[w]} {what} ({w})" for w, what in (("Green", "on track"), ("Amber", "at risk"), ("Red", "off track")) if rag[w]]
    if open_tasks == 0:
        story.on_track.append("No task is still open.")
    elif open_tasks == 1:
        story.on_track.append(f"The one task still open is {parts[0].split(' ', 1)[1]}.")
    else:
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        story.on_track.append(f"Of the {open_tasks} tasks still open: {listed}.")

    if slip["slipped"]:
        scope = in_scope(tasks)
        worst = scope[scope["slipped"].fillna(False).astype(bool)].sort_values("slip_days", ascending=False, kind="stable").iloc[0]
        story.slipped.append(
            f"{plural(slip['slipped'], 'task')} finished or {'is' if slip['slipped'] == 1 else 'are'} forecast to finish later than planned, "
            f"by a median of {_days(round(slip['median_days']))}; the longest, '{task_words(worst)}', by {_days(worst['slip_days'])}."
        )
    else:
        story.slipped.append("No task has finished, or is forecast to finish, later than planned.")

    if previous_view is not None:
        before = rag_counts(previous_view.tasks)
        story.rag_before = before
        story.rag_change = {k: rag[k] - before.get(k, 0) for k in rag}
        changes = changes_between(previous_view.tasks, tasks)
        completed = int(changes["newly_complete"].sum())
        newly_red = changes[changes["newly_red"]]
        newly_amber = int(changes["newly_amber"].sum())
        moved = int(changes["forecast_moved"].sum())
        since = f"Since {format_date(previous_view.as_at)}"
        # The same four groups as the Changes page (newly Red, newly Amber, newly complete, forecast moved).
        words = [
            plural(completed, "task") + " completed",
            plural(len(newly_red), "task") + " became Red",
            plural(newly_amber, "task") + " became Amber",
            plural(moved, "forecast") + " moved",
        ]
        story.changed.append(f"{since}: {words[0]}, {words[1]}, {words[2]} and {words[3]}.")
        change_words = _rag_change_words(rag, before)
        story.changed.append(f"RAG counts changed: {change_words}." if change_words else "The RAG counts are unchanged.")
        if len(newly_red) == 1:
            story.changed.append(f"Newly Red: '{task_words(newly_red.iloc[0])}' ({newly_red.iloc[0]['reason']}).")
    else:
        story.changed.append("This is the first reporting date, so there is nothing to compare with.")

    decisions = board_decisions(view) if decisions is None else decisions
    source_text = decisions_source_text or decisions.attrs.get("source_text")
    if source_text:
        asked = (
            f"The board is asked to decide on {plural(len(decisions), 'item')}. "
            if len(decisions)
            else "The board has no decision waiting. "
        )
        story.decisions.append(asked + source_text)
    elif decisions.attrs.get("from_log", True):  # from the decisions log: its own wording, not the tolerance rule's
        story.decisions.append(
            f"The board is asked to make {plural(len(decisions), 'decision')}, listed under decisions needed."
            if len(decisions)
            else "No decision is waiting for the board."
        )
    elif len(decisions):
        story.decisions.append(
            f"The board is asked to decide on {plural(len(decisions), 'task')} that broke {'its' if len(decisions) == 1 else 'their'} "
            "tolerance for the first time: accept the new date or ask for a recovery plan."
        )
    else:
        story.decisions.append("No task broke its tolerance for the first time, so the board has no new date to agree.")
    story.questions = _questions(view)
    return story
