"""The report's own inconsistencies, kept as data: one finding per check that finds something.

Every check is generic (it reads what the report states and compares it with what the report lists);
nothing here names this cycle's capabilities, FOPs or partners.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from wfh.cycles.mappings import normalise_text

if TYPE_CHECKING:
    from wfh.cycles.extract import Extraction

_STOPWORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "within",
        "this",
        "that",
        "these",
        "those",
        "their",
        "our",
        "your",
        "use",
        "using",
        "based",
        "via",
        "per",
        "across",
        "over",
        "under",
    ]
)


@dataclass
class Findings:
    items: list[dict] = field(default_factory=list)

    def add(self, finding_id: str, severity: str, finding: str, detail: str | None, provenance: str) -> None:
        assert severity in ("warning", "info")
        self.items.append(
            {
                "finding_id": finding_id,
                "severity": severity,
                "finding": finding,
                "detail": detail,
                "provenance": provenance,
            }
        )

    def rows(self) -> list[dict]:
        return list(self.items)


def _where(x: Extraction, lines: list[int]) -> str:
    """'Section 2.1 (line 234); Section 2.1.1 (line 253)'."""
    return "; ".join(f"{x.report.section_at(n)} (line {n})" for n in lines)


def _sections(x: Extraction, lines: list[int]) -> str:
    return "; ".join(dict.fromkeys(x.report.section_at(n) for n in lines))


def _quote(items: list[str], limit: int = 12) -> str:
    shown = [f"'{i}'" for i in items[:limit]]
    return ", ".join(shown) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.casefold()) if len(w) >= 4 and w not in _STOPWORDS]


# --- checks ---------------------------------------------------------------------------------------


def stated_capability_counts(x: Extraction) -> None:
    pattern = re.compile(
        r"(?<![\d.])\b(\d+)\s+(?:unique\s+)?(?:future\s+)?(?:organisational\s+)?"
        r"capabilities\b",
        re.IGNORECASE,
    )
    stated: dict[int, list[int]] = defaultdict(list)
    for number, text in enumerate(x.report.lines, start=1):
        for match in pattern.finditer(text):
            stated[int(match.group(1))].append(number)
    listed = len(x.capabilities)
    highlighted = sum(1 for c in x.capabilities.values() if c.highlight_number is not None)
    appendix = sum(1 for c in x.capabilities.values() if c.in_appendix_a)
    both = highlighted + appendix - listed
    if len(stated) > 1:
        x.findings.add(
            "stated-capability-counts",
            "warning",
            "The report states different numbers of capabilities: " + " and ".join(map(str, sorted(stated))),
            "; ".join(f"{count}: {_where(x, lines)}" for count, lines in sorted(stated.items())),
            _sections(x, [n for lines in stated.values() for n in lines]),
        )
    if stated and listed not in stated:
        x.findings.add(
            "capabilities-listed-vs-stated",
            "info",
            f"The report text lists {listed} capabilities; it states " + " / ".join(map(str, sorted(stated))),
            f"{highlighted} highlighted (Section 2.1.1), {appendix} in Appendix A, {both} in both, "
            f"{listed} distinct after merging statements equal up to punctuation and case. The remaining "
            "capabilities are only in the visualisation tool, not in this text.",
            f"Section 2.1.1; Appendix A ({x.appendix.table.label})",
        )


def unmatched_count(x: Extraction) -> None:
    line = x.report.find(re.compile(r"\b\d+ (?:are|were) not (?:currently )?well matched", re.IGNORECASE))
    if line is None:
        return
    text = x.report.line(line)
    stated = int(re.search(r"\b(\d+) (?:are|were) not", text).group(1))
    out_of = re.search(r"out of the (\d+)", text, re.IGNORECASE)
    rows = len(x.appendix.rows)
    agrees = stated == rows
    x.findings.add(
        "unmatched-count-vs-appendix-a",
        "info" if agrees else "warning",
        f"{x.report.section_at(line)} says {stated}"
        + (f" of {out_of.group(1)}" if out_of else "")
        + f" capabilities are not well matched; Appendix A lists {rows} rows",
        ("The stated number agrees with the rows of " if agrees else "The stated number differs from the rows of ")
        + f"{x.appendix.table.label}. The share is of the stated total, which the report also gives differently.",
        f"{_where(x, [line])}; Appendix A ({x.appendix.table.label})",
    )


def standards_considered(x: Extraction) -> None:
    line = x.report.find(
        re.compile(r"\b\d[\d,]* (?:apprenticeship |occupational )?standards considered", re.IGNORECASE)
    )
    if line is None:
        return
    count = re.search(
        r"\b(\d[\d,]*) (?:apprenticeship |occupational )?standards considered", x.report.line(line), re.IGNORECASE
    ).group(1)
    x.findings.add(
        "standards-considered",
        "info",
        f"The report's matching considered {count} apprenticeship standards",
        "A count from the report's own Skills England snapshot; the standards landed by this refresh come "
        "from a later API extract with every version, so counts and matches can differ.",
        _where(x, [line]),
    )


def appendix_key(x: Extraction) -> None:
    labels = Counter(normalise_text(label) for _, _, label in x.appendix.key)
    repeated = [(line, number, label) for line, number, label in x.appendix.key if labels[normalise_text(label)] > 1]
    used = {number: (partner, note) for number, _, partner, note in x.partner_mapping_used}
    if repeated:
        columns = ", ".join(f"{number} '{label}'" for _, number, label in repeated)
        resolved = "; ".join(
            f"column {number} read as '{partner}' by the reviewed mapping: {note}"
            for number, (partner, note) in sorted(used.items())
        )
        x.findings.add(
            "appendix-a-key-repeated-partner",
            "warning",
            f"The Appendix A key names the same partner for several columns ({columns}) where "
            f"{x.partners_table} names {len(x.partners)} different partners",
            resolved or None,
            f"Appendix A ({x.appendix.table.label}) key; {x.partners_table}",
        )
    else:
        for number, label, partner, note in x.partner_mapping_used:
            x.findings.add(
                f"appendix-a-key-mapped-{number}",
                "info",
                f"Appendix A column {number} '{label}' read as partner '{partner}' by the reviewed mapping",
                note or None,
                f"Appendix A ({x.appendix.table.label}) key; {x.partners_table}",
            )
    unused = [p.name for p in x.partners if p not in x.partner_by_column.values()]
    if unused:
        x.findings.add(
            "partners-without-appendix-column",
            "info",
            f"{len(unused)} partner(s) of {x.partners_table} have no Appendix A column",
            _quote(unused),
            f"Appendix A ({x.appendix.table.label}); {x.partners_table}",
        )


def off_topic_tags(x: Extraction) -> None:
    """Tags most of whose words occur nowhere in the cycle's own content (another sector's tags, say)."""
    if not x.tag_rows:
        return
    vocabulary = set()
    texts = [c.statement + " " + (c.reason_to_highlight or "") for c in x.capabilities.values()]
    texts += [t.name + " " + t.description for t in x.themes]
    texts += [f.name + " " + (f.description or "") for f in x.fops.values()]
    texts += [p.name + " " + (p.description or "") for p in x.partners]
    for text in texts:
        vocabulary.update(_content_words(text))
    off: list[tuple[str, int]] = []
    for row in x.tag_rows:
        words = _content_words(row["tag"])
        if words and sum(w not in vocabulary for w in words) * 2 > len(words):
            off.append((f"{row['tag']} ({row['tag_type']}, {row['frequency']})", row["frequency"]))
    if not off:
        return
    share = sum(f for _, f in off) / sum(r["frequency"] for r in x.tag_rows)
    tables = ", ".join(sorted(set(x.tag_tables.values()), key=lambda t: int(t.split()[-1])))
    x.findings.add(
        "tag-frequencies-off-topic",
        "warning" if len(off) * 5 >= len(x.tag_rows) else "info",
        f"{len(off)} of the {len(x.tag_rows)} most-frequent tags ({share:.0%} of their frequency) are foreign "
        "to this cycle's capabilities: they look like another sector's themes",
        _quote([t for t, _ in off], limit=20) + ". Rule: more than half of a tag's words (4+ letters) occur in "
        "none of the cycle's capability statements, reasons to highlight, themes, FOP or partner descriptions.",
        tables,
    )


def highlighted_checks(x: Extraction) -> None:
    missing = [h.number for h in x.highlighted if not h.has_provision_line]
    if missing and len(missing) < len(x.highlighted):
        x.findings.add(
            "highlighted-without-provision-line",
            "info",
            "Highlighted capabilities "
            + ", ".join(map(str, missing))
            + " lack the 'Supported by current provisions' line the others have",
            None,
            "; ".join(f"Section 2.1.1 Capability {n}" for n in missing),
        )
    both = [c for c in x.capabilities.values() if c.highlight_number is not None and c.in_appendix_a]
    if both:
        numbers = sorted(c.highlight_number for c in both)
        with_line = [n for n in numbers if next(h for h in x.highlighted if h.number == n).has_provision_line]
        x.findings.add(
            "highlighted-in-appendix-a",
            "info",
            f"Highlighted capabilities {', '.join(map(str, numbers))} are also listed in Appendix A "
            "(capabilities without identified provision)",
            (
                f"Capabilities {', '.join(map(str, with_line))} still carry a 'Supported by current provisions' "
                "line (its content is withheld in this copy)."
                if with_line
                else None
            ),
            f"Section 2.1.1; Appendix A ({x.appendix.table.label})",
        )
    for h in x.highlighted:
        if h.table is None:
            x.findings.add(
                f"capability-{h.number}-without-fop-table",
                "warning",
                f"Highlighted capability {h.number} has no FOP/proficiency table",
                None,
                f"Section 2.1.1 Capability {h.number}",
            )
            continue
        stated = re.search(r"capability (\d+)", h.table.caption, re.IGNORECASE)
        if stated and int(stated.group(1)) != h.number:
            x.findings.add(
                f"caption-capability-{h.number}",
                "warning",
                f"{h.table.label} follows capability {h.number} but its caption says capability {stated.group(1)}",
                h.table.caption,
                h.table.label,
            )
        if h.reason is None:
            x.findings.add(
                f"capability-{h.number}-without-reason",
                "warning",
                f"Highlighted capability {h.number} has no reason to highlight",
                None,
                f"Section 2.1.1 Capability {h.number}",
            )


def capability_texts(x: Extraction) -> None:
    variants = [c for c in x.capabilities.values() if len({t for _, t in c.texts}) > 1]
    if variants:
        x.findings.add(
            "capability-text-variants",
            "info",
            f"{len(variants)} capability statement(s) are written differently in two places (punctuation or "
            "case only); each is kept as one capability",
            " | ".join(" vs ".join(f"{where}: '{text}'" for where, text in c.texts) for c in variants),
            "; ".join(dict.fromkeys(s for c in variants for s in c.sources)),
        )
    repeated = [c for c in x.capabilities.values() if len(c.appendix_lines) > 1]
    if repeated:
        x.findings.add(
            "appendix-a-repeated-rows",
            "warning",
            f"{len(repeated)} statement(s) appear more than once in Appendix A; their ticks are combined",
            " | ".join(f"'{c.statement}' (lines {', '.join(map(str, c.appendix_lines))})" for c in repeated),
            f"Appendix A ({x.appendix.table.label})",
        )
    unterminated = [
        (where, text)
        for c in x.capabilities.values()
        for where, text in c.texts
        if not text.rstrip().endswith((".", "!", "?"))
    ]
    if unterminated:
        x.findings.add(
            "statements-without-full-stop",
            "info",
            f"{len(unterminated)} capability statement(s) end without a full stop (possibly truncated)",
            " | ".join(f"{where}: '{text}'" for where, text in unterminated),
            "; ".join(dict.fromkeys(where.split(" line ")[0] for where, _ in unterminated)),
        )


def similar_capabilities(x: Extraction) -> None:
    """Pairs of statements that read almost the same: flagged, never merged."""
    capabilities = list(x.capabilities.values())
    for i, a in enumerate(capabilities):
        for b in capabilities[i + 1 :]:
            prefix = a.key.startswith(b.key) or b.key.startswith(a.key)
            ratio = SequenceMatcher(None, a.key, b.key).ratio()
            if not (prefix or ratio >= 0.85):
                continue
            note = x.mappings.reviewed_distinct(a.statement, b.statement)
            same_reason = a.reason_to_highlight and a.reason_to_highlight == b.reason_to_highlight
            detail = f"'{a.statement}' ({'; '.join(a.sources)}) vs '{b.statement}' ({'; '.join(b.sources)})."
            if same_reason:
                detail += " Both have the same reason to highlight."
            detail += (
                f" Reviewed as distinct: {note}"
                if note
                else " Not reviewed: add a 'same' or 'distinct' row to raw/cycles/_mappings/capability_aliases.csv."
            )
            x.findings.add(
                f"similar-capabilities-{a.capability_id}-{b.capability_id}",
                "info" if note else "warning",
                (
                    "One capability statement extends the other"
                    if prefix
                    else f"Two capability statements are {ratio:.0%} alike"
                )
                + "; kept as separate capabilities",
                detail,
                "; ".join(dict.fromkeys(a.sources + b.sources)),
            )


def fop_checks(x: Extraction) -> None:
    if x.fop_aliases_used:
        x.findings.add(
            "fop-name-variants",
            "info",
            f"{len(x.fop_aliases_used)} FOP name(s) are written differently from the canonical name; resolved "
            "through the reviewed mapping",
            "; ".join(f"'{w}' ({t}, line {n}) -> '{c}'" for w, c, t, n in x.fop_aliases_used),
            ", ".join(dict.fromkeys(t for _, _, t, _ in x.fop_aliases_used)),
        )

    def singular(name: str) -> str:
        return " ".join(w.rstrip("s") for w in normalise_text(name).split())

    fops = list(x.fops.values())
    for i, a in enumerate(fops):
        for b in fops[i + 1 :]:
            alike = SequenceMatcher(None, normalise_text(a.name), normalise_text(b.name)).ratio() >= 0.9
            if singular(a.name) == singular(b.name) or alike:
                x.findings.add(
                    f"possible-fop-variant-{a.fop_id}-{b.fop_id}",
                    "warning",
                    f"FOP names '{a.name}' and '{b.name}' may be one FOP; kept apart (not in the reviewed mapping)",
                    f"{a.name}: {', '.join(a.tables)}; {b.name}: {', '.join(b.tables)}. Add a row "
                    "to raw/cycles/_mappings/fop_name_aliases.csv if they are the same.",
                    ", ".join(dict.fromkeys(a.tables + b.tables)),
                )
    used = {row["fop_id"] for row in x.proficiency_rows}
    idle = [f.name for f in fops if f.is_priority and f.fop_id not in used]
    if idle:
        x.findings.add(
            "priority-fops-without-proficiency",
            "info",
            f"{len(idle)} priority FOP(s) appear in none of the highlighted capabilities' FOP tables",
            _quote(idle) + ". Their capabilities are only in the visualisation tool.",
            x.priority_table,
        )
    no_description = [f.name for f in fops if f.is_priority and not f.description]
    if no_description:
        x.findings.add(
            "priority-fops-without-description",
            "warning",
            f"{len(no_description)} priority FOP(s) have no description",
            _quote(no_description),
            x.priority_table,
        )
    for name, table, first, again in x.duplicate_proficiency:
        x.findings.add(
            f"repeated-proficiency-{table.split()[-1]}-line-{again}",
            "warning",
            f"{table} lists FOP '{name}' twice; the first row (line {first}) is kept",
            None,
            table,
        )


def theme_checks(x: Extraction) -> None:
    if x.themes_stated is not None and x.themes_stated != len(x.themes):
        x.findings.add(
            "theme-count",
            "warning",
            f"The report states {x.themes_stated} themes but lists {len(x.themes)}",
            None,
            _where(x, [x.themes_stated_line]),
        )
    numbers = [t.number for t in x.themes]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        x.findings.add(
            "theme-numbering",
            "warning",
            "The theme list is not numbered 1..n",
            ", ".join(map(str, numbers)),
            _sections(x, [t.line for t in x.themes]),
        )
    if x.themes:
        x.findings.add(
            "no-capability-theme-links",
            "info",
            f"The report lists {len(x.themes)} themes but links no capability to a theme",
            "Capability-theme links in the cube are derived (matching), not taken from the report.",
            _sections(x, [t.line for t in x.themes]) + " theme list",
        )
    elif x.themes_stated is None:
        x.findings.add("no-themes", "warning", "No numbered theme list found", None, "Section 2.1")


def participant_checks(x: Extraction) -> None:
    if x.participants_table is None:
        x.findings.add("no-participants-table", "warning", "No participants table found", None, "front matter")
        return
    counts = Counter((category, organisation) for _, category, organisation in x.participants)
    repeated = [f"'{o}' ({c}, {n} times)" for (c, o), n in counts.items() if n > 1]
    if repeated:
        x.findings.add(
            "participants-repeated",
            "info",
            f"{len(repeated)} organisation(s) are listed more than once in the same column of {x.participants_table}",
            "; ".join(repeated) + ". Every listed row is kept.",
            x.participants_table,
        )
    names = sorted({o for _, _, o in x.participants})
    pairs = []
    for a in names:
        for b in names:
            short = re.fullmatch(r"(.+?)\s*\(([^)]+)\)", b)
            if (
                a != b
                and short
                and normalise_text(a) in (normalise_text(short.group(1)), normalise_text(short.group(2)))
            ):
                pairs.append(f"'{a}' / '{b}'")
    if pairs:
        x.findings.add(
            "participant-name-variants",
            "info",
            f"{len(pairs)} organisation(s) of {x.participants_table} are written in two ways",
            "; ".join(pairs) + ". Kept as written.",
            x.participants_table,
        )


def document_checks(x: Extraction) -> None:
    report, m = x.report, x.metadata
    by_parent: dict[str, list[int]] = defaultdict(list)
    for heading in report.headings:
        if "." in heading.number:
            parent, _, last = heading.number.rpartition(".")
            if int(last) not in by_parent[parent]:
                by_parent[parent].append(int(last))
    gaps = [
        f"{parent}.{n}" for parent, present in by_parent.items() for n in range(1, max(present) + 1) if n not in present
    ]
    if gaps:
        x.findings.add(
            "section-numbering-gaps",
            "info",
            "Section numbering skips " + ", ".join(gaps),
            None,
            "; ".join(
                h.label
                for h in report.headings
                if "." in h.number and h.number.rpartition(".")[0] in {g.rpartition(".")[0] for g in gaps}
            ),
        )
    known = {h.number for h in report.headings}
    for number, text in enumerate(report.lines, start=1):
        for match in re.finditer(r"\bSection (\d+(?:\.\d+)*)\b", text):
            if match.group(1) not in known:
                x.findings.add(
                    f"missing-section-{match.group(1)}",
                    "info",
                    f"The text refers to Section {match.group(1)}, which the report does not have",
                    text.strip()[:300],
                    _where(x, [number]),
                )
    listed = report.listed_captions()
    body = {number: caption for _, number, caption in report.captions()}
    differing = [
        n
        for n in sorted(set(listed) | set(body))
        if normalise_text(listed.get(n, "")) != normalise_text(body.get(n, ""))
    ]
    if listed and differing:
        x.findings.add(
            "table-list-mismatch",
            "info",
            "The 'Figures and Tables' list and the table captions differ for table(s) "
            + ", ".join(map(str, differing)),
            "; ".join(
                f"Table {n}: listed as '{listed.get(n, '(not listed)')}', captioned '{body.get(n, '(no caption)')}'"
                for n in differing
            ),
            "Figures and Tables",
        )
    names = {normalise_text(m.sponsor or "")}
    variants = [(line, sponsor) for line, sponsor, _ in m.sponsor_mentions if normalise_text(sponsor) not in names]
    if m.sponsor and variants:
        x.findings.add(
            "sponsor-name-variants",
            "info",
            "The sponsor is named differently in the text than on the cover",
            f"cover: '{m.sponsor}'; " + "; ".join(f"line {n}: '{s}'" for n, s in variants),
            "Cover; " + _sections(x, [n for n, _ in variants]),
        )
    centres = [
        (line, centre)
        for line, _, centre in m.sponsor_mentions
        if m.centre_of_innovation and normalise_text(centre) != normalise_text(m.centre_of_innovation)
    ]
    if centres:
        x.findings.add(
            "centre-name-variants",
            "info",
            "The centre of innovation is named differently in the text than on the cover",
            f"cover: '{m.centre_of_innovation}'; " + "; ".join(f"line {n}: '{c}'" for n, c in centres),
            "Cover; " + _sections(x, [n for n, _ in centres]),
        )
    if m.summary_title and m.title and normalise_text(m.summary_title) != normalise_text(m.title):
        x.findings.add(
            "title-variants",
            "info",
            "The executive summary gives a different title than the cover",
            f"cover: '{m.title}'; summary: '{m.summary_title}'",
            "Cover; Executive Summary",
        )
    if m.workshop_start is None:
        x.findings.add(
            "no-workshop-period",
            "warning",
            "No workshop period ('between <month> <year> and <month> <year>') found",
            None,
            "Acknowledgements",
        )
    if m.report_date is None:
        x.findings.add(
            "no-report-date",
            "info",
            "The report states no publication date",
            "report_date is left empty; the workshop period is known"
            + (f" ({m.workshop_start:%B %Y} to {m.workshop_end:%B %Y})" if m.workshop_start else ""),
            "Cover",
        )
    for tag_type in ("knowledge", "skill"):
        if tag_type not in x.tag_tables:
            x.findings.add(
                f"no-{tag_type}-tag-table",
                "warning",
                f"No most-frequent {tag_type} tags table found",
                None,
                "Section 2.3",
            )
    if not x.role_levels:
        x.findings.add("no-role-levels", "warning", "No role levels list found", None, "Section 2.2")


CHECKS = (
    stated_capability_counts,
    unmatched_count,
    standards_considered,
    appendix_key,
    off_topic_tags,
    highlighted_checks,
    capability_texts,
    similar_capabilities,
    fop_checks,
    theme_checks,
    participant_checks,
    document_checks,
)


def check_report(x: Extraction) -> None:
    """Run every check; each adds zero or more findings to ``x.findings``."""
    for check in CHECKS:
        check(x)
