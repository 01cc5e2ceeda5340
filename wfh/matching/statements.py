"""Map your own list: rank any statements against a framework (``wfh match``).

Same candidates, embedding cache and scoring as the match step. The warehouse and its embedding cache
(``embeddings.duckdb`` beside it) are opened read-only: cached vectors are reused, new ones (your
statements) are kept in memory only.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import IO

import duckdb
import polars as pl

from wfh.embeddings import EmbeddingSettings, EmbeddingStore, cache_file_for, normalise_text
from wfh.errors import InputError
from wfh.matching import adaptation, glossary, targets
from wfh.matching.provision import shared_terms
from wfh.matching.scoring import ScoreWeights, ScoringIndex
from wfh.settings import paths

# The targets `wfh match --against` accepts (defined once in wfh.matching.targets; "duties" is an
# alias of "provision").
AGAINST = targets.CLI_AGAINST
COLUMNS = ("query", "rank", "id", "label", "similarity")
OUTPUT_SCHEMA = {"query": pl.String, "rank": pl.Int32, "id": pl.String, "label": pl.String, "similarity": pl.Float64}
# --explain adds the evidence: for provision the statement's standard, version, status, route and
# the standard's alignment with the query (cosine with its profile); for every target the shared terms.
EXPLAIN_COLUMNS = {
    "standard_reference": pl.String,
    "standard_title": pl.String,
    "standard_version": pl.String,
    "standard_status": pl.String,
    "route": pl.String,
    "statement_kind": pl.String,
    "alignment": pl.Float64,
    "shared_terms": pl.String,
}


def match_statements(
    queries: list[str],
    against: str,
    top_k: int = 10,
    db_path: Path | None = None,
    *,
    settings: EmbeddingSettings | None = None,
    weights: ScoreWeights | None = None,
    subset: bool | None = None,
    explain: bool = False,
) -> pl.DataFrame:
    """The ``top_k`` best candidates of ``against`` for each query: columns query, rank, id, label,
    similarity (rank 1 = best), plus the evidence columns of ``EXPLAIN_COLUMNS`` with ``explain``.
    Queries are matched with their acronyms expanded (the reviewed seed of wfh.matching.glossary) and
    read by the model as the match step reads capabilities (glossary.reading_vectors).
    ``db_path`` defaults to the published warehouse; ``subset=None`` uses the candidate set the
    warehouse's match step used (``matching.match_settings``)."""
    if against not in AGAINST:
        raise InputError(f"unknown target; choose one of {', '.join(AGAINST)}", field="against", value=against)
    if top_k < 1:
        raise InputError("top must be at least 1", field="top", value=top_k)
    db_path = Path(db_path) if db_path else paths().live_db
    if not db_path.exists():
        raise InputError("warehouse not found: run `wfh refresh` first", file=str(db_path))
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        if subset is None:
            subset = _built_on_subset(con)
        candidates = targets.load(con, against, subset)
        is_provision = targets.ALIASES.get(against, against) == "provision"
        standards = _standard_details(con) if explain and is_provision else {}
        profiles = targets.standard_profiles(con, subset) if explain and is_provision else None
        alignment_map = adaptation.read_alignment_map(con) if explain and is_provision else None
    finally:
        con.close()
    settings = settings or EmbeddingSettings.from_config()
    store = EmbeddingStore(cache_file_for(db_path), settings=settings, read_only=True)
    index = ScoringIndex(candidates, store, weights or ScoreWeights.for_target(targets.ALIASES.get(against, against)))
    kept = [q for q in queries if normalise_text(q)]
    schema = {**OUTPUT_SCHEMA, **(EXPLAIN_COLUMNS if explain else {})}
    if not kept or not len(candidates):
        return pl.DataFrame(schema=schema)
    acronyms = glossary.build(texts=kept)
    expanded = [glossary.expand(q, acronyms) for q in kept]
    # Read as the match step reads capabilities: as written and with the long forms alone.
    query_vectors = glossary.reading_vectors(
        store, expanded, {text: glossary.long_forms_only(text, acronyms) for text in expanded}
    )
    idx, sim = index.top_k(expanded, top_k, query_vectors)
    rows = [
        (q, r + 1, candidates.ids[j], candidates.labels[j], float(s))
        for q, row_idx, row_sim in zip(kept, idx, sim, strict=False)
        for r, (j, s) in enumerate(zip(row_idx, row_sim, strict=False))
    ]
    frame = pl.DataFrame(rows, schema=OUTPUT_SCHEMA, orient="row")
    if not explain:
        return frame
    position = {cid: i for i, cid in enumerate(candidates.ids)}
    alignment: dict[tuple[int, str], float] = {}
    if profiles is not None and len(profiles):
        profile_vectors = store.embed(profiles.labels)
        if alignment_map is not None:  # the match step's domain-adapted alignment space
            query_vectors = adaptation.to_alignment_space(query_vectors, alignment_map)
            profile_vectors = adaptation.to_alignment_space(profile_vectors, alignment_map)
        cosines = query_vectors @ profile_vectors.T
        profile_index = {key: i for i, key in enumerate(profiles.ids)}
        alignment = {(q, key): float(cosines[q, i]) for q in range(len(kept)) for key, i in profile_index.items()}
    extra = {name: [] for name in EXPLAIN_COLUMNS}
    query_number = {q: i for i, q in enumerate(kept)}
    for query, cid in zip(frame["query"].to_list(), frame["id"].to_list(), strict=False):
        j, q = position[cid], query_number[query]
        standard_key = candidates.extra.get("standard_key", [None] * len(candidates))[j]
        details = standards.get(standard_key, {})
        for name in ("standard_reference", "standard_title", "standard_version", "standard_status", "route"):
            extra[name].append(details.get(name))
        extra["statement_kind"].append(candidates.extra.get("statement_kind", [None] * len(candidates))[j])
        extra["alignment"].append(alignment.get((q, standard_key)))
        extra["shared_terms"].append(shared_terms(expanded[q], candidates.labels[j]))
    return frame.with_columns(
        **{name: pl.Series(values, dtype=EXPLAIN_COLUMNS[name]) for name, values in extra.items()}
    )


