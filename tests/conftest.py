"""Shared test set-up: the real-data mirror and an isolated warehouse folder per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wfh.settings import set_environment_defaults

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = (ROOT.parent / "shared" / "data").resolve()

os.environ.setdefault("WFH_MIRROR", str(DEFAULT_MIRROR))
set_environment_defaults()


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The local mirror of the real sources (../shared/data here)."""
    path = Path(os.environ["WFH_MIRROR"])
    assert path.is_dir(), f"WFH_MIRROR {path} does not exist: the real-data tests need the mirror"
    return path


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory, mirror) -> Path:
    """A real refresh (Prefect flow, real sources, dbt, GX, publish) on the small matching subset.

    Built once per test session in a temporary warehouse folder; returns that folder, which holds
    wfh.duckdb. Tests that need embeddings rely on this subset instead of the full run.
    """
    from flows.refresh import refresh

    folder = tmp_path_factory.mktemp("warehouse")
    previous = os.environ.get("WFH_WAREHOUSE_DIR")
    os.environ["WFH_WAREHOUSE_DIR"] = str(folder)
    try:
        refresh(full=True, subset=True)
    finally:
        if previous is None:
            os.environ.pop("WFH_WAREHOUSE_DIR", None)
        else:
            os.environ["WFH_WAREHOUSE_DIR"] = previous
    assert (folder / "wfh.duckdb").exists()
    return folder
