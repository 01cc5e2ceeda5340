"""Generated reference docs are not hand-kept: the committed data dictionary matches what the
generator writes from the dbt project and the landing contracts (the GX project's counterpart is
tests/quality/test_results_and_docs.py::test_committed_project_is_in_sync_with_the_code)."""

from __future__ import annotations

from pathlib import Path

from wfh.data_dictionary import generate

ROOT = Path(__file__).resolve().parents[2]


def test_committed_data_dictionary_is_current(docs_target, tmp_path):
    """Fails when a model's yml or a landing contract changed without `python -m wfh.data_dictionary`."""
    fresh = generate(docs_target, tmp_path / "data-dictionary.md").read_text()
    committed = (ROOT / "docs" / "data-dictionary.md").read_text()
    assert "## Landing tables (the landing contracts)" in fresh
    assert fresh == committed, "docs/data-dictionary.md is stale: run `python -m wfh.data_dictionary` and commit it"
