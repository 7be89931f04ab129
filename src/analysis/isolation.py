"""Parse untrusted workbooks in a worker process with memory and CPU-time limits.

An uploaded workbook, or one named by an environment variable or a CLI option, is read in a child
process (multiprocessing's 'forkserver' context, so the child never inherits the server's threads or
sessions) with RLIMIT_AS and RLIMIT_CPU set. A crash, an allocation the limits refuse or a runaway
ends the child, never the server: the caller gets a WorkbookError with a plain message. The child
returns the tidy PlanData / PerformanceData (picklable) with their findings.

The forkserver imports the loaders once (set_forkserver_preload), so each load costs a fork and the
pickling of the result, not a fresh interpreter. The embedded, trusted workbooks are read in process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
from multiprocessing import spawn
from pathlib import Path

from .findings import Finding, Severity, WorkbookError
from .limits import MIB, WORKER_CPU_SECONDS, WORKER_MEMORY_MIB, WORKER_WALL_SECONDS

PLAN, PERFORMANCE = "plan", "performance"
PLAN_AS_KEPT = "plan_as_kept"  # a council's own tracker, with an optional mapping (tracker.load_plan_as_kept_text)
_PRELOAD = ["src.analysis.isolation"]
_WARM_UP = "src.analysis.isolation_warmup"  # only for a long-lived server: a one-shot CLI run would just wait for it
_context_lock = threading.Lock()
_context = None
log = logging.getLogger(__name__)


def _loader(kind: str):
    if kind == PLAN_AS_KEPT:
        from .tracker import load_plan_as_kept_text

        return load_plan_as_kept_text
    if kind == PLAN:
        from .plan_workbook import load_plan

        return load_plan
    from .performance_workbook import load_performance

    return load_performance


def _limit_self(memory_mib: int, cpu_seconds: int) -> None:
    memory = memory_mib * MIB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _child(connection, kind: str, data: bytes, name: str, memory_mib: int, cpu_seconds: int, options: tuple = ()) -> None:
    """The worker: limits first, then the loader; the outcome goes back as one message."""
    try:
        _limit_self(memory_mib, cpu_seconds)
        result = ("ok", _loader(kind)(data, name, *options))
    except WorkbookError as error:
        result = ("findings", error.findings)
    except MemoryError:
        result = ("memory", None)
    except Exception as error:  # noqa: BLE001 - reported to the parent by type only (no paths, no traceback)
        result = ("crash", type(error).__name__)
    del data
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("memory", None))
    finally:
        connection.close()


_WORKER_NAME = "workbook-worker"


def _install_preparation_filter() -> None:
    """Our workers need only this module, not the parent's __main__ (the streamlit launcher, a benchmark
    script, a REPL): multiprocessing would re-run that main script in every child. The filter drops it
    for processes named _WORKER_NAME only; other users of multiprocessing are untouched."""
    original = spawn.get_preparation_data
    if getattr(original, "_workbook_filter", False):
        return

    def preparation_data(name):
        data = original(name)
        if str(name).startswith(_WORKER_NAME):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    preparation_data._workbook_filter = True
    spawn.get_preparation_data = preparation_data


_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the `src` package


def _start_forkserver() -> None:
    """Start the forkserver with the project importable. Python 3.11's forkserver ignores the parent's
    sys.path when it preloads modules (it imports from its working directory only), so the preload would
    silently fail, and every worker would import pandas and the loaders afresh (about 1 s each)."""
    from multiprocessing import forkserver

    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, previous) if p)
    try:
        forkserver.ensure_running()
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def _get_context():
    """forkserver under the streamlit server (many threads: a plain fork could copy a lock held by another
    thread); a plain fork in a single-threaded process such as the CLI (cheap: no second interpreter)."""
    global _context
    if "streamlit" not in sys.modules and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    with _context_lock:
        if _context is None:
            _install_preparation_filter()
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD + ([_WARM_UP] if "streamlit" in sys.modules else []))
            _start_forkserver()
            _context = context
        return _context


_warming = False


def start_workers_in_background() -> None:
    """Start the forkserver (loaders imported and warmed) in a background thread, once per process: the server
    calls it on its first page, so its first upload costs a fork rather than the forkserver's start (0.5-1 s)."""
    global _warming
    with _context_lock:
        if _context is not None or _warming:
            return
        _warming = True
    threading.Thread(target=_get_context, daemon=True, name="workbook-worker-start").start()


def _refused(name: str, message: str, advice: str) -> WorkbookError:
    return WorkbookError([Finding(name, None, None, None, message, Severity.ERROR, advice)])


def _memory_message(name: str, memory_mib: int) -> WorkbookError:
    return _refused(
        name,
        f"This workbook needed more memory than the dashboard allows ({memory_mib:,} MiB) to be read, so reading it was stopped.",
        "Check the sheets for stray cells far below or to the right of the data (Ctrl+End shows the last cell), clear them, "
        "delete sheets the dashboard does not use, and try again.",
    )


def _time_message(name: str, seconds: int) -> WorkbookError:
    return _refused(
        name,
        f"This workbook took longer than the dashboard allows ({seconds} s) to be read, so reading it was stopped.",
        "Delete sheets the dashboard does not use, or split the workbook, and try again.",
    )


