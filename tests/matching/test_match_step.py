"""The match step on the real subset: contract tables, a known pair, warm re-run, ``wfh match`` API.

The session fixture ``published_warehouse`` (tests/conftest.py) runs one real refresh with
``subset=True``, which runs :func:`wfh.matching.run_match_step` on the build file; these tests read
its result, and re-run the step on a copy (everything cached) instead of embedding again.
"""

from __future__ import annotations

import io
import json
import shutil

import duckdb
import numpy as np
import polars as pl
import pytest

from wfh.embeddings import EmbeddingStore, cache_file_for
from wfh.errors import InputError
from wfh.matching import (
    adaptation,
    glossary,
    match_statements,
    provision,
    read_queries,
    run_match_step,
    step,
    targets,
    write_matches,
)
from wfh.matching.config import MatchSettings, match_class_rule
from wfh.matching.scoring import ScoringIndex


@pytest.fixture(scope="module")
def db(published_warehouse):
    return published_warehouse / "wfh.duckdb"


def frame(db, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def settings_of(db) -> dict[str, str]:
    return dict(frame(db, "select setting, value from matching.match_settings").iter_rows())


def test_match_settings_record_the_model_thresholds_and_subset(db):
    settings = settings_of(db)
    assert settings["model_id"].startswith("sentence-transformers/all-MiniLM-L6-v2@seq")
    assert settings["subset"] == "True"
    assert float(settings["partial_threshold"]) <= float(settings["match_threshold"])
    assert int(settings["candidates.provision_statements"]) > 500


def test_every_capability_has_ten_ranked_provision_candidates(db):
    caps = frame(db, "select capability_key from intermediate.int_capabilities")
    cand = frame(db, "select * from matching.capability_provision_candidates")
    assert cand.columns == ["capability_key", "rank", "statement_id", "similarity", "match_class", "shared_terms"]
    assert caps.height > 0
    per_cap = cand.group_by("capability_key").agg(
        pl.col("rank").sort().alias("ranks"), pl.col("statement_id").n_unique().alias("statements")
    )
    assert set(per_cap["capability_key"]) == set(caps["capability_key"])
    assert all(r.to_list() == list(range(1, 11)) for r in per_cap["ranks"])
    assert per_cap["statements"].min() == 10
    assert cand["similarity"].is_between(-1.0, 1.0).all()
    # Similarity falls with rank, and classes follow the recorded thresholds.
    ordered = cand.sort("capability_key", "rank")
    assert (
        ordered.group_by("capability_key")
        .agg((pl.col("similarity").diff().drop_nulls() <= 1e-9).all())["similarity"]
        .all()
    )
    settings = settings_of(db)
    match_t, partial_t = float(settings["match_threshold"]), float(settings["partial_threshold"])
    expected = match_class_rule(match_t, partial_t)
    assert cand.select((pl.col("match_class") == expected).all()).item()
    unknown = frame(
        db,
        """select count(*) as n from matching.capability_provision_candidates c
                           anti join intermediate.int_provision_statements s using (statement_id)""",
    )
    assert unknown["n"][0] == 0
    kinds = frame(
        db,
        """select distinct s.statement_kind from matching.capability_provision_candidates c
                         join intermediate.int_provision_statements s using (statement_id)""",
    )
    assert set(kinds["statement_kind"]) <= {"duty", "skill"}


def test_best_statement_of_every_standard_on_the_full_similarity(db):
    caps = frame(db, "select count(*) as n from intermediate.int_capabilities")["n"][0]
    best = frame(db, "select * from matching.capability_standard_best")
    assert best.columns == [
        "capability_key",
        "standard_key",
        "statement_id",
        "similarity",
        "top3_similarity",
        "match_class",
        "shared_terms",
    ]
    assert (best["top3_similarity"] <= best["similarity"] + 1e-12).all()
    versions = best["standard_key"].n_unique()
    assert versions > 50 and best.height == caps * versions  # every capability x every standard version
    wrong = frame(
        db,
        """select count(*) as n from matching.capability_standard_best b
                         join intermediate.int_provision_statements s using (statement_id)
                         where s.standard_key <> b.standard_key or not s.is_match_candidate""",
    )["n"][0]
    assert wrong == 0
    # The best per standard is at least as good as anything of that standard in the top 10.
    worse = frame(
        db,
        """select count(*) as n from matching.capability_provision_candidates c
        join intermediate.int_provision_statements s using (statement_id)
        join matching.capability_standard_best b on b.capability_key = c.capability_key
             and b.standard_key = s.standard_key
        where b.similarity < c.similarity - 1e-9""",
    )["n"][0]
    assert worse == 0
    coverage = frame(db, "select * from matching.capability_statement_coverage")
    partial_t = float(settings_of(db)["partial_threshold"])
    assert coverage.height > 0 and coverage["similarity"].min() >= partial_t
    assert set(coverage["match_class"]) <= {"match", "partial"}


def test_alignment_of_standards_with_capabilities_fops_and_cycles(db):
    alignment = frame(db, "select * from matching.standard_alignment")
    fops = frame(db, "select count(*) as n from intermediate.int_fops")["n"][0]
    capabilities = frame(db, "select count(*) as n from intermediate.int_capabilities where statement is not null")
    profiles = int(settings_of(db)["candidates.standard_profiles"])
    assert alignment.filter(pl.col("subject_kind") == "fop").height == fops * profiles
    assert alignment.filter(pl.col("subject_kind") == "capability").height == capabilities["n"][0] * profiles
    assert alignment["alignment"].is_between(-1.0, 1.0).all()
    # ST1406 Science manufacturing technician sits closer to a cell-therapy manufacturing cycle
    # than the subset's least aligned standard.
    cycle = alignment.filter(pl.col("subject_kind") == "cycle")
    st1406 = cycle.filter(pl.col("standard_key").str.starts_with("ST1406_"))["alignment"].max()
    assert st1406 > cycle["alignment"].min() + 0.1
    # Occupation alignment: FOP rows only, in [0, 1]; named groups only where there is overlap.
    fop = alignment.filter(pl.col("subject_kind") == "fop")
    assert fop["occupation_alignment"].null_count() == 0
    assert fop["occupation_alignment"].is_between(0.0, 1.0 + 1e-9).all()
    assert alignment.filter(pl.col("subject_kind") != "fop")["occupation_alignment"].null_count() == (
        alignment.height - fop.height
    )
    assert (
        fop.filter(pl.col("occupation_alignment") <= 0)["shared_occupation_groups"].null_count()
        == fop.filter(pl.col("occupation_alignment") <= 0).height
    )


def profile_vectors_and_map(db, store: EmbeddingStore) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The alignment map the step learnt, and the subset's standard profile vectors (rows in
    standard-key order, as standard_alignment lists them) with those keys."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        matrix = adaptation.read_alignment_map(con)
        profiles = targets.standard_profiles(con, subset=True)
    finally:
        con.close()
    order = np.argsort(profiles.ids)
    return matrix, store.embed(profiles.labels)[order], [profiles.ids[i] for i in order]


