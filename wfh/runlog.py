"""The run log ``warehouse/run_log.jsonl`` and the refresh's log file.

Every refresh (failed ones too) appends one JSON line; each build loads the readable lines into
``ops.refresh_runs``, which is what readers (status, dashboard, SQL) use. One bad line (an interrupted
write, a file overwritten by hand) must not break the tool: unreadable lines are skipped and reported,
and a new record never continues a partial line.

Prefect's own log of a refresh, tracebacks included, goes to ``warehouse/logs/refresh.log``; the
terminal keeps the one-line progress messages (see :func:`send_tracebacks_to_log_file`).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from wfh.settings import paths

RUN_COLUMNS = ("run_id", "started_at", "finished_at", "status", "source_versions", "rows_per_mart", "quality_status")
_TIMES = ("started_at", "finished_at")


def run_log_path() -> Path:
    return paths().warehouse / "run_log.jsonl"


def append_run_record(record: dict) -> None:
    """Append one run as one line, written with a single ``write``; a partial last line is ended first."""
    path = run_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({key: record.get(key) for key in RUN_COLUMNS}, default=str) + "\n"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = "\n" + line  # never continue a line an interrupted write left unfinished
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


@dataclass
class RunLog:
    """The readable records, and one ``line N: why`` per line that was skipped."""

    records: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _problem(row: object) -> str | None:
    if not isinstance(row, dict):
        return f"a JSON {type(row).__name__}, not an object"
    if not isinstance(row.get("run_id"), str) or not isinstance(row.get("status"), str):
        return "no run_id or status"
    for key in _TIMES:
        value = row.get(key)
        if value is not None:
            try:
                datetime.fromisoformat(str(value))
            except ValueError:
                return f"{key} {str(value)[:40]!r} is not a timestamp"
    return None


def read_run_log_checked() -> RunLog:
    """Every readable run record, in order, and the lines that were skipped (with why)."""
    path = run_log_path()
    log = RunLog()
    if not path.exists():
        return log
    for number, raw in enumerate(path.read_bytes().split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            log.skipped.append(f"line {number}: unreadable ({str(error).splitlines()[0][:80]})")
            continue
        problem = _problem(row)
        if problem:
            log.skipped.append(f"line {number}: {problem}")
            continue
        log.records.append({key: row.get(key) for key in RUN_COLUMNS})
    return log


def read_run_log() -> list[dict]:
    """The readable run records (see :func:`read_run_log_checked` for the skipped lines)."""
    return read_run_log_checked().records


# --- Prefect's log ----------------------------------------------------------------------------


def refresh_log_path() -> Path:
    return paths().warehouse / "logs" / "refresh.log"


class _NoTracebacks(logging.Filter):
    """Keeps the terminal to one line per message: records carrying a traceback go to the log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.exc_text:
            return False
        return "Traceback (most recent call last)" not in record.getMessage()


_FILTER = _NoTracebacks()


def send_tracebacks_to_log_file() -> Path:
    """Write everything Prefect logs (tracebacks included) to ``warehouse/logs/refresh.log`` and keep
    tracebacks off the terminal. Idempotent; call after importing the flows, before running one."""
    from prefect.logging.configuration import ensure_logging_setup

    ensure_logging_setup()
    path = refresh_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_wfh_log_file", False) and Path(handler.baseFilename) != path:
            root.removeHandler(handler)  # another warehouse folder (tests)
            handler.close()
    if not any(getattr(h, "_wfh_log_file", False) for h in root.handlers):
        file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s"))
        file_handler._wfh_log_file = True
        root.addHandler(file_handler)
    for logger in [root, *(logging.getLogger(name) for name in ("uvicorn", "fastapi"))]:
        for handler in logger.handlers:
            if (
                isinstance(handler, logging.StreamHandler)
                and not isinstance(handler, logging.FileHandler)
                and _FILTER not in handler.filters
            ):
                handler.addFilter(_FILTER)
    return path
