"""Where the project's shared material lives: `shared/` beside the checkout (as CI lays it out)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_reference() -> Path:
    """The reference folder (published statistics, the plan, the Ofsted reports): ../shared/reference
    beside this checkout, else /work/shared/reference where the workplace keeps it."""
    for candidate in (ROOT.parent / "shared" / "reference", Path("/work/shared/reference")):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/reference was not found beside the checkout (../shared/reference).")