class PendingLoad:
    """A workbook being parsed in its worker process; `result()` waits for it (or for its limits).

    Two pending loads run at once on two cores: the CLI starts the plan's and the performance workbook's
    workers together, so reading both costs about the slower of the two rather than their sum.
    """

    def __init__(
        self, kind: str, name: str, memory_mib: int, cpu_seconds: int, wall_seconds: int, process=None, receiver=None, in_process=None
    ):
        self.kind, self.name = kind, name
        self._limits = (memory_mib, cpu_seconds, wall_seconds)
        self._process, self._receiver, self._in_process = process, receiver, in_process
        self._outcome = None

    @classmethod
    def here(cls, kind: str, name: str, read) -> PendingLoad:
        """A load done in this process when its result is asked for (`read()`): trusted files, or no worker."""
        return cls(kind, name, WORKER_MEMORY_MIB, WORKER_CPU_SECONDS, WORKER_WALL_SECONDS, in_process=read)

    def result(self):
        """The loaded PlanData / PerformanceData. Raises WorkbookError (the workbook's findings, or the limit it hit)."""
        if self._outcome is None:
            self._outcome = self._wait()
        status, value = self._outcome
        if status == "ok":
            return value
        if status == "findings":
            raise WorkbookError(value)
        memory_mib, cpu_seconds, wall_seconds = self._limits
        if status == "memory":
            raise _memory_message(self.name, memory_mib)
        if status == "time":
            raise _time_message(self.name, value)
        raise _refused(
            self.name,
            f"The workbook could not be read ({value}).",
            "Check it opens in Excel and follows the template; if it does, report this problem.",
        )

    def cancel(self) -> None:
        """Stop the worker without waiting for it (its result is no longer wanted)."""
        if self._process is not None and self._outcome is None:
            self._receiver.close()
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            self._outcome = ("crash", "cancelled")

    def _wait(self) -> tuple:
        if self._in_process is not None:
            try:
                return "ok", self._in_process()
            except WorkbookError as error:
                return "findings", error.findings
        memory_mib, cpu_seconds, wall_seconds = self._limits
        process, receiver = self._process, self._receiver
        outcome = None
        timed_out = False
        try:
            if receiver.poll(wall_seconds):
                outcome = receiver.recv()
            else:
                timed_out = True
        except (EOFError, OSError):
            outcome = None  # the worker died before it could answer
        finally:
            receiver.close()
            if outcome is None and process.is_alive():
                process.kill()
            process.join(5)
        if outcome is not None:
            return outcome
        # SIGXCPU: the CPU-time limit; our own kill: the wall clock. Anything else (SIGABRT from a refused
        # allocation in the cell reader, SIGKILL from the kernel's out-of-memory killer): memory.
        if timed_out:
            return "time", wall_seconds
        if process.exitcode == -signal.SIGXCPU:
            return "time", cpu_seconds
        log.warning("workbook worker for %s ended with exit code %s", self.kind, process.exitcode)
        return "memory", None


def start_isolated(
    kind: str,
    data: bytes,
    name: str,
    memory_mib: int = WORKER_MEMORY_MIB,
    cpu_seconds: int = WORKER_CPU_SECONDS,
    wall_seconds: int = WORKER_WALL_SECONDS,
    options: tuple = (),
) -> PendingLoad:
    """Start load_plan / load_performance(data, name) in a limited worker process and return at once
    (`options`: further picklable arguments of the loader, e.g. a tracker's mapping as JSON text)."""
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, kind, data, name, memory_mib, cpu_seconds, options), daemon=True, name=f"{_WORKER_NAME}-{kind}"
    )
    try:
        process.start()
    except OSError:  # no processes left, or the platform cannot fork: read here rather than not at all
        log.warning("workbook worker could not start; reading %s in process", kind)
        receiver.close()
        sender.close()
        return PendingLoad.here(kind, name, lambda: _loader(kind)(data, name, *options))
    sender.close()
    return PendingLoad(kind, name, memory_mib, cpu_seconds, wall_seconds, process=process, receiver=receiver)


def load_isolated(
    kind: str,
    data: bytes,
    name: str,
    memory_mib: int = WORKER_MEMORY_MIB,
    cpu_seconds: int = WORKER_CPU_SECONDS,
    wall_seconds: int = WORKER_WALL_SECONDS,
    options: tuple = (),
):
    """load_plan / load_performance(data, name) in a limited worker process, waited for. Raises WorkbookError."""
    return start_isolated(kind, data, name, memory_mib, cpu_seconds, wall_seconds, options).result()


# ---- files named on the command line or by an environment variable ------------------------------------


def start_untrusted_file(kind: str, path: str | Path, trusted: bool = False, options: tuple = ()) -> PendingLoad:
    """A workbook file: the size checked from the file system before any byte is read (raises WorkbookError),
    then parsing started in the worker (in process, when the result is asked for, if `trusted`: the embedded
    workbooks)."""
    from .load import size_finding

    path = Path(path)
    problem = size_finding(path.stat().st_size, path.name)
    if problem:
        raise WorkbookError([problem])
    data = path.read_bytes()
    if trusted:
        return PendingLoad.here(kind, path.name, lambda: _loader(kind)(data, path.name, *options))
    return start_isolated(kind, data, path.name, options=options)


def read_untrusted_file(kind: str, path: str | Path, trusted: bool = False):
    """start_untrusted_file(...).result(): the workbook read. Raises WorkbookError."""
    return start_untrusted_file(kind, path, trusted).result()
