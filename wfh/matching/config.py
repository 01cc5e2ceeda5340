"""Settings of the match step, read from ``[matching]`` in ``wfh.toml`` (the one place for them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from wfh.embeddings import EmbeddingSettings
from wfh.matching.scoring import ScoreWeights
from wfh.settings import config


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds and list lengths of the match step (see ``docs/matching.md`` for how they were chosen)."""

    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    provision_top_k: int = 10
    match_threshold: float = 0.6
    partial_threshold: float = 0.45
    tag_top_k: int = 10
    tag_threshold: float = 0.5
    onet_top_k: int = 5
    fop_top_k: int = 10
    alignment_weight: float = 0.5

    @classmethod
    def from_config(cls) -> MatchSettings:
        section = config("matching")
        names = ("provision_top_k", "match_threshold", "partial_threshold", "tag_top_k", "tag_threshold",
                 "onet_top_k", "fop_top_k", "alignment_weight")
        values = {k: section[k] for k in names if k in section}
        settings = cls(embedding=EmbeddingSettings.from_config(), weights=ScoreWeights.from_config(), **values)
        if not settings.partial_threshold <= settings.match_threshold:
            raise ValueError("wfh.toml [matching]: partial_threshold must not exceed match_threshold")
        if not 0.0 <= settings.alignment_weight <= 1.0:
            raise ValueError("wfh.toml [matching]: alignment_weight must be between 0 and 1")
        return settings

    def match_class(self, similarity: float) -> str:
        """'match', 'partial' or 'none' for one provision candidate's similarity. A capability is
        *covered* by a statement whose class is 'match' or 'partial' (docs/matching.md)."""
        if similarity >= self.match_threshold:
            return "match"
        if similarity >= self.partial_threshold:
            return "partial"
        return "none"

    def as_rows(self) -> list[tuple[str, str]]:
        """(setting, value) rows for ``matching.match_settings``."""
        rows = [("model_id", self.embedding.model_id)]
        rows += [(f"embedding.{k}", str(v)) for k, v in asdict(self.embedding).items()]
        rows += [(f"weight.{k}", str(v)) for k, v in asdict(self.weights).items()]
        rows += [(k, str(getattr(self, k))) for k in ("provision_top_k", "match_threshold", "partial_threshold",
                                                      "tag_top_k", "tag_threshold", "onet_top_k", "fop_top_k",
                                                      "alignment_weight")]
        return rows
