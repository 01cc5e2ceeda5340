"""The capability cube (dbt_project/models/marts/core) on the session's real refresh: known facts of
the sources and of the report's cycle, checked through SQL on the published warehouse."""

from __future__ import annotations

import polars as pl
import pytest


def scalar(con, sql: str, params: list | None = None):
    return con.sql(sql, params=params or []).fetchall()[0][0]


def test_every_standard_version_is_a_row_of_dim_standard(cube):
    assert scalar(cube, "select count(*) from marts.dim_standard") == 2170
    assert scalar(cube, "select count(distinct reference_number) from marts.dim_standard") == 929


def test_latest_approved_versions(cube):
    assert scalar(cube, "select count(*) from marts.dim_standard where is_latest_approved_version") == 713
    # ST0473 v1.1 is approved, v1.0 retired; neither has structured duties.
    rows = cube.sql("""
        select version, status, is_latest_approved_version, has_structured_duties
        from marts.dim_standard where reference_number = 'ST0473' order by version""").fetchall()
    assert rows == [("1.0", "Retired", False, False), ("1.1", "Approved for delivery", True, False)]


def test_every_approved_standard_has_a_provision_statement(cube):
    missing = cube.sql("""
        select standard.standard_key
        from marts.dim_standard as standard
        left join marts.dim_provision_statement as statement using (standard_key)
        where standard.status = 'Approved for delivery'
        group by standard.standard_key
        having count(statement.statement_id) = 0""").fetchall()
    assert missing == []
    assert scalar(cube, "select count(*) from marts.dim_standard where status = 'Approved for delivery'") == 716


def test_approved_standards_without_duties_are_matched_by_their_ksb_skills(cube):
    kinds = cube.sql("""
        select statement.statement_kind, count(distinct standard.standard_key)
        from marts.dim_standard as standard
        join marts.dim_provision_statement as statement using (standard_key)
        where standard.is_latest_approved_version and not standard.has_structured_duties
        group by all order by 1""").fetchall()
    kinds = dict(kinds)
    assert set(kinds) == {"skill", "knowledge", "behaviour", "occupation_summary", "administrative"}
    assert kinds["skill"] == 181  # every approved standard without duties still has match candidates
    # The report's example duty for ST0473 exists only as prose (see the Skills England README):
    # kept, classified as occupation summary, not a match candidate.
    sentence = cube.sql("""
        select statement_text, statement_kind, is_match_candidate from marts.dim_provision_statement
        where standard_key = 'ST0473_1.1' and statement_text ilike '%implement and develop new processes%'
        order by statement_number limit 1""").fetchall()[0]
    assert sentence[0].startswith("They will apply their knowledge of underlying engineering principles")
    assert sentence[1:] == ("occupation_summary", False)
    assert (
        scalar(
            cube,
            """select count(*) from marts.dim_provision_statement
                           where statement_id like 'summary:ST0473:1.1:%'""",
        )
        >= 10
    )


KNOWN_STATEMENTS = [
    # (standard version, start of the text, kind)
    ("ST0473_1.1", "Typical job titles: Process engineer, Process control engineer", "administrative"),
    ("ST0473_1.1", "Apprentices without level 2 English and maths will need to achieve this level", "administrative"),
    ("ST0473_1.1", "Link to professional registration Successful apprentices will be eligible", "administrative"),
    ("ST0473_1.1", "Typically candidates will have achieved grade C or above in at least five GCSE", "administrative"),
    ("ST0473_1.1", "Apply continuous improvement techniques and support existing manufacturing", "skill"),
    ("ST0473_1.1", "The principles of quality management processes relevant to the sector", "knowledge"),
    ("ST0473_1.1", "Communicate appropriately to a scientific and non-scientific audience", "behaviour"),
    ("ST0473_1.1", "Helping design the manufacturing process for science-based technology", "occupation_summary"),
    ("ST0249_1.1", "Minimum of 36 months, average 42 months duration.", "administrative"),
    (
        "ST0249_1.1",
        "An apprentice will receive a minimum of 20% of their training away from their day-to-day job.",
        "administrative",
    ),
    ("ST0249_1.1", "This Apprenticeship standard will be reviewed by employers in September 2017.", "administrative"),
    ("ST0249_1.1", "Individual employers will set the selection criteria for their apprentices.", "administrative"),
    ("ST0249_1.1", "Carry out planned routine and non- routine maintenance activities", "skill"),
    (
        "ST0249_1.1",
        "They will be expected to work both individually and as part of a maintenance team.",
        "occupation_summary",
    ),
]


