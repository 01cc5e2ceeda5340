"""Where things live and how the project is configured: the one place for paths and settings.

Paths derive from the project root and can be moved with environment variables, which is how the
tests build a warehouse of their own:

- ``WFH_HOME``           project root (default: the checkout this file is in)
- ``WFH_WAREHOUSE_DIR``  warehouse folder (default ``$WFH_HOME/warehouse``)
- ``WFH_MIRROR``         local mirror of the sources in the publishers' layout (default: download)
- ``WFH_CYCLE_DIRS``     extra cycle-bundle folders, separated by ``:``

Tunable settings (matching thresholds, schedule, ...) live in ``wfh.toml`` at the project root.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Paths:
    """Every folder and file the project reads or writes."""

    home: Path

    @property
    def raw(self) -> Path:
        return self.home / "raw"

    @property
    def manifest(self) -> Path:
        return self.raw / "sources.yml"

    @property
    def cycles(self) -> Path:
        return self.raw / "cycles"

    @property
    def warehouse(self) -> Path:
        return _env_path("WFH_WAREHOUSE_DIR", self.home / "warehouse")

    @property
    def landing(self) -> Path:
        return self.warehouse / "landing"

    @property
    def downloads(self) -> Path:
        return self.warehouse / "downloads"

    @property
    def generated_bundles(self) -> Path:
        """Cycle bundles written by the report extractor (build output, not source)."""
        return self.warehouse / "bundles"

    @property
    def live_db(self) -> Path:
        return self.warehouse / "wfh.duckdb"

    @property
    def build_db(self) -> Path:
        # Same basename as the live file: dbt writes three-part names with the catalog name.
        return self.warehouse / ".build" / "wfh.duckdb"

    @property
    def data_docs(self) -> Path:
        return self.warehouse / "data_docs"

    @property
    def dbt_project(self) -> Path:
        return self.home / "dbt_project"

    @property
    def expectations(self) -> Path:
        return self.home / "expectations"

    @property
    def mirror(self) -> Path | None:
        value = os.environ.get("WFH_MIRROR")
        return Path(value).expanduser().resolve() if value else None

    @property
    def extra_cycle_dirs(self) -> list[Path]:
        value = os.environ.get("WFH_CYCLE_DIRS", "")
        return [Path(p).expanduser().resolve() for p in value.split(":") if p]


def paths() -> Paths:
    """The project's paths, read from the environment at call time."""
    return Paths(home=_env_path("WFH_HOME", PACKAGE_ROOT))


@cache
def _read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def config(section: str) -> dict:
    """One section of ``wfh.toml`` (for example ``config("matching")``)."""
    path = paths().home / "wfh.toml"
    return dict(_read_toml(path).get(section, {})) if path.exists() else {}
