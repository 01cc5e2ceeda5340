"""Cases 5 and 6 (cycle bundles): `wfh add-cycle` refuses, in one line naming file, row and column, what
would otherwise be a traceback (an impossible date, a non-UTF-8 byte, a 200,000-character field) or would
be accepted and fail later (an id already used, a symbolic link whose target would be copied)."""

from __future__ import annotations

import os

import pytest

from wfh.cli import main
from wfh.cycles import read_bundles
from wfh.errors import InputError


def _refused(bundle, capsys) -> str:
    assert main(["add-cycle", str(bundle)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wfh add-cycle: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def _registered(home) -> list[str]:
    return sorted(os.listdir(home / "raw" / "cycles"))


def test_an_impossible_date_in_cycle_yml(isolated_home, small_bundle, capsys):
    bundle = small_bundle()
    (bundle / "cycle.yml").write_text("id: demo-two\ntitle: Demo\nworkshop_start: 2025-13-45\n")
    err = _refused(bundle, capsys)
    assert "cycle.yml" in err and "field workshop_start" in err and "2025-13-45" in err
    assert "not an ISO date" in err and _registered(isolated_home) == []


@pytest.mark.parametrize("name", ["capabilities.csv", "cycle.yml"])
def test_a_byte_that_is_not_utf8_is_named_by_line_and_column(name, isolated_home, small_bundle, capsys):
    bundle = small_bundle()
    text = (bundle / name).read_bytes()
    lines = text.split(b"\n")
    lines[1] = lines[1][:5] + b"\xe9" + lines[1][5:]  # a Latin-1 'é' on the second line
    (bundle / name).write_bytes(b"\n".join(lines))
    err = _refused(bundle, capsys)
    assert name in err and "row 2" in err and "not valid UTF-8: byte 0xe9 at line 2, column 6" in err
    assert _registered(isolated_home) == []


def test_a_200000_character_field(isolated_home, small_bundle, capsys):
    bundle = small_bundle()
    path = bundle / "capabilities.csv"
    path.write_text(path.read_text().replace("Operate the demo line", "x" * 200_000))
    err = _refused(bundle, capsys)
    assert "capabilities.csv" in err and "row 2" in err and "field larger than field limit" in err
    assert len(err) < 400


def test_an_id_used_by_an_extracted_report(isolated_home, small_bundle, capsys):
    err = _refused(small_bundle("atmp-poc-2026"), capsys)  # the cycle id of raw/sources.yml's report
    assert "field id" in err and "already used by the report of source foresighting_report" in err
    assert _registered(isolated_home) == []


def test_an_id_used_by_another_bundle(isolated_home, small_bundle, capsys):
    small_bundle("demo-two", folder=isolated_home / "raw" / "cycles" / "first-name-of-demo")
    err = _refused(small_bundle("demo-two"), capsys)
    assert "already used by the bundle in" in err and "first-name-of-demo" in err
    assert _registered(isolated_home) == ["first-name-of-demo"]


def test_a_symlinked_file_is_refused_without_echoing_its_target(isolated_home, small_bundle, tmp_path, capsys):
    secret = tmp_path / "secret.csv"
    secret.write_text("capability_id,statement\ntop-secret-line,nothing to see\n")
    bundle = small_bundle()
    (bundle / "capabilities.csv").unlink()
    (bundle / "capabilities.csv").symlink_to(secret)
    err = _refused(bundle, capsys)
    assert "capabilities.csv" in err and "symbolic link" in err and "top-secret-line" not in err
    assert _registered(isolated_home) == []


def test_a_symlinked_folder_is_refused_and_nothing_is_copied(isolated_home, small_bundle, tmp_path, capsys):
    private = tmp_path / "private"
    private.mkdir()
    (private / "key.txt").write_text("do not copy\n")
    bundle = small_bundle()
    (bundle / "extra").symlink_to(private)
    err = _refused(bundle, capsys)
    assert "extra" in err and "symbolic link" in err
    assert _registered(isolated_home) == []
    with pytest.raises(InputError, match="symbolic link"):
        read_bundles([bundle])  # the refresh refuses it too


def test_a_valid_bundle_is_registered(isolated_home, small_bundle, capsys):
    assert main(["add-cycle", str(small_bundle("demo-two"))]) == 0
    assert "cycle demo-two is valid and registered" in capsys.readouterr().out
    assert _registered(isolated_home) == ["demo-two"]
    assert "capabilities.csv" in os.listdir(isolated_home / "raw" / "cycles" / "demo-two")
