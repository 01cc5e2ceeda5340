"""Prefect's exit hooks log to a live stream: no "--- Logging error ---" after a flow run.

The error appeared at the end of every test run and refresh: Prefect's console handler kept the
stderr of import time (pytest's capture file), which is closed before Prefect's exit hooks log
"Stopping temporary server". Both cases run in a subprocess, as a user would see them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TINY_FLOW_TEST = textwrap.dedent("""
    import wfh.flows  # noqa: F401  (the project's Prefect set-up)
    from prefect import flow, get_run_logger

    @flow(name="exit-logging-probe")
    def probe():
        get_run_logger().warning("probe flow ran")
        return 1

    def test_probe():
        assert probe() == 1
""")


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run this interpreter in a fresh process that imports this checkout, as a user would."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_pytest_session_running_a_flow_ends_without_logging_error(tmp_path):
    (tmp_path / "test_probe.py").write_text(TINY_FLOW_TEST)
    done = _python("-m", "pytest", "-q", "-p", "no:cacheprovider", "test_probe.py", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "Logging error" not in output, output[-3000:]
    assert "I/O operation on closed file" not in output
    # Not silenced: Prefect's exit message still reaches the terminal's stderr.
    assert "Stopping temporary server" in done.stderr


def test_script_running_a_flow_ends_without_logging_error(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(TINY_FLOW_TEST + "\nif __name__ == '__main__':\n    test_probe()\n")
    done = _python(str(script), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Logging error" not in done.stderr, done.stderr[-3000:]
    assert "probe flow ran" in done.stderr
