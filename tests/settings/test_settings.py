"""wfh.toml is the only source of tunable values: a missing file or key is a clear error naming it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from wfh.embeddings import EmbeddingSettings
from wfh.matching.config import MatchSettings, match_class_rule
from wfh.matching.scoring import ScoreWeights
from wfh.matching.targets import subset_rules
from wfh.settings import ENVIRONMENT_DEFAULTS, SettingsError, config, paths, setting

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A project home holding a copy of wfh.toml, used for the duration of one test."""
    shutil.copy(ROOT / "wfh.toml", tmp_path / "wfh.toml")
    monkeypatch.setenv("WFH_HOME", str(tmp_path))
    return tmp_path


def without(home: Path, key_line_start: str) -> None:
    toml = home / "wfh.toml"
    lines = [line for line in toml.read_text().splitlines() if not line.startswith(key_line_start)]
    toml.write_text("\n".join(lines) + "\n")


def test_settings_come_from_wfh_toml():
    settings = MatchSettings.from_config()
    matching = config("matching")
    assert (settings.match_threshold, settings.partial_threshold, settings.tag_threshold) == (
        matching["match_threshold"],
        matching["partial_threshold"],
        matching["tag_threshold"],
    )
    shared = {k: float(v) for k, v in config("matching.scoring").items() if not isinstance(v, dict)}
    assert settings.weights == ScoreWeights(**shared)
    assert settings.embedding.model_id == "sentence-transformers/all-MiniLM-L6-v2@seq128+onnx"
    assert subset_rules()["standards"] == config("matching.subset")["standards"]


def test_a_candidate_set_can_have_its_own_weights():
    """[matching.scoring.<target>] replaces only the keys it names, for that target only, and the
    match settings record it (so a change rebuilds the framework side)."""
    settings = MatchSettings.from_config()
    own = config("matching.scoring")["esco-occupations"]
    occupations = settings.weights_for("esco-occupations")
    assert occupations == replace(settings.weights, **{k: float(v) for k, v in own.items()})
    assert occupations.alternatives > 0 and settings.weights.alternatives == 0
    assert settings.weights_for("provision") == settings.weights == ScoreWeights.for_target("provision")
    assert ("weight.esco-occupations.alternatives", str(occupations.alternatives)) in settings.as_rows()


def test_an_unknown_weight_of_a_candidate_set_names_it(home):
    toml = home / "wfh.toml"
    toml.write_text(toml.read_text() + "\n[matching.scoring.provision]\nlabels = 2.0\n")
    with pytest.raises(SettingsError, match=r"\[matching\.scoring\.provision\]: unknown weights labels"):
        MatchSettings.from_config()


def test_no_second_set_of_defaults():
    """The dataclasses cannot be built without values: nothing can silently replace wfh.toml."""
    for cls in (MatchSettings, EmbeddingSettings, ScoreWeights):
        with pytest.raises(TypeError):
            cls()


def test_a_missing_file_names_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WFH_HOME", str(tmp_path))
    with pytest.raises(SettingsError, match=r"wfh\.toml is missing"):
        MatchSettings.from_config()


@pytest.mark.parametrize(
    ("line", "section", "key", "load"),
    [
        ("match_threshold", "matching", "match_threshold", MatchSettings.from_config),
        ("max_seq_length", "matching", "max_seq_length", EmbeddingSettings.from_config),
        ("lexical", "matching.scoring", "lexical", ScoreWeights.from_config),
        ("esco_skills_max", "matching.subset", "esco_skills_max", subset_rules),
        ("cron", "schedule", "cron", lambda: setting("schedule", "cron")),
    ],
)
def test_a_missing_key_names_section_and_key(home, line, section, key, load):
    without(home, line)
    with pytest.raises(SettingsError, match=rf"\[{section}\] {key} is missing"):
        load()


def test_a_missing_section_names_it(home):
    toml = home / "wfh.toml"
    toml.write_text(toml.read_text().replace("[schedule]", "[elsewhere]"))
    with pytest.raises(SettingsError, match=r"section \[schedule\] is missing"):
        setting("schedule", "cron")
    assert paths().home == home


def test_the_match_class_rule_is_one_expression():
    settings = MatchSettings.from_config()
    m, p = settings.match_threshold, settings.partial_threshold
    assert [settings.match_class(x) for x in (m, (m + p) / 2, p, p - 1e-6, -1.0)] == [
        "match",
        "partial",
        "partial",
        "none",
        "none",
    ]
    import polars as pl

    frame = pl.DataFrame({"similarity": [m, p, p - 1e-6]})
    assert frame.select(settings.match_class_expr()).to_series().to_list() == ["match", "partial", "none"]
    assert frame.select(match_class_rule(m, p)).to_series().to_list() == ["match", "partial", "none"]


def test_the_cli_reports_a_missing_key_in_one_line(home):
    without(home, "cron")
    env = {**os.environ, "WFH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "wfh.cli", "serve"], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode != 0
    assert "[schedule] cron is missing" in done.stderr
    assert "Traceback" not in done.stderr


def test_environment_defaults_are_set_by_every_entry_point():
    code = "import os, json, {module}; print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))"
    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT_DEFAULTS}
    env["PYTHONPATH"] = str(ROOT)
    for module in ("wfh.flows", "wfh.quality"):
        done = subprocess.run(
            [sys.executable, "-c", code.format(module=module, names=list(ENVIRONMENT_DEFAULTS))],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
        assert done.stdout.strip().endswith(str(ENVIRONMENT_DEFAULTS).replace("'", '"')), module
