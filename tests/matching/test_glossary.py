"""Acronym expansion of capability and FOP texts (wfh.matching.glossary)."""

from __future__ import annotations

import numpy as np

from wfh.embeddings import EmbeddingSettings, EmbeddingStore
from wfh.matching import glossary


def test_seed_holds_the_domain_acronyms_the_report_uses_without_defining():
    seed = glossary.seed_acronyms()
    for acronym in ("QP", "PAT", "CQA", "eBMR", "MHRA", "HTA", "JACIE", "ATMP", "GMP"):
        assert seed.get(acronym), acronym
    assert seed["QP"] == "Qualified Person"


def test_definitions_in_the_cycles_own_texts():
    found = glossary.defined_in(
        [
            "Develop capability for in-line monitoring using real-time process analytical tools (PAT) such as Raman.",
            "Upgrade storage facilities to meet current Good Manufacturing Practice (GMP)",
            "projects including good manufacturing and distribution practice (GmDP)",
            "Designated Individual (HTA)",
        ]
    )  # a bracketed acronym whose initials are not the words before it
    assert found == {
        "PAT": "process analytical tools",
        "GMP": "Good Manufacturing Practice",
        "GmDP": "good manufacturing and distribution practice",
    }


def test_expand_writes_long_form_then_acronym_once():
    acronyms = glossary.build(
        texts=[],
        seed={"QP": "Qualified Person", "BMR": "batch manufacturing record", "CQA": "critical quality attribute"},
    )
    assert (
        glossary.expand("Implement remote QP release.", acronyms) == "Implement remote Qualified Person (QP) release."
    )
    assert (
        glossary.expand("monitor CQAs in a BMR", acronyms)
        == "monitor critical quality attributes (CQAs) in a batch manufacturing record (BMR)"
    )
    # already defined in place or inside a word: unchanged
    assert glossary.expand("a Qualified Person (QP) signs", acronyms) == "a Qualified Person (QP) signs"
    assert glossary.expand("a qualified person (QP) signs", acronyms) == "a qualified person (QP) signs"
    assert glossary.expand("QPX and aQP stay", acronyms) == "QPX and aQP stay"


def test_a_bracketed_acronym_that_qualifies_a_name_is_expanded_in_its_brackets():
    """FOP names such as "Clinical Pharmacist (ATMP/Oncology)": the brackets qualify the role, they
    do not define the acronym, so the model must read the long form there too."""
    acronyms = glossary.build(texts=[], seed={"ATMP": "advanced therapy medicinal product"})
    assert (
        glossary.expand("Clinical Pharmacist (ATMP/Oncology)", acronyms)
        == "Clinical Pharmacist (advanced therapy medicinal product (ATMP)/Oncology)"
    )
    assert (
        glossary.expand("Pharmacy Aseptic Services Manager (ATMP)", acronyms)
        == "Pharmacy Aseptic Services Manager (advanced therapy medicinal product (ATMP))"
    )
    defined = "advanced therapy medicinal product (ATMP) manufacturing"
    assert glossary.expand(defined, acronyms) == defined


def test_cycle_glossary_wins_over_the_seed_and_non_acronym_terms_are_ignored():
    acronyms = glossary.build(
        [("CPD", "Continued Professional Development"), ("Foresight Cycle", "Set of workshops")],
        texts=[],
        seed={"CPD": "continuing professional development"},
    )
    assert acronyms == {"CPD": "Continued Professional Development"}


def test_a_cycle_without_glossary_or_seed_leaves_texts_unchanged():
    acronyms = glossary.build([], texts=["Operate a demo line safely."], seed={})
    assert acronyms == {}
    assert glossary.expand("Run the QP release.", acronyms) == "Run the QP release."


def test_long_forms_only_drops_the_acronyms_expand_kept():
    acronyms = glossary.build(
        texts=[],
        seed={"QP": "Qualified Person", "HTA": "Human Tissue Authority", "ATMP": "advanced therapy medicinal product"},
    )
    for text, long_forms in (
        ("Implement remote QP release.", "Implement remote Qualified Person release."),
        ("Designated Individual (HTA)", "Designated Individual (Human Tissue Authority)"),
        ("Clinical Pharmacist (ATMP/Oncology)", "Clinical Pharmacist (advanced therapy medicinal product/Oncology)"),
        ("Release ATMPs", "Release advanced therapy medicinal products"),
        ("Clinician (including PI/CI)", "Clinician (including PI/CI)"),  # not an acronym it knows
    ):
        assert glossary.long_forms_only(glossary.expand(text, acronyms), acronyms) == long_forms
    assert glossary.long_forms_only("Run the QP release.", {}) == "Run the QP release."


def test_reading_vectors_average_the_two_readings_of_an_expanded_text():
    """The model reads "Human Tissue Authority (HTA)" as written and as "Human Tissue Authority"; the
    vector is the normalised mean of the two. A text with no second reading keeps its own vector."""
    store = EmbeddingStore(None, settings=EmbeddingSettings.from_config(max_seq_length=128))
    acronyms = {"HTA": "Human Tissue Authority"}
    texts = [glossary.expand("Leads HTA compliance", acronyms), "Leads quality compliance"]
    long_forms = {text: glossary.long_forms_only(text, acronyms) for text in texts}
    vectors = glossary.reading_vectors(store, texts, long_forms)
    written, alone = store.embed([texts[0], "Leads Human Tissue Authority compliance"])
    mean = (written + alone) / np.linalg.norm(written + alone)
    assert np.allclose(vectors[0], mean, atol=1e-6) and not np.allclose(vectors[0], written, atol=1e-3)
    assert np.allclose(vectors[1], store.embed([texts[1]])[0])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