def long_forms_of(db) -> dict[str, str]:
    """Each matched text's reading with the long forms alone, as the step computed it."""
    inputs = step._read_inputs(db, subset=True)
    return step._expanded_texts(inputs["capabilities"], inputs["fops"], inputs["glossary"])[3]


def test_alignment_is_the_cosine_in_the_adapted_space_the_step_learnt(db):
    """standard_alignment is the cosine of the FOP's text and each standard's profile, both mapped by
    the matrix the step learnt from the subset's statements (matching.alignment_map), not the raw one."""
    settings = settings_of(db)
    assert int(settings["alignment_map.statements"]) > 500
    assert float(settings["alignment_map_regularisation"]) > 0
    store = EmbeddingStore(cache_file_for(db), read_only=True)
    matrix, profile_vectors, standard_keys = profile_vectors_and_map(db, store)
    assert matrix.shape == (384, 384) and np.abs(matrix - np.eye(384)).max() > 0.1
    nurse = frame(
        db,
        """select m.matched_text, a.standard_key, a.alignment from matching.standard_alignment a
        join matching.matched_texts m on m.subject_key = a.subject_key and m.subject_kind = 'fop'
        join intermediate.int_fops f on f.fop_key = a.subject_key
        where a.subject_kind = 'fop' and f.name = 'Nurse / Research Nurse' order by a.standard_key""",
    )
    assert nurse["standard_key"].to_list() == standard_keys
    fop = glossary.reading_vectors(store, nurse["matched_text"][:1].to_list(), long_forms_of(db))
    adapted = adaptation.to_alignment_space(fop, matrix) @ adaptation.to_alignment_space(profile_vectors, matrix).T
    assert np.allclose(nurse["alignment"].to_numpy(), adapted[0], atol=1e-5)
    assert not np.allclose(nurse["alignment"].to_numpy(), (fop @ profile_vectors.T)[0], atol=1e-3)


