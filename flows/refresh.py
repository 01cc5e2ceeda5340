"""The `refresh` flow: ingest -> quality gate -> dbt (staging, intermediate) -> embed and match ->
dbt (marts) -> quality gate -> publish.

Run it with `wfh refresh` (or `python -m wfh.flows.refresh`). Incremental by default: unchanged sources
are not re-landed, unchanged models are not rebuilt (the build starts from a copy of the live
warehouse), unchanged cycles are not re-matched and already-embedded texts are not re-embedded (the
embedding cache is its own file, `warehouse/embeddings.duckdb`). `--full` re-lands every source and
starts the warehouse from an empty file. Nothing touches the live warehouse until every gate has passed.
"""

from __future__ import annotations

import argparse
import json
import uuid
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task

from wfh import fingerprint, warehouse
from wfh.dbt import RebuildPlan, run_dbt
from wfh.embeddings import move_cache_out
from wfh.flows.ingest import ingest
from wfh.runlog import send_tracebacks_to_log_file
from wfh.settings import paths, setting

MART_SCHEMA = "marts"


@task(name="quality gate: landing")
def landing_gate(run_id: str, sources: list[str] | None) -> dict:
    """Validate the landing zone: every source, or only ``sources`` (those whose inputs changed;
    the others keep their last results, see ``marts_gate``)."""
    from wfh.quality import run_landing_gate

    result = run_landing_gate(paths().landing, run_id, sources=sources)
    if sources is not None:
        get_run_logger().info("landing gate on the changed sources only: %s", ", ".join(sources) or "none")
    return {"success": result.success, "results": result.results}


@task(name="dbt build: staging + intermediate")
def dbt_base(db_path: Path, select: list[str]) -> None:
    run_dbt(["build", "--select", *select], db_path=db_path, landing_dir=paths().landing)


@task(name="embed and match")
def embed_and_match(db_path: Path, subset: bool, reuse: bool) -> dict:
    """The match step; with ``reuse`` (only data changed) it scores only the cycles whose inputs
    changed and reuses the framework side while the frameworks are unchanged."""
    from wfh.matching import run_match_step

    result = run_match_step(db_path, subset=subset, reuse=reuse)
    get_run_logger().info(
        "match step %.1f s: framework side %s; cycles matched: %s; kept: %s",
        result["seconds"],
        result["framework_side"],
        ", ".join(result["cycles_matched"]) or "none",
        ", ".join(result["cycles_kept"]) or "none",
    )
    return result


@task(name="dbt build: marts")
def dbt_marts(db_path: Path, select: list[str]) -> None:
    run_dbt(["build", "--select", *select], db_path=db_path, landing_dir=paths().landing)


@task(name="dbt docs generate")
def dbt_docs(db_path: Path) -> Path:
    run_dbt(["docs", "generate"], db_path=db_path, landing_dir=paths().landing)
    return paths().dbt_project / "target" / "index.html"


@task(name="quality gate: marts")
def marts_gate(db_path: Path, run_id: str, landing_results: list) -> dict:
    from wfh.quality import kept_landing_results, run_marts_gate, write_results

    result = run_marts_gate(db_path, run_id, raise_on_failure=False)
    with duckdb.connect(str(db_path)) as con:
        warehouse.ensure_ops_schema(con)
        # Landing suites this run did not validate (unchanged sources) keep their last results.
        kept = kept_landing_results(con, {r.suite for r in landing_results}, run_id)
        write_results(con, list(landing_results) + kept + list(result.results))
    result.raise_for_failures()
    return {"success": result.success, "warnings": result.failed_warnings}


def _gated_sources(plan: RebuildPlan) -> list[str] | None:
    """The landing sources the landing gate validates: all (None) unless only data changed."""
    from wfh.contracts import contracts

    return None if plan.full else sorted(set(plan.sources) & set(contracts()))


def _source_versions() -> dict[str, str]:
    landing = paths().landing
    return {link.parent.name: link.resolve().name for link in sorted(landing.glob("*/current")) if link.is_symlink()}


