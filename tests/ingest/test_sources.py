"""Fetching sources: the mirror, and the download path against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest
import yaml

from wfh import sources
from wfh.errors import InputError
from wfh.ingest import load_source

SMALL = ["Scales Reference.txt", "Job Zones.txt"]  # small real O*NET files


@pytest.fixture
def no_mirror(monkeypatch):
    """Download mode: no WFH_MIRROR."""
    monkeypatch.delenv("WFH_MIRROR", raising=False)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def onet_manifest(httpserver, mirror: Path, names=SMALL, **overrides) -> dict:
    files = [
        {"name": name, "url": httpserver.url_for(f"/onet/{name}"), "sha256": sha((mirror / "onet" / name).read_bytes())}
        for name in names
    ]
    return {"sources": [{"id": "onet", "version": "30.1", "mirror_dir": "onet", "files": files, **overrides}]}


def serve(httpserver, mirror: Path, names=SMALL) -> None:
    for name in names:
        httpserver.expect_request(f"/onet/{name}").respond_with_data((mirror / "onet" / name).read_bytes())


def test_mirror_fetch_uses_the_publisher_layout(mirror):
    files = sources.fetch("onet")
    assert files["excel_29_3/Skills.xlsx"] == (mirror / "onet" / "excel_29_3" / "Skills.xlsx").resolve()
    assert len(files) == 12
    report = sources.fetch("foresighting_report_atmp_poc")["foresighting-report.txt"]
    assert report == (mirror / ".." / "seed" / "foresighting-report.txt").resolve()


def test_manifest_from_a_path(tmp_path, mirror):
    path = tmp_path / "sources.yml"
    manifest = {
        "sources": [
            {
                "id": "demo",
                "version": "1",
                "mirror_dir": "onet",
                "files": [{"name": "Scales Reference.txt", "sha256": None}],
            }
        ]
    }
    path.write_text(yaml.safe_dump(manifest))
    assert sources.fetch("demo", manifest=path)["Scales Reference.txt"].is_file()
    with pytest.raises(InputError, match="not in the manifest"):
        sources.fetch("nope", manifest=path)


def test_download_verifies_and_reuses(httpserver, mirror, tmp_path, no_mirror):
    serve(httpserver, mirror)
    manifest = onet_manifest(httpserver, mirror)
    files = sources.fetch("onet", manifest=manifest, downloads=tmp_path)
    for name in SMALL:
        assert files[name] == tmp_path / name
        assert files[name].read_bytes() == (mirror / "onet" / name).read_bytes()
    requests_made = len(httpserver.log)
    assert requests_made == 2
    sources.fetch("onet", manifest=manifest, downloads=tmp_path)  # verified copies: no new request
    assert len(httpserver.log) == requests_made


def test_download_checksum_mismatch_names_both_checksums(httpserver, mirror, tmp_path, no_mirror):
    served = b"O*NET-SOC Code\tJob Zone\tDate\tDomain Source\r\n11-1011.00\t9\t08/2023\tAnalyst\r\n"
    httpserver.expect_request("/onet/Job Zones.txt").respond_with_data(served)
    manifest = onet_manifest(httpserver, mirror, names=["Job Zones.txt"])
    expected = manifest["sources"][0]["files"][0]["sha256"]
    with pytest.raises(InputError) as error:
        sources.fetch("onet", manifest=manifest, downloads=tmp_path)
    message = str(error.value)
    assert "source onet, file Job Zones.txt" in message
    assert f"expected sha256 {expected}" in message and f"actual {sha(served)}" in message
    assert list(tmp_path.iterdir()) == []  # nothing unverified is kept


def test_download_retries_a_server_error(httpserver, mirror, tmp_path, no_mirror):
    name = "Scales Reference.txt"
    httpserver.expect_oneshot_request(f"/onet/{name}").respond_with_data("busy", status=503)
    serve(httpserver, mirror, [name])
    files = sources.fetch("onet", manifest=onet_manifest(httpserver, mirror, [name]), downloads=tmp_path, backoff_s=0)
    assert files[name].read_bytes() == (mirror / "onet" / name).read_bytes()
    assert len(httpserver.log) == 2


def test_download_gives_up_clearly(httpserver, mirror, tmp_path, no_mirror):
    name = "Scales Reference.txt"
    httpserver.expect_request(f"/onet/{name}").respond_with_data("busy", status=503)
    with pytest.raises(sources.DownloadError, match="after 2 attempts"):
        sources.fetch(
            "onet", manifest=onet_manifest(httpserver, mirror, [name]), downloads=tmp_path, retries=2, backoff_s=0
        )
    httpserver.clear_log()
    httpserver.clear()
    httpserver.expect_request(f"/onet/{name}").respond_with_data("gone", status=404)
    with pytest.raises(InputError, match="HTTP 404") as error:
        sources.fetch("onet", manifest=onet_manifest(httpserver, mirror, [name]), downloads=tmp_path)
    assert not isinstance(error.value, sources.DownloadError)  # not retried: the URL is wrong
    assert len(httpserver.log) == 1


def test_file_without_url_needs_the_mirror(tmp_path, no_mirror):
    with pytest.raises(InputError, match="set WFH_MIRROR") as error:
        sources.fetch("skills_england", downloads=tmp_path)
    assert error.value.source == "skills_england"


def test_archive_members_are_extracted_and_verified(httpserver, mirror, tmp_path, no_mirror):
    schemes = (mirror / "esco" / "conceptSchemes_en.csv").read_bytes()
    with gzip.open(mirror / "esco" / "occupationSkillRelations.csv.gz") as handle:
        relations = b"".join(handle.readlines()[:500])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("conceptSchemes_en.csv", schemes)
        zf.writestr("occupationSkillRelations.csv", relations)
    httpserver.expect_request("/esco.zip").respond_with_data(buffer.getvalue())
    files = [
        {"name": "conceptSchemes_en.csv", "archive": "A", "member": "conceptSchemes_en.csv", "sha256": sha(schemes)},
        {
            "name": "occupationSkillRelations.csv.gz",
            "archive": "A",
            "gzip_member": True,
            "member": "occupationSkillRelations.csv",
            "sha256": "not comparable after re-gzipping",
            "member_sha256": sha(relations),
        },
    ]
    entry = {
        "id": "esco",
        "version": "1.1.1",
        "mirror_dir": "esco",
        "files": files,
        "archives": {"A": httpserver.url_for("/esco.zip")},
    }
    fetched = sources.fetch("esco", manifest={"sources": [entry]}, downloads=tmp_path)
    assert fetched["conceptSchemes_en.csv"].read_bytes() == schemes
    assert gzip.decompress(fetched["occupationSkillRelations.csv.gz"].read_bytes()) == relations
    assert len(httpserver.log) == 1  # one download of the archive for both members
    sources.fetch("esco", manifest={"sources": [entry]}, downloads=tmp_path)
    assert len(httpserver.log) == 1  # verified copies are reused
    # a member whose content differs from the manifest is refused
    files[1]["member"] = "conceptSchemes_en.csv"
    fetched["occupationSkillRelations.csv.gz"].unlink()
    with pytest.raises(InputError, match="checksum mismatch"):
        sources.fetch("esco", manifest={"sources": [entry]}, downloads=tmp_path)


def test_download_path_feeds_the_parser(httpserver, mirror, tmp_path, monkeypatch, no_mirror):
    """The crosswalk and the ESCO file it needs, downloaded from 127.0.0.1, parse and land."""
    monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    xlsx = mirror / "crosswalks" / "esco-onet" / "ESCO_to_ONET-SOC.xlsx"
    occupations = mirror / "esco" / "occupations_en.csv"
    httpserver.expect_request("/onet/ESCO_to_ONET-SOC.xlsx").respond_with_data(xlsx.read_bytes())
    httpserver.expect_request("/esco/occupations_en.csv").respond_with_data(occupations.read_bytes())
    real = {e["id"]: e for e in sources.load_manifest()["sources"]}
    manifest = {
        "sources": [
            {
                **real["esco_onet_crosswalk"],
                "files": [
                    {
                        "name": xlsx.name,
                        "url": httpserver.url_for(f"/onet/{xlsx.name}"),
                        "sha256": sha(xlsx.read_bytes()),
                    }
                ],
            },
            {
                **real["esco"],
                "files": [
                    {
                        "name": occupations.name,
                        "url": httpserver.url_for("/esco/occupations_en.csv"),
                        "sha256": sha(occupations.read_bytes()),
                    }
                ],
            },
        ]
    }
    result = load_source("esco_onet_crosswalk", manifest=manifest, landing_dir=tmp_path / "landing")
    assert result.status == "loaded" and result.rows == {"crosswalk": 8627}
    assert (tmp_path / "warehouse" / "downloads" / "esco_onet_crosswalk" / xlsx.name).is_file()
    landed = pl.read_parquet(tmp_path / "landing" / "esco_onet_crosswalk" / "current" / "crosswalk.parquet")
    assert landed["esco_occupation_uri"].null_count() == 921 + 8


def test_manifest_is_complete_and_matches_the_mirror(mirror):
    manifest = sources.load_manifest()
    ids = [entry["id"] for entry in manifest["sources"]]
    assert ids == ["skills_england", "esco", "onet", "esco_onet_crosswalk", "foresighting_report_atmp_poc"]
    for entry in manifest["sources"]:
        for key in ("publisher", "licence", "attribution", "version", "url", "mirror_dir", "files"):
            assert key in entry, (entry["id"], key)
        assert all(len(f["sha256"]) == 64 for f in entry["files"])
        assert set(sources.fetch(entry["id"])) == {f["name"] for f in entry["files"]}  # checksums verified
    by_id = {entry["id"]: entry for entry in manifest["sources"]}
    assert by_id["skills_england"]["attribution"].startswith(
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
    assert "CC BY 4.0" in by_id["onet"]["attribution"] and "has modified" in by_id["onet"]["attribution"]
    assert by_id["foresighting_report_atmp_poc"]["cycle_id"] == "atmp-poc-2026"
    assert by_id["foresighting_report_atmp_poc"]["url"] is None
