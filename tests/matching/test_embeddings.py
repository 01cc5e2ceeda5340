"""The embedding store: normalisation, cache hits and misses, invalidation by model id."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from wfh.embeddings import (
    CACHE_TABLE,
    EmbeddingSettings,
    EmbeddingStore,
    cache_counts,
    copy_cache,
    normalise_text,
    text_sha256,
)


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
    assert [(c[0], c[1]) for c in columns] == [
        ("model_id", "VARCHAR"),
        ("text_sha256", "VARCHAR"),
        ("embedding", "FLOAT[384]"),
    ]


def test_model_change_invalidates_by_model_id(tmp_path, real_texts):
    db = tmp_path / "wfh.duckdb"
    EmbeddingStore(db, settings=EmbeddingSettings.from_config(max_seq_length=128)).embed(real_texts)
    other = EmbeddingStore(db, settings=EmbeddingSettings.from_config(max_seq_length=64))
    assert other.model_id != EmbeddingSettings.from_config(max_seq_length=128).model_id
    other.embed(real_texts)
    assert other.last.embedded == len(real_texts)  # nothing reused across model ids
    counts = cache_counts(db)
    assert counts == {
        EmbeddingSettings.from_config(max_seq_length=128).model_id: len(real_texts),
        other.model_id: len(real_texts),
    }


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


# --- ONNX Runtime: the same weights, exported locally -------------------------------------------


def test_runtime_and_quantisation_are_part_of_the_cache_key():
    ids = {
        EmbeddingSettings.from_config(runtime=r, quantized=q).model_id for r in ("torch", "onnx") for q in (False, True)
    }
    assert len(ids) == 4
    assert EmbeddingSettings.from_config(runtime="onnx").model_id.endswith("@seq128+onnx")
    with pytest.raises(ValueError, match="runtime"):
        EmbeddingSettings.from_config(runtime="tensorflow")


def test_onnx_export_from_the_installed_package_gives_the_torch_vectors(tmp_path, monkeypatch, real_texts):
    """Export offline into an empty model cache, then compare with sentence-transformers."""
    from wfh.embeddings import encode, load_model, onnx_model_file

    monkeypatch.setenv("WFH_MODEL_CACHE", str(tmp_path / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fp32, int8 = onnx_model_file(False), onnx_model_file(True)
    assert fp32.parent == tmp_path / "models" and fp32.exists() and int8.exists()
    assert int8.stat().st_size < fp32.stat().st_size / 3  # int8 weights
    load_model.cache_clear()
    texts = [*real_texts, "Validate aseptic processes for cell and gene therapy manufacture at point of care. " * 12]
    torch_vectors = encode(texts, EmbeddingSettings.from_config(max_seq_length=128, runtime="torch"))
    onnx_vectors = encode(texts, EmbeddingSettings.from_config(max_seq_length=128, runtime="onnx"))
    int8_vectors = encode(texts, EmbeddingSettings.from_config(max_seq_length=128, runtime="onnx", quantized=True))
    load_model.cache_clear()  # later tests load from the default model cache again
    assert np.min(np.sum(torch_vectors * onnx_vectors, axis=1)) > 0.99999  # the long text truncated alike
    assert np.allclose(np.linalg.norm(int8_vectors, axis=1), 1.0, atol=1e-4)
    assert np.mean(np.sum(torch_vectors * int8_vectors, axis=1)) > 0.98  # per-channel: close, not equal


def test_onnx_store_caches_under_its_own_model_id(tmp_path, real_texts):
    db = tmp_path / "wfh.duckdb"
    EmbeddingStore(db, settings=EmbeddingSettings.from_config(runtime="torch")).embed(real_texts)
    store = EmbeddingStore(db, settings=EmbeddingSettings.from_config(runtime="onnx"))
    store.embed(real_texts)
    assert store.last.embedded == len(real_texts)  # torch vectors are not reused for onnx
    assert set(cache_counts(db)) == {
        EmbeddingSettings.from_config(runtime="torch").model_id,
        EmbeddingSettings.from_config(runtime="onnx").model_id,
    }
