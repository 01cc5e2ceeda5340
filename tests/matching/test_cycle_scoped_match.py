"""The match step scores only the cycles whose inputs changed, reusing the framework side, and the
result equals a run that scores everything.

Works on copies of the session's subset warehouse (``published_warehouse``). A second cycle is made
in the copy from the real one (same capabilities, FOPs and themes under a new cycle id), so one
cycle can change while the other stays.
"""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest

from wfh.embeddings import CACHE_TABLE
from wfh.matching import run_match_step
from wfh.matching.step import CYCLE_KEYS, INDEX_CACHE_FOLDER

SECOND = "copied-cycle"


def matching_digests(db) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            name: hashlib.sha256(
                repr(con.sql(f"select * from matching.{name} order by all").fetchall()).encode()
            ).hexdigest()
            for name in [*CYCLE_KEYS, "match_settings", "cycle_inputs"]
        }


def rows_of_cycle(db, cycle_id: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(
            "select count(*) from matching.capability_standard_best where capability_key like ? || ':%'",
            params=[cycle_id],
        ).fetchall()[0][0]


def add_second_cycle(db, first: str) -> None:
    """Copy the first cycle's intermediate rows under a new cycle id (what dbt would build for a
    bundle that repeats the first one)."""
    with duckdb.connect(str(db)) as con:
        for table, keys in (
            ("intermediate.int_capabilities", ("capability_key",)),
            ("intermediate.int_fops", ("fop_key",)),
            ("intermediate.int_themes", ("theme_key",)),
            ("staging.stg_cycles__cycles", ()),
        ):
            renamed = ", ".join(f"replace({k}, '{first}:', '{SECOND}:') as {k}" for k in keys)
            con.sql(
                f"insert into {table} select * replace ('{SECOND}' as cycle_id{', ' if keys else ''}{renamed}) "
                f"from {table} where cycle_id = '{first}'"
            )


def reword(db, cycle_id: str) -> None:
    with duckdb.connect(str(db)) as con:
        con.sql(
            "update intermediate.int_capabilities set statement = 'In future, ' || statement where cycle_id = ?",
            params=[cycle_id],
        )


def match(db, **options) -> dict:
    """The match step on a copied build, with the embedding cache copied beside it."""
    return run_match_step(db, subset=True, cache_path=db.with_name("embeddings.duckdb"), **options)


@pytest.fixture()
def two_cycles(published_warehouse, tmp_path):
    """A copy of the subset build with two cycles, matched in full once (framework side saved)."""
    db = tmp_path / "wfh.duckdb"
    shutil.copyfile(published_warehouse / "wfh.duckdb", db)
    shutil.copyfile(published_warehouse / "embeddings.duckdb", tmp_path / "embeddings.duckdb")
    with duckdb.connect(str(db), read_only=True) as con:
        first = con.sql("select min(cycle_id) from intermediate.int_capabilities").fetchall()[0][0]
    add_second_cycle(db, first)
    result = match(db)
    assert result["framework_side"] == "built" and result["cycles_matched"] == sorted([first, SECOND])
    return db, first


def test_unchanged_inputs_keep_every_row_and_reuse_the_framework_side(two_cycles, tmp_path):
    db, first = two_cycles
    before = matching_digests(db)
    assert len(list((tmp_path / INDEX_CACHE_FOLDER).glob("*.pkl"))) == 1
    result = match(db, reuse=True)
    assert result["framework_side"] == "reused"
    assert result["cycles_matched"] == [] and result["cycles_kept"] == sorted([first, SECOND])
    assert matching_digests(db) == before


def test_a_changed_cycle_is_scored_alone_and_equals_a_full_run(two_cycles, tmp_path):
    db, first = two_cycles
    kept_before = rows_of_cycle(db, first)
    reword(db, SECOND)
    full = tmp_path / "full" / "wfh.duckdb"
    full.parent.mkdir()
    shutil.copyfile(db, full)
    shutil.copyfile(tmp_path / "embeddings.duckdb", full.with_name("embeddings.duckdb"))

    scoped = match(db, reuse=True)
    assert scoped["framework_side"] == "reused"
    assert scoped["cycles_matched"] == [SECOND] and scoped["cycles_kept"] == [first]
    assert scoped["embedded"] > 0  # the reworded statements are new texts

    everything = match(full)
    assert everything["framework_side"] == "built" and everything["cycles_kept"] == []
    assert matching_digests(db) == matching_digests(full)
    assert rows_of_cycle(db, first) == kept_before > 0
    with duckdb.connect(str(db), read_only=True) as con:
        texts = con.sql(
            "select matched_text from matching.matched_texts where subject_key like ? || ':%' "
            "and subject_kind = 'capability'",
            params=[SECOND],
        ).fetchall()
    assert texts and all(t.startswith("In future, ") for (t,) in texts)


def test_a_removed_cycle_loses_its_rows(two_cycles):
    db, first = two_cycles
    with duckdb.connect(str(db)) as con:
        for table in ("int_capabilities", "int_fops", "int_themes"):
            con.sql(f"delete from intermediate.{table} where cycle_id = ?", params=[SECOND])
        con.sql("delete from staging.stg_cycles__cycles where cycle_id = ?", params=[SECOND])
    result = match(db, reuse=True)
    assert result["cycles_kept"] == [first] and result["cycles_matched"] == []
    assert rows_of_cycle(db, SECOND) == 0 and rows_of_cycle(db, first) > 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select list(cycle_id order by cycle_id) from matching.cycle_inputs").fetchall()[0][0] == [first]


def test_a_framework_side_whose_vectors_left_the_cache_is_built_again(two_cycles, tmp_path):
    db, _ = two_cycles
    with duckdb.connect(str(db), read_only=True) as con:
        label = con.sql(  # a candidate of the subset: one a capability was ranked against
            "select s.statement_text from matching.capability_provision_candidates c "
            "join intermediate.int_provision_statements s using (statement_id) limit 1"
        ).fetchall()[0][0]
    from wfh.embeddings import normalise_text, text_sha256

    with duckdb.connect(str(tmp_path / "embeddings.duckdb")) as con:
        con.sql(f"delete from {CACHE_TABLE} where text_sha256 = ?", params=[text_sha256(normalise_text(label))])
    result = match(db, reuse=True)
    assert result["framework_side"] == "built" and result["embedded"] >= 1


def test_a_changed_acronym_seed_rematches_every_cycle(two_cycles, tmp_path, monkeypatch):
    """The reviewed acronym seed (raw/cycles/_mappings) expands every cycle's texts: a change to it
    re-matches every cycle, as a full run would."""
    from wfh.matching import glossary
    from wfh.settings import paths

    db, first = two_cycles
    home = tmp_path / "home"
    shutil.copytree(paths().home / "raw", home / "raw")
    shutil.copyfile(paths().home / "wfh.toml", home / "wfh.toml")
    seed = home / "raw" / "cycles" / "_mappings" / glossary.SEED_FILE
    text = seed.read_text(encoding="utf-8").rstrip("\n")
    seed.write_text(text + "\nZQX,zebra quality exchange,\n", encoding="utf-8")
    monkeypatch.setenv("WFH_HOME", str(home))
    result = match(db, reuse=True)
    assert result["cycles_kept"] == [] and result["cycles_matched"] == sorted([first, SECOND])


def test_a_truncated_framework_side_is_built_again(two_cycles, tmp_path):
    db, first = two_cycles
    (kept,) = (tmp_path / INDEX_CACHE_FOLDER).glob("*.pkl")
    kept.write_bytes(kept.read_bytes()[:1000])  # e.g. a disk that filled up under another tool
    result = match(db, reuse=True)
    assert result["framework_side"] == "built" and result["cycles_kept"] == sorted([first, SECOND])
    (again,) = (tmp_path / INDEX_CACHE_FOLDER).glob("*.pkl")
    assert again.stat().st_size > 1000