def test_cycle_alignment_reads_the_cycle_from_its_title_capabilities_and_fops(db):
    """The cycle's row of standard_alignment is the adapted cosine of each profile with the cycle's
    context: its title, its capabilities and its FOPs (the texts the step matched), a third each."""
    cycle_id, title = frame(db, "select cycle_id, cycle_title from staging.stg_cycles__cycles limit 1").row(0)
    stored = frame(
        db,
        f"""select standard_key, alignment from matching.standard_alignment
        where subject_kind = 'cycle' and subject_key = '{cycle_id}' order by standard_key""",
    )
    texts = frame(
        db,
        f"""select m.subject_kind, m.matched_text from matching.matched_texts m
        left join intermediate.int_capabilities c on m.subject_kind = 'capability' and c.capability_key = m.subject_key
        left join intermediate.int_fops f on m.subject_kind = 'fop' and f.fop_key = m.subject_key
        where coalesce(c.cycle_id, f.cycle_id) = '{cycle_id}'""",
    )
    store = EmbeddingStore(cache_file_for(db), read_only=True)
    matrix, raw_profiles, standard_keys = profile_vectors_and_map(db, store)
    profile_vectors = adaptation.to_alignment_space(raw_profiles, matrix)
    long_forms = long_forms_of(db)
    members = {
        kind: glossary.reading_vectors(
            store, texts.filter(pl.col("subject_kind") == kind)["matched_text"].to_list(), long_forms
        )
        for kind in ("capability", "fop")
    }
    assert len(members["capability"]) > 10 and len(members["fop"]) > 10

    def cycle_alignment(*sets: np.ndarray) -> np.ndarray:
        context = provision.cycle_context(store.embed([title])[0], *sets)
        return (adaptation.to_alignment_space(context[None, :], matrix) @ profile_vectors.T)[0]

    assert stored["standard_key"].to_list() == standard_keys
    alignment = stored["alignment"].to_numpy()
    assert np.allclose(alignment, cycle_alignment(members["capability"], members["fop"]), atol=1e-5)
    assert not np.allclose(alignment, cycle_alignment(members["capability"]), atol=1e-3)


