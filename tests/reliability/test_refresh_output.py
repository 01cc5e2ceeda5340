"""Case 5 (refresh): a failed refresh prints one line, not Prefect's tracebacks (those go to
``warehouse/logs/refresh.log``), and a Prefect server that does not start in time is one line too."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

FAILED_LINE = re.compile(r"^wfh refresh: .+ \(full log: .+refresh\.log\)$", re.MULTILINE)


@pytest.fixture()
def failing_refresh_env(tmp_path) -> dict[str, str]:
    """A warehouse of its own and an empty mirror: every source is missing, so the refresh fails fast."""
    (tmp_path / "mirror").mkdir()
    return {"WFH_WAREHOUSE_DIR": str(tmp_path / "warehouse"), "WFH_MIRROR": str(tmp_path / "mirror")}


def test_a_failed_refresh_is_one_line_and_its_tracebacks_go_to_the_log(failing_refresh_env, wfh_process):
    result = wfh_process("refresh", "--subset", env=failing_refresh_env)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert len(FAILED_LINE.findall(result.stderr)) == 1 and "file is missing from the mirror" in result.stderr
    assert len(output.splitlines()) < 40  # Prefect's progress lines, one line each
    log = os.path.join(failing_refresh_env["WFH_WAREHOUSE_DIR"], "logs", "refresh.log")
    with open(log, encoding="utf-8") as handle:
        assert "Traceback (most recent call last)" in handle.read()


def test_a_prefect_server_that_does_not_start_in_time_is_one_line(failing_refresh_env, wfh_process):
    env = {**failing_refresh_env, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "1"}
    result = wfh_process("refresh", "--subset", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert re.search(
        r"^wfh refresh: the temporary Prefect server did not start within 1 s .*"
        r"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
        result.stderr,
        re.MULTILINE,
    )


def test_the_start_up_timeout_fits_a_loaded_machine(root):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"}
    code = (
        "import wfh.cli, wfh.flows.refresh\n"
        "from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS as t\n"
        "print(t.value())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    ).stdout
    assert int(out.strip()) >= 120  # Prefect's default is 20 s
