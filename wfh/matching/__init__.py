"""Semantic matching: capabilities to provision, ESCO and O*NET; FOPs to occupations; ``wfh match``.

- :mod:`wfh.matching.scoring`    the one scoring function (fused dense views + lexical)
- :mod:`wfh.matching.config`     thresholds and list lengths from ``[matching]`` in ``wfh.toml``
- :mod:`wfh.matching.targets`    candidates read from the warehouse (and the test subset)
- :mod:`wfh.matching.step`       the match step that writes the ``matching`` schema
- :mod:`wfh.matching.statements` ``match_statements`` and the I/O helpers of ``wfh match``
- :mod:`wfh.matching.provision`  full-similarity fit evidence, coverage, alignment, shared terms
- :mod:`wfh.matching.glossary`   acronym expansion of capability and FOP texts (domain vocabulary)
- :mod:`wfh.matching.names`      the names of the match targets (``--against``), once
- :mod:`wfh.matching.benchmarks` external benchmark loaders and metrics
"""

from importlib import import_module

__all__ = ["AGAINST", "MatchSettings", "match_statements", "read_queries", "run_match_step", "write_matches"]

# Loaded on first use, so that importing a light submodule (wfh.matching.names) stays light.
_EXPORTS = {
    "AGAINST": "wfh.matching.statements",
    "MatchSettings": "wfh.matching.config",
    "match_statements": "wfh.matching.statements",
    "read_queries": "wfh.matching.statements",
    "run_match_step": "wfh.matching.step",
    "write_matches": "wfh.matching.statements",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'wfh.matching' has no attribute {name!r}")