def test_a_fop_name_with_an_acronym_is_read_as_written_and_with_the_long_form_alone(db):
    """The model misreads some acronyms ("HTA" reads as dental), so an expanded text is read twice:
    the Designated Individual's stored alignment is the adapted cosine of the mean of its two readings,
    "... (Human Tissue Authority (HTA)) ..." and "... (Human Tissue Authority) ...", not of the first."""
    fop = frame(
        db,
        """select m.subject_key, m.matched_text from matching.matched_texts m
        join intermediate.int_fops f on f.fop_key = m.subject_key
        where m.subject_kind = 'fop' and f.name = 'Designated Individual (HTA)'""",
    ).row(0)
    assert "Human Tissue Authority (HTA)" in fop[1]
    stored = frame(
        db,
        f"""select standard_key, alignment from matching.standard_alignment
        where subject_kind = 'fop' and subject_key = '{fop[0]}' order by standard_key""",
    )
    store = EmbeddingStore(cache_file_for(db), read_only=True)
    matrix, raw_profiles, standard_keys = profile_vectors_and_map(db, store)
    profile_vectors = adaptation.to_alignment_space(raw_profiles, matrix)
    assert stored["standard_key"].to_list() == standard_keys
    written, long_form = store.embed([fop[1], fop[1].replace(" (HTA)", "")])

    def alignment(vector: np.ndarray) -> np.ndarray:
        return (adaptation.to_alignment_space(vector[None, :], matrix) @ profile_vectors.T)[0]

    assert np.allclose(stored["alignment"].to_numpy(), alignment(written + long_form), atol=1e-5)
    assert not np.allclose(stored["alignment"].to_numpy(), alignment(written), atol=1e-3)


def test_explain_reports_the_alignment_the_step_stored(db):
    """`wfh match --explain` reads alignment in the same adapted space: for a capability's own text it
    gives the capability's stored alignment with each standard it lists."""
    capability = frame(
        db,
        """select subject_key, matched_text from matching.matched_texts
        where subject_kind = 'capability' order by subject_key limit 1""",
    ).row(0)
    explained = match_statements([capability[1]], "provision", 10, db, explain=True)
    stored = frame(
        db,
        f"""select v.reference_number as standard_reference, v.version as standard_version, a.alignment
        from matching.standard_alignment a join intermediate.int_standard_versions v using (standard_key)
        where a.subject_kind = 'capability' and a.subject_key = '{capability[0]}'""",
    )
    joined = explained.join(stored, on=["standard_reference", "standard_version"], suffix="_stored")
    assert joined.height == explained.height > 0
    assert np.allclose(joined["alignment"].to_numpy(), joined["alignment_stored"].to_numpy(), atol=1e-5)


def test_occupation_alignment_tells_a_nurse_standard_from_a_manufacturing_one(db):
    """On the subset's real ESCO occupations: the Nurse / Research Nurse FOP names nursing
    occupations; a registered nurse standard shares them, ST1406 Science manufacturing technician does
    not, although both profiles are near the FOP's words (digital systems, batches, compliance)."""
    rows = frame(
        db,
        """select v.title, a.occupation_alignment, a.shared_occupation_groups
        from matching.standard_alignment a
        join intermediate.int_fops f on f.fop_key = a.subject_key
        join intermediate.int_standard_versions v using (standard_key)
        where a.subject_kind = 'fop' and f.name = 'Nurse / Research Nurse'
          and (v.title ilike 'Registered nurse%' or v.reference_number = 'ST1406')""",
    )
    nurse = rows.filter(pl.col("title").str.starts_with("Registered nurse"))
    manufacturing = rows.filter(~pl.col("title").str.starts_with("Registered nurse"))
    assert nurse.height > 0 and manufacturing.height > 0
    assert nurse["occupation_alignment"].min() > manufacturing["occupation_alignment"].max() + 0.2
    assert nurse["shared_occupation_groups"].str.contains("Nursing professionals").any()


def test_acronyms_are_expanded_before_matching(db):
    texts = frame(db, "select * from matching.matched_texts where subject_kind = 'capability'")
    qp = texts.filter(pl.col("original_text").str.contains(r"\bQP\b"))
    assert qp.height > 0
    assert qp["matched_text"].str.contains("Qualified Person (QP)", literal=True).all()


