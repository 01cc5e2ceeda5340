"""Semantic matching: capabilities to provision, ESCO and O*NET; FOPs to occupations; ``wfh match``.

- :mod:`wfh.matching.scoring`    the one scoring function (fused dense views + lexical)
- :mod:`wfh.matching.config`     thresholds and list lengths from ``[matching]`` in ``wfh.toml``
- :mod:`wfh.matching.targets`    candidates read from the warehouse (and the test subset)
- :mod:`wfh.matching.step`       the match step that writes the ``matching`` schema
- :mod:`wfh.matching.statements` ``match_statements`` and the I/O helpers of ``wfh match``
- :mod:`wfh.matching.benchmarks` external benchmark loaders and metrics
"""

from wfh.matching.config import MatchSettings
from wfh.matching.statements import AGAINST, match_statements, read_queries, write_matches
from wfh.matching.step import run_match_step

__all__ = ["AGAINST", "MatchSettings", "match_statements", "read_queries", "run_match_step", "write_matches"]
