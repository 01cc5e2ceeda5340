"""The embedding cache is a file of its own: the published warehouse carries no vectors, a build
does not copy them, and a warehouse built before moves its cache out and shrinks.

Works on the session's subset warehouse (``published_warehouse``) and copies of it.
"""

from __future__ import annotations

import shutil

import duckdb

from wfh import warehouse
from wfh.embeddings import CACHE_TABLE, EmbeddingSettings, cache_counts, ensure_cache_table, move_cache_out


def tables(db) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.sql("select schema_name || '.' || table_name from duckdb_tables() order by 1").fetchall()
        return {n: con.sql(f"select count(*) from {n}").fetchall()[0][0] for (n,) in names}


def test_the_published_warehouse_holds_no_vectors_and_the_cache_file_does(published_warehouse):
    assert "matching.text_embedding" not in tables(published_warehouse / "wfh.duckdb")
    counts = cache_counts(published_warehouse / "embeddings.duckdb")
    assert counts.get(EmbeddingSettings.from_config().model_id, 0) > 1000
    # the match step's framework side is kept beside the cache, without vectors
    (kept,) = (published_warehouse / ".match-index").glob("*.pkl")
    assert kept.stat().st_size < (published_warehouse / "embeddings.duckdb").stat().st_size


def test_a_warehouse_holding_its_cache_moves_it_out_and_shrinks(published_warehouse, tmp_path, monkeypatch):
    """The layout before the cache had its own file: the first build moves the vectors into the cache
    file and is compacted before publishing; the live file is never written."""
    folder = tmp_path / "warehouse"
    folder.mkdir()
    live = folder / "wfh.duckdb"
    shutil.copyfile(published_warehouse / "wfh.duckdb", live)
    with duckdb.connect(str(live)) as con:
        ensure_cache_table(con)
        con.sql(f"attach '{published_warehouse / 'embeddings.duckdb'}' as old_cache (read_only)")
        con.sql(f"insert into {CACHE_TABLE} select * from old_cache.{CACHE_TABLE}")
        vectors = con.sql(f"select count(*) from {CACHE_TABLE}").fetchall()[0][0]
    assert vectors > 1000
    before, live_bytes = tables(live), live.read_bytes()
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(folder))

    build = warehouse.prepare_build(full=False, run_id="move-out")
    cache = folder / "embeddings.duckdb"
    assert move_cache_out(build, cache) == vectors
    assert move_cache_out(build, cache) == 0  # nothing left to move
    assert sum(cache_counts(cache).values()) == vectors
    after_move = tables(build)
    assert CACHE_TABLE not in after_move and after_move == {k: v for k, v in before.items() if k != CACHE_TABLE}

    size = build.stat().st_size
    assert warehouse.compact(build, min_free_share=0.01)
    assert build.stat().st_size < size and tables(build) == after_move
    assert not warehouse.compact(build)  # a compact file is left alone
    with duckdb.connect(str(build), read_only=True) as con:  # views still resolve in the fresh file
        views = con.sql("select schema_name || '.' || view_name from duckdb_views() where not internal").fetchall()
        assert views
        for (view,) in views:
            con.sql(f"select count(*) from {view}").fetchall()
    assert live.read_bytes() == live_bytes
    warehouse.discard_build(build)


def test_compaction_is_best_effort_and_keeps_the_content(tmp_path):
    """A build whose free blocks are a quarter or more is rewritten smaller with the same content; when
    the fresh copy cannot be written, the build is left exactly as it was (and can still be published)."""
    build = tmp_path / ".build" / "run" / "wfh.duckdb"
    build.parent.mkdir(parents=True)
    with duckdb.connect(str(build)) as con:
        con.sql("create table big as select range as n, md5(range::varchar) as pad from range(300000)")
        con.sql("checkpoint")
        con.sql("create table kept as select range as n from range(1000)")
        con.sql("checkpoint")
        con.sql("drop table big")
    blocker = build.parent / "compact"
    blocker.write_text("not a folder")  # the fresh copy cannot be made
    assert not warehouse.compact(build)
    assert tables(build) == {"main.kept": 1000}
    size = build.stat().st_size
    blocker.unlink()
    assert warehouse.compact(build)
    assert tables(build) == {"main.kept": 1000} and build.stat().st_size < size / 4
    assert not (build.parent / "compact").exists()
