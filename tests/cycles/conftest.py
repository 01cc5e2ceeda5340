"""Fixtures of the cycles tests: the real report and its extracted bundle (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfh.cycles import extract_report

ROOT = Path(__file__).resolve().parents[2]
REPORT = (ROOT.parent / "shared" / "seed" / "foresighting-report.txt").resolve()
CYCLE = "poc-atmp"


@pytest.fixture(scope="session")
def report_path() -> Path:
    assert REPORT.exists(), f"the report {REPORT} is missing"
    return REPORT


@pytest.fixture(scope="session")
def extracted_bundle(tmp_path_factory, report_path) -> Path:
    """The real report extracted into a bundle folder."""
    out = tmp_path_factory.mktemp("bundles") / CYCLE
    assert extract_report(report_path, out, CYCLE) == out
    return out
