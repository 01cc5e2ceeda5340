"""Domain vocabulary: expand acronyms in capability and FOP texts before they are embedded and scored.

A capability such as "Implement remote QP release ..." says nothing to a general-purpose model or to
TF-IDF unless "QP" reads "Qualified Person". The expansions come from three places, in this order of
precedence:

1. the cycle's own glossary (``glossary.csv`` of the bundle, optional; terms that are acronyms);
2. definitions the cycle's own texts give, "Long Name (ACR)" (e.g. "process analytical tools (PAT)");
3. the reviewed seed ``raw/cycles/_mappings/acronyms.csv``: general domain vocabulary a report uses
   without defining it (QP, MHRA, HTA, ...), not answers about any capability.

``expand`` writes "Long Name (ACR)" where a text says "ACR" alone, so the acronym stays for lexical
matches and the long form is added. A cycle without a glossary uses 2 and 3 only.

The model reads an expanded text twice (:func:`reading_vectors`): as written, and with the long forms
alone (:func:`long_forms_only`). It knows some acronyms (GMP, MHRA) and misreads others (it reads
"HTA" as close to "Dental hygienist"), so neither reading alone is right for every text; the vector is
the mean of the two. TF-IDF reads the text as written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from wfh.settings import paths

SEED_FILE = "acronyms.csv"
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "to", "&"})
_ACRONYM = r"[A-Za-z]{0,2}[A-Z][A-Za-z]*[A-Z][A-Za-z]*"
_DEFINED = re.compile(r"((?:[A-Za-z][\w\-]*\s+){1,6}?)\((" + _ACRONYM + r")s?\)")


def is_acronym(term: str) -> bool:
    """Two to eight letters with at least two capitals and no spaces (QP, eBMR, GmDP, ATMP)."""
    term = term.strip()
    return 2 <= len(term) <= 8 and " " not in term and sum(c.isupper() for c in term) >= 2 and term.isalpha()


def seed_acronyms(folder: Path | None = None) -> dict[str, str]:
    """The reviewed seed (acronym -> expansion); empty when the file is absent."""
    path = Path(folder or paths().cycles / "_mappings") / SEED_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["acronym"].strip(): row["expansion"].strip()
            for row in csv.DictReader(handle)
            if (row.get("acronym") or "").strip() and (row.get("expansion") or "").strip()
        }


def defined_in(texts: Iterable[str | None]) -> dict[str, str]:
    """Acronyms a text defines as "Long Name (ACR)": the long name is the words just before the
    brackets whose initials spell the acronym (so "real-time process analytical tools (PAT)" gives
    "process analytical tools")."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _DEFINED.finditer(text or ""):
            words, acronym = match.group(1).split(), match.group(2)
            spellings = {"".join(c for c in acronym if c.isupper()), acronym.upper()}
            for start in range(len(words)):
                candidate = words[start:]
                if candidate[0].lower() in _SMALL_WORDS:
                    continue
                initials = "".join(w[0].upper() for w in candidate if w[0].isalpha())
                content = "".join(w[0].upper() for w in candidate if w[0].isalpha() and w.lower() not in _SMALL_WORDS)
                if initials in spellings or content in spellings:
                    found.setdefault(acronym, " ".join(candidate))
                    break
    return found


def glossary_acronyms(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The acronym entries of a glossary table (term, definition)."""
    return {term.strip(): definition.strip() for term, definition in rows if term and definition and is_acronym(term)}


def build(
    glossary_rows: Iterable[tuple[str, str]] = (),
    texts: Iterable[str | None] = (),
    seed: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """acronym -> expansion, the cycle's glossary first, then its own definitions, then the seed."""
    merged = dict(seed_acronyms() if seed is None else seed)
    merged.update(defined_in(texts))
    merged.update(glossary_acronyms(glossary_rows))
    return merged


def expand(text: str | None, acronyms: Mapping[str, str]) -> str | None:
    """``text`` with each acronym that stands alone ("QP", "CQAs") written "Long Name (ACR)"; an
    acronym already following its long name ("Qualified Person (QP)") is left as it is. A bracketed
    acronym that qualifies something else is expanded in its brackets: "Clinical Pharmacist
    (ATMP/Oncology)" -> "Clinical Pharmacist (advanced therapy medicinal product (ATMP)/Oncology)"."""
    if not text or not acronyms:
        return text
    pattern = re.compile(
        r"(?<![\w])(" + "|".join(sorted(map(re.escape, acronyms), key=len, reverse=True)) + r")(s?)(?![\w])"
    )

    def replace(match: re.Match) -> str:
        acronym, plural = match.group(1), match.group(2)
        long_form = acronyms[acronym]
        before = text[: match.start()].rstrip().removesuffix("(").rstrip().lower()
        if before.endswith((long_form.lower(), long_form.lower() + "s")):
            return match.group(0)
        return f"{long_form}{plural} ({acronym}{plural})"

    return pattern.sub(replace, text)


def long_forms_only(text: str | None, acronyms: Mapping[str, str]) -> str | None:
    """``text`` as :func:`expand` wrote it, without the bracketed acronyms that follow their long forms:
    "Qualified Person (QP) release" -> "Qualified Person release", "Designated Individual (Human Tissue
    Authority (HTA))" -> "Designated Individual (Human Tissue Authority)"."""
    if not text or not acronyms:
        return text
    pattern = re.compile(r"\s*\((?:" + "|".join(sorted(map(re.escape, acronyms), key=len, reverse=True)) + r")s?\)")
    return pattern.sub("", text)


def reading_vectors(store, texts: list[str], long_forms: Mapping[str, str]) -> np.ndarray:
    """The vectors the matching reads ``texts`` (acronyms expanded) by: where ``long_forms`` gives a text
    a second reading (:func:`long_forms_only`), the normalised mean of the model's vectors of the two
    readings; otherwise the text's own vector. ``store`` embeds (an EmbeddingStore)."""
    vectors = store.embed(texts)
    rows = [i for i, text in enumerate(texts) if long_forms.get(text, text) != text]
    if rows:
        both = vectors[rows] + store.embed([long_forms[texts[i]] for i in rows])
        vectors = vectors.copy()
        vectors[rows] = both / np.linalg.norm(both, axis=1, keepdims=True)
    return vectors
