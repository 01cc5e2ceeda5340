"""The embedding store: normalisation, cache hits and misses, invalidation by model id."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from wfh.embeddings import (CACHE_TABLE, EmbeddingSettings, EmbeddingStore, cache_counts, copy_cache,
                            normalise_text, text_sha256)


@pytest.fixture(scope="module")
def real_texts(mirror) -> list[str]:
    """A tiny real sample: 12 ESCO skill labels, including 'manage quality'."""
    skills = pl.read_csv(mirror / "esco" / "skills_en.csv", infer_schema=False)
    labels = skills["preferredLabel"].to_list()
    return ["manage quality", *labels[:: len(labels) // 11][:11]]


def test_normalise_text_gives_one_form_per_text():
    assert normalise_text("  Manage\u00a0quality\u200b &amp;\n\tsafety  ") == "Manage quality & safety"
    assert normalise_text("ﬁll and ﬁnish") == "fill and finish"  # NFKC ligatures
    assert normalise_text(None) == ""
    assert text_sha256(normalise_text("a  b")) == text_sha256(normalise_text(" a b "))


def test_second_run_embeds_nothing_and_returns_the_same_vectors(tmp_path, real_texts):
    db = tmp_path / "wfh.duckdb"
    settings = EmbeddingSettings.from_config(max_seq_length=128)
    texts = [*real_texts, "  manage   quality "]  # a duplicate after normalisation

    first = EmbeddingStore(db, settings=settings)
    vectors = first.embed(texts)
    assert first.last.embedded == len(real_texts)  # the duplicate is embedded once
    assert vectors.shape == (len(texts), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(vectors[0], vectors[-1])

    second = EmbeddingStore(db, settings=settings)  # a new process would start like this
    again = second.embed(texts)
    assert second.last.embedded == 0 and second.last.cached == len(real_texts)
    assert np.allclose(vectors, again)

    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.sql(f"describe {CACHE_TABLE}").fetchall()
    finally:
        con.close()
    assert [(c[0], c[1]) for c in columns] == [("model_id", "VARCHAR"), ("text_sha256", "VARCHAR"),
                                               ("embedding", "FLOAT[384]")]


def test_model_change_invalidates_by_model_id(tmp_path, real_texts):
    db = tmp_path / "wfh.duckdb"
    EmbeddingStore(db, settings=EmbeddingSettings.from_config(max_seq_length=128)).embed(real_texts)
    other = EmbeddingStore(db, settings=EmbeddingSettings.from_config(max_seq_length=64))
    assert other.model_id != EmbeddingSettings.from_config(max_seq_length=128).model_id
    other.embed(real_texts)
    assert other.last.embedded == len(real_texts)  # nothing reused across model ids
    counts = cache_counts(db)
    assert counts == {EmbeddingSettings.from_config(max_seq_length=128).model_id: len(real_texts),
                      other.model_id: len(real_texts)}


def test_read_only_store_reuses_the_file_cache_and_writes_nothing(tmp_path, real_texts):
    db = tmp_path / "wfh.duckdb"
    settings = EmbeddingSettings.from_config(max_seq_length=128)
    EmbeddingStore(db, settings=settings).embed(real_texts[:6])
    reader = EmbeddingStore(db, settings=settings, read_only=True)
    reader.embed(real_texts)
    assert (reader.last.cached, reader.last.embedded) == (6, len(real_texts) - 6)
    assert cache_counts(db) == {settings.model_id: 6}


def test_copy_cache_carries_vectors_into_a_new_build_file(tmp_path, real_texts):
    live, build = tmp_path / "live" / "wfh.duckdb", tmp_path / "build" / "wfh.duckdb"
    live.parent.mkdir()
    build.parent.mkdir()
    settings = EmbeddingSettings.from_config(max_seq_length=128)
    EmbeddingStore(live, settings=settings).embed(real_texts)
    assert copy_cache(live, build) == len(real_texts)
    store = EmbeddingStore(build, settings=settings)
    store.embed(real_texts)
    assert store.last.embedded == 0
