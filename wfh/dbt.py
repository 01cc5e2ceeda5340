"""Running dbt: always as a subprocess (dbt-duckdb can keep the file locked in-process, #616).

``run_dbt(["build", "--select", "staging", "intermediate"], db_path=..., landing_dir=...)`` runs dbt in
``dbt_project/`` against one DuckDB file and one landing folder, reads ``run_results.json`` and raises
:class:`DbtError` naming every model, test or unit test that failed, with dbt's message.

Tests are selected with ``--indirect-selection buildable`` unless the caller chooses otherwise: a
test runs when the models it reads are selected or are built before them, so ``--select staging
intermediate`` never runs a test that needs the marts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from wfh.settings import paths

FAILED_STATUSES = {"error", "fail", "runtime error"}


@dataclass(frozen=True)
class NodeResult:
    """One model, test, unit test or seed of a dbt invocation."""

    unique_id: str
    status: str
    message: str | None
    execution_time: float
    failures: int | None = None

    @property
    def resource_type(self) -> str:
        return self.unique_id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.unique_id.split(".")[-1] if self.resource_type != "test" else self.unique_id.split(".")[2]

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


@dataclass(frozen=True)
class DbtResult:
    """What a dbt invocation did: its arguments, exit code, output and per-node results."""

    args: list[str]
    returncode: int
    output: str
    duration_s: float
    nodes: list[NodeResult] = field(default_factory=list)
    target_path: Path | None = None

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.failed]

    def count(self, resource_type: str, status: str | None = None) -> int:
        return sum(1 for n in self.nodes if n.resource_type == resource_type and (status is None or n.status == status))

    def summary(self) -> str:
        """E.g. ``model: 69 success; test: 402 pass; unit_test: 5 pass; 61.2 s``."""
        counts: dict[str, dict[str, int]] = {}
        for node in self.nodes:
            by_status = counts.setdefault(node.resource_type, {})
            by_status[node.status] = by_status.get(node.status, 0) + 1
        parts = [
            f"{kind}: " + ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
            for kind, by_status in sorted(counts.items())
        ]
        return "; ".join(parts + [f"{self.duration_s:.1f} s"])


class DbtError(RuntimeError):
    """dbt failed: names the failing models and tests (or dbt's own error when nothing ran)."""

    def __init__(self, result: DbtResult):
        self.result = result
        super().__init__(self.describe(result))

    @staticmethod
    def describe(result: DbtResult) -> str:
        command = "dbt " + " ".join(result.args)
        failed = result.failed_nodes
        if not failed:
            tail = "\n".join(result.output.strip().splitlines()[-25:])
            return f"{command} failed (exit code {result.returncode}) before running any node:\n{tail}"
        lines = [f"{command} failed: {len(failed)} node(s) failed"]
        for node in failed:
            message = " ".join((node.message or "").split())
            lines.append(f"- {node.resource_type} {node.name} ({node.status}): {message[:400]}")
        return "\n".join(lines)


def dbt_executable() -> str:
    """The ``dbt`` command of the running interpreter's environment."""
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise FileNotFoundError("the dbt command is not installed in this environment")
    return found


def _read_run_results(target_path: Path, started: float) -> list[NodeResult]:
    path = target_path / "run_results.json"
    if not path.exists() or path.stat().st_mtime < started:
        return []  # dbt stopped before running anything (a stale file is not this run's)
    data = json.loads(path.read_text())
    return [
        NodeResult(
            unique_id=r["unique_id"],
            status=r["status"],
            message=r.get("message"),
            execution_time=float(r.get("execution_time") or 0.0),
            failures=r.get("failures"),
        )
        for r in data.get("results", [])
    ]


def run_dbt(
    args: list[str],
    db_path: Path | str,
    landing_dir: Path | str,
    *,
    project_dir: Path | None = None,
    target_path: Path | None = None,
    check: bool = True,
    timeout_s: float | None = None,
) -> DbtResult:
    """Run ``dbt <args>`` on ``db_path`` reading landing Parquet from ``landing_dir``.

    ``target_path`` defaults to ``dbt_project/target`` (where ``wfh docs`` looks); pass a folder of
    your own to run several builds side by side. Raises :class:`DbtError` naming the failing nodes
    when ``check`` is true and dbt fails.
    """
    project = Path(project_dir or paths().dbt_project).resolve()
    db_path, landing_dir = Path(db_path).resolve(), Path(landing_dir).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    target = Path(target_path).resolve() if target_path else project / "target"
    env = dict(os.environ)
    env.update(
        {
            "WFH_DB_PATH": str(db_path),
            "WFH_LANDING_DIR": str(landing_dir),
            "DBT_PROFILES_DIR": str(project),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(target / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    env.setdefault("DBT_INDIRECT_SELECTION", "buildable")
    started = time.time()
    completed = subprocess.run(
        [dbt_executable(), *args], cwd=project, env=env, capture_output=True, text=True, timeout=timeout_s
    )
    duration = time.time() - started
    result = DbtResult(
        args=list(args),
        returncode=completed.returncode,
        output=completed.stdout + completed.stderr,
        duration_s=duration,
        nodes=_read_run_results(target, started),
        target_path=target,
    )
    if check and (completed.returncode != 0 or result.failed_nodes):
        raise DbtError(result)
    return result


# --- what a refresh rebuilds ----------------------------------------------------------------------
# The build starts from a copy of the live warehouse, so a model whose inputs did not change is
# already there, identical. From the fingerprint parts that changed (wfh.fingerprint) the plan
# selects the dbt models downstream of the changed sources; anything else that changed (code, the
# dbt project, wfh.toml, package versions) rebuilds every model.

FRAMEWORK_SOURCES = ("skills_england", "esco", "onet", "esco_onet_crosswalk")
CYCLE_SOURCE = "cycles"
# Tables every run rewrites: the run log and quality results (ops) and the landing audit.
ALWAYS_SOURCES = ("ops",)


def _dbt_source_of(part: str) -> str | None:
    """The dbt source a data part of the fingerprint feeds, or None for a non-data part."""
    kind, _, name = part.partition(":")
    if kind in ("cycle", "cycles"):
        return CYCLE_SOURCE
    if kind == "source":
        return CYCLE_SOURCE if name.startswith("foresighting_report") else name
    return None


@dataclass(frozen=True)
class RebuildPlan:
    """What one refresh rebuilds: every model (``full``), or those downstream of ``sources``."""

    full: bool
    sources: tuple[str, ...] = ()
    match: bool = True  # re-run the match step (frameworks or cycles changed, or full)
    docs: bool = True  # regenerate the dbt docs (dbt project or schema-shaping code changed)

    @classmethod
    def from_changes(cls, changed: list[str], *, docs_exist: bool = True) -> RebuildPlan:
        """The plan for a build whose inputs differ from the live warehouse's in ``changed`` parts
        (every part, when there is no live warehouse)."""
        sources = sorted({s for s in map(_dbt_source_of, changed) if s})
        full = any(_dbt_source_of(part) is None for part in changed)
        match = full or bool(sources)
        return cls(full=full, sources=tuple(sources), match=match, docs=full or not docs_exist)

    def select(self, layer: str) -> list[str]:
        """dbt ``--select`` arguments for ``layer`` (``staging intermediate`` or ``marts``).

        Marts always include those downstream of the run records, and of the matching tables when
        the match step ran. An empty list means nothing to build in that layer."""
        layers = layer.split()
        if self.full:
            return layers
        sources = list(self.sources) + ["landing"] * bool(self.sources)
        if layer == "marts":
            sources += list(ALWAYS_SOURCES) + ["matching"] * self.match
        return [f"source:{source}+,{name}" for source in dict.fromkeys(sources) for name in layers]

    def describe(self) -> str:
        if self.full:
            return "every model"
        return "models downstream of " + ", ".join(self.sources or ("the run records",))
