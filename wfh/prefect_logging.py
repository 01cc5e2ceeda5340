"""Prefect's console log handler writes to the *current* ``sys.stderr``, not the one it was made with.

Prefect configures its console handler once, when ``prefect`` is first imported, with whatever
``sys.stderr`` is at that moment. When that stream is a temporary one (pytest's output capture, a
``contextlib.redirect_stderr``) it is closed before the interpreter exits, and Prefect's exit hooks
(stopping the temporary API server, draining the log and event queues) then log into a closed file:
``--- Logging error --- ValueError: I/O operation on closed file``. Python's own last-resort handler
looks ``sys.stderr`` up on every write for exactly this reason; :func:`follow_current_stderr` makes
Prefect's handlers do the same. Nothing is silenced: every record still reaches a live stream, and a
handler that fails for any other reason still reports it through ``logging``'s usual error path.
"""

from __future__ import annotations

import logging
import sys


class CurrentStderr:
    """A file-like object that forwards every call to whatever ``sys.stderr`` is right now."""

    def write(self, text: str) -> int:
        stream = sys.stderr
        return stream.write(text) if stream is not None else 0

    def flush(self) -> None:
        stream = sys.stderr
        if stream is not None and not getattr(stream, "closed", False):
            stream.flush()

    def __getattr__(self, name: str):
        return getattr(sys.stderr, name)


def _all_handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    seen: dict[int, logging.Handler] = {}
    for logger in loggers:
        for handler in logger.handlers:
            seen.setdefault(id(handler), handler)
    return list(seen.values())


def follow_current_stderr() -> int:
    """Point every Prefect console handler that writes to stderr at :class:`CurrentStderr`.

    Imports Prefect (which configures its logging on import); returns how many handlers changed.
    A handler configured for stdout is left alone (Prefect's ``logging.yml`` says ``sys.stderr``).
    """
    import prefect.main  # noqa: F401  (configures Prefect's logging on import)
    from prefect.logging.handlers import PrefectConsoleHandler

    stdout_streams = {id(s) for s in (sys.stdout, sys.__stdout__) if s is not None}
    changed = 0
    for handler in _all_handlers():
        if not isinstance(handler, PrefectConsoleHandler) or isinstance(handler.stream, CurrentStderr):
            continue
        if id(handler.stream) in stdout_streams:
            continue
        proxy = CurrentStderr()
        handler.stream = proxy
        handler.console.file = proxy
        changed += 1
    return changed
