"""Settings of the match step, read from ``[matching]`` in ``wfh.toml`` (the one place for them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import polars as pl

from wfh.embeddings import EmbeddingSettings
from wfh.matching.names import AGAINST
from wfh.matching.scoring import ScoreWeights
from wfh.settings import SettingsError, settings_of


def match_class_rule(match_threshold: float, partial_threshold: float, similarity: str = "similarity") -> pl.Expr:
    """The one match-class rule: 'match' at or above ``match_threshold``, 'partial' at or above
    ``partial_threshold``, else 'none' (a Polars expression over the ``similarity`` column)."""
    column = pl.col(similarity)
    return (
        pl.when(column >= match_threshold)
        .then(pl.lit("match"))
        .when(column >= partial_threshold)
        .then(pl.lit("partial"))
        .otherwise(pl.lit("none"))
    )


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds and list lengths of the match step (see ``docs/matching.md`` for how they were chosen).

    No defaults: every value comes from ``wfh.toml`` ``[matching]`` (:meth:`from_config`).
    """

    embedding: EmbeddingSettings
    weights: ScoreWeights
    target_weights: dict[str, ScoreWeights]  # candidate sets whose own weights differ from ``weights``
    provision_top_k: int
    match_threshold: float
    partial_threshold: float
    tag_top_k: int
    tag_threshold: float
    onet_top_k: int
    fop_top_k: int
    alignment_weight: float
    cycle_alignment_share: float
    occupation_alignment_share: float
    occupation_top_k: int
    capability_alignment_weight: float
    alignment_map_regularisation: float

    @classmethod
    def scalar_names(cls) -> tuple[str, ...]:
        """The plain values of ``[matching]`` (every field but the embedding and weight settings)."""
        return tuple(f.name for f in fields(cls) if f.name not in ("embedding", "weights", "target_weights"))

    @classmethod
    def from_config(cls) -> MatchSettings:
        values = settings_of("matching", cls.scalar_names())
        weights = ScoreWeights.from_config()
        own = {target: ScoreWeights.for_target(target) for target in AGAINST}
        settings = cls(
            embedding=EmbeddingSettings.from_config(),
            weights=weights,
            target_weights={target: w for target, w in own.items() if w != weights},
            **values,
        )
        if not settings.partial_threshold <= settings.match_threshold:
            raise SettingsError("wfh.toml [matching]: partial_threshold must not exceed match_threshold")
        for name in (
            "alignment_weight",
            "cycle_alignment_share",
            "occupation_alignment_share",
            "capability_alignment_weight",
        ):
            if not 0.0 <= getattr(settings, name) <= 1.0:
                raise SettingsError(f"wfh.toml [matching]: {name} must be between 0 and 1")
        if settings.alignment_map_regularisation <= 0:
            raise SettingsError("wfh.toml [matching]: alignment_map_regularisation must be above 0")
        if settings.occupation_top_k < 1:
            raise SettingsError("wfh.toml [matching]: occupation_top_k must be at least 1")
        return settings

    def weights_for(self, target: str) -> ScoreWeights:
        """The score weights of one candidate set (``[matching.scoring]`` unless it has its own)."""
        return self.target_weights.get(target, self.weights)

    def match_class_expr(self, similarity: str = "similarity") -> pl.Expr:
        """:func:`match_class_rule` with these thresholds (what the match step writes)."""
        return match_class_rule(self.match_threshold, self.partial_threshold, similarity)

    def match_class(self, similarity: float) -> str:
        """'match', 'partial' or 'none' for one similarity (the same rule, on one value)."""
        return (
            pl.select(pl.lit(similarity, dtype=pl.Float64).alias("similarity")).select(self.match_class_expr()).item()
        )

    def as_rows(self) -> list[tuple[str, str]]:
        """(setting, value) rows for ``matching.match_settings``."""
        rows = [("model_id", self.embedding.model_id)]
        rows += [(f"embedding.{k}", str(v)) for k, v in asdict(self.embedding).items()]
        rows += [(f"weight.{k}", str(v)) for k, v in asdict(self.weights).items()]
        for target, weights in sorted(self.target_weights.items()):
            rows += [(f"weight.{target}.{k}", str(v)) for k, v in asdict(weights).items()]
        rows += [(k, str(getattr(self, k))) for k in self.scalar_names()]
        return rows
