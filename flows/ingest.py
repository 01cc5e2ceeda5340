"""The ``ingest`` flow: land every reference source and the foresighting cycles as Parquet.

One Prefect task per source (``skills_england``, ``esco``, ``onet``, ``esco_onet_crosswalk``) plus
``land_cycles``. Each fetches its files (mirror or download, checksums verified), skips when the
landing zone already holds exactly those inputs, otherwise parses with Polars and lands atomically.
A source that fails leaves its previous landing untouched; the other sources still land, and the flow
then fails with the first error.

Run locally (Prefect starts a temporary server by itself): ``python -m wfh.flows.ingest [--force]``.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import asdict
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.exceptions import MissingContextError

from wfh.errors import InputError
from wfh.ingest import SOURCES, load_cycles, load_source
from wfh.sources import DownloadError


def _logger():
    """The run logger inside Prefect; a plain logger when a task's ``.fn`` is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _retry_unless_bad_input(task, task_run, state) -> bool:
    """Retry network trouble, not bad input: a broken file stays broken on a second try."""
    error = state.data
    return isinstance(error, DownloadError) or not isinstance(error, InputError)


@task(
    name="ingest-source",
    task_run_name="ingest {source_id}",
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=_retry_unless_bad_input,
)
def ingest_source(source_id: str, force: bool = False, manifest: str | None = None) -> dict:
    """Fetch, check, parse and land one reference source."""
    logger = _logger()
    result = load_source(source_id, manifest=Path(manifest) if manifest else None, force=force, say=logger.info)
    return asdict(result)


@task(name="land_cycles", retries=1, retry_delay_seconds=5, retry_condition_fn=_retry_unless_bad_input)
def land_cycles(force: bool = False, manifest: str | None = None) -> dict:
    """Extract the foresighting reports and land every cycle bundle as source ``cycles``."""
    logger = _logger()
    result = load_cycles(manifest=Path(manifest) if manifest else None, force=force, say=logger.info)
    return asdict(result)


@flow(name="ingest", log_prints=True)
def ingest(
    force: bool = False, sources: list[str] | None = None, cycles: bool = True, manifest: str | None = None
) -> dict:
    """Land the sources (all by default) and the cycles; returns rows per table and what ran.

    ``force`` reloads even unchanged inputs. The summary is
    ``{"sources": {id: {"status", "version", "rows", "duration_s"}}, "rows": {"<source>.<table>": n}}``.
    """
    logger = get_run_logger()
    wanted = sources or SOURCES
    futures = {source_id: ingest_source.submit(source_id, force, manifest) for source_id in wanted}
    if cycles:
        futures["cycles"] = land_cycles.submit(force, manifest)
    results, errors = {}, []
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except Exception as exc:  # report every failed source, then fail with the first
            logger.error("%s failed: %s", name, exc)
            errors.append(exc)
    if errors:
        raise errors[0]
    summary = {
        "sources": {
            name: {k: r[k] for k in ("status", "version", "rows", "duration_s")} for name, r in results.items()
        },
        "rows": {f"{name}.{table}": n for name, r in results.items() for table, n in r["rows"].items()},
    }
    loaded = [n for n, r in results.items() if r["status"] == "loaded"]
    logger.info(
        "ingest done: loaded %s; skipped %s", loaded or "none", [n for n in results if n not in loaded] or "none"
    )
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m wfh.flows.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="reload even unchanged sources")
    parser.add_argument("--source", action="append", choices=SOURCES, help="only this source (repeatable)")
    parser.add_argument("--no-cycles", action="store_true", help="skip the cycles task")
    args = parser.parse_args(argv)
    summary = ingest(force=args.force, sources=args.source, cycles=not args.no_cycles)
    print(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    main()
