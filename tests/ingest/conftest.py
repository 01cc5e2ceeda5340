"""Fixtures for the ingestion tests: the real data landed once per session, and small source copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from wfh import sources
from wfh.ingest import SOURCES, load_source


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver on 127.0.0.1 (a free port)."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def landed(tmp_path_factory, mirror) -> Path:
    """The four reference sources parsed from the real mirror once, landed in a temporary folder."""
    landing = tmp_path_factory.mktemp("warehouse") / "landing"
    for source_id in SOURCES:
        result = load_source(source_id, landing_dir=landing)
        assert result.status == "loaded"
    return landing


@pytest.fixture(scope="session")
def read_landed(landed):
    """``read_landed(source, table)`` -> the landed table, read through the ``current`` link."""

    def read(source: str, table: str) -> pl.DataFrame:
        return pl.read_parquet(landed / source / "current" / f"{table}.parquet")

    return read


class MirrorCopy:
    """A temporary mirror holding copies of real source files, with a manifest that matches them."""

    def __init__(self, root: Path, real_mirror: Path):
        self.root, self.real_mirror = root, real_mirror
        self.files: dict[str, dict[str, Path]] = {}

    def copy(self, source_id: str, names: list[str] | None = None) -> dict[str, Path]:
        """Copy some (default: all) of a source's files; returns ``{file name: path}``."""
        entry = sources.source_entry(source_id)
        names = names or [f["name"] for f in entry["files"]]
        for name in names:
            target = self.path(source_id, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.real_mirror / entry["mirror_dir"] / name, target)
            target.chmod(0o644)
            self.files.setdefault(source_id, {})[name] = target
        return dict(self.files[source_id])

    def path(self, source_id: str, name: str) -> Path:
        return self.root / sources.source_entry(source_id)["mirror_dir"] / name

    def manifest(self) -> dict:
        """The real manifest's entries for the copied sources, with checksums of the copies."""
        out = []
        for source_id, files in self.files.items():
            entry = dict(sources.source_entry(source_id))
            entry["files"] = [{"name": name, "sha256": sources.sha256_of(path)} for name, path in files.items()]
            out.append(entry)
        return {"sources": out}


@pytest.fixture
def mirror_copy(tmp_path, mirror, monkeypatch) -> MirrorCopy:
    """A temporary mirror (``WFH_MIRROR`` points at it for the test)."""
    root = tmp_path / "mirror"
    root.mkdir()
    monkeypatch.setenv("WFH_MIRROR", str(root))
    return MirrorCopy(root, mirror)
