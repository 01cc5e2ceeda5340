"""Rebuild only what a change touches: a new cycle rebuilds the models downstream of it, the result
equals a rebuild of every model, and a killed incremental refresh leaves the live file alone.

Works on a copy of the session's subset warehouse (``published_warehouse``), so other tests keep
theirs; the cycle added is a small hand-made bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from wfh import fingerprint

ROOT = Path(__file__).resolve().parents[2]
RUN_SPECIFIC = {"refresh_runs", "quality_results"}  # views of ops: differ per run by design

DEMO_BUNDLE = {
    "cycle.yml": "id: demo-increment\ntitle: A hand-made cycle for the incremental refresh\n"
    "sponsor: Demo sponsor\ncentre_of_innovation: Demo centre\nworkshop_start: 2026-03-01\n"
    "workshop_end: 2026-04-30\nreport_date: null\nsource_document: hand-made\n",
    "capabilities.csv": "capability_id,statement,highlight_number,reason_to_highlight,in_appendix_a,provenance\n"
    "cap-a,Operate an aseptic filling line to GMP standards.,1,Core,false,Demo\n"
    "cap-b,Maintain batch manufacturing records for audit.,,,true,Demo\n",
    "themes.csv": "theme_id,name,description,provenance\n1,Manufacturing,Making the product,Demo\n",
    "supply_chain_partners.csv": "partner_id,partner_number,name,description,provenance\n"
    "demo-partner,1,Demo partner,Makes demos,Demo\n",
    "capability_partners.csv": "capability_id,partner_id,provenance\ncap-b,demo-partner,Demo\n",
    "fops.csv": "fop_id,name,description,is_priority,role_level_id,provenance\n"
    "demo-operator,Aseptic Operator,Runs the filling line,true,1,Demo\n",
    "fop_capability_proficiency.csv": "fop_id,capability_id,proficiency,provenance\n"
    "demo-operator,cap-a,3,Demo\ndemo-operator,cap-b,2,Demo\n",
    "role_levels.csv": "role_level_id,name,description,provenance\n1,Operator,Runs things,Demo\n",
    "tag_frequencies.csv": "tag_type,rank,tag,frequency,provenance\nknowledge,1,Aseptic technique,4,Demo\n",
    "participants.csv": "category,organisation,provenance\ntechnology,Demo Ltd,Demo\n",
    "findings.csv": "finding_id,severity,finding,detail,provenance\n",
}


def write_bundle(folder: Path, **changes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**DEMO_BUNDLE, **changes}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def mart_digests(db: Path) -> dict[str, str]:
    """A digest of every mart's rows (sorted), so two builds can be compared mart by mart."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [
            n
            for (n,) in con.sql(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            n: hashlib.sha256(repr(con.sql(f'select * from marts."{n}" order by all').fetchall()).encode()).hexdigest()
            for n in names
        }