def test_tags_links_themes_and_fop_occupations_follow_the_contract(db):
    settings = settings_of(db)
    tags = frame(db, "select * from matching.capability_esco_skill_tags")
    assert tags.columns == ["capability_key", "esco_skill_uri", "tag_type", "rank", "similarity"]
    assert set(tags["tag_type"]) <= {"knowledge", "skill"} and tags.height > 0
    assert tags["similarity"].min() >= float(settings["tag_threshold"])
    wrong_type = frame(
        db,
        """select count(*) as n from matching.capability_esco_skill_tags t
        join staging.stg_esco__skills s using (esco_skill_uri)
        where (t.tag_type = 'knowledge') <> (s.skill_type = 'knowledge')""",
    )
    assert wrong_type["n"][0] == 0

    links = frame(db, "select * from matching.capability_onet_links")
    assert links.columns == ["capability_key", "target_kind", "target_id", "rank", "similarity"]
    assert set(links["target_kind"]) == {"task", "dwa"}
    assert links["rank"].max() == int(settings["onet_top_k"])

    themes = frame(
        db,
        """select c.*, t.cycle_id as theme_cycle, k.cycle_id as capability_cycle
        from matching.capability_theme c join intermediate.int_themes t using (theme_key)
        join intermediate.int_capabilities k using (capability_key)""",
    )
    assert themes.height == frame(db, "select * from matching.capability_theme").height > 0
    assert themes["capability_key"].is_unique().all() and set(themes["method"]) == {"semantic"}
    assert (themes["theme_cycle"] == themes["capability_cycle"]).all()

    fops = frame(db, "select * from matching.fop_occupation_links")
    assert fops.columns == ["fop_key", "framework", "occupation_id", "rank", "similarity"]
    assert set(fops["framework"]) == {"esco", "onet"}
    assert (
        fops["occupation_id"]
        .filter(fops["framework"] == "esco")
        .str.starts_with("http://data.europa.eu/esco/occupation/")
        .all()
    )
    assert fops["occupation_id"].filter(fops["framework"] == "onet").str.contains(r"^\d\d-\d{4}\.\d\d$").all()
    agreement = frame(db, "select * from matching.fop_crosswalk_agreement")
    assert agreement.height >= 1 and (agreement["agree_top1"] <= agreement["agree_top5"]).all()


def test_a_known_pair_ranks_in_the_top_ten(db):
    # ST0250 (Science manufacturing technician) says its technicians "operate the systems and
    # equipment, involved in the production of products"; ST1406 has duties on running processes.
    query = "Operate a manufacturing batch or continuous process following Standard Operating Procedures"
    matches = match_statements([query], "duties", 10, db)  # the old name of "provision"
    assert matches.columns == ["query", "rank", "id", "label", "similarity"]
    assert matches["rank"].to_list() == list(range(1, 11))
    assert matches["id"].str.contains(r":ST(0250|1406):").any(), matches
    explained = match_statements([query], "provision", 10, db, explain=True)
    assert explained["id"].to_list() == matches["id"].to_list()
    assert {"standard_reference", "standard_version", "standard_status", "route", "alignment", "shared_terms"} <= set(
        explained.columns
    )
    assert explained["standard_reference"].is_not_null().all() and explained["alignment"].is_not_null().all()
    assert explained["shared_terms"].str.len_chars().max() > 0
    skills = match_statements(["manage quality"], "esco-skills", 3, db)
    assert skills["label"][0] == "manage quality"
    assert skills["similarity"][0] > skills["similarity"][1] + 0.1


def test_warm_rerun_embeds_nothing_and_reproduces_the_tables(db, tmp_path):
    copy = tmp_path / "wfh.duckdb"
    shutil.copy(db, copy)
    shutil.copy(db.with_name("embeddings.duckdb"), tmp_path / "embeddings.duckdb")
    before = frame(copy, "select * from matching.capability_provision_candidates order by all")
    fit_before = frame(copy, "select * from matching.capability_standard_best order by all")
    result = run_match_step(copy, subset=True, cache_path=tmp_path / "embeddings.duckdb")
    assert result["embedded"] == 0 and result["cached"] == result["texts"] > 0
    after = frame(copy, "select * from matching.capability_provision_candidates order by all")
    assert after.equals(before)
    assert frame(copy, "select * from matching.capability_standard_best order by all").equals(fit_before)


