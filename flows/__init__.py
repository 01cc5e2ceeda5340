"""Prefect flows: ``ingest`` (sources and cycles into the landing zone) and ``refresh`` (the full build)."""

import os

# Read when prefect is first imported, so set here, before any flow module imports prefect.
# The temporary local server needs longer than Prefect's default 20 s on a busy 2-core machine (seen
# timing out there under load); the wait ends as soon as the server answers, so a generous bound is cheap.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network for telemetry here
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
