"""Ingest benchmark: parse and land time per source, rows/s, and ratios against naive baselines.

Baselines, run in the same process on the same files:
- Skills England: ``json.load`` plus a pure-Python loop (``html.unescape`` and ``re`` per text, lists
  of dicts) building the same five tables;
- ESCO and O*NET text files: Python's ``csv`` module reading every file into lists of dicts.

Also times a whole ``load_source`` run per source into an empty landing folder, and the re-run with
unchanged inputs (which must do no work).

    python bench/bench_ingest.py [--repeat 3]

Needs ``WFH_MIRROR`` (default ``../shared/data`` next to the checkout). Writes
``bench/results/ingest.json`` too.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("WFH_MIRROR", str((ROOT.parent / "shared" / "data").resolve()))

from wfh import landing, sources  # noqa: E402
from wfh.ingest import PARSERS, SOURCES, esco, load_source, onet  # noqa: E402  # noqa: E402
from wfh.settings import set_environment_defaults  # noqa: E402


def best_of(repeat: int, fn):
    """(fastest seconds, last result) over ``repeat`` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


# --- naive baselines -----------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]+>")
_WS = re.compile(r"\s+")


def _naive_text(text):
    if text is None:
        return None
    for _ in range(3):
        text = html.unescape(text)
    return _WS.sub(" ", _TAG.sub(" ", text)).strip()


def naive_skills_england(path: Path) -> int:
    """json.load and Python loops: the same tables as lists of dicts; returns the row count."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    standards, duties, items, links, options = [], [], [], [], []
    for index, r in enumerate(records):
        key = (r["referenceNumber"].strip(), r["version"] or "1.0")
        standards.append(
            {
                "reference_number": key[0],
                "version": key[1],
                "title": r["title"],
                "record_index": index,
                **{f: _naive_text(r.get(f)) for f in ("occupationalSummary", "overviewOfRole", "standardInformation")},
            }
        )
        codes = {}
        for kind, (list_key, id_key, prefix) in {
            "knowledge": ("knowledges", "knowledgeId", "K"),
            "skill": ("skills", "skillId", "S"),
            "behaviour": ("behaviours", "behaviourId", "B"),
        }.items():
            for position, item in enumerate(r[list_key] or [], start=1):
                codes.setdefault(item.get(id_key), f"{prefix}{position}")
                items.append(
                    {
                        "key": key,
                        "type": kind,
                        "id": item.get(id_key),
                        "code": f"{prefix}{position}",
                        "detail": _naive_text(item.get("detail")),
                    }
                )
        for number, duty in enumerate(r["duties"] or [], start=1):
            duties.append(
                {"key": key, "id": duty["dutyID"], "number": number, "detail": _naive_text(duty["dutyDetail"])}
            )
            for mapped in ("mappedKnowledge", "mappedSkills", "mappedBehaviour"):
                for ksb in duty.get(mapped) or []:
                    links.append({"key": key, "duty": duty["dutyID"], "ksb": ksb, "code": codes.get(ksb)})
        for option in r["options"] or []:
            options.append({"key": key, **option})
    return sum(map(len, (standards, duties, items, links, options)))


def naive_csv(paths: list[Path], delimiter: str = ",") -> int:
    """Python's csv module over every file; returns the row count."""
    csv.field_size_limit(sys.maxsize)  # conceptSchemes_en.csv has fields over the 128 KiB default
    rows = 0
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
            rows += sum(1 for _ in csv.DictReader(handle, delimiter=delimiter, quoting=quoting))
    return rows


