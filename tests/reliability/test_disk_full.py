"""Case 4: running out of disk while copying the live warehouse into the build is one clear error, the
partial copy is removed at once (the disk is not left full), and the live file is untouched. On a real
small tmpfs where this machine allows mounting one, else with the copy failing half-way."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess

import duckdb
import pytest

from wfh import warehouse
from wfh.errors import BuildError
from wfh.settings import paths


def _live_of(size_mb: int) -> bytes:
    """A live warehouse file of about ``size_mb`` MB (random doubles: they do not compress)."""
    with duckdb.connect(str(paths().live_db)) as con:
        con.sql(f"create table filler as select random() as a, random() as b from range({size_mb * 65_000})")
    return paths().live_db.read_bytes()


@pytest.fixture()
def small_disk(tmp_path, monkeypatch):
    """A 12 MB tmpfs as the warehouse folder (skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        monkeypatch.setenv("WFH_WAREHOUSE_DIR", str(mount))
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_on_a_real_small_tmpfs(small_disk):
    before = _live_of(7)  # 7+ MB live file: its copy cannot fit in the 12 MB left
    assert 6e6 < len(before) < 11e6
    with pytest.raises(BuildError) as failed:
        warehouse.prepare_build(full=False, run_id="run1")
    message = str(failed.value)
    assert "no space left" in message and "live warehouse is unchanged" in message and "\n" not in message
    assert not warehouse.build_path("run1").parent.exists()  # the partial copy is gone
    assert shutil.disk_usage(small_disk).used < len(before) + 2e6
    assert paths().live_db.read_bytes() == before


def test_disk_full_half_way_through_the_copy(warehouse_dir, monkeypatch):
    before = _live_of(1)
    real_copy = shutil.copyfile

    def copy_then_fill_the_disk(source, target, *args, **kwargs):
        with open(source, "rb") as reading, open(target, "wb") as writing:
            writing.write(reading.read(len(before) // 2))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(shutil, "copyfile", copy_then_fill_the_disk)
    with pytest.raises(BuildError, match="no space left"):
        warehouse.prepare_build(full=False, run_id="run2")
    monkeypatch.setattr(shutil, "copyfile", real_copy)
    assert not warehouse.build_path("run2").parent.exists()
    assert paths().live_db.read_bytes() == before


def test_an_interrupt_before_the_copy_finishes_leaves_no_partial_build(warehouse_dir, monkeypatch):
    _live_of(1)

    def interrupted(source, target, *args, **kwargs):
        with open(target, "wb") as writing:
            writing.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copyfile", interrupted)
    with pytest.raises(KeyboardInterrupt):
        warehouse.prepare_build(full=False, run_id="run3")
    assert not warehouse.build_path("run3").parent.exists()