def _rows_per_mart(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = con.sql(
            "select table_name from information_schema.tables where table_schema = ? order by table_name",
            params=[MART_SCHEMA],
        ).fetchall()
        return {name: con.sql(f'select count(*) from {MART_SCHEMA}."{name}"').fetchall()[0][0] for (name,) in tables}


@flow(name="refresh", log_prints=True)
def refresh(full: bool = False, subset: bool = False, force: bool = False) -> dict:
    """Rebuild the warehouse and publish it atomically; returns the run record.

    One refresh at a time: a second one fails at once with ``RefreshBusy`` and writes nothing. The run
    builds in its own ``warehouse/.build/<run id>/``, removed on any failure. When the fingerprint of
    every input equals the live warehouse's, nothing is built and the run is recorded as
    ``unchanged`` (``force`` or ``full`` rebuild anyway).
    """
    logger = get_run_logger()
    send_tracebacks_to_log_file()
    run_id = uuid.uuid4().hex[:12]
    record = {"run_id": run_id, "started_at": warehouse.utc_now(), "status": "running"}
    lock = warehouse.take_writer_lock(run_id, say=logger.warning)
    build = warehouse.build_path(run_id)
    try:
        inputs = fingerprint.compute(subset)
        changed = fingerprint.changed_parts(None if full else fingerprint.read_stored(), inputs)
        if not (full or force or changed):
            unchanged = fingerprint.unchanged_run(subset, current=inputs)
            if unchanged is not None:
                record.update({k: v for k, v in unchanged.items() if k not in ("run_id", "started_at")})
                logger.info("unchanged: no input differs from the live warehouse; nothing rebuilt")
                return record
        plan = RebuildPlan.from_changes(
            sorted(inputs.parts) if (full or force) else changed,
            docs_exist=(paths().dbt_project / "target" / "index.html").exists(),
        )
        reason = (
            "--full"
            if full
            else "--force"
            if force and not changed
            else "changed since the live warehouse: " + fingerprint.describe(changed)
        )
        logger.info("%s; rebuilding %s", reason, plan.describe())
        ingest(force=full)
        record["source_versions"] = _source_versions()
        gated = _gated_sources(plan)
        record["landing_gate_sources"] = "every source" if gated is None else gated
        landing = landing_gate(run_id, gated)
        build = warehouse.prepare_build(full=full, run_id=run_id)
        moved = move_cache_out(build, paths().embedding_cache)
        if moved:
            logger.info("moved %d cached vectors out of the warehouse into %s", moved, paths().embedding_cache)
        with duckdb.connect(str(build)) as con:
            warehouse.load_run_log(con, current=record)
        dbt_base(build, plan.select("staging intermediate"))
        if plan.match:
            match = embed_and_match(build, subset, reuse=not plan.full)
            record["match_step"] = {k: match[k] for k in ("framework_side", "cycles_matched", "cycles_kept", "seconds")}
        dbt_marts(build, plan.select("marts"))
        quality = marts_gate(build, run_id, landing["results"])
        record["quality_status"] = "passed with warnings" if quality["warnings"] else "passed"
        if plan.docs:
            dbt_docs(build)
        record["rows_per_mart"] = _rows_per_mart(build)
        record.update(status="published", finished_at=warehouse.utc_now())
        with duckdb.connect(str(build)) as con:
            warehouse.load_run_log(con, current=record)
            fingerprint.store(con, inputs, run_id)
        if warehouse.compact(build):
            logger.info("compacted the build (a quarter or more of it was free blocks)")
        warehouse.publish(build)
        logger.info("published %s (%d marts)", paths().live_db, len(record["rows_per_mart"]))
        return record
    except BaseException as error:
        record.update(
            status="failed",
            finished_at=warehouse.utc_now(),
            quality_status=record.get("quality_status") or type(error).__name__,
        )
        warehouse.discard_build(build)
        logger.error("refresh failed, the live warehouse is unchanged: %s", str(error).split("\n")[0])
        raise
    finally:
        try:
            warehouse.append_run_record(record)
        finally:
            lock.release()


def deployment(cron: str | None = None):
    """The scheduled deployment of `refresh`: cron from wfh.toml, one run at a time."""
    cron = cron or setting("schedule", "cron")
    return refresh.to_deployment(
        name="wfh-refresh",
        cron=cron,
        concurrency_limit=1,
        description="Scheduled refresh of the wfh-cube warehouse",
        tags=["wfh-cube"],
    )


def serve(cron: str | None = None) -> None:
    """Serve the scheduled deployment from this process (Ctrl-C to stop)."""
    from prefect import serve as prefect_serve

    prefect_serve(deployment(cron), limit=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="re-land every source, rebuild from empty")
    parser.add_argument("--subset", action="store_true", help="match on the small test subset")
    parser.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    args = parser.parse_args(argv)
    send_tracebacks_to_log_file()
    print(json.dumps(refresh(full=args.full, subset=args.subset, force=args.force), default=str, indent=2))


if __name__ == "__main__":
    main()
