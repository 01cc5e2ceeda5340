"""Case 1 for real: two `wfh refresh --subset` processes on one warehouse folder. The second exits 2 at
once naming the running one and writes nothing; the first publishes as if alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime

import duckdb
import pytest

pytestmark = pytest.mark.slow


def _wait_for_holder(lock, process, timeout_s: float) -> dict:
    """The lock file's record once the first refresh holds it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        text = lock.read_text() if lock.exists() else ""
        if text.strip():
            return json.loads(text)
        time.sleep(0.5)
    raise AssertionError(f"the first refresh never held {lock} (exit code {process.poll()})")


def test_a_second_refresh_exits_2_naming_the_running_one(tmp_path, wfh_process, root, published_warehouse):
    warehouse = tmp_path / "warehouse"
    # Start from the session's subset build: its embedding cache makes the first refresh warm.
    warehouse.mkdir()
    shutil.copyfile(published_warehouse / "wfh.duckdb", warehouse / "wfh.duckdb")
    env = {**os.environ, "PYTHONPATH": str(root), "WFH_HOME": str(root), "WFH_WAREHOUSE_DIR": str(warehouse)}
    with open(tmp_path / "first.log", "w") as first_log:
        first = subprocess.Popen(
            [sys.executable, "-m", "wfh.cli", "refresh", "--subset", "--force"],
            env=env,
            cwd=root,
            stdout=first_log,
            stderr=subprocess.STDOUT,
        )
        try:
            holder = _wait_for_holder(warehouse / ".refresh.lock", first, timeout_s=900)
            second = wfh_process(
                "refresh", "--subset", "--force", env={"WFH_WAREHOUSE_DIR": str(warehouse)}, timeout=900
            )
            assert first.poll() is None, "the first refresh ended before the second tried: no overlap"
            assert second.returncode == 2, second.stderr[-3000:]
            since = datetime.fromisoformat(holder["started_at"]).astimezone().strftime("%H:%M")
            assert re.search(
                rf"^wfh refresh: .*a refresh is already running \(run {holder['run_id']} "
                rf"since {since}\)",
                second.stderr,
                re.MULTILINE,
            ), second.stderr[-3000:]
            assert "Traceback" not in second.stderr
            assert first.wait(timeout=3600) == 0, (tmp_path / "first.log").read_text()[-3000:]
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    runs = [json.loads(line) for line in (warehouse / "run_log.jsonl").read_text().splitlines()]
    assert [(r["run_id"], r["status"]) for r in runs] == [(holder["run_id"], "published")]
    assert list((warehouse / ".build").iterdir()) == []
    assert (warehouse / ".refresh.lock").read_text() == ""
    with duckdb.connect(str(warehouse / "wfh.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from marts.dim_standard").fetchall() == [(2170,)]
        assert con.sql(
            "select status from ops.refresh_runs where run_id = ?", params=[holder["run_id"]]
        ).fetchall() == [("published",)]
