"""Case 5 (command line): expected failures are one line, ``wfh <command>: <where>: <why>``, and exit 2;
``--debug`` adds the traceback."""

from __future__ import annotations

from wfh.cli import main


def _one_line(err: str, command: str) -> str:
    assert err.startswith(f"wfh {command}: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_match_input_that_is_not_utf8(tmp_path, capsys):
    statements = tmp_path / "mine.txt"
    statements.write_bytes(b"Operate a bioreactor\nMaintain the caf\xe9 equipment\n")
    assert main(["match", "--against", "duties", "--input", str(statements)]) == 2
    err = _one_line(capsys.readouterr().err, "match")
    assert str(statements) in err and "not valid UTF-8" in err and "line 2, column 17" in err


def test_export_output_naming_an_existing_file(tiny_warehouse, tmp_path, capsys):
    existing = tmp_path / "report.csv"
    existing.write_text("keep me\n")
    assert main(["export", "--format", "csv", "--output", str(existing)]) == 2
    err = _one_line(capsys.readouterr().err, "export")
    assert str(existing) in err and "existing file" in err
    assert existing.read_text() == "keep me\n"


def test_debug_prints_the_traceback_as_well(tiny_warehouse, capsys):
    assert main(["sql", "select * from marts.no_such_mart", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().splitlines()[-1].startswith("wfh sql: ") and "no_such_mart" in err
