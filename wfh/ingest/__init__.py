"""Ingestion: one parser module per source (files in, Polars frames out) and :func:`load_source`.

``load_source`` is the whole load of one reference source: fetch (mirror or download, checksums
verified), skip when the landing zone already holds exactly these inputs, parse, land. The Prefect
flow (``flows/ingest.py``) runs it once per source.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from wfh import landing, sources
from wfh.contracts import check_tables
from wfh.cycles.bundle import CYCLE_FILE
from wfh.ingest import crosswalk, esco, onet, skills_england

PARSERS: dict[str, ModuleType] = {
    "skills_england": skills_england,
    "esco": esco,
    "onet": onet,
    "esco_onet_crosswalk": crosswalk,
}
SOURCES = list(PARSERS)

log = logging.getLogger(__name__)


def code_checksum(module: ModuleType) -> tuple[str, str]:
    """(``code:<module file>``, sha256): recorded with the inputs, so a parser change reloads its source."""
    path = Path(module.__file__)
    return f"code:wfh/ingest/{path.name}", hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_inputs(source_id: str, manifest: sources.Manifest | Path | None = None) -> dict[str, Path]:
    """The source's files plus the files of other sources it depends on (``depends_on``)."""
    files = sources.fetch(source_id, manifest=manifest)
    entry = sources.source_entry(source_id, manifest)
    for other, names in (entry.get("depends_on") or {}).items():
        theirs = sources.fetch(other, manifest=manifest, only=names)
        files.update({name: theirs[name] for name in names})
    return files


def table_inputs(source_id: str, files: dict[str, Path], checksums: dict[str, str]) -> landing.TableInputs:
    """Per landing table: the input files it is built from (with sha256) and the parser's code."""
    module = PARSERS[source_id]
    code, code_sha = code_checksum(module)
    return {
        table: {**{name: checksums[name] for name in names}, code: code_sha} for table, names in module.TABLES.items()
    }


def load_source(
    source_id: str,
    *,
    manifest: sources.Manifest | Path | None = None,
    landing_dir: Path | None = None,
    force: bool = False,
    say: Callable[[str], None] | None = None,
) -> landing.LoadResult:
    """Fetch, check, parse and land one source; skipped when its inputs are unchanged."""
    say = say or log.info
    started = time.perf_counter()
    entry = sources.source_entry(source_id, manifest)
    version = str(entry["version"])
    files = fetch_inputs(source_id, manifest)
    checksums = {name: sources.sha256_of(path) for name, path in files.items()}
    inputs = table_inputs(source_id, files, checksums)
    if not force and landing.is_up_to_date(source_id, version, inputs, landing_dir):
        say(f"{source_id} {version}: inputs unchanged, nothing to do")
        return landing.skipped(source_id, version, started, landing_dir)
    say(f"{source_id} {version}: parsing {len(files)} file(s)")
    tables = PARSERS[source_id].parse(files)
    check_tables(source_id, tables)  # the landing contract in raw/sources.yml
    parsed = time.perf_counter()
    say(
        f"{source_id} {version}: parsed {sum(t.height for t in tables.values()):,} rows in "
        f"{len(tables)} tables in {parsed - started:.1f} s; writing Parquet"
    )
    result = landing.land(source_id, version, tables, inputs, started, landing_dir)
    say(
        f"{source_id} {version}: landed in {result.duration_s:.1f} s: "
        + ", ".join(f"{t} {n:,}" for t, n in result.rows.items())
    )
    return result


# --- cycles ---------------------------------------------------------------------------------------

CYCLES_SOURCE = "cycles"
REPORT_KIND = "foresighting_report"


def extract_reports(
    manifest: sources.Manifest | Path | None = None, say: Callable[[str], None] | None = None
) -> list[Path]:
    """Extract every foresighting report of the manifest into ``paths().generated_bundles/<cycle_id>``."""
    from wfh.cycles import extract_report
    from wfh.settings import paths

    say = say or log.info
    bundles = []
    for entry in load_manifest_sources(manifest, kind=REPORT_KIND):
        files = sources.fetch(entry["id"], manifest=manifest)
        report = files[entry["files"][0]["name"]]
        out_dir = paths().generated_bundles / entry["cycle_id"]
        say(f"extracting cycle {entry['cycle_id']} from {report.name}")
        bundles.append(Path(extract_report(report, out_dir, entry["cycle_id"])))
    return bundles


def load_manifest_sources(manifest: sources.Manifest | Path | None = None, kind: str | None = None) -> list[dict]:
    return [e for e in sources.load_manifest(manifest)["sources"] if kind is None or e.get("kind") == kind]


def bundle_inputs(bundle_dirs: list[Path], tables: list[str]) -> tuple[str, landing.TableInputs]:
    """The cycles version (short hash of every bundle file) and, per table, the files it comes from."""
    checksums: dict[str, str] = {}
    for bundle in bundle_dirs:
        for path in sorted(p for p in bundle.iterdir() if p.is_file() and not p.name.startswith(".")):
            checksums[f"{bundle.name}/{path.name}"] = sources.sha256_of(path)
    digest = hashlib.sha256("".join(f"{k} {v}\n" for k, v in sorted(checksums.items())).encode())
    version = digest.hexdigest()[:12]
    inputs = {}
    for table in tables:
        own = CYCLE_FILE if table == CYCLES_SOURCE else f"{table}.csv"
        files = {k: v for k, v in checksums.items() if k.endswith("/" + own)}
        inputs[table] = files or dict(checksums)
    return version, inputs


def load_cycles(
    *,
    manifest: sources.Manifest | Path | None = None,
    landing_dir: Path | None = None,
    force: bool = False,
    say: Callable[[str], None] | None = None,
) -> landing.LoadResult:
    """Extract the reports, gather every cycle bundle, and land them all as source ``cycles``.

    Bundles: the extracted ones, every folder under ``raw/cycles`` holding a ``cycle.yml``, and the
    ``WFH_CYCLE_DIRS`` folders. The version is a short hash of all bundle files.
    """
    from wfh.cycles import find_bundle_dirs, read_bundles

    say = say or log.info
    started = time.perf_counter()
    extracted = extract_reports(manifest, say)
    bundle_dirs = list(dict.fromkeys([p.resolve() for p in extracted] + find_bundle_dirs()))
    tables = read_bundles(bundle_dirs)
    check_tables(CYCLES_SOURCE, tables)
    version, inputs = bundle_inputs(bundle_dirs, list(tables))
    if not force and landing.is_up_to_date(CYCLES_SOURCE, version, inputs, landing_dir):
        say(f"cycles {version}: {len(bundle_dirs)} bundle(s) unchanged, nothing to do")
        return landing.skipped(CYCLES_SOURCE, version, started, landing_dir)
    result = landing.land(CYCLES_SOURCE, version, tables, inputs, started, landing_dir)
    say(
        f"cycles {version}: landed {len(bundle_dirs)} bundle(s): "
        + ", ".join(f"{t} {n:,}" for t, n in result.rows.items())
    )
    return result
