"""A domain-adapted alignment space: one linear map of the embedding space, learnt from the provision itself.

The general model reads a FOP or a capability by its words, so a standard of another industry that
uses the same words ("automation", "validation", "production") looks aligned. Every standard already
tells the model which of its words matter: its duty and skill statements belong to it and to no other
standard. :func:`fit_alignment_map` learns a 384 x 384 matrix ``W`` so that each statement, mapped by
``W``, is nearest to its own standard's mapped profile among all standard profiles (contrastive
InfoNCE loss, a softmax over the profiles), kept close to the identity by an L2 penalty (the one
tuned setting, ``[matching] alignment_map_regularisation``). Only texts of the provision are used:
no FOP, capability, cycle or benchmark answer. Alignment (a subject's cosine with a standard's
profile) is then read in the mapped space (:func:`to_alignment_space`); statement evidence and every
other match keep the model's own space. Why and with what effect: ``docs/matching.md``
("Domain-adapted alignment").

Training is a fixed number of steps, deterministic (a fixed seed; the same matrix whatever the thread
count), and takes about 15 s on the full provision (26,000 statements of 714 standards) on two cores.
"""

from __future__ import annotations

import numpy as np

# Fixed training choices (not tuned: the benchmarks were run with these; only the regularisation was chosen).
TEMPERATURE = 0.05  # softmax temperature of the contrastive loss
STEPS = 1500  # optimiser steps, whatever the number of statements (about 30 passes over the full provision)
BATCH_SIZE = 512
LEARNING_RATE = 1e-3
SEED = 0


def fit_alignment_map(
    statement_vectors: np.ndarray,
    statement_groups: np.ndarray,
    profile_vectors: np.ndarray,
    regularisation: float,
) -> np.ndarray:
    """The matrix ``W`` (d x d) that maps each statement nearest to its own profile.

    ``statement_groups[i]`` is the row of ``profile_vectors`` that statement ``i`` belongs to. The loss
    per batch is the cross-entropy of each mapped statement's cosines with all mapped profiles (divided
    by :data:`TEMPERATURE`) plus ``regularisation`` x the squared Frobenius distance of ``W`` from the
    identity. With no statement, or fewer than two profiles, there is nothing to learn: the identity."""
    dimensions = profile_vectors.shape[1]
    if len(statement_vectors) == 0 or len(profile_vectors) < 2:
        return np.eye(dimensions, dtype=np.float32)
    import torch

    generator = torch.Generator().manual_seed(SEED)
    statements = torch.as_tensor(np.asarray(statement_vectors, dtype=np.float32))
    groups = torch.as_tensor(np.asarray(statement_groups, dtype=np.int64))
    profiles = torch.as_tensor(np.asarray(profile_vectors, dtype=np.float32))
    identity = torch.eye(dimensions)
    matrix = torch.nn.Parameter(identity.clone())
    optimiser = torch.optim.Adam([matrix], lr=LEARNING_RATE)
    normalize = torch.nn.functional.normalize
    batches = _batches(len(groups), generator)
    for _ in range(STEPS):
        batch = next(batches)
        mapped_statements = normalize(statements[batch] @ matrix, dim=1)
        mapped_profiles = normalize(profiles @ matrix, dim=1)
        logits = mapped_statements @ mapped_profiles.T / TEMPERATURE
        loss = torch.nn.functional.cross_entropy(logits, groups[batch])
        loss = loss + regularisation * ((matrix - identity) ** 2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return matrix.detach().numpy().astype(np.float32)


def _batches(count: int, generator):
    """Batches of up to BATCH_SIZE statement rows, each pass over all of them in a new random order."""
    import torch

    while True:
        order = torch.randperm(count, generator=generator)
        for start in range(0, count, BATCH_SIZE):
            yield order[start : start + BATCH_SIZE]


def read_alignment_map(con) -> np.ndarray | None:
    """The map a warehouse's match step learnt (``matching.alignment_map``), or None if it has none."""
    exists = con.sql(
        "select count(*) from information_schema.tables"
        " where table_schema = 'matching' and table_name = 'alignment_map'"
    ).fetchall()[0][0]
    if not exists:
        return None
    rows = con.sql("select weights from matching.alignment_map order by input_dimension").fetchall()
    return np.asarray([row[0] for row in rows], dtype=np.float32) if rows else None


def to_alignment_space(vectors: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``vectors`` (rows) mapped by ``matrix`` and scaled to unit length: cosines in the adapted space."""
    mapped = np.asarray(vectors, dtype=np.float32) @ matrix
    return mapped / (np.linalg.norm(mapped, axis=-1, keepdims=True) + 1e-12)
