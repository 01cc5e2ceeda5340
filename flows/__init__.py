"""Prefect flows: ``ingest`` (sources and cycles into the landing zone) and ``refresh`` (the full build)."""
