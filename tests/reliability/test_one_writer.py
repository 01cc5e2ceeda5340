"""Case 1: one refresh at a time. A second writer is refused naming the running one; a lock left by a
killed run is cleared with its partial build; each run builds its own file and publishes only it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import duckdb
import pytest

from wfh import warehouse
from wfh.errors import RefreshBusy
from wfh.settings import paths

HOLD = """
import sys, time
from wfh import warehouse
held = warehouse.take_writer_lock(sys.argv[1])
build = warehouse.build_path(sys.argv[1])
build.parent.mkdir(parents=True, exist_ok=True)
build.write_bytes(b"half a build")
print("held", flush=True)
time.sleep(600)
"""


@pytest.fixture()
def holder(warehouse_dir, root):
    """Another process holding the warehouse lock as run ``abc123`` with a partial build."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, "abc123"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        line = process.stdout.readline().strip()
        assert line == "held", process.stderr.read() if process.poll() is not None else line
        yield process
    finally:
        process.kill()
        process.wait()


def test_a_second_writer_is_refused_naming_the_running_one(holder):
    with pytest.raises(RefreshBusy) as refused:
        warehouse.take_writer_lock("second")
    message = str(refused.value)
    assert re.search(r"a refresh is already running \(run abc123 since \d\d:\d\d\)", message)
    assert "\n" not in message
    # the running build is untouched
    assert warehouse.build_path("abc123").read_bytes() == b"half a build"


def test_add_cycle_is_refused_while_a_refresh_runs(holder, isolated_home, small_bundle, capsys):
    from wfh.cli import main

    assert main(["add-cycle", str(small_bundle("demo-two"))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfh add-cycle: ") and err.count("\n") == 1
    assert "a refresh is already running (run abc123" in err
    assert not (isolated_home / "raw" / "cycles" / "demo-two").exists()


def test_the_lock_of_a_killed_run_is_cleared_with_its_partial_build(holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert warehouse.build_path("abc123").exists()  # what kill -9 left behind
    said = []
    with warehouse.take_writer_lock("next", say=said.append) as held:
        assert held.stale["run_id"] == "abc123"
        assert not warehouse.build_path("abc123").parent.exists()
        assert json.loads((paths().warehouse / ".refresh.lock").read_text())["run_id"] == "next"
    assert any("stale lock of run abc123" in s for s in said)
    assert (paths().warehouse / ".refresh.lock").read_text() == ""  # released cleanly


def _write(path, value: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.sql(f"create or replace table answer as select {value} as value")


def test_each_run_builds_its_own_file_and_publishes_only_it(warehouse_dir):
    _write(paths().live_db, 1)
    mine = warehouse.prepare_build(full=False, run_id="mine")
    other = warehouse.prepare_build(full=False, run_id="other")
    assert mine != other and mine.name == other.name == paths().live_db.name
    _write(mine, 2)
    _write(other, 3)
    warehouse.prepare_build(full=True, run_id="third")  # starting a run removes no other run's file
    assert mine.exists() and other.exists()
    warehouse.publish(mine)
    with warehouse.connect_read_only() as con:
        assert con.sql("select value from answer").fetchall() == [(2,)]
    assert other.exists()  # not published, not removed
    stray = warehouse_dir / "elsewhere" / "wfh.duckdb"
    stray.parent.mkdir()
    _write(stray, 4)
    with pytest.raises(ValueError, match="not a run's build file"):
        warehouse.publish(stray)
