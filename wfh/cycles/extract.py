"""Report -> cycle bundle: parse a foresighting report, normalise names with the reviewed mappings,
record the report's own inconsistencies as findings, and write a validated bundle folder."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from wfh.cycles import parse
from wfh.cycles.bundle import read_bundle, write_bundle
from wfh.cycles.findings import Findings, check_report
from wfh.cycles.mappings import (
    FOP_ALIASES_FILE,
    PARTNER_COLUMNS_FILE,
    Mappings,
    capability_id,
    load_mappings,
    normalise_text,
    slug,
)
from wfh.cycles.report_text import ReportText


@dataclass
class Capability:
    key: str  # normalised statement (after any reviewed 'same' alias): the identity of the capability
    statement: str
    highlight_number: int | None = None
    reason_to_highlight: str | None = None
    in_appendix_a: bool = False
    sources: list[str] = field(default_factory=list)  # provenance entries
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, statement as written)
    appendix_lines: list[int] = field(default_factory=list)

    @property
    def capability_id(self) -> str:
        return capability_id(self.key)


@dataclass
class Fop:
    fop_id: str
    name: str
    description: str | None = None
    is_priority: bool = False
    tables: list[str] = field(default_factory=list)
    written: list[tuple[str, str, int]] = field(default_factory=list)  # (name as written, table, line)


@dataclass
class Extraction:
    """Everything read from one report, before it is written as a bundle."""

    report: ReportText
    mappings: Mappings
    cycle_id: str
    metadata: parse.Metadata | None = None
    themes: list[parse.Theme] = field(default_factory=list)
    themes_stated: int | None = None
    themes_stated_line: int | None = None
    highlighted: list[parse.Highlighted] = field(default_factory=list)
    appendix: parse.AppendixA | None = None
    partners: list[parse.NamedRow] = field(default_factory=list)
    partners_table: str = ""
    partner_by_column: dict[int, parse.NamedRow] = field(default_factory=dict)
    partner_mapping_used: list[tuple[int, str, str, str]] = field(default_factory=list)  # (col, label, partner, note)
    capabilities: dict[str, Capability] = field(default_factory=dict)
    capability_partner_rows: list[dict] = field(default_factory=list)
    fops: dict[str, Fop] = field(default_factory=dict)
    fop_aliases_used: list[tuple[str, str, str, int]] = field(default_factory=list)  # (written, canonical, table, line)
    priority_table: str = ""
    proficiency_rows: list[dict] = field(default_factory=list)
    duplicate_proficiency: list[tuple[str, str, int, int]] = field(default_factory=list)
    role_levels: list[tuple[int, int, str, str]] = field(default_factory=list)
    tag_rows: list[dict] = field(default_factory=list)
    tag_tables: dict[str, str] = field(default_factory=dict)  # tag_type -> 'Table 24'
    participants: list[tuple[int, str, str]] = field(default_factory=list)
    participants_table: str | None = None
    glossary: list[tuple[int, str, str]] = field(default_factory=list)
    glossary_table: str | None = None
    findings: Findings = field(default_factory=Findings)

    # --- assembly --------------------------------------------------------------------------

    def run(self) -> Extraction:
        report = self.report
        self.metadata = parse.parse_metadata(report)
        if not self.metadata.title:
            raise report.error("no cycle title found (cover page or 'on the title: ...')")
        self.themes, self.themes_stated, self.themes_stated_line = parse.parse_themes(report)
        self.highlighted = parse.parse_highlighted(report)
        if not self.highlighted:
            raise report.error("no highlighted capabilities ('Capability N:') found")
        partners_table = parse.partners_table(report)
        self.partners_table = partners_table.label
        self.partners = parse.parse_named_table(report, partners_table)
        self.appendix = parse.parse_appendix_a(report)
        self._resolve_partner_columns()
        self._capabilities()
        self._fops()
        self.role_levels = parse.parse_role_levels(report)
        for tag_type, pattern in (("knowledge", r"knowledge tags?"), ("skill", r"skills? tags?")):
            table, rows = parse.parse_tag_table(report, pattern)
            if table is not None:
                self.tag_tables[tag_type] = table.label
            for rank, (_, tag, frequency) in enumerate(rows, start=1):
                self.tag_rows.append(
                    {"tag_type": tag_type, "rank": rank, "tag": tag, "frequency": frequency, "provenance": table.label}
                )
        table, self.participants = parse.parse_participants(report)
        self.participants_table = table.label if table else None
        table, self.glossary = parse.parse_glossary(report)
        self.glossary_table = table.label if table else None
        check_report(self)
        return self

    def _resolve_partner_columns(self) -> None:
        """Appendix A key entry -> Table 22 partner: by name, or by the reviewed mapping (never by guess)."""
        by_name = {normalise_text(p.name): p for p in self.partners}
        for line, number, label in self.appendix.key:
            reviewed = self.mappings.partner_column(self.metadata.title, number, label)
            if reviewed:
                partner = by_name.get(normalise_text(reviewed.partner_name))
                if partner is None:
                    raise self.report.error(
                        f"{PARTNER_COLUMNS_FILE} maps Appendix A column {number} to {reviewed.partner_name!r}, "
                        f"which is not a partner of {self.partners_table}",
                        line,
                        label,
                    )
                self.partner_mapping_used.append((number, label, partner.name, reviewed.note))
            else:
                partner = by_name.get(normalise_text(label))
                if partner is None:
                    raise self.report.error(
                        f"Appendix A key {number} names no partner of {self.partners_table}; add a reviewed row "
                        f"to raw/cycles/_mappings/{PARTNER_COLUMNS_FILE}",
                        line,
                        label,
                    )
            self.partner_by_column[number] = partner
        columns_of: dict[str, list[int]] = defaultdict(list)
        for number, partner in self.partner_by_column.items():
            columns_of[partner.name].append(number)
        for name, numbers in columns_of.items():
            if len(numbers) > 1:
                raise self.report.error(
                    f"Appendix A columns {numbers} would all be partner {name!r}; add a reviewed row to "
                    f"raw/cycles/_mappings/{PARTNER_COLUMNS_FILE} for the column that is another partner",
                    self.appendix.key[0][0],
                    name,
                )

    def _capabilities(self) -> None:
        """Highlighted capabilities and Appendix A rows; one capability per statement (up to punctuation)."""
        for item in sorted(self.highlighted, key=lambda h: h.number):
            key = self.mappings.capability_key(item.statement)
            where = f"{item.section} Capability {item.number}"
            if key in self.capabilities:
                raise self.report.error(
                    f"capability {item.number} repeats the statement of {self.capabilities[key].sources[0]}",
                    item.line,
                    item.statement,
                )
            self.capabilities[key] = Capability(
                key, item.statement, item.number, item.reason, sources=[where], texts=[(where, item.statement)]
            )
        label = f"Appendix A ({self.appendix.table.label})"
        ticks: dict[str, set[int]] = defaultdict(set)
        for line, statement, ticked in self.appendix.rows:
            key = self.mappings.capability_key(statement)
            capability = self.capabilities.get(key)
            if capability is None:
                capability = self.capabilities[key] = Capability(key, statement)
            if not capability.in_appendix_a:
                capability.sources.append(label)
            capability.in_appendix_a = True
            capability.appendix_lines.append(line)
            capability.texts.append((f"{label} line {line}", statement))
            ticks[key].update(ticked)
        for key, columns in ticks.items():
            for column in sorted(columns):
                self.capability_partner_rows.append(
                    {
                        "capability_id": self.capabilities[key].capability_id,
                        "partner_id": slug(self.partner_by_column[column].name),
                        "provenance": f"{label} column {column}",
                    }
                )

    def _fop(self, written: str, table: str, line: int) -> Fop:
        name, note = self.mappings.fop_name(written)
        if note is not None:
            self.fop_aliases_used.append((written, name, table, line))
        fop_id = slug(name)
        fop = self.fops.get(fop_id)
        if fop is None:
            fop = self.fops[fop_id] = Fop(fop_id, name)
        elif fop.name != name:
            first = fop.written[0]
            raise self.report.error(
                f"FOP names {fop.name!r} ({first[1]}) and {name!r} ({table}) differ only in case or punctuation "
                f"and are not in the reviewed mapping; add a row to raw/cycles/_mappings/{FOP_ALIASES_FILE}",
                line,
                written,
            )
        fop.written.append((written, table, line))
        if table not in fop.tables:
            fop.tables.append(table)
        return fop

    def _fops(self) -> None:
        """Priority FOPs with descriptions first, then every other FOP of the capability tables."""
        priority = parse.priority_fops_table(self.report)
        self.priority_table = priority.label
        for row in parse.parse_named_table(self.report, priority):
            fop = self._fop(row.name, priority.label, row.line)
            if fop.is_priority:
                raise self.report.error(f"{priority.label} lists the FOP twice", row.line, row.name)
            fop.is_priority, fop.description = True, row.description
        seen: dict[tuple[str, str], tuple[int, int]] = {}
        for item in self.highlighted:
            if item.table is None:
                continue
            capability = self.capabilities[self.mappings.capability_key(item.statement)]
            for line, written, level in parse.proficiency_rows(self.report, item.table):
                fop = self._fop(written, item.table.label, line)
                pair = (fop.fop_id, capability.capability_id)
                if pair in seen:
                    self.duplicate_proficiency.append((fop.name, item.table.label, seen[pair][0], line))
                    continue
                seen[pair] = (line, level)
                self.proficiency_rows.append(
                    {
                        "fop_id": fop.fop_id,
                        "capability_id": capability.capability_id,
                        "proficiency": level,
                        "provenance": f"{item.table.label} (Capability {item.number})",
                    }
                )

    # --- output ------------------------------------------------------------------------------

    def cycle_row(self, source_document: str) -> dict:
        m = self.metadata
        return {
            "cycle_id": self.cycle_id,
            "title": m.title,
            "sponsor": m.sponsor,
            "centre_of_innovation": m.centre_of_innovation,
            "workshop_start": m.workshop_start,
            "workshop_end": m.workshop_end,
            "report_date": m.report_date,
            "source_document": source_document,
        }

    def tables(self) -> dict[str, list[dict]]:
        """The bundle tables as lists of rows (columns of ``wfh.cycles.schema``, without cycle_id)."""
        return {
            "capabilities": [
                {
                    "capability_id": c.capability_id,
                    "statement": c.statement,
                    "highlight_number": c.highlight_number,
                    "reason_to_highlight": c.reason_to_highlight,
                    "in_appendix_a": c.in_appendix_a,
                    "provenance": "; ".join(c.sources),
                }
                for c in self.capabilities.values()
            ],
            "themes": [
                {
                    "theme_id": t.number,
                    "name": t.name,
                    "description": t.description,
                    "provenance": f"{self.report.section_at(t.line)} theme list",
                }
                for t in self.themes
            ],
            "supply_chain_partners": [
                {
                    "partner_id": slug(p.name),
                    "partner_number": number,
                    "name": p.name,
                    "description": p.description,
                    "provenance": self.partners_table,
                }
                for number, p in enumerate(self.partners, start=1)
            ],
            "capability_partners": self.capability_partner_rows,
            "fops": [
                {
                    "fop_id": f.fop_id,
                    "name": f.name,
                    "description": f.description,
                    "is_priority": f.is_priority,
                    "role_level_id": None,
                    "provenance": ", ".join(f.tables),
                }
                for f in sorted(self.fops.values(), key=lambda f: not f.is_priority)
            ],
            "fop_capability_proficiency": self.proficiency_rows,
            "role_levels": [
                {
                    "role_level_id": number,
                    "name": name,
                    "description": description,
                    "provenance": f"{self.report.section_at(line)} role levels",
                }
                for line, number, name, description in self.role_levels
            ],
            "tag_frequencies": self.tag_rows,
            "participants": [
                {"category": category, "organisation": organisation, "provenance": self.participants_table}
                for _, category, organisation in self.participants
            ],
            "findings": self.findings.rows(),
            "glossary": [
                {"term": term, "definition": definition, "provenance": self.glossary_table}
                for _, term, definition in self.glossary
            ],
        }


def extract(report_path: Path, cycle_id: str, mappings_dir: Path | None = None) -> Extraction:
    """Parse a report into an ``Extraction`` (no files written)."""
    report = ReportText.read(Path(report_path))
    return Extraction(report, load_mappings(mappings_dir), cycle_id).run()


def extract_report(report_path: Path, out_dir: Path, cycle_id: str, mappings_dir: Path | None = None) -> Path:
    """Parse the report text and write its cycle bundle (cycle.yml + CSVs) to ``out_dir``; returns ``out_dir``.

    The written bundle is read back through the same validation as any hand-made bundle.
    """
    extraction = extract(report_path, cycle_id, mappings_dir)
    out_dir = Path(out_dir)
    write_bundle(out_dir, extraction.cycle_row(Path(report_path).name), extraction.tables())
    read_bundle(out_dir)
    return out_dir
