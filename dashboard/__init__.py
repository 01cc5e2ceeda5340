"""The wfh-cube dashboard: a Streamlit app over the published warehouse's ``marts`` schema (read-only).

Start it with ``streamlit run dashboard/app.py --server.address 127.0.0.1 --server.headless true``
or build the same command with :func:`dashboard_command` (used by ``wfh dashboard``).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def dashboard_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
    """The argv that serves the dashboard on ``address:port`` (127.0.0.1 by default), headless, no telemetry."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
