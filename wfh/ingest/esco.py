"""ESCO v1.1.1 CSVs (original download format) -> one landing table per file, snake_case columns.

Every row is kept. ``occupation_skill_relations`` flags the rows whose occupation is not in this
release (``occupation_in_release``); the skill collections land in one table with a ``collection``
column. ``altLabels`` and similar fields stay as the newline-separated text of the source.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from wfh.errors import InputError
from wfh.ingest.common import cast_checked, check_not_null, check_unique, read_table, rename_snake

SOURCE = "esco"

_COLLECTION = [
    "conceptType",
    "conceptUri",
    "preferredLabel",
    "status",
    "skillType",
    "reuseLevel",
    "altLabels",
    "description",
    "broaderConceptUri",
    "broaderConceptPT",
]
_BROADER = ["conceptType", "conceptUri", "broaderType", "broaderUri"]

# file -> (header exactly as published, key columns that must be unique and filled)
FILES: dict[str, tuple[list[str], list[str]]] = {
    "occupations_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ],
        ["conceptUri"],
    ),
    "skills_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ],
        ["conceptUri"],
    ),
    "occupationSkillRelations.csv.gz": (
        ["occupationUri", "relationType", "skillType", "skillUri"],
        ["occupationUri", "skillUri"],
    ),
    "ISCOGroups_en.csv": (
        ["conceptType", "conceptUri", "code", "preferredLabel", "status", "altLabels", "inScheme", "description"],
        ["conceptUri"],
    ),
    "skillGroups_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "inScheme",
            "description",
            "code",
        ],
        ["conceptUri"],
    ),
    "skillsHierarchy_en.csv": (
        [
            "Level 0 URI",
            "Level 0 preferred term",
            "Level 1 URI",
            "Level 1 preferred term",
            "Level 2 URI",
            "Level 2 preferred term",
            "Level 3 URI",
            "Level 3 preferred term",
            "Description",
            "Scope note",
            "Level 0 code",
            "Level 1 code",
            "Level 2 code",
            "Level 3 code",
        ],
        ["Level 0 URI", "Level 1 URI", "Level 2 URI", "Level 3 URI"],
    ),
    "broaderRelationsOccPillar.csv": (_BROADER, ["conceptUri", "broaderUri"]),
    "broaderRelationsSkillPillar.csv": (_BROADER, ["conceptUri", "broaderUri"]),
    "skillSkillRelations.csv": (
        ["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType", "relatedSkillUri"],
        ["originalSkillUri", "relatedSkillUri"],
    ),
    "conceptSchemes_en.csv": (
        ["conceptType", "conceptSchemeUri", "preferredLabel", "title", "status", "description", "hasTopConcept"],
        ["conceptSchemeUri"],
    ),
    "digitalSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "greenSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "transversalSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "digCompSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "languageSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "researchSkillsCollection_en.csv": (_COLLECTION, ["conceptUri"]),
    "researchOccupationsCollection_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "preferredLabel",
            "status",
            "altLabels",
            "description",
            "broaderConceptUri",
            "broaderConceptPT",
        ],
        ["conceptUri"],
    ),
}

# Key columns that may be empty (a level-0 row of the hierarchy has no level-1..3 URIs).
OPTIONAL_KEYS = {"Level 1 URI", "Level 2 URI", "Level 3 URI"}

SKILL_COLLECTIONS = {
    "digital": "digitalSkillsCollection_en.csv",
    "green": "greenSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
    "digcomp": "digCompSkillsCollection_en.csv",
    "language": "languageSkillsCollection_en.csv",
    "research": "researchSkillsCollection_en.csv",
}
OCCUPATION_COLLECTIONS = {"research": "researchOccupationsCollection_en.csv"}

# landing table -> the files it is read from
TABLES: dict[str, list[str]] = {
    "occupations": ["occupations_en.csv"],
    "skills": ["skills_en.csv"],
    "occupation_skill_relations": ["occupationSkillRelations.csv.gz", "occupations_en.csv"],
    "isco_groups": ["ISCOGroups_en.csv"],
    "skill_groups": ["skillGroups_en.csv"],
    "skills_hierarchy": ["skillsHierarchy_en.csv"],
    "broader_relations_occ_pillar": ["broaderRelationsOccPillar.csv"],
    "broader_relations_skill_pillar": ["broaderRelationsSkillPillar.csv"],
    "skill_skill_relations": ["skillSkillRelations.csv"],
    "concept_schemes": ["conceptSchemes_en.csv"],
    "skill_collection_members": list(SKILL_COLLECTIONS.values()),
    "occupation_collection_members": list(OCCUPATION_COLLECTIONS.values()),
}


def _modified(column: pl.Expr) -> pl.Expr:
    """``2016-07-05T13:58:41Z`` (sometimes with fractional seconds) -> UTC timestamp."""
    return column.str.to_datetime(time_unit="us", time_zone="UTC", strict=False)


def read_file(files: dict[str, Path], name: str) -> pl.DataFrame:
    """One ESCO file, header and keys checked, columns snake_case."""
    if name not in files:
        raise InputError("file is missing from the inputs", source=SOURCE, file=name)
    columns, keys = FILES[name]
    frame = read_table(files[name], source=SOURCE, columns=columns, name=name)
    frame = frame.select(columns)  # the published column order
    check_not_null(frame, [k for k in keys if k not in OPTIONAL_KEYS], source=SOURCE, file=name)
    check_unique(frame, keys, source=SOURCE, file=name)
    frame = rename_snake(frame)
    if "modified_date" in frame.columns:
        frame = cast_checked(frame, {"modified_date": _modified}, source=SOURCE, file=name)
    return frame


def _members(files: dict[str, Path], collections: dict[str, str]) -> pl.DataFrame:
    frames = [
        read_file(files, name).with_columns(collection=pl.lit(collection)) for collection, name in collections.items()
    ]
    return pl.concat(frames, how="diagonal")


def parse(files: dict[str, Path]) -> dict[str, pl.DataFrame]:
    """Parse the ESCO files into the landing tables (without ``_loaded_at``)."""
    occupations = read_file(files, "occupations_en.csv")
    relations = read_file(files, "occupationSkillRelations.csv.gz").with_columns(
        occupation_in_release=pl.col("occupation_uri").is_in(occupations["concept_uri"].implode())
    )
    single = {
        table: names[0]
        for table, names in TABLES.items()
        if table
        not in (
            "occupations",
            "occupation_skill_relations",
            "skill_collection_members",
            "occupation_collection_members",
        )
    }
    tables = {"occupations": occupations, "occupation_skill_relations": relations}
    tables.update({table: read_file(files, name) for table, name in single.items()})
    tables["skill_collection_members"] = _members(files, SKILL_COLLECTIONS)
    tables["occupation_collection_members"] = _members(files, OCCUPATION_COLLECTIONS)
    return {table: tables[table] for table in TABLES}
