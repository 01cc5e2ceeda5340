"""O*NET 30.1 text files and 29.3 Skills/Knowledge on the real data (landed once per session)."""

from __future__ import annotations

import polars as pl

SOURCE = "onet"


def test_counts(read_landed):
    assert read_landed(SOURCE, "occupation_data").height == 1016
    assert read_landed(SOURCE, "task_statements").height == 18796
    assert read_landed(SOURCE, "tasks_to_dwas").height == 23850
    assert read_landed(SOURCE, "dwa_reference").height == 2087
    assert read_landed(SOURCE, "iwa_reference").height == 332
    assert read_landed(SOURCE, "skills").height == 61530
    assert read_landed(SOURCE, "knowledge").height == 58014


def test_release_on_every_row(read_landed):
    for table, release in [
        ("occupation_data", "30.1"),
        ("task_statements", "30.1"),
        ("skills", "29.3"),
        ("knowledge", "29.3"),
    ]:
        assert read_landed(SOURCE, table)["onet_release"].unique().to_list() == [release]


def test_registered_nurses_have_task_statements(read_landed):
    occupations = read_landed(SOURCE, "occupation_data")
    nurses = occupations.filter(pl.col("onet_soc_code") == "29-1141.00")
    assert nurses["title"].to_list() == ["Registered Nurses"]
    tasks = read_landed(SOURCE, "task_statements").filter(pl.col("onet_soc_code") == "29-1141.00")
    assert tasks.height > 10
    assert tasks["task"].str.len_chars().min() > 10


def test_snake_case_types_and_nulls(read_landed):
    tasks = read_landed(SOURCE, "task_statements")
    assert tasks.columns[:3] == ["onet_soc_code", "task_id", "task"]
    assert tasks.schema["task_id"] == pl.Int64 and tasks.schema["incumbents_responding"] == pl.Int64
    assert tasks["incumbents_responding"].null_count() == 1190  # 'n/a' in the source
    assert "sources" in read_landed(SOURCE, "alternate_titles").columns  # 'Source(s)'
    skills = read_landed(SOURCE, "skills")
    assert skills.schema["data_value"] == pl.Float64
    reading = skills.filter(pl.col("onet_soc_code") == "11-1011.00", pl.col("element_id") == "2.A.1.a")
    assert set(reading["scale_id"]) == {"IM", "LV"}


def test_tasks_to_dwas_join_their_references(read_landed):
    links = read_landed(SOURCE, "tasks_to_dwas")
    assert links.join(read_landed(SOURCE, "dwa_reference"), on="dwa_id", how="anti").is_empty()
    assert links.join(read_landed(SOURCE, "task_statements"), on="task_id", how="anti").is_empty()
