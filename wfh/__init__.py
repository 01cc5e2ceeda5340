"""wfh-cube: an open, reproducible data cube for workforce foresighting.

``wfh`` is the project's only installed name: the top-level folders ``flows/`` and ``dashboard/`` are the
subpackages ``wfh.flows`` and ``wfh.dashboard`` (``package-dir`` in pyproject.toml), so no generic
top-level ``flows`` or ``dashboard`` can collide with another installed package.
"""

from pathlib import Path

__version__ = "0.1.0"

# Run from a checkout (its folder on PYTHONPATH, or an editable install): find wfh.flows and
# wfh.dashboard in this checkout's folders, before any install's mapping, which may point at another
# checkout. A wheel install has no pyproject.toml next to wfh/ and uses the mapping alone.
_CHECKOUT = Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "flows" / "__init__.py").is_file():
    __path__.append(str(_CHECKOUT))
