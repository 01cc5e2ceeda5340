"""Where things live and how the project is configured: the one place for paths and settings.

Paths derive from the project root and can be moved with environment variables, which is how the
tests build a warehouse of their own:

- ``WFH_HOME``           project root (default: the checkout this file is in)
- ``WFH_WAREHOUSE_DIR``  warehouse folder (default ``$WFH_HOME/warehouse``)
- ``WFH_MIRROR``         local mirror of the sources in the publishers' layout (default: download)
- ``WFH_CYCLE_DIRS``     extra cycle-bundle folders, separated by ``:``

Tunable settings (matching thresholds, schedule, ...) live in ``wfh.toml`` at the project root and
nowhere else: code reads them with :func:`setting` / :func:`config`, and a missing file, section or
key is a :class:`SettingsError` naming it (no silent fall-back to a second set of values).

:func:`set_environment_defaults` is the one place for the environment every entry point needs
(offline model hub, no telemetry, Prefect's local server); each entry point calls it first.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wfh.errors import WfhError

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
    def embedding_cache(self) -> Path:
        """The embedding cache (wfh.embeddings): its own file, never published, never copied."""
        return self.warehouse / "embeddings.duckdb"

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


# Read by libraries at import time, so set before prefect, great_expectations or the model load.
ENVIRONMENT_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",  # the model ships in a package: never ask the hub
    "TOKENIZERS_PARALLELISM": "false",
    "GX_ANALYTICS_ENABLED": "false",  # no telemetry (no network here)
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary local server needs longer than Prefect's default 20 s on a busy 2-core machine (seen
    # timing out there under load); the wait ends as soon as the server answers, so a generous bound is cheap.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def set_environment_defaults() -> None:
    """Set every environment default the project relies on (values already set are kept)."""
    for name, value in ENVIRONMENT_DEFAULTS.items():
        os.environ.setdefault(name, value)


class SettingsError(WfhError):
    """``wfh.toml`` is missing, or lacks a section or key the code needs."""


SETTINGS_FILE = "wfh.toml"


@cache
def _read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def config(section: str) -> dict:
    """One section of ``wfh.toml``: ``config("matching")``, ``config("matching.subset")``.

    A missing file or section is a SettingsError naming it.
    """
    path = paths().home / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(f"{path} is missing: it holds every tunable setting (section [{section}])")
    table = _read_toml(path)
    for part in section.split("."):
        if not isinstance(table, dict) or part not in table:
            raise SettingsError(f"{path}: section [{section}] is missing")
        table = table[part]
    return dict(table)


def setting(section: str, key: str):
    """One value of ``wfh.toml``; a missing file, section or key is a SettingsError naming it."""
    values = config(section)
    if key not in values:
        raise SettingsError(f"{paths().home / SETTINGS_FILE}: [{section}] {key} is missing")
    return values[key]


def settings_of(section: str, keys: tuple[str, ...] | list[str]) -> dict:
    """Several keys of one section (each one required)."""
    return {key: setting(section, key) for key in keys}
