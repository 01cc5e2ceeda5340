"""The `wfh` command line: refresh, status, sql, match, export, add-cycle, docs, dashboard, serve.

User mistakes end with one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from wfh.errors import InputError, QualityGateError
from wfh.settings import paths


class UsageError(Exception):
    """A user mistake the command line reports in one line."""


def _default_environment() -> None:
    """Defaults every command shares: offline model hub, no telemetry, the local mirror here."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    if "WFH_MIRROR" not in os.environ:
        shared = paths().home.parent / "shared" / "data"
        if shared.is_dir():
            os.environ["WFH_MIRROR"] = str(shared)


# --- commands ------------------------------------------------------------------------------

def cmd_refresh(args: argparse.Namespace) -> int:
    if not (args.full or args.force):
        # Checked before Prefect, dbt or torch are imported: a no-change refresh takes seconds.
        from wfh.fingerprint import unchanged_run
        from wfh.warehouse import append_run_record

        record = unchanged_run(subset=args.subset)
        if record is not None:
            append_run_record(record)
            print(f"unchanged: no input differs from the live warehouse {paths().live_db}; nothing "
                  f"rebuilt (run {record['run_id']}). `wfh refresh --force` rebuilds anyway.")
            return 0
    from flows.refresh import refresh

    record = refresh(full=args.full, subset=args.subset, force=args.force)
    if record["status"] == "unchanged":
        print(f"unchanged: nothing rebuilt (run {record['run_id']})")
        return 0
    print(f"published {paths().live_db} (run {record['run_id']}, quality {record['quality_status']})")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from flows.ingest import ingest

    print(json.dumps(ingest(force=args.full), default=str, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.refresh import serve

    serve(cron=args.cron)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from wfh.warehouse import connect_read_only, read_run_log

    runs = read_run_log()
    if not runs:
        raise UsageError("no refresh has run yet; run `wfh refresh`")
    last = runs[-1]
    print(f"last run      {last['run_id']}  {last['status']}  started {last['started_at']}  "
          f"finished {last.get('finished_at')}")
    published = [r for r in runs if r["status"] == "published"]
    if published:
        print(f"last publish  {published[-1]['run_id']}  {published[-1]['finished_at']}")
    print(f"warehouse     {paths().live_db}")
    for source, version in sorted((last.get("source_versions") or {}).items()):
        print(f"source        {source:<22} {version}")
    with connect_read_only() as con:
        rows = con.sql("""
            select split_part(checkpoint, '.', 1) as gate, severity, count(*) as expectations,
                   count(*) filter (where not success) as failed
            from ops.quality_results
            where run_id = (select run_id from ops.quality_results order by run_at desc limit 1)
            group by all order by all""").fetchall()
    for gate, severity, total, failed in rows:
        print(f"quality       {gate + ' gate':<22} {severity:<8} {total - failed}/{total} passed")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from wfh.warehouse import connect_read_only

    with connect_read_only() as con:
        if args.query:
            _print_query(con, args.query, args.format)
            return 0
        print("wfh sql: read-only shell on the published warehouse; end statements with ';', "
              "quit with .quit or Ctrl-D")
        buffer = ""
        while True:
            try:
                line = input("wfh> " if not buffer else "...> ")
            except EOFError:
                print()
                return 0
            if line.strip() in (".quit", ".exit") and not buffer:
                return 0
            buffer += line + "\n"
            if buffer.rstrip().endswith(";"):
                try:
                    _print_query(con, buffer, args.format)
                except duckdb.Error as error:
                    print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
                buffer = ""


def _print_query(con, query: str, fmt: str) -> None:
    """Print a query's result as a table (DuckDB's own rendering) or as CSV."""
    import csv

    import duckdb

    try:
        relation = con.sql(query)
        if relation is None:
            return
        if fmt == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(relation.columns)
            writer.writerows(relation.fetchall())
        else:
            relation.show(max_rows=200, max_width=240)
    except duckdb.Error as error:
        raise UsageError(str(error).splitlines()[0]) from None


def cmd_match(args: argparse.Namespace) -> int:
    from wfh.matching import match_statements, read_queries, write_matches

    queries = read_queries(args.input, column=args.column)
    if not queries:
        raise UsageError("no statements to match (empty input)")
    matches = match_statements(queries, against=args.against, top_k=args.top)
    write_matches(matches, fmt=args.format, out=sys.stdout if args.output in (None, "-") else args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wfh.export import export_marts

    written = export_marts(paths().live_db, args.format, Path(args.output), mart=args.mart,
                           cycle=args.cycle)
    for path in written:
        print(path)
    return 0


def cmd_add_cycle(args: argparse.Namespace) -> int:
    from wfh.cycles import read_bundles

    bundle = Path(args.bundle).resolve()
    if not (bundle / "cycle.yml").is_file():
        raise UsageError(f"{bundle} is not a cycle bundle (no cycle.yml)")
    tables = read_bundles([bundle])
    cycle_id = tables["cycles"]["cycle_id"][0]
    target = paths().cycles / cycle_id
    if target.exists() and target.resolve() != bundle:
        raise UsageError(f"cycle {cycle_id} is already registered at {target}")
    if target.resolve() != bundle:
        shutil.copytree(bundle, target)
    counts = ", ".join(f"{name} {frame.height}" for name, frame in tables.items() if frame.height)
    print(f"cycle {cycle_id} is valid and registered at {target} ({counts}); "
          f"run `wfh refresh` to add it to the warehouse")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    dbt_docs = paths().dbt_project / "target"
    data_docs = paths().data_docs
    if not (dbt_docs / "index.html").exists():
        raise UsageError("dbt docs are not built yet; run `wfh refresh` (it generates them)")
    print(f"dbt docs:  {dbt_docs / 'index.html'}")
    print(f"Data Docs: {data_docs / 'quality.html'}")
    if args.serve:
        import functools
        import http.server

        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dbt_docs))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
        print(f"serving dbt docs on http://127.0.0.1:{args.port}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from dashboard import dashboard_command

    return subprocess.call(dashboard_command(args.port), cwd=paths().home)


# --- parser --------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wfh", description="wfh-cube: the open workforce-foresighting data cube")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refresh", help="ingest, embed, build, check and publish the warehouse")
    p.add_argument("--full", action="store_true", help="re-land every source and rebuild from an empty warehouse")
    p.add_argument("--subset", action="store_true", help="match against the small test subset only")
    p.add_argument("--force", action="store_true",
                   help="rebuild even when no input changed since the live warehouse was built")
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("ingest", help="land the sources and cycles as Parquet (no warehouse build)")
    p.add_argument("--full", action="store_true", help="re-land even unchanged sources")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("serve", help="serve the scheduled refresh deployment (Prefect)")
    p.add_argument("--cron", help="cron schedule (default from wfh.toml [schedule])")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("status", help="last run, source versions and data-quality summary")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("sql", help="run a query (or an interactive shell) on a read-only connection")
    p.add_argument("query", nargs="?", help="SQL to run; omit for an interactive shell")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("match", help="match your own statements against a framework")
    p.add_argument("--against", required=True,
                   choices=["duties", "esco-skills", "esco-occupations", "onet-tasks", "onet-occupations"])
    p.add_argument("--top", type=int, default=10, help="matches per statement (default 10)")
    p.add_argument("--input", default="-", help="file with one statement per line, or a CSV (default: stdin)")
    p.add_argument("--column", help="CSV column holding the statements")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("--output", help="output file (default: stdout)")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("export", help="write marts as CSV, Excel or Parquet")
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"], required=True)
    p.add_argument("--output", required=True, help="output folder")
    p.add_argument("--mart", help="one mart only (default: all)")
    p.add_argument("--cycle", help="one cycle only")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("add-cycle", help="validate a cycle bundle and register it under raw/cycles/")
    p.add_argument("bundle", help="folder with cycle.yml and the CSV tables")
    p.set_defaults(func=cmd_add_cycle)

    p = sub.add_parser("docs", help="show (or serve) the dbt docs and the Data Docs")
    p.add_argument("--serve", action="store_true", help="serve the dbt docs on 127.0.0.1")
    p.add_argument("--port", type=int, default=8580)
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("dashboard", help="start the dashboard on 127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _default_environment()
    try:
        return args.func(args)
    except (UsageError, InputError, QualityGateError, FileNotFoundError) as error:
        print(f"wfh {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
