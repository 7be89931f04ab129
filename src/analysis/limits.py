"""Every limit an untrusted workbook meets, in one place.

README "Limits" and the upload help text are written from these names; change a number here and
it changes everywhere. Sizes are in MiB (1 MiB = 1,048,576 bytes) throughout, on screen too, so a
message never mixes MB and MiB.
"""

from __future__ import annotations

MIB = 1024 * 1024

# The file and its archive (checked before any byte is parsed; the file size before any byte is read).
MAX_FILE_MIB = 50
MAX_FILE_BYTES = MAX_FILE_MIB * MIB
MAX_UNZIPPED_MIB = 600  # the sum of the sizes the archive declares for its parts
MAX_UNZIPPED_BYTES = MAX_UNZIPPED_MIB * MIB
MAX_COMPRESSION_RATIO = 200  # refused above this when the archive also declares more than 50 MiB
MAX_SHEETS = 100

# Each sheet's extent: rows x columns from A1 to the furthest cell present (the cell reader allocates
# a grid that size, blanks included). The embedded scale's largest sheet is about 1.2 million cells.
MAX_CELLS_PER_SHEET = 5_000_000
MAX_CELLS_PER_WORKBOOK = 12_000_000  # the sheets the contract reads in full, together
MAX_TEXT_CHARS = 32_767  # Excel's own limit for one cell; longer text is clipped with a finding
MAX_IDS_PER_CELL = 200  # ids listed in one rec_ids / rec_id cell

# Reading
HEADER_SEARCH_ROWS = 50  # the header row is looked for in the first rows of a contract sheet
PERSONAL_SCAN_ROWS = 2_000  # rows of a sheet the contract ignores that the personal-data check reads
PERSONAL_SCAN_VALUES = 200_000  # distinct text values per sheet the personal-data check looks at

# Findings: at most this many of one kind per sheet and column, then one "and N more like this".
MAX_FINDINGS_PER_COLUMN = 25

# The worker process that parses an uploaded workbook or one named by an environment variable or a
# CLI option (the embedded workbooks are trusted and read in the server's own process).
WORKER_MEMORY_MIB = 2_560  # address space of the worker (RLIMIT_AS)
WORKER_CPU_SECONDS = 45  # CPU time of the worker (RLIMIT_CPU)
WORKER_WALL_SECONDS = 55  # wall-clock time before the worker is stopped


def describe() -> list[tuple[str, str]]:
    """(limit, value) pairs in plain English, for the README and the upload help."""
    return [
        ("File size", f"{MAX_FILE_MIB} MiB"),
        ("Unzipped size of an .xlsx", f"{MAX_UNZIPPED_MIB} MiB"),
        ("Sheets in a workbook", f"{MAX_SHEETS}"),
        ("Cells in one sheet (rows x columns from A1 to the furthest cell)", f"{MAX_CELLS_PER_SHEET:,}"),
        ("Cells in the sheets the dashboard reads, together", f"{MAX_CELLS_PER_WORKBOOK:,}"),
        ("Characters in one cell", f"{MAX_TEXT_CHARS:,}"),
        ("Ids listed in one cell", f"{MAX_IDS_PER_CELL}"),
        ("Findings of one kind listed per sheet and column", f"{MAX_FINDINGS_PER_COLUMN} (then 'and N more like this')"),
        ("Memory for reading one workbook", f"{WORKER_MEMORY_MIB:,} MiB"),
        ("Time for reading one workbook", f"{WORKER_CPU_SECONDS} s of processor time, {WORKER_WALL_SECONDS} s in all"),
    ]


def upload_help() -> str:
    """The upload widget's help text: where the file goes and the limits it meets."""
    return (
        "Kept for this session only; never saved on the server. "
        f"Limits: {MAX_FILE_MIB} MiB a file, {MAX_CELLS_PER_SHEET:,} cells a sheet, "
        f"{MAX_TEXT_CHARS:,} characters a cell, {WORKER_MEMORY_MIB:,} MiB of memory and {WORKER_WALL_SECONDS} s to read it."
    )
