"""Generate a large programme in the contract format, for the benchmark (not for CI).

    python benchmarks/generate_large.py [--out benchmarks/out] [--themes 20] [--tasks 10000] [--months 12]
                                        [--workers 2500] [--worker-months 36] [--kpis 200]

Writes `large_plan.xlsx` (20 themes, 10,000 tasks, 12 monthly updates each) and
`large_performance.xlsx` (2,500 workers over 36 months, 200 KPIs over 36 months). Deterministic
(seeded); streamed with openpyxl's write-only mode so memory stays flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.xlsx import normalise_zip  # noqa: E402

START = dt.date(2022, 4, 1)
STATUSES_OPEN = ("In progress", "In progress", "In progress", "Not started", "On hold")
MONTH_WORDS = ("Jan", "Feb", "Mar", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")


def month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


def plan_wording(day: dt.date, rng: random.Random) -> object:
    """Mix real dates with plan wording, as real trackers do."""
    roll = rng.random()
    if roll < 0.45:
        return dt.datetime(day.year, day.month, day.day)
    if roll < 0.85:
        return f"{MONTH_WORDS[day.month - 1]} {day.year % 100:02d}"
    if roll < 0.97:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    return "TBC"


def write(path: Path, sheets: dict[str, tuple[list[str], object]]) -> None:
    book = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    tmp = path.with_suffix(".tmp")
    book.save(tmp)
    path.write_bytes(normalise_zip(tmp.read_bytes()))
    tmp.unlink()


def large_plan(path: Path, themes: int, tasks: int, months: int, seed: int = 2016) -> None:
    rng = random.Random(seed)
    rec_count = 60
    task_rows, update_rows = [], []
    per_theme = tasks // themes
    reporting = [add_months(START, m) for m in range(months)]
    for t in range(1, themes + 1):
        for i in range(per_theme):
            milestone = i // 10 + 1
            task_id = f"P{t}-M{milestone}-T{i % 10 + 1}"
            start = add_months(START, rng.randint(-6, 6))
            finish = add_months(start, rng.randint(2, 14))
            start_cell = "Started" if rng.random() < 0.1 else plan_wording(start.replace(day=1), rng)
            lead = f"Lead officer {rng.randint(1, 150)}" if i % 10 == 0 or rng.random() < 0.5 else None
            recs = ", ".join(str(r) for r in sorted(rng.sample(range(1, rec_count + 1), rng.randint(0, 2))))
            task_rows.append(
                [
                    task_id,
                    t,
                    f"M{milestone}",
                    f"Milestone {milestone} of theme {t}",
                    f"T{i % 10 + 1}",
                    f"Task {i + 1} of theme {t}: deliver improvement activity",
                    lead,
                    start_cell,
                    plan_wording(finish, rng),
                    recs,
                ]
            )
            forecast = finish
            done = False
            for as_at in reporting:
                if done or rng.random() < 0.03:  # finished tasks stop reporting; a few months are missed
                    continue
                if as_at >= forecast and rng.random() < 0.7:
                    update_rows.append(
                        [task_id, as_at, "Complete", 100, None, min(as_at, forecast), "Blue", "Delivered.", "Programme office"]
                    )
                    done = True
                    continue
                if rng.random() < 0.08:
                    forecast = add_months(forecast, rng.randint(1, 3))
                    moved = forecast
                else:
                    moved = None
                status = rng.choice(STATUSES_OPEN) if as_at > start else "Not started"
                update_rows.append(
                    [
                        task_id,
                        as_at,
                        status,
                        rng.randint(0, 95),
                        moved,
                        None,
                        rng.choice(("Green", "Amber", "Red", None)),
                        f"Update for {as_at:%b %Y}.",
                        "Programme office",
                    ]
                )
    write(
        path,
        {
            "About": (
                ["key", "value"],
                [
                    ["organisation", "Benchmark council"],
                    ["plan_title", "Large benchmark programme"],
                    ["data_status", "illustrative: generated for benchmarking"],
                ],
            ),
            "Recommendations": (["rec_id", "recommendation"], [[r, f"Recommendation {r}"] for r in range(1, rec_count + 1)]),
            "Themes": (["theme_id", "theme", "chair"], [[t, f"Theme {t}", f"Chair {t}"] for t in range(1, themes + 1)]),
            "Theme_Recommendations": (["theme_id", "rec_id"], [[t, r] for r in range(1, rec_count + 1) for t in (r % themes + 1,)]),
            "Tasks": (
                ["task_id", "theme_id", "milestone_ref", "milestone", "task_ref", "task", "lead", "start", "finish", "rec_ids"],
                task_rows,
            ),
            "Updates": (
                [
                    "task_id",
                    "as_at",
                    "status",
                    "percent_complete",
                    "forecast_finish",
                    "actual_finish",
                    "reported_rag",
                    "commentary",
                    "updated_by",
                ],
                update_rows,
            ),
        },
    )


def large_performance(path: Path, workers: int, months: int, kpis: int, seed: int = 2017) -> None:
    rng = random.Random(seed)
    periods = [add_months(START, m) for m in range(months)]
    teams = [(f"Team {n}", ("North", "South", "East", "Central", "West")[n % 5]) for n in range(1, 101)]
    caseload_rows, workforce_rows = [], []
    for w in range(workers):
        team, locality = teams[w % len(teams)]
        role = "ASYE" if w % 20 == 0 else rng.choice(("Social Worker", "Social Worker", "Senior Practitioner", "Consultant Social Worker"))
        fte = rng.choice((1.0, 1.0, 1.0, 0.8, 0.6, 0.5))
        agency = "Y" if rng.random() < 0.15 else "N"
        for period in periods:
            cases = max(0, round(rng.gauss(18 if role != "ASYE" else 11, 5) * fte))
            caseload_rows.append([period, team, locality, f"SW{w:05d}", role, fte, cases, agency])
    for team, _ in teams:
        for period in periods:
            establishment = 25.0
            filled = round(establishment - rng.uniform(0, 5), 1)
            workforce_rows.append([period, team, establishment, filled, round(filled * 0.15, 1), rng.randint(0, 2), rng.randint(0, 2)])
    kpi_rows = [
        [
            f"K{k:03d}",
            f"Indicator {k}",
            ("percent", "count", "rate_per_10k")[k % 3],
            ("higher_is_better", "lower_is_better")[k % 2],
            50 if k % 4 == 0 else None,
            5 if k % 8 == 0 else None,
            str(k % 14 + 1),
            f"Definition of indicator {k}",
            "Benchmark source",
        ]
        for k in range(1, kpis + 1)
    ]
    value_rows = [
        [f"K{k:03d}", period, round(rng.uniform(20, 80), 1), round(rng.uniform(20, 80), 1), round(rng.uniform(20, 80), 1)]
        for k in range(1, kpis + 1)
        for period in periods
    ]
    write(
        path,
        {
            "About": (
                ["key", "value"],
                [["organisation", "Benchmark council"], ["data_status", "illustrative: generated for benchmarking"]],
            ),
            "KPIs": (["kpi_id", "kpi", "unit", "polarity", "target", "tolerance", "rec_ids", "definition", "source"], kpi_rows),
            "KPI_Values": (["kpi_id", "period", "value", "stat_neighbours", "england"], value_rows),
            "Caseloads": (["period", "team", "locality", "worker_id", "role", "fte", "cases", "agency"], caseload_rows),
            "Workforce": (["period", "team", "establishment_fte", "filled_fte", "agency_fte", "starters", "leavers"], workforce_rows),
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2_500)
    parser.add_argument("--worker-months", type=int, default=36)
    parser.add_argument("--kpis", type=int, default=200)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    large_plan(out / "large_plan.xlsx", args.themes, args.tasks, args.months)
    large_performance(out / "large_performance.xlsx", args.workers, args.worker_months, args.kpis)
    print(f"wrote {out / 'large_plan.xlsx'} and {out / 'large_performance.xlsx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
