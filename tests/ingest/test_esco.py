"""ESCO v1.1.1 on the real data (landed once per session)."""

from __future__ import annotations

import polars as pl

SOURCE = "esco"


def test_counts(read_landed):
    counts = {
        table: read_landed(SOURCE, table).height
        for table in (
            "occupations",
            "skills",
            "occupation_skill_relations",
            "isco_groups",
            "skill_groups",
            "skills_hierarchy",
            "broader_relations_occ_pillar",
            "broader_relations_skill_pillar",
            "skill_skill_relations",
            "concept_schemes",
            "occupation_collection_members",
        )
    }
    assert counts == {
        "occupations": 3007,
        "skills": 13896,
        "occupation_skill_relations": 123855,
        "isco_groups": 619,
        "skill_groups": 640,
        "skills_hierarchy": 647,
        "broader_relations_occ_pillar": 3617,
        "broader_relations_skill_pillar": 20656,
        "skill_skill_relations": 5899,
        "concept_schemes": 19,
        "occupation_collection_members": 122,
    }


def test_relations_to_the_occupation_missing_from_v111_are_kept_and_flagged(read_landed):
    relations = read_landed(SOURCE, "occupation_skill_relations")
    missing = relations.filter(~pl.col("occupation_in_release"))
    assert missing.height == 67
    assert missing["occupation_uri"].unique().to_list() == [
        "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"
    ]
    assert dict(relations.group_by("relation_type").len().iter_rows()) == {"essential": 64946, "optional": 58909}


def test_manage_quality_skill_and_types(read_landed):
    skills = read_landed(SOURCE, "skills")
    manage_quality = skills.filter(pl.col("preferred_label") == "manage quality")
    assert manage_quality.height == 1
    assert manage_quality["concept_uri"][0].startswith("http://data.europa.eu/esco/skill/")
    assert dict(skills.group_by("skill_type").len().iter_rows()) == {
        "skill/competence": 10831,
        "knowledge": 3059,
        None: 6,
    }
    assert skills.schema["modified_date"] == pl.Datetime("us", "UTC")


def test_multiline_quoted_fields_stay_whole(read_landed):
    occupations = read_landed(SOURCE, "occupations")
    assert occupations["alt_labels"].str.contains("\n").sum() > 1000
    assert not occupations["code"].str.contains("\r").any()
    assert occupations.columns[:5] == ["concept_type", "concept_uri", "isco_group", "preferred_label", "alt_labels"]


def test_ragged_skills_hierarchy_rows_are_kept(read_landed):
    hierarchy = read_landed(SOURCE, "skills_hierarchy")
    assert hierarchy.height == 647
    assert "level_0_uri" in hierarchy.columns and "level_3_code" in hierarchy.columns
    assert hierarchy["level_0_uri"].null_count() == 0
    assert hierarchy["level_3_code"].null_count() > 100  # short rows: missing trailing fields
    assert not hierarchy["level_3_code"].drop_nulls().str.contains("\r").any()


def test_collections_in_one_table(read_landed):
    members = read_landed(SOURCE, "skill_collection_members")
    assert dict(members.group_by("collection").len().iter_rows()) == {
        "digital": 1201,
        "green": 570,
        "transversal": 96,
        "digcomp": 26,
        "language": 346,
        "research": 40,
    }
    skills = read_landed(SOURCE, "skills")
    assert members.join(skills, on="concept_uri", how="anti").is_empty()
    occupation_members = read_landed(SOURCE, "occupation_collection_members")
    assert occupation_members["collection"].unique().to_list() == ["research"]