# --- the benchmark -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    set_environment_defaults()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (fastest is kept)")
    args = parser.parse_args(argv)
    print(f"mirror: {os.environ['WFH_MIRROR']}  cpus: {os.cpu_count()}  repeat: {args.repeat}")

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        print(f"\n{'source':<22}{'rows':>10}{'parse s':>9}{'land s':>8}{'rows/s':>12}")
        for source_id in SOURCES:
            files = dict(sources.fetch(source_id))
            entry = sources.source_entry(source_id)
            for other, names in (entry.get("depends_on") or {}).items():
                files.update(sources.fetch(other, only=names))
            module = PARSERS[source_id]
            parse_s, tables = best_of(args.repeat, lambda module=module, files=files: module.parse(files))
            rows = sum(t.height for t in tables.values())
            inputs = {t: {"bench": "0"} for t in tables}
            land_s, _ = best_of(
                args.repeat,
                lambda source_id=source_id, tables=tables, inputs=inputs: landing.land(
                    source_id, "bench", tables, inputs, time.perf_counter(), scratch / "parse-land"
                ),
            )
            results[source_id] = {
                "rows": rows,
                "parse_s": round(parse_s, 3),
                "land_s": round(land_s, 3),
                "rows_per_s": round(rows / (parse_s + land_s)),
            }
            rate = rows / (parse_s + land_s)
            print(f"{source_id:<22}{rows:>10,}{parse_s:>9.2f}{land_s:>8.2f}{rate:>12,.0f}")

        print("\nbaselines (same files, same process)")
        mirror = Path(os.environ["WFH_MIRROR"])
        se_file = mirror / "skills_england" / "apprenticeshipstandards_all_versions.json.gz"
        naive_s, naive_rows = best_of(args.repeat, lambda: naive_skills_england(se_file))
        ratios = {
            "skills_england": (
                naive_s,
                naive_rows,
                results["skills_england"]["parse_s"],
                "json.load + pure-Python loop",
            )
        }
        esco_files = [mirror / "esco" / name for name in esco.FILES]
        csv_s, csv_rows = best_of(args.repeat, lambda: naive_csv(esco_files))
        ratios["esco"] = (csv_s, csv_rows, results["esco"]["parse_s"], "csv.DictReader")
        text_files = [mirror / "onet" / spec.file for spec in onet.TABLE_SPECS.values() if spec.file.endswith(".txt")]
        text_tables = {t: spec for t, spec in onet.TABLE_SPECS.items() if spec.file.endswith(".txt")}
        onet_files = sources.fetch("onet")
        polars_text_s, _ = best_of(args.repeat, lambda: [onet.read_file(onet_files, t) for t in text_tables])
        tsv_s, tsv_rows = best_of(args.repeat, lambda: naive_csv(text_files, delimiter="\t"))
        ratios["onet (text files)"] = (tsv_s, tsv_rows, polars_text_s, "csv.DictReader, tab")
        print(f"{'source':<22}{'baseline':<30}{'baseline s':>11}{'ours s':>8}{'speed-up':>10}")
        for name, (base_s, base_rows, ours_s, label) in ratios.items():
            print(f"{name:<22}{label:<30}{base_s:>11.2f}{ours_s:>8.2f}{base_s / ours_s:>9.1f}x")
            results.setdefault("baselines", {})[name] = {
                "baseline": label,
                "baseline_s": round(base_s, 3),
                "baseline_rows": base_rows,
                "ours_s": round(ours_s, 3),
                "speedup": round(base_s / ours_s, 2),
            }

        print("\nwhole load_source runs (fetch + checksum + parse + land), empty landing, then a re-run")
        target = scratch / "runs"
        print(f"{'source':<22}{'first s':>9}{'re-run s':>10}  re-run status")
        for source_id in SOURCES:
            first_s, first = best_of(1, lambda source_id=source_id: load_source(source_id, landing_dir=target))
            again_s, again = best_of(1, lambda source_id=source_id: load_source(source_id, landing_dir=target))
            assert first.status == "loaded" and again.status == "skipped", (first, again)
            results[source_id].update({"load_source_s": round(first_s, 3), "rerun_s": round(again_s, 3)})
            print(f"{source_id:<22}{first_s:>9.2f}{again_s:>10.2f}  {again.status}")
        total_first = sum(results[s]["load_source_s"] for s in SOURCES)
        total_again = sum(results[s]["rerun_s"] for s in SOURCES)
        print(f"{'all four':<22}{total_first:>9.2f}{total_again:>10.2f}")

    out = ROOT / "bench" / "results" / "ingest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
