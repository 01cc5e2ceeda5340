"""The ingest flow: task logic through ``task.fn`` and one real Prefect run (ephemeral server)."""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import polars as pl
import pytest
import yaml
from prefect.testing.utilities import prefect_test_harness

from wfh.contracts import contract
from wfh.errors import InputError
from wfh.flows.ingest import _retry_unless_bad_input, ingest, ingest_source, land_cycles
from wfh.sources import DownloadError

CYCLE_TABLES = set(contract("cycles").tables)  # the landing contract: one place for the table list


@pytest.fixture
def warehouse(tmp_path, monkeypatch, mirror):
    """An empty warehouse folder of the test's own, filled from the mirror; no extra cycle folders."""
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.delenv("WFH_CYCLE_DIRS", raising=False)
    return tmp_path / "warehouse"


def test_source_task_loads_then_skips(warehouse):
    first = ingest_source.fn("esco_onet_crosswalk")
    assert first["status"] == "loaded" and first["rows"] == {"crosswalk": 8627}
    assert (warehouse / "landing" / "esco_onet_crosswalk" / "current" / "crosswalk.parquet").is_file()
    second = ingest_source.fn("esco_onet_crosswalk")
    assert second["status"] == "skipped" and second["rows"] == {"crosswalk": 8627}


def test_cycles_task_lands_every_bundle(warehouse, tmp_path, monkeypatch):
    first = land_cycles.fn()
    assert first["status"] == "loaded" and re.fullmatch(r"[0-9a-f]{12}", first["version"])
    assert set(first["rows"]) == CYCLE_TABLES
    landing = warehouse / "landing" / "cycles" / "current"
    capabilities = pl.read_parquet(landing / "capabilities.parquet")
    assert capabilities.height == first["rows"]["capabilities"] > 0
    assert capabilities["cycle_id"].unique().to_list() == ["atmp-poc-2026"]
    assert "_loaded_at" in capabilities.columns
    assert (warehouse / "bundles" / "atmp-poc-2026" / "cycle.yml").is_file()
    assert land_cycles.fn()["status"] == "skipped"

    # one more bundle in WFH_CYCLE_DIRS: a new cycles version with both cycles
    extra = tmp_path / "extra" / "copy"
    shutil.copytree(warehouse / "bundles" / "atmp-poc-2026", extra)
    meta = yaml.safe_load((extra / "cycle.yml").read_text())
    meta["id"] = "atmp-poc-copy"
    (extra / "cycle.yml").write_text(yaml.safe_dump(meta))
    monkeypatch.setenv("WFH_CYCLE_DIRS", str(tmp_path / "extra"))
    second = land_cycles.fn()
    assert second["status"] == "loaded" and second["version"] != first["version"]
    assert second["rows"]["capabilities"] == 2 * first["rows"]["capabilities"]
    cycles = pl.read_parquet(warehouse / "landing" / "cycles" / "current" / "cycles.parquet")
    assert sorted(cycles["cycle_id"]) == ["atmp-poc-2026", "atmp-poc-copy"]


def test_retries_only_for_network_trouble():
    def state(error):
        return SimpleNamespace(data=error)

    assert _retry_unless_bad_input(None, None, state(DownloadError("timeout", source="onet")))
    assert _retry_unless_bad_input(None, None, state(OSError("disk")))
    assert not _retry_unless_bad_input(None, None, state(InputError("bad column", source="esco")))


def test_real_flow_run(warehouse):
    """The one orchestrated run: a temporary local Prefect server with its own database (stopped at the
    end of the test), two sources and the cycles."""
    with prefect_test_harness(server_startup_timeout=120):
        summary = ingest(sources=["esco", "esco_onet_crosswalk"])
    assert {name: s["status"] for name, s in summary["sources"].items()} == {
        "esco": "loaded",
        "esco_onet_crosswalk": "loaded",
        "cycles": "loaded",
    }
    assert summary["rows"]["esco.occupations"] == 3007
    assert summary["rows"]["esco_onet_crosswalk.crosswalk"] == 8627
    assert summary["rows"]["cycles.capabilities"] > 0
    assert (warehouse / "landing" / "load_audit.parquet").is_file()