def _standard_details(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """standard_key -> reference, title, version, status and route (for --explain)."""
    rows = con.sql("""select standard_key, reference_number, title, version, status, route
                      from intermediate.int_standard_versions""").fetchall()
    return {
        key: {
            "standard_reference": ref,
            "standard_title": title,
            "standard_version": version,
            "standard_status": status,
            "route": route,
        }
        for key, ref, title, version, status, route in rows
    }


def _built_on_subset(con: duckdb.DuckDBPyConnection) -> bool:
    has_settings = con.sql(
        "select count(*) from duckdb_tables() where schema_name = 'matching' and table_name = 'match_settings'"
    ).fetchall()[0][0]
    if not has_settings:
        return False
    rows = con.sql("select value from matching.match_settings where setting = 'subset'").fetchall()
    return bool(rows) and rows[0][0] == "True"


def read_queries(source: str | Path | IO[str] | None = None, column: str | None = None) -> list[str]:
    """Statements to match: one per line from a text file or stdin (``None`` or ``'-'``), or the
    named column of a CSV file (``column``). Blank lines are skipped."""
    if source is None or str(source) == "-":
        text, name = (source if hasattr(source, "read") else sys.stdin).read(), "<stdin>"
    elif hasattr(source, "read"):
        text, name = source.read(), "<stream>"
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("file not found", file=str(path))
        from wfh.ingest.common import check_utf8

        text = check_utf8(path.read_bytes(), source="", file=str(path)).removeprefix("\ufeff")
        name = str(path)
    if column is None:
        return [line.strip() for line in text.splitlines() if line.strip()]
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"not a readable CSV file ({exc.__class__.__name__})", file=name) from exc
    if column not in frame.columns:
        raise InputError(f"no column {column!r}; columns are {', '.join(frame.columns)}", file=name, field=column)
    return [v.strip() for v in frame[column].to_list() if v and v.strip()]


def write_matches(matches: pl.DataFrame, fmt: str = "csv", out: str | Path | IO[str] | None = None) -> None:
    """Write matches as CSV (with header) or JSON lines (``fmt='jsonl'``) to a file or stdout."""
    if fmt not in ("csv", "jsonl"):
        raise InputError("format must be csv or jsonl", field="format", value=fmt)
    frame = matches.select([c for c in matches.columns if c in COLUMNS or c in EXPLAIN_COLUMNS])
    if fmt == "csv":
        text = frame.write_csv()
    else:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in frame.iter_rows(named=True))
    if out is None or str(out) == "-":
        sys.stdout.write(text)
    elif hasattr(out, "write"):
        out.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
