"""Shared test set-up: the real-data mirror, an isolated warehouse folder per test session, and the
test tiers.

Tests are marked by what they need, from the fixtures they use (directly or through other
fixtures), so a new test is marked without any edit: ``make test-fast`` runs the tests that need
no mirror, no model, no browser and no published warehouse; ``make test`` runs everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wfh.settings import set_environment_defaults

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = (ROOT.parent / "shared" / "data").resolve()

os.environ.setdefault("WFH_MIRROR", str(DEFAULT_MIRROR))
set_environment_defaults()


# fixture -> the markers it implies (a test using the fixture, even indirectly, gets them)
FIXTURE_MARKERS: dict[str, tuple[str, ...]] = {
    "mirror": ("mirror",),
    "report_path": ("mirror",),  # the seed report next to the mirror
    "embedding_model": ("model",),
    "published_warehouse": ("published_warehouse", "mirror", "model"),
    "dashboard_warehouse": ("published_warehouse", "mirror", "model"),
    "chromium": ("browser",),
    "browser": ("browser",),
}
TIER_MARKERS = {
    "mirror": "reads the real sources in the local mirror (WFH_MIRROR)",
    "model": "loads the embedding model",
    "browser": "drives headless Chromium",
    "published_warehouse": "needs the session's real subset refresh (several minutes cold)",
}
FAST_TIER = " and ".join(f"not {marker}" for marker in TIER_MARKERS)


def pytest_configure(config: pytest.Config) -> None:
    for marker, meaning in TIER_MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {meaning} (set from the fixtures; not in make test-fast)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by the fixtures it uses (``fixturenames`` holds the indirect ones too)."""
    for item in items:
        implied = {m for name in getattr(item, "fixturenames", ()) for m in FIXTURE_MARKERS.get(name, ())}
        for marker in sorted(implied):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def embedding_model():
    """The bundled embedding model, loaded once (marks the test ``model``)."""
    from wfh.embeddings import EmbeddingSettings, load_model

    settings = EmbeddingSettings.from_config()
    return load_model(settings.max_seq_length, settings.quantized, settings.threads, settings.runtime)


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The local mirror of the real sources (../shared/data here)."""
    path = Path(os.environ["WFH_MIRROR"])
    assert path.is_dir(), f"WFH_MIRROR {path} does not exist: the real-data tests need the mirror"
    return path


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory, mirror) -> Path:
    """A real refresh (Prefect flow, real sources, dbt, GX, publish) on the small matching subset.

    Built once per test session in a temporary warehouse folder; returns that folder, which holds
    wfh.duckdb. Tests that need embeddings rely on this subset instead of the full run.
    """
    from wfh.flows.refresh import refresh

    folder = tmp_path_factory.mktemp("warehouse")
    previous = os.environ.get("WFH_WAREHOUSE_DIR")
    os.environ["WFH_WAREHOUSE_DIR"] = str(folder)
    try:
        refresh(full=True, subset=True)
    finally:
        if previous is None:
            os.environ.pop("WFH_WAREHOUSE_DIR", None)
        else:
            os.environ["WFH_WAREHOUSE_DIR"] = previous
    assert (folder / "wfh.duckdb").exists()
    return folder
