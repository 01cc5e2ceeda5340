"""Prefect flows: ``ingest`` (sources and cycles into the landing zone) and ``refresh`` (the full build)."""

from wfh.settings import set_environment_defaults

# Read when prefect is first imported, so set here, before any flow module imports prefect.
set_environment_defaults()