def dependants(sources: list[str]) -> set[str]:
    """Marts downstream of the given dbt sources, read from dbt's manifest of the last build."""
    manifest = json.loads((ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    children = manifest["child_map"]
    found, todo = set(), [k for k in children if k.split(".")[0] == "source" and k.split(".")[2] in sources]
    while todo:
        node = todo.pop()
        for child in children.get(node, []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {n.split(".")[-1] for n in found if n.startswith("model.")}


@pytest.fixture(scope="module")
def builds(published_warehouse, tmp_path_factory):
    """Three states of one warehouse: before, after adding a cycle (incremental), after --force."""
    from wfh.flows.refresh import refresh

    folder = tmp_path_factory.mktemp("incremental")
    warehouse = folder / "warehouse"
    shutil.copytree(published_warehouse, warehouse, symlinks=True, ignore=shutil.ignore_patterns(".build", "data_docs"))
    bundle = write_bundle(folder / "bundles" / "demo-increment")
    saved = {k: os.environ.get(k) for k in ("WFH_WAREHOUSE_DIR", "WFH_CYCLE_DIRS")}
    os.environ.update(WFH_WAREHOUSE_DIR=str(warehouse), WFH_CYCLE_DIRS=str(bundle))
    try:
        live = warehouse / "wfh.duckdb"
        before = mart_digests(live)
        started = time.perf_counter()
        incremental = refresh(subset=True)
        incremental_s = time.perf_counter() - started
        after = mart_digests(live)
        started = time.perf_counter()
        forced = refresh(subset=True, force=True)
        forced_s = time.perf_counter() - started
        rebuilt = mart_digests(live)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    print(f"incremental (one cycle added) {incremental_s:.0f} s; every model rebuilt {forced_s:.0f} s")
    return {
        "warehouse": warehouse,
        "bundle": bundle,
        "before": before,
        "after": after,
        "rebuilt": rebuilt,
        "incremental": incremental,
        "forced": forced,
    }


def test_a_new_cycle_changes_exactly_the_marts_downstream_of_it(builds):
    assert builds["incremental"]["status"] == "published"
    # only the new cycle went through the match step; the framework side was reused
    assert builds["incremental"]["match_step"]["cycles_matched"] == ["demo-increment"]
    assert builds["incremental"]["match_step"]["framework_side"] == "reused"
    assert builds["forced"]["match_step"]["cycles_kept"] == []
    changed = {n for n in builds["after"] if builds["after"][n] != builds["before"].get(n)}
    allowed = dependants(["cycles", "matching", "ops", "landing"])
    assert changed - RUN_SPECIFIC <= allowed
    assert {"dim_cycle", "dim_capability", "dim_fop"} <= changed  # the new cycle is in them
    untouched = set(builds["before"]) - allowed
    assert {"dim_esco_skill", "dim_standard", "dim_onet_task"} <= untouched
    assert all(builds["after"][n] == builds["before"][n] for n in untouched)
    with duckdb.connect(str(builds["warehouse"] / "wfh.duckdb"), read_only=True) as con:
        cycles = {c for (c,) in con.sql("select cycle_id from marts.dim_cycle").fetchall()}
        matched = con.sql(
            "select count(*) from marts.capability_provision_match where cycle_id = 'demo-increment'"
        ).fetchall()[0][0]
    assert "demo-increment" in cycles and len(cycles) == 2
    assert matched > 0  # the new cycle's capabilities went through the match step


def test_incremental_build_equals_a_rebuild_of_every_model(builds):
    assert builds["forced"]["status"] == "published"
    differ = {n for n in builds["rebuilt"] if builds["rebuilt"][n] != builds["after"].get(n)}
    assert differ <= RUN_SPECIFIC, differ
    assert set(builds["rebuilt"]) == set(builds["after"])


def test_fingerprint_after_incremental_build_names_the_cycle(builds, monkeypatch):
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(builds["warehouse"]))
    monkeypatch.setenv("WFH_CYCLE_DIRS", str(builds["bundle"]))
    stored = fingerprint.read_stored()
    assert "cycle:demo-increment" in stored.parts
    assert stored.digest == fingerprint.compute(subset=True).digest


def test_the_landing_gate_validated_only_the_new_cycle_and_kept_the_other_results(builds):
    """The incremental run validated the cycles' landing tables only; the other sources' results of
    the run before are recorded again under this run, saying so, so its report stays complete."""
    from wfh.quality.gates import SCOPE_FINDING

    incremental, forced = builds["incremental"]["run_id"], builds["forced"]["run_id"]
    assert builds["incremental"]["landing_gate_sources"] == ["cycles"]
    assert builds["forced"]["landing_gate_sources"] == "every source"
    with duckdb.connect(str(builds["warehouse"] / "wfh.duckdb"), read_only=True) as con:

        def landing(run_id):
            return con.sql(
                "select suite, observed_value from ops.quality_results "
                "where run_id = ? and checkpoint like 'landing.%'",
                params=[run_id],
            ).fetchall()

        ran, full = landing(incremental), landing(forced)
    kept = {suite for suite, observed in ran if (observed or "").startswith("kept from run ")}
    validated = {suite for suite, observed in ran if suite not in kept} - {SCOPE_FINDING}
    unchanged = ("skills_england", "esco", "onet", "esco_onet_crosswalk")
    assert not {s for s in validated if s.count(".") == 2 and s.split(".")[1] in unchanged}
    assert {"landing.cycles.capabilities", "landing.inventory"} <= validated
    assert "landing.skills_england.standards" in kept and "landing.esco.skills" in kept
    assert {suite for suite, _ in ran} - {SCOPE_FINDING} == {suite for suite, _ in full}  # nothing missing
    (note,) = [observed for suite, observed in ran if suite == SCOPE_FINDING]
    assert note.startswith("validated in this run: cycles;") and "kept from run" in note


def test_killed_incremental_refresh_leaves_the_live_file_untouched(builds, tmp_path):
    warehouse = builds["warehouse"]
    live = warehouse / "wfh.duckdb"
    before = live.read_bytes()
    cache = warehouse / "embeddings.duckdb"
    with duckdb.connect(str(cache), read_only=True) as con:
        cached = con.sql("select count(*) from matching.text_embedding").fetchall()[0][0]
    bundle = write_bundle(
        tmp_path / "demo-increment",
        **{"capabilities.csv": DEMO_BUNDLE["capabilities.csv"] + "cap-c,Clean and sterilise equipment.,,,false,Demo\n"},
    )
    env = dict(os.environ, WFH_WAREHOUSE_DIR=str(warehouse), WFH_CYCLE_DIRS=str(bundle), WFH_HOME=str(ROOT))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "wfh.cli", "refresh", "--subset"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and process.poll() is None:
            if any((warehouse / ".build").glob("**/*.duckdb")):  # the build has started
                time.sleep(2)
                break
            time.sleep(0.5)
        assert process.poll() is None, "the refresh ended before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert live.read_bytes() == before
    # the embedding cache (written by the killed run too) stays readable, losing nothing
    with duckdb.connect(str(cache), read_only=True) as con:
        assert con.sql("select count(*) from matching.text_embedding").fetchall()[0][0] >= cached
    with duckdb.connect(str(live), read_only=True) as con:
        assert (
            con.sql("select count(*) from marts.dim_capability where cycle_id = 'demo-increment'").fetchall()[0][0] == 2
        )
