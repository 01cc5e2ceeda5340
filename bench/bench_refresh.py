"""What a refresh costs when little or nothing changed, against a full warm rebuild, in one run.

    python bench/bench_refresh.py --from /path/to/a/full/build/wfh.duckdb [--workdir DIR] [--texts N]

Works on copies only: the warehouse file (with its embedding cache) and its landing zone are
copied into ``--workdir``, next to a project home whose ``raw/`` is a copy (so a source entry can be
edited) and whose code, dbt project and expectations are this checkout's. Each refresh is the real
command line (``python -m wfh.cli refresh``) in a subprocess, timed end to end with Python start-up:

0. prime      the first refresh of the copy (it has no fingerprint yet; cold if the model id changed)
1. full warm  ``wfh refresh --force``: every model rebuilt, every vector from the cache
2. no change  ``wfh refresh`` with nothing changed
3. one cycle  ``wfh add-cycle`` of a copy of the first cycle under a new id (statements reworded, so
              they are embedded) + ``wfh refresh``
4. one source the ``esco_onet_crosswalk`` entry of ``raw/sources.yml`` edited (same files, so the
              landing is reused) + ``wfh refresh``: its models and their dependants are rebuilt

Before step 0 and after step 4: the live file's size and what starting a build from it costs (the
copy every incremental refresh makes; ``cp --reflink=auto`` too, which falls back to a plain copy on
file systems without reflinks such as ext4), plus the size of the embedding cache file. A source
built before the cache had its own file moves its vectors out in step 0 and is compacted.

Then the embedding speed ratio: ``EmbeddingStore.embed`` with the settings of ``wfh.toml`` against
plain ``SentenceTransformer.encode`` (batch 32, as shipped) on ``--texts`` real texts.
Timings share 2 cores with whatever else runs: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(label: str, args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wfh.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    last = (done.stdout.strip().splitlines() or [""])[-1]
    if done.returncode != 0:
        raise SystemExit(f"{label} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    print(f"   {label:<11} {seconds:7.1f} s   {last[:110]}", flush=True)
    return seconds


def _home(workdir: Path, cached_model_ids: set[str]) -> Path:
    """A project home: raw/ and wfh.toml copied (editable), the rest linked to this checkout.

    When the copied warehouse holds no vectors for the configured embedding runtime but holds the
    torch ones, the home's wfh.toml uses the torch runtime: the refresh costs measured here are
    those of a warm cache, not of re-embedding 80,000 texts (the embedding ratio is measured apart)."""
    from wfh.embeddings import EmbeddingSettings

    home = workdir / "home"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    shutil.copytree(ROOT / "raw", home / "raw")
    for name in ("dbt_project", "expectations"):
        (home / name).symlink_to(ROOT / name)
    toml = (ROOT / "wfh.toml").read_text(encoding="utf-8")
    configured = EmbeddingSettings.from_config()
    torch_settings = dataclasses.replace(configured, runtime="torch", quantized=False)
    if configured.model_id not in cached_model_ids and torch_settings.model_id in cached_model_ids:
        lines = toml.splitlines()
        lines = [
            (
                'runtime = "torch"'
                if line.startswith("runtime ")
                else "quantized = false"
                if line.startswith("quantized ")
                else line
            )
            for line in lines
        ]
        toml = "\n".join(lines) + "\n"
        print(
            f"   (the copy caches {torch_settings.model_id}, not {configured.model_id}: "
            f"refreshes here use the torch runtime)"
        )
    (home / "wfh.toml").write_text(toml, encoding="utf-8")
    return home


def _second_cycle(first_bundle: Path, target: Path, cycle_id: str) -> Path:
    """A copy of a bundle under a new cycle id, every capability statement reworded."""
    shutil.copytree(first_bundle, target)
    cycle_yml = (target / "cycle.yml").read_text(encoding="utf-8").splitlines()
    (target / "cycle.yml").write_text(
        "\n".join(f"id: {cycle_id}" if line.startswith("id:") else line for line in cycle_yml) + "\n", encoding="utf-8"
    )
    rows = list(csv.DictReader(io.StringIO((target / "capabilities.csv").read_text(encoding="utf-8"))))
    for row in rows:
        row["statement"] = f"By 2030, {row['statement'][:1].lower()}{row['statement'][1:]}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (target / "capabilities.csv").write_text(out.getvalue(), encoding="utf-8")
    return target


def _edit_source_entry(manifest: Path, source_id: str) -> None:
    text = manifest.read_text(encoding="utf-8")
    marker = f"  - id: {source_id}\n"
    assert marker in text, f"{source_id} not in {manifest}"
    manifest.write_text(
        text.replace(marker, marker + "    note_bench: edited by bench_refresh.py\n", 1), encoding="utf-8"
    )


def copy_costs(label: str, warehouse: Path) -> None:
    """Size of the live file and of the cache file; time to copy the live file (as a build starts)."""
    live, cache = warehouse / "wfh.duckdb", warehouse / "embeddings.duckdb"
    scratch = warehouse.parent / "copy-probe.duckdb"
    timings: dict[str, float] = {}
    for how in ("shutil.copyfile", "cp --reflink=auto") * 2:  # best of two each (page cache, write-back)
        scratch.unlink(missing_ok=True)
        os.sync()
        started = time.perf_counter()
        if how == "shutil.copyfile":
            shutil.copyfile(live, scratch)
        else:
            subprocess.run(["cp", "--reflink=auto", str(live), str(scratch)], check=True)
        timings[how] = min(timings.get(how, float("inf")), time.perf_counter() - started)
    scratch.unlink(missing_ok=True)
    cache_mb = cache.stat().st_size / 1e6 if cache.exists() else 0.0
    print(
        f"   {label}: live file {live.stat().st_size / 1e6:.0f} MB (copy "
        + ", ".join(f"{how} {seconds:.2f} s" for how, seconds in timings.items())
        + f"); embedding cache file {cache_mb:.0f} MB",
        flush=True,
    )


def embedding_ratio(n_texts: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_embedding_speed import baseline_encode, sample_texts

    from wfh.embeddings import EmbeddingSettings, EmbeddingStore

    texts = sample_texts(n_texts)
    settings = EmbeddingSettings.from_config()
    baseline_encode(texts[:64])  # load outside the timing
    EmbeddingStore(None, settings=settings, progress=False).embed(texts[:64])
    started = time.perf_counter()
    baseline_encode(texts)
    base_s = time.perf_counter() - started
    started = time.perf_counter()
    EmbeddingStore(None, settings=settings, progress=False).embed(texts)
    ours_s = time.perf_counter() - started
    print(
        f"5. embedding {len(texts)} real texts: plain encode {len(texts) / base_s:.0f} texts/s, "
        f"ours ({settings.model_id}) {len(texts) / ours_s:.0f} texts/s: x{base_s / ours_s:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        help="a full build (its folder's landing/ is copied too, when there)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/wfh-bench-refresh"))
    parser.add_argument("--texts", type=int, default=2000)
    args = parser.parse_args(argv)

    workdir = args.workdir.resolve()
    warehouse = workdir / "warehouse"
    from wfh.embeddings import cache_counts, cache_file_for

    home = _home(workdir, set(cache_counts(cache_file_for(args.source))))
    if warehouse.exists():
        shutil.rmtree(warehouse)
    warehouse.mkdir(parents=True)
    shutil.copyfile(args.source, warehouse / "wfh.duckdb")
    for name in ("landing", "bundles", ".match-index"):
        if (args.source.parent / name).is_dir():
            shutil.copytree(args.source.parent / name, warehouse / name, symlinks=True)
    if (args.source.parent / "embeddings.duckdb").exists():
        shutil.copyfile(args.source.parent / "embeddings.duckdb", warehouse / "embeddings.duckdb")
    env = dict(
        os.environ,
        WFH_HOME=str(home),
        WFH_WAREHOUSE_DIR=str(warehouse),
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    env.pop("WFH_CYCLE_DIRS", None)
    env.setdefault("WFH_MIRROR", str((ROOT.parent / "shared" / "data").resolve()))
    env.setdefault("HF_HUB_OFFLINE", "1")

    print(f"Refresh costs on a copy of {args.source} (workdir {workdir})")
    copy_costs("before", warehouse)
    _run("0. prime", ["refresh"], env)
    full = _run("1. full warm", ["refresh", "--force"], env)
    none = _run("2. no change", ["refresh"], env)
    new_cycle = workdir / "new-cycle"
    if new_cycle.exists():
        shutil.rmtree(new_cycle)
    bundle = _second_cycle(warehouse / "bundles" / "atmp-poc-2026", new_cycle / "bench-cycle-2030", "bench-cycle-2030")
    started = time.perf_counter()
    _run("   add-cycle", ["add-cycle", str(bundle)], env)
    _run("3. one cycle", ["refresh"], env)
    cycle = time.perf_counter() - started  # add-cycle + refresh
    _edit_source_entry(home / "raw" / "sources.yml", "esco_onet_crosswalk")
    source = _run("4. one source", ["refresh"], env)
    copy_costs("after", warehouse)
    print("Summary (seconds; ratio to the full warm rebuild)")
    for label, seconds in (
        ("full warm rebuild", full),
        ("no-change refresh", none),
        ("one-cycle change (add-cycle + refresh)", cycle),
        ("one-source change", source),
    ):
        print(f"   {label:<40} {seconds:7.1f} s   x{seconds / full:.3f}")
    embedding_ratio(args.texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
