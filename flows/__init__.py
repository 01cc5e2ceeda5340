"""Prefect flows: ``ingest`` (sources and cycles into the landing zone) and ``refresh`` (the full build)."""

from wfh.settings import set_environment_defaults

# Read when prefect is first imported, so set here, before any flow module imports prefect.
set_environment_defaults()

# Prefect's console handler must write to the current stderr, not the (possibly temporary, later
# closed) one it saw on import: otherwise its exit hooks print "--- Logging error ---".
from wfh.prefect_logging import follow_current_stderr  # noqa: E402 - after the environment defaults

follow_current_stderr()
