"""Stable ids, text normalisation and the reviewed name mappings in ``raw/cycles/_mappings/``.

The mappings are small CSV seeds a person reviews; the extractor applies them and records every use
as a finding, so no name is merged or re-assigned silently.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from wfh.errors import InputError
from wfh.settings import paths

FOP_ALIASES_FILE = "fop_name_aliases.csv"
CAPABILITY_ALIASES_FILE = "capability_aliases.csv"
PARTNER_COLUMNS_FILE = "appendix_partner_columns.csv"


def normalise_text(text: str) -> str:
    """Lower-case, punctuation removed, whitespace collapsed: the form two texts are compared in."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def capability_id(statement: str) -> str:
    """``cap-`` + 10 hex digits of the SHA-1 of the normalised statement (survives reordering)."""
    return "cap-" + hashlib.sha1(normalise_text(statement).encode("utf-8")).hexdigest()[:10]


def slug(name: str) -> str:
    """URL-style id of a name: ``R&D/R&I Manager`` -> ``r-and-d-r-and-i-manager``."""
    return "-".join(re.sub(r"[^0-9a-z]+", " ", name.casefold().replace("&", " and ")).split())


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class CapabilityAlias:
    canonical_statement: str
    decision: str  # 'same' (merge into the canonical statement) or 'distinct' (reviewed: keep apart)
    note: str


@dataclass(frozen=True)
class PartnerColumn:
    report_title: str  # empty: any report
    key_number: int
    key_label: str
    partner_name: str
    note: str


@dataclass
class Mappings:
    """The reviewed mappings, loaded from one folder."""

    folder: Path
    fop_aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # variant -> (canonical, note)
    capability_aliases: dict[str, CapabilityAlias] = field(default_factory=dict)  # normalised -> alias
    partner_columns: list[PartnerColumn] = field(default_factory=list)

    def fop_name(self, written: str) -> tuple[str, str | None]:
        """The canonical FOP name for a name as written, and the mapping note when one applied."""
        written = collapse_spaces(written)
        if written in self.fop_aliases:
            canonical, note = self.fop_aliases[written]
            return canonical, note
        return written, None

    def capability_key(self, statement: str) -> str:
        """The comparison key of a statement, after any reviewed 'same' alias."""
        key = normalise_text(statement)
        alias = self.capability_aliases.get(key)
        if alias and alias.decision == "same":
            return normalise_text(alias.canonical_statement)
        return key

    def reviewed_distinct(self, a: str, b: str) -> str | None:
        """The note when the pair of statements was reviewed as distinct, else None."""
        na, nb = normalise_text(a), normalise_text(b)
        for one, other in ((na, nb), (nb, na)):
            alias = self.capability_aliases.get(one)
            if alias and alias.decision == "distinct" and normalise_text(alias.canonical_statement) == other:
                return alias.note
        return None

    def partner_column(self, report_title: str, key_number: int, key_label: str) -> PartnerColumn | None:
        """The reviewed partner for an Appendix A key entry, preferring a row scoped to this report."""
        matches = [
            row
            for row in self.partner_columns
            if row.key_number == key_number
            and normalise_text(row.key_label) == normalise_text(key_label)
            and (not row.report_title or normalise_text(row.report_title) == normalise_text(report_title))
        ]
        matches.sort(key=lambda row: row.report_title == "")
        return matches[0] if matches else None


def _read_seed(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise InputError("mapping seed is missing", source="cycles", file=str(path))
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column {missing[0]!r}", source="cycles", file=str(path), row=1, field=missing[0])
        rows = []
        for record in reader:
            rows.append((reader.line_num, {k: (record.get(k) or "").strip() for k in columns}))
        return rows


def _seed_error(problem: str, file: Path, row: int, field: str | None = None, value: str | None = None) -> InputError:
    """A bad row of a mapping seed, named by file, row and field."""
    return InputError(problem, source="cycles", file=str(file), row=row, field=field, value=value)


def load_mappings(folder: Path | None = None) -> Mappings:
    """Read the three seeds (default ``raw/cycles/_mappings``) and check them."""
    folder = folder or paths().cycles / "_mappings"
    mappings = Mappings(folder=folder)

    fop_file = folder / FOP_ALIASES_FILE
    for line, row in _read_seed(fop_file, ["variant", "canonical_name", "note"]):
        if not row["variant"] or not row["canonical_name"]:
            raise _seed_error(
                "variant and canonical_name must not be empty",
                fop_file,
                line,
                value=row["variant"] or row["canonical_name"],
            )
        variant = collapse_spaces(row["variant"])
        if variant in mappings.fop_aliases:
            raise _seed_error("variant listed twice", fop_file, line, field="variant", value=variant)
        mappings.fop_aliases[variant] = (collapse_spaces(row["canonical_name"]), row["note"])

    cap_file = folder / CAPABILITY_ALIASES_FILE
    for line, row in _read_seed(cap_file, ["statement", "canonical_statement", "decision", "note"]):
        if row["decision"] not in ("same", "distinct"):
            raise _seed_error(
                "decision must be 'same' or 'distinct'", cap_file, line, field="decision", value=row["decision"]
            )
        if not row["statement"] or not row["canonical_statement"]:
            raise _seed_error(
                "statement and canonical_statement must not be empty", cap_file, line, value=row["statement"]
            )
        mappings.capability_aliases[normalise_text(row["statement"])] = CapabilityAlias(
            row["canonical_statement"], row["decision"], row["note"]
        )

    partner_file = folder / PARTNER_COLUMNS_FILE
    for line, row in _read_seed(partner_file, ["report_title", "key_number", "key_label", "partner_name", "note"]):
        if not row["key_number"].isdigit() or not row["partner_name"]:
            raise _seed_error(
                "key_number must be a whole number and partner_name not empty",
                partner_file,
                line,
                field="key_number",
                value=row["key_number"],
            )
        mappings.partner_columns.append(
            PartnerColumn(
                row["report_title"], int(row["key_number"]), row["key_label"], row["partner_name"], row["note"]
            )
        )
    return mappings
