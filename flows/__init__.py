"""Prefect flows: ``ingest`` (sources and cycles into the landing zone) and ``refresh`` (the full build)."""

import os

# Read when prefect is first imported, so set here, before any flow module imports prefect.
# The temporary local server needs longer than Prefect's default 20 s on a busy 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network for telemetry here
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# Prefect's console handler must write to the current stderr, not the (possibly temporary, later
# closed) one it saw on import: otherwise its exit hooks print "--- Logging error ---".
from wfh.prefect_logging import follow_current_stderr

follow_current_stderr()