def test_read_queries_and_write_matches_round_trip(tmp_path):
    lines = tmp_path / "statements.txt"
    lines.write_text("Operate a cleanroom\n\n  Maintain equipment  \n", encoding="utf-8")
    assert read_queries(lines) == ["Operate a cleanroom", "Maintain equipment"]
    table = tmp_path / "statements.csv"
    table.write_text("id,text\n1,Operate a cleanroom\n2,\n3,Maintain equipment\n", encoding="utf-8")
    assert read_queries(table, column="text") == ["Operate a cleanroom", "Maintain equipment"]
    with pytest.raises(InputError, match="no column 'statement'"):
        read_queries(table, column="statement")
    assert read_queries(io.StringIO("a\nb\n")) == ["a", "b"]

    matches = pl.DataFrame({"query": ["q"], "rank": [1], "id": ["x"], "label": ["y, z"], "similarity": [0.5]})
    out = io.StringIO()
    write_matches(matches, "jsonl", out)
    assert json.loads(out.getvalue()) == {"query": "q", "rank": 1, "id": "x", "label": "y, z", "similarity": 0.5}
    out = io.StringIO()
    write_matches(matches, "csv", out)
    assert out.getvalue().splitlines() == ["query,rank,id,label,similarity", 'q,1,x,"y, z",0.5']


def test_match_statements_rejects_unknown_targets(db):
    with pytest.raises(InputError, match="unknown target"):
        match_statements(["x"], "recipes", 5, db)


def test_fop_occupations_read_the_name_as_a_job_title(db):
    """A FOP is described by the occupations its name names and those its text names, half each
    (provision.role_occupation_profiles): the stored occupation alignment of Cell Therapy Laboratory
    Operatives with the Laboratory technician standard is that of its name and text, not of its text
    alone (the description is all GMP, quality systems and equipment; the name is a laboratory job)."""
    settings = MatchSettings.from_config()
    inputs = step._read_inputs(db, subset=True)
    store = EmbeddingStore(cache_file_for(db), read_only=True)
    occupations = ScoringIndex(inputs["esco-occupations"], store, settings.weights_for("esco-occupations"))
    _, texts, names, long_forms = step._expanded_texts(inputs["capabilities"], inputs["fops"], inputs["glossary"])
    fop = inputs["fops"]["name"].to_list().index("Cell Therapy Laboratory Operatives")
    profiles = inputs["profiles"]
    standard = next(i for i, label in enumerate(profiles.labels) if label.startswith("Laboratory technician"))
    standards = provision.occupation_profiles(occupations, [profiles.labels[standard]], settings.occupation_top_k)
    name, text = [names[fop]], [texts[fop]]
    name_vectors, text_vectors = (glossary.reading_vectors(store, t, long_forms) for t in (name, text))
    by_name_and_text = provision.role_occupation_profiles(
        occupations, name, text, settings.occupation_top_k, name_vectors, text_vectors
    )
    by_text = provision.occupation_profiles(occupations, text, settings.occupation_top_k, text_vectors)
    expected, shared = provision.occupation_alignment(by_name_and_text, standards)
    text_only, _ = provision.occupation_alignment(by_text, standards)
    stored = frame(
        db,
        f"""select a.occupation_alignment, a.shared_occupation_groups
        from matching.standard_alignment a
        join intermediate.int_fops f on f.fop_key = a.subject_key
        where a.subject_kind = 'fop' and f.name = 'Cell Therapy Laboratory Operatives'
          and a.standard_key = '{profiles.ids[standard]}'""",
    )
    assert stored["occupation_alignment"].to_list() == pytest.approx(expected)
    assert abs(expected[0] - text_only[0]) > 0.01  # the name changes it
    assert "laboratory technicians" in shared[0]
