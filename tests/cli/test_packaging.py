"""The installed distribution exposes one top-level name, ``wfh``: the folders flows/ and dashboard/
are the subpackages wfh.flows and wfh.dashboard, so nothing generic collides with other packages."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder_packages() -> set[str]:
    """Every folder with an ``__init__.py`` under wfh/, flows/ and dashboard/, by its installed name."""
    roots = {"wfh": ROOT / "wfh", **{name: ROOT / folder for name, folder in SETUPTOOLS["package-dir"].items()}}
    found = set()
    for name, folder in roots.items():
        for init in folder.rglob("__init__.py"):
            parts = init.parent.relative_to(folder).parts
            found.add(".".join((name, *parts)))
    return found


def test_every_package_installs_under_wfh():
    assert SETUPTOOLS["package-dir"] == {"wfh.flows": "flows", "wfh.dashboard": "dashboard"}
    assert {name.split(".")[0] for name in SETUPTOOLS["packages"]} == {"wfh"}
    assert set(SETUPTOOLS["packages"]) == _folder_packages()  # a new subpackage is listed, or it is not installed


def test_the_subpackages_come_from_the_checkout_that_wfh_comes_from(tmp_path):
    """Run from outside the checkout with it on PYTHONPATH: an editable install of another checkout (its
    mapping of wfh.flows) must not win over this checkout's folders."""
    code = "import wfh.flows.refresh, wfh.dashboard; print(wfh.flows.refresh.__file__); print(wfh.dashboard.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.splitlines() == [str(ROOT / "flows" / "refresh.py"), str(ROOT / "dashboard" / "__init__.py")]