@pytest.mark.parametrize("standard_key, text, kind", KNOWN_STATEMENTS)
def test_known_statements_of_st0473_and_st0249_are_classified(cube, standard_key, text, kind):
    rows = cube.sql(
        """select distinct statement_kind, is_match_candidate from marts.dim_provision_statement
                       where standard_key = ? and starts_with(statement_text, ?)""",
        params=[standard_key, text],
    ).fetchall()
    assert rows == [(kind, kind in ("duty", "skill"))]


def test_administrative_text_is_never_a_match_candidate(cube):
    leaked = cube.sql("""
        select statement_id, statement_text from marts.dim_provision_statement
        where is_match_candidate and (
            statement_text ilike 'duration%' or statement_text ilike '%review date%'
            or statement_text ilike 'typical job titles%' or statement_text ilike '%of their training away from%'
            or statement_text ilike '%end-point assessment%' or statement_text ilike '%entry requirements%'
            or statement_text ilike '%off-the-job%' or statement_text ilike '%english and maths%')""").fetchall()
    assert leaked == []
    kinds = dict(
        cube.sql("""select statement_kind, count(*) from marts.dim_provision_statement
                             group by 1""").fetchall()
    )
    assert kinds["administrative"] > 5000 and kinds["skill"] > 46104  # KSB skills plus prose skill items
    assert (
        scalar(
            cube,
            """select count(*) from marts.dim_provision_statement
                           where is_match_candidate <> (statement_kind in ('duty', 'skill'))""",
        )
        == 0
    )


def test_standards_say_where_their_occupation_is_found(cube):
    """dim_standard.sector_statement: the occupational summary's sentence naming the sector, on real
    standards; a sentence that only says people work somewhere loses to a later one naming a setting."""
    sector = {
        ref: text
        for ref, text in cube.sql("""
            select reference_number, sector_statement from marts.dim_standard
            where is_preferred_version and reference_number in ('ST0915', 'ST1406', 'ST0300', 'ST0531')""").fetchall()
    }
    assert sector["ST0915"] == "This occupation is found in theatres, live entertainment venues, TV and film studios."
    assert sector["ST1406"] == "Science manufacturing technicians are found in the process manufacturing sector."
    assert sector["ST0531"].startswith("This occupation is found in the manufacturing sector, producing wood products")
    # ST0300's first sentence: "... registered professionals working within the regulatory standards".
    assert sector["ST0300"].startswith("Pharmacy Technicians work in a wide range of settings")
    share = scalar(
        cube,
        """select avg(case when sector_statement is null then 0 else 1 end) from marts.dim_standard
        where is_preferred_version and status = 'Approved for delivery'""",
    )
    assert 0.8 < share < 1.0


def test_duties_keep_their_order_and_source_ids(cube):
    duties = scalar(cube, "select count(*) from marts.dim_provision_statement where statement_kind = 'duty'")
    assert duties == 17149
    first = cube.sql("""
        select statement_id, statement_number from marts.dim_provision_statement
        where standard_key = 'ST1406_1.0' and statement_kind = 'duty' order by statement_number""").fetchall()
    assert len(first) == 18  # Science manufacturing technician 2023 has 18 duties
    assert [n for _, n in first] == list(range(1, 19))
    assert all(sid.startswith("duty:ST1406:1.0:") for sid, _ in first)


def test_frameworks(cube):
    assert scalar(cube, "select count(*) from marts.dim_esco_skill") == 13896
    assert scalar(cube, "select count(*) from marts.dim_esco_occupation") == 3007
    assert scalar(cube, "select count(*) from marts.dim_onet_occupation") == 1016
    manage_quality = cube.sql("""
        select skill_type, tag_type from marts.dim_esco_skill where preferred_label = 'manage quality'""").fetchall()
    assert manage_quality == [("skill/competence", "skill")]
    # Every relation but the 67 of the occupation missing from ESCO v1.1.1.
    assert scalar(cube, "select count(*) from marts.bridge_esco_occupation_skill") == 123855 - 67
    assert scalar(cube, "select count(*) from marts.bridge_esco_onet_crosswalk") == 8627


