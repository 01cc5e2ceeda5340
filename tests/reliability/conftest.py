"""Fixtures of the reliability tests: a warehouse folder of their own, and a tiny published warehouse
(a real DuckDB file with a mart and the ops tables) for the commands that only read one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def warehouse_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "warehouse"
    folder.mkdir()
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(folder))
    return folder


@pytest.fixture()
def tiny_warehouse(warehouse_dir) -> Path:
    """``wfh.duckdb`` with ``marts.capability_gaps`` (two rows, one a formula-like statement) and the
    ops tables; returns the warehouse folder."""
    from wfh.warehouse import ensure_ops_schema

    with duckdb.connect(str(warehouse_dir / "wfh.duckdb")) as con:
        con.sql("create schema marts")
        con.sql("""create table marts.capability_gaps as select * from (values
                   ('cap-1', 'Operate the bioreactor', 0.71, 'demo'),
                   ('cap-2', '=HYPERLINK("http://example.invalid","click")', 0.12, 'demo'))
                   t(capability_id, statement, best_similarity, cycle_id)""")
        ensure_ops_schema(con)
    return warehouse_dir


@pytest.fixture()
def root() -> Path:
    """This checkout."""
    return ROOT


@pytest.fixture()
def wfh_process():
    """Run ``python -m wfh.cli ...`` in a fresh process of this checkout, as a user runs it."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 900, **kwargs
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), "WFH_HOME": str(ROOT), **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "wfh.cli", *args],
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            check=False,
            **kwargs,
        )

    return run


@pytest.fixture()
def isolated_home(tmp_path, monkeypatch) -> Path:
    """A project home of its own (the real source manifest, an empty ``raw/cycles``), so
    ``wfh add-cycle`` registers nothing in this checkout."""
    home = tmp_path / "home"
    (home / "raw" / "cycles").mkdir(parents=True)
    (home / "raw" / "sources.yml").write_text((ROOT / "raw" / "sources.yml").read_text())
    monkeypatch.setenv("WFH_HOME", str(home))
    return home


@pytest.fixture()
def small_bundle(tmp_path):
    """Write a valid bundle (one capability) with the project's own bundle writer; returns its folder."""
    from wfh.cycles import write_bundle

    def make(cycle_id: str = "demo-two", folder=None) -> Path:
        folder = folder or tmp_path / "bundles" / cycle_id
        return write_bundle(
            folder,
            {"cycle_id": cycle_id, "title": "Demo cycle"},
            {
                "capabilities": [
                    {
                        "capability_id": "cap-a",
                        "statement": "Operate the demo line",
                        "highlight_number": None,
                        "reason_to_highlight": None,
                        "in_appendix_a": True,
                        "provenance": "demo",
                    }
                ]
            },
        )

    return make
