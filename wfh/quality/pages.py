"""A run page that needs no JavaScript, and pruning of old runs from the Data Docs.

GX's index page lists the validations with JavaScript from CDNs, so offline it shows an empty
table. Each gate run therefore also writes runs/<time>-<gate>-<run id>.html (every result, failures
first, then findings, linking to GX's own page per suite) and quality.html, the list of those runs.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from wfh.quality.checks import CRITICAL, FINDING, WARNING
from wfh.quality.results import GateResult

DATA_DOCS_RUNS = 20  # runs kept in the Data Docs; ops.quality_results keeps them all


def site_dir(context) -> Path:
    """The Data Docs folder (``paths().data_docs`` unless the context says otherwise)."""
    index = context.get_docs_sites_urls(only_if_exists=False)[0]["site_url"]
    return Path(index.removeprefix("file://")).parent


def _run_page_name(result: GateResult) -> str:
    return f"{result.results[0].run_at:%Y%m%dT%H%M%SZ}-{result.gate}-{result.run_id}.html"


def write_run_page(result: GateResult, site: Path, pages: dict[str, str]) -> Path:
    """Write the run's static page and refresh ``quality.html``; returns the run page."""
    folder = site / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / (_run_page_name(result) if result.results else f"{result.gate}-{result.run_id}.html")
    order = {(False, CRITICAL): 0, (False, WARNING): 1, (True, FINDING): 2}
    rows = []
    for r in sorted(result.results, key=lambda r: (order.get((r.success, r.severity), 3), r.suite)):
        link = pages.get(r.suite)
        suite = (
            (
                f'<a href="{html.escape(os.path.relpath(link.removeprefix("file://"), folder))}">'
                f"{html.escape(r.suite)}</a>"
            )
            if link
            else html.escape(r.suite)
        )
        status = "finding" if r.severity == FINDING else "passed" if r.success else f"FAILED ({r.severity})"
        rows.append(
            f"<tr><td>{status}</td><td>{suite}</td><td>{html.escape(r.expectation)}</td>"
            f"<td>{html.escape(r.column_name or '')}</td>"
            f"<td>{html.escape(r.observed_value or '')}</td></tr>"
        )
    verdict = "passed" if result.success else "FAILED"
    title = f"{result.gate} gate, run {result.run_id}: {verdict}"
    page.write_text(
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<h1>{html.escape(title)}</h1><p><a href='../quality.html'>all runs</a> · "
        f"<a href='../index.html'>GX Data Docs</a></p>"
        f"<p>{len(result.failed_critical)} critical and {len(result.failed_warnings)} warning "
        f"expectation(s) failed, of {len(result.results) - len(result.findings)}; "
        f"{len(result.findings)} finding(s) counted.</p>"
        "<table border='1' cellpadding='4'><tr><th>result</th><th>suite</th><th>expectation</th>"
        "<th>column</th><th>observed</th></tr>" + "".join(rows) + "</table>",
        encoding="utf-8",
    )
    _write_runs_index(site)
    return page


def _write_runs_index(site: Path) -> None:
    items = [
        f"<li><a href='runs/{html.escape(p.name)}'>{html.escape(p.stem)}</a></li>"
        for p in sorted((site / "runs").glob("*.html"), reverse=True)
    ]
    (site / "quality.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Quality gate runs</title>"
        "<h1>Quality gate runs</h1><p>Newest first; each page lists every expectation of one gate "
        "run. <a href='index.html'>GX Data Docs</a> (its lists need JavaScript from the internet).</p>"
        f"<ul>{''.join(items)}</ul>",
        encoding="utf-8",
    )


def forget_old_runs(context, keep: int = DATA_DOCS_RUNS) -> None:
    """Keep the JSON results (and so the Data Docs pages) of the last ``keep`` runs only.

    The full history stays in ``ops.quality_results``; this bounds the time the index page takes.
    """
    store = context.validation_results_store
    keys = store.list_keys()
    last_seen: dict[str, str] = {}
    for key in keys:
        name, time = key.run_id.run_name, str(key.run_id.run_time)
        last_seen[name] = max(time, last_seen.get(name, time))
    newest = set(sorted(last_seen, key=last_seen.get, reverse=True)[:keep])
    for key in keys:
        if key.run_id.run_name not in newest:
            store.remove_key(key)
    site = site_dir(context)
    old = [p for p in (site / "runs").glob("*.html") if p.stem.split("-", 2)[-1] not in newest]
    for page in old:
        page.unlink()
    if old:
        _write_runs_index(site)
