"""The `wfh` command line: refresh, status, sql, match, export, add-cycle, docs, dashboard, serve.

Every expected failure (bad input, a busy or missing warehouse, a full disk, a failed gate, a SQL
error) ends with one line on stderr, ``wfh <command>: <where>: <why>``, and exit code 2; anything else
is a bug and says so in one line too (exit 1). ``--debug`` prints the traceback. A refresh's full log,
Prefect's tracebacks included, is in ``warehouse/logs/refresh.log``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import traceback
import uuid
from pathlib import Path

from wfh.errors import WfhError
from wfh.settings import paths, set_environment_defaults


class UsageError(Exception):
    """A user mistake the command line reports in one line."""


def _default_environment() -> None:
    """Defaults every command shares: offline model hub, no telemetry, the local mirror here."""
    set_environment_defaults()
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
            print(
                f"unchanged: no input differs from the live warehouse {paths().live_db}; nothing "
                f"rebuilt (run {record['run_id']}). `wfh refresh --force` rebuilds anyway."
            )
            return 0
    from wfh.flows.refresh import refresh
    from wfh.runlog import send_tracebacks_to_log_file

    send_tracebacks_to_log_file()
    record = refresh(full=args.full, subset=args.subset, force=args.force)
    if record["status"] == "unchanged":
        print(f"unchanged: nothing rebuilt (run {record['run_id']})")
        return 0
    print(f"published {paths().live_db} (run {record['run_id']}, quality {record['quality_status']})")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from wfh.flows.ingest import ingest
    from wfh.runlog import send_tracebacks_to_log_file
    from wfh.warehouse import take_writer_lock

    send_tracebacks_to_log_file()
    with take_writer_lock(f"ingest-{uuid.uuid4().hex[:6]}", what="ingest"):
        print(json.dumps(ingest(force=args.full), default=str, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from wfh.flows.refresh import serve
    from wfh.runlog import send_tracebacks_to_log_file

    send_tracebacks_to_log_file()
    serve(cron=args.cron)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from wfh.runlog import read_run_log_checked, run_log_path
    from wfh.warehouse import connect_read_only

    log = read_run_log_checked()
    for problem in log.skipped:
        print(f"wfh status: {run_log_path()} {problem}; skipped", file=sys.stderr)
    runs = log.records
    if not runs:
        raise UsageError("no refresh has run yet; run `wfh refresh`")
    last = runs[-1]
    print(
        f"last run      {last['run_id']}  {last['status']}  started {last['started_at']}  "
        f"finished {last.get('finished_at')}"
    )
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
        print("wfh sql: read-only shell on the published warehouse; end statements with ';', quit with .quit or Ctrl-D")
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
    matches = match_statements(queries, against=args.against, top_k=args.top, explain=args.explain)
    write_matches(matches, fmt=args.format, out=sys.stdout if args.output in (None, "-") else args.output)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wfh.export import export_marts

    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(
            f"--output {output}: is an existing file; name a folder (it is created "
            "if missing) to write the exported files into"
        )
    written = export_marts(paths().live_db, args.format, output, mart=args.mart, cycle=args.cycle)
    for path in written:
        print(path)
    return 0


def cmd_add_cycle(args: argparse.Namespace) -> int:
    from wfh.cycles import read_bundles
    from wfh.cycles.bundle import check_cycle_id_is_new
    from wfh.warehouse import take_writer_lock

    bundle = Path(args.bundle).resolve()
    if not (bundle / "cycle.yml").is_file():
        raise UsageError(f"{bundle} is not a cycle bundle (no cycle.yml)")
    tables = read_bundles([bundle])  # refuses symbolic links, bad UTF-8, bad dates, bad rows
    cycle_id = tables["cycles"]["cycle_id"][0]
    target = paths().cycles / cycle_id
    if target.exists() and target.resolve() != bundle:
        raise UsageError(f"cycle {cycle_id} is already registered at {target}")
    check_cycle_id_is_new(cycle_id, bundle)
    if target.resolve() != bundle:
        # Under the warehouse lock, so a running refresh never reads a half-copied bundle.
        with take_writer_lock(f"add-cycle-{uuid.uuid4().hex[:6]}", what="add-cycle"):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{cycle_id}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(bundle, partial, symlinks=True)
            os.replace(partial, target)
    counts = ", ".join(f"{name} {frame.height}" for name, frame in tables.items() if frame.height)
    print(
        f"cycle {cycle_id} is valid and registered at {target} ({counts}); run `wfh refresh` to add it to the warehouse"
    )
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
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from wfh.dashboard import dashboard_command

    return subprocess.call(dashboard_command(args.port), cwd=paths().home)


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="print the traceback of a failure")
    parser = argparse.ArgumentParser(prog="wfh", description="wfh-cube: the open workforce-foresighting data cube")
    parser.add_argument("--debug", dest="debug_first", action="store_true", help="print the traceback of a failure")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_command(name: str, **kwargs) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)  # every command takes --debug

    p = add_command("refresh", help="ingest, embed, build, check and publish the warehouse")
    p.add_argument("--full", action="store_true", help="re-land every source and rebuild from an empty warehouse")
    p.add_argument("--subset", action="store_true", help="match against the small test subset only")
    p.add_argument(
        "--force", action="store_true", help="rebuild even when no input changed since the live warehouse was built"
    )
    p.set_defaults(func=cmd_refresh)

    p = add_command("ingest", help="land the sources and cycles as Parquet (no warehouse build)")
    p.add_argument("--full", action="store_true", help="re-land even unchanged sources")
    p.set_defaults(func=cmd_ingest)

    p = add_command("serve", help="serve the scheduled refresh deployment (Prefect)")
    p.add_argument("--cron", help="cron schedule (default from wfh.toml [schedule])")
    p.set_defaults(func=cmd_serve)

    p = add_command("status", help="last run, source versions and data-quality summary")
    p.set_defaults(func=cmd_status)

    p = add_command("sql", help="run a query (or an interactive shell) on a read-only connection")
    p.add_argument("query", nargs="?", help="SQL to run; omit for an interactive shell")
    p.add_argument("--format", choices=["table", "csv"], default="table")
    p.set_defaults(func=cmd_sql)

    p = add_command("match", help="match your own statements against a framework")
    from wfh.matching.names import CLI_AGAINST

    p.add_argument(
        "--against",
        required=True,
        choices=CLI_AGAINST,
        help="provision = duty and skill statements of the standards ('duties' is an alias)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="add the evidence: standard, version, status, route, alignment, shared terms",
    )
    p.add_argument("--top", type=int, default=10, help="matches per statement (default 10)")
    p.add_argument("--input", default="-", help="file with one statement per line, or a CSV (default: stdin)")
    p.add_argument("--column", help="CSV column holding the statements")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("--output", help="output file (default: stdout)")
    p.set_defaults(func=cmd_match)

    p = add_command("export", help="write marts as CSV, Excel or Parquet")
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"], required=True)
    p.add_argument("--output", required=True, help="output folder")
    p.add_argument("--mart", help="one mart only (default: all)")
    p.add_argument("--cycle", help="one cycle only")
    p.set_defaults(func=cmd_export)

    p = add_command("add-cycle", help="validate a cycle bundle and register it under raw/cycles/")
    p.add_argument("bundle", help="folder with cycle.yml and the CSV tables")
    p.set_defaults(func=cmd_add_cycle)

    p = add_command("docs", help="show (or serve) the dbt docs and the Data Docs")
    p.add_argument("--serve", action="store_true", help="serve the dbt docs on 127.0.0.1")
    p.add_argument("--port", type=int, default=8580)
    p.set_defaults(func=cmd_docs)

    p = add_command("dashboard", help="start the dashboard on 127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_dashboard)
    return parser


def describe_failure(error: BaseException) -> tuple[str, int]:
    """The one line (without the ``wfh <command>: `` prefix) and exit code for a failure.

    Expected failures exit 2; anything else is a bug (exit 1) and points at ``--debug``.
    """
    import duckdb

    from wfh.dbt import DbtError

    def first_line(text: str) -> str:
        return next((line.strip() for line in text.splitlines() if line.strip()), "")

    if isinstance(error, (WfhError, UsageError)):
        return first_line(str(error)), 2
    if isinstance(error, DbtError):  # a failed model or test; every failed node is in the log
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        return "; ".join(lines[:2]) + ("; ..." if len(lines) > 2 else ""), 2
    if isinstance(error, UnicodeDecodeError):
        return f"input is not valid UTF-8 ({first_line(str(error))})", 2
    if isinstance(error, OSError):  # missing file, no permission, disk full
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or first_line(str(error))}", 2
    if isinstance(error, duckdb.Error):
        message = first_line(str(error))
        if "disabled by configuration" in message or "configuration has been locked" in message:
            message += (
                "; `wfh sql` only reads the warehouse (no files, settings, ATTACH or INSTALL): "
                "print results with --format and redirect them"
            )
        return message, 2
    if isinstance(error, RuntimeError) and "ephemeral Prefect API server" in str(error):
        waited = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "20")
        return (
            f"the temporary Prefect server did not start within {waited} s (busy machine?): raise "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS or set PREFECT_API_URL to a running "
            "Prefect server"
        ), 2
    return (
        f"unexpected error {type(error).__name__}: {first_line(str(error))} "
        f"(a bug; rerun with --debug for the traceback)"
    ), 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _default_environment()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"wfh {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the one top-level error path
        if args.debug or args.debug_first:
            traceback.print_exc()
        line, code = describe_failure(error)
        if args.command in ("refresh", "serve", "ingest"):
            from wfh.runlog import refresh_log_path

            if refresh_log_path().exists():
                line += f" (full log: {refresh_log_path()})"
        print(f"wfh {args.command}: {line}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
