"""The domain-adapted alignment space (wfh.matching.adaptation), on small hand-made vectors.

The fixture is the failure the map exists for: every profile shares one generic direction (the words
all standards use), each standard's own statements add a weak specific direction, and the profiles
also carry text the statements never use (route, level, job titles). By the raw cosine, a
statement is nearest to a *generic* profile; the map learns, from the statements alone, which
directions tell the standards apart.
"""

from __future__ import annotations

import numpy as np

from wfh.matching import adaptation

DIMENSIONS = 8
GENERIC, OWN = 0, (1, 2, 3)  # dimension 0: shared by all; 1-3: each standard's own words
PROFILE_NOISE = (4, 5, 6)  # what a profile says besides the work (route, level, job titles)


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def profiles() -> np.ndarray:
    """Three specific standards and one generic one (row 3), all mostly generic."""
    rows = np.zeros((4, DIMENSIONS))
    rows[:, GENERIC] = 1.0
    for standard, (own, noise) in enumerate(zip(OWN, PROFILE_NOISE, strict=True)):
        rows[standard, own] = 0.5
        rows[standard, noise] = 1.2
    return unit(rows)


def statements(seed: int, per_standard: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Statements of the three specific standards: generic words plus a little of their own."""
    rng = np.random.default_rng(seed)
    rows, groups = [], []
    for standard, own in enumerate(OWN):
        block = np.zeros((per_standard, DIMENSIONS))
        block[:, GENERIC] = 1.0
        block[:, own] = 0.3
        block += rng.normal(0, 0.05, block.shape)
        rows.append(block)
        groups += [standard] * per_standard
    return unit(np.vstack(rows)).astype(np.float32), np.asarray(groups)


def own_profile_share(queries: np.ndarray, groups: np.ndarray, targets: np.ndarray) -> float:
    """Share of queries whose nearest profile is their own."""
    return float(np.mean(np.argmax(queries @ targets.T, axis=1) == groups))


def test_the_map_learns_which_directions_tell_standards_apart():
    train, train_groups = statements(seed=1)
    held_out, held_out_groups = statements(seed=2)  # new statements of the same standards
    raw = own_profile_share(held_out, held_out_groups, profiles())
    assert raw == 0.0  # the generic profile is nearest to every statement

    matrix = adaptation.fit_alignment_map(train, train_groups, profiles(), regularisation=0.03)
    adapted = own_profile_share(
        adaptation.to_alignment_space(held_out, matrix),
        held_out_groups,
        adaptation.to_alignment_space(profiles(), matrix),
    )
    assert adapted > 0.9


def test_the_fit_is_deterministic_and_stays_near_the_identity_when_regularised_hard():
    train, groups = statements(seed=1)
    first = adaptation.fit_alignment_map(train, groups, profiles(), regularisation=0.03)
    again = adaptation.fit_alignment_map(train, groups, profiles(), regularisation=0.03)
    assert np.array_equal(first, again)
    stiff = adaptation.fit_alignment_map(train, groups, profiles(), regularisation=100.0)
    assert np.abs(stiff - np.eye(DIMENSIONS)).max() < 0.05
    assert np.abs(first - np.eye(DIMENSIONS)).max() > 0.3


def test_nothing_to_learn_gives_the_identity_and_mapped_vectors_have_unit_length():
    empty = np.zeros((0, DIMENSIONS), dtype=np.float32)
    assert np.array_equal(
        adaptation.fit_alignment_map(empty, np.zeros(0, dtype=np.int64), profiles(), 0.03), np.eye(DIMENSIONS)
    )
    one_profile = profiles()[:1]
    train, _ = statements(seed=1, per_standard=2)
    assert np.array_equal(
        adaptation.fit_alignment_map(train[:2], np.zeros(2, dtype=np.int64), one_profile, 0.03), np.eye(DIMENSIONS)
    )
    matrix = np.diag(np.arange(1, DIMENSIONS + 1, dtype=np.float32))
    mapped = adaptation.to_alignment_space(profiles(), matrix)
    assert np.allclose(np.linalg.norm(mapped, axis=1), 1.0)
    assert np.allclose(np.linalg.norm(adaptation.to_alignment_space(profiles()[0], matrix)), 1.0)
