"""A refresh whose inputs all equal the live warehouse's fingerprint builds nothing and says `unchanged`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from wfh import fingerprint

ROOT = Path(__file__).resolve().parents[2]


def _cli(args: list[str], warehouse_dir: Path, **extra_env: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, WFH_WAREHOUSE_DIR=str(warehouse_dir), WFH_HOME=str(ROOT), **extra_env)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if "WFH_CYCLE_DIRS" not in extra_env:
        env.pop("WFH_CYCLE_DIRS", None)
    return subprocess.run(
        [sys.executable, "-m", "wfh.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_published_warehouse_stores_the_fingerprint_of_its_inputs(published_warehouse, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(published_warehouse))
    monkeypatch.delenv("WFH_CYCLE_DIRS", raising=False)
    stored = fingerprint.read_stored(published_warehouse / "wfh.duckdb")
    assert stored is not None
    assert stored.digest == fingerprint.compute(subset=True).digest
    assert stored.parts["build"] == "subset"
    assert {"source:skills_england", "source:esco", "config", "model_id"} <= set(stored.parts)


def test_unchanged_refresh_does_not_publish_and_says_unchanged(published_warehouse):
    live = published_warehouse / "wfh.duckdb"
    before = (live.stat().st_ino, live.stat().st_mtime_ns, live.read_bytes())

    started = time.perf_counter()
    done = _cli(["refresh", "--subset"], published_warehouse)
    seconds = time.perf_counter() - started

    assert done.returncode == 0, done.stderr[-3000:]
    assert "unchanged" in done.stdout
    assert "Starting temporary server" not in done.stderr  # decided before Prefect starts
    assert (live.stat().st_ino, live.stat().st_mtime_ns, live.read_bytes()) == before
    last = json.loads((published_warehouse / "run_log.jsonl").read_text().splitlines()[-1])
    assert last["status"] == "unchanged"
    assert last["source_versions"]["esco"] == "1.1.1"  # the versions the live warehouse holds
    print(f"no-change refresh: {seconds:.1f} s end to end")


def test_changed_input_is_detected_and_named(published_warehouse, tmp_path, monkeypatch):
    """A new cycle bundle, then one edited file in it, each change the fingerprint in its own part."""
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(published_warehouse))
    live = fingerprint.read_stored(published_warehouse / "wfh.duckdb")
    bundle = tmp_path / "demo-cycle"
    bundle.mkdir()
    (bundle / "cycle.yml").write_text("id: demo-cycle\ntitle: Demo\n")
    (bundle / "capabilities.csv").write_text("capability_id,statement\ncap-a,Operate a demo line.\n")
    monkeypatch.setenv("WFH_CYCLE_DIRS", str(bundle))

    added = fingerprint.compute(subset=True)
    assert fingerprint.changed_parts(live, added) == ["cycle:demo-cycle"]
    assert fingerprint.unchanged_run(subset=True, current=added) is None

    (bundle / "capabilities.csv").write_text("capability_id,statement\ncap-a,Operate a demo line safely.\n")
    edited = fingerprint.compute(subset=True)
    assert fingerprint.changed_parts(added, edited) == ["cycle:demo-cycle"]

    monkeypatch.delenv("WFH_CYCLE_DIRS")
    assert fingerprint.changed_parts(live, fingerprint.compute(subset=False)) == ["build"]


def test_config_and_dbt_changes_are_inputs(tmp_path, monkeypatch):
    """wfh.toml and every dbt project file are parts of the fingerprint (a copy of the project home)."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("raw", "dbt_project", "expectations"):
        (home / name).symlink_to(ROOT / name)
    (home / "wfh.toml").write_text((ROOT / "wfh.toml").read_text())
    monkeypatch.setenv("WFH_HOME", str(home))
    monkeypatch.delenv("WFH_CYCLE_DIRS", raising=False)
    before = fingerprint.compute()
    (home / "wfh.toml").write_text((ROOT / "wfh.toml").read_text() + "\n# a comment is a change\n")
    assert fingerprint.changed_parts(before, fingerprint.compute()) == ["config"]
    assert any(p.startswith("dbt:models/marts/") for p in before.parts)
    assert any(p == "code:wfh/matching/step.py" for p in before.parts)


def test_no_live_warehouse_means_build(tmp_path, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path))
    assert fingerprint.read_stored() is None
    assert fingerprint.unchanged_run() is None


def test_force_flag_is_offered():
    done = subprocess.run(
        [sys.executable, "-m", "wfh.cli", "refresh", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert "--force" in done.stdout
