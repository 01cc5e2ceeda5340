"""Foresighting cycles as bundles: the bundle format, its validation, and the report extractor.

- ``extract_report(report_path, out_dir, cycle_id)`` writes a bundle from a report's text export;
- ``read_bundles(bundle_dirs)`` validates bundles and returns the tables of the ``cycles`` landing contract;
- ``find_bundle_dirs()`` lists the checked-in bundles (``raw/cycles/<id>/``) and those of ``WFH_CYCLE_DIRS``.

The format is documented in docs/cycle-bundle.md.
"""

from wfh.cycles.bundle import find_bundle_dirs, read_bundle, read_bundles, write_bundle
from wfh.cycles.extract import extract_report
from wfh.cycles.schema import BUNDLE_TABLES

__all__ = ["BUNDLE_TABLES", "extract_report", "find_bundle_dirs", "read_bundle", "read_bundles", "write_bundle"]