def test_fops_at_expert_level_on_capability_8(cube):
    names = {
        row[0]
        for row in cube.sql("""
        select fop.name
        from marts.fct_fop_capability_proficiency as fact
        join marts.dim_fop as fop using (fop_key)
        join marts.dim_capability as capability using (capability_key)
        where capability.highlight_number = 8 and fact.proficiency = 3""").fetchall()
    }
    assert names == {
        "Chief Pharmacist",
        "Designated Individual (HTA)",
        "Governance committee members",
        "Quality Assurance Officer",
        "Software Integration Analysts",
        "Head of Quality",
        "Qualified Person",
        "Quality Assurance Operative",
    }


def test_capabilities_per_partner_reproduce_the_cycle_bundle(cube, published_warehouse):
    """The cube counts each partner's capabilities exactly as the landed bundle tags them."""
    landed = pl.read_parquet(published_warehouse / "landing" / "cycles" / "current" / "capability_partners.parquet")
    partners = pl.read_parquet(published_warehouse / "landing" / "cycles" / "current" / "supply_chain_partners.parquet")
    expected = dict(
        landed.join(partners, on=["cycle_id", "partner_id"])
        .group_by("name")
        .agg(pl.col("capability_id").n_unique())
        .iter_rows()
    )
    counted = dict(
        cube.sql("""
        select partner.name, count(distinct bridge.capability_key)
        from marts.dim_supply_chain_partner as partner
        left join marts.bridge_capability_partner as bridge using (partner_key)
        group by partner.name""").fetchall()
    )
    assert counted == expected
    assert set(counted) == {
        "Equipment, Data integration & Automation Providers",
        "Logistics & Supply Chain",
        "NHS workforce",
        "Control sites (hubs/ advance therapy developer)",
    }
    assert all(n > 0 for n in counted.values())


def test_one_star_join_slices_capabilities_without_losing_or_duplicating_facts(cube):
    facts = scalar(cube, "select count(*) from marts.fct_fop_capability_proficiency")
    assert facts > 0
    joined = scalar(
        cube,
        """
        select count(*)
        from marts.fct_fop_capability_proficiency as fact
        join marts.dim_cycle as cycle using (cycle_id)
        join marts.dim_fop as fop using (fop_key)
        join marts.dim_capability as capability using (capability_key)
        left join marts.dim_role_level as role_level on fact.role_level_key = role_level.role_level_key""",
    )
    assert joined == facts
    # Through the bridges, every capability of a fact reaches its partners and themes.
    sliced = cube.sql("""
        select partner.name as partner, theme.name as theme, fact.proficiency_label,
               count(distinct fact.capability_key) as capabilities, count(distinct fact.fop_key) as fops
        from marts.fct_fop_capability_proficiency as fact
        join marts.bridge_capability_partner using (capability_key)
        join marts.dim_supply_chain_partner as partner using (partner_key)
        join marts.bridge_capability_theme using (capability_key)
        join marts.dim_theme as theme using (theme_key)
        group by all""").fetchall()
    assert sliced and {row[2] for row in sliced} <= {"Awareness", "Practitioner", "Expert"}
    themed = scalar(cube, "select count(distinct capability_key) from marts.bridge_capability_theme")
    assert themed == scalar(cube, "select count(*) from marts.dim_capability")


def test_keys_are_built_from_source_ids(cube):
    capability_key, cycle_id, capability_id = cube.sql(
        "select capability_key, cycle_id, capability_id from marts.dim_capability order by 1 limit 1"
    ).fetchall()[0]
    assert capability_key == f"{cycle_id}:{capability_id}"
    assert (
        scalar(cube, "select count(*) from marts.dim_standard where standard_key <> reference_number || '_' || version")
        == 0
    )
    assert (
        scalar(
            cube,
            """select count(*) from marts.dim_provision_statement
                           where statement_id not like
                               (case when source_field in ('duties', 'ksb_items') then statement_kind
                                     else 'summary' end)
                               || ':' || reference_number || ':' || version || ':%'""",
        )
        == 0
    )
