"""Read each part of a foresighting report (template of the Workforce Foresighting Hub) as written.

Each function returns the report's content with line numbers and table labels for provenance; no
names are normalised here (that is ``wfh.cycles.extract`` with the reviewed mappings).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from wfh.cycles.report_text import FOOTNOTE, SUBHEADING, ReportText, Row, Table, strip_markup

CAPABILITY_HEAD = re.compile(r"^Capability (\d+)\s*:\s*(.*)$")
REASON_HEAD = re.compile(r"^Reason to Highlight\s*:\s*(.*)$", re.IGNORECASE)
FOPS_HEAD = re.compile(r"^Associated FOPs?\s*:", re.IGNORECASE)
PROVISION_LINE = re.compile(r"^Supported by current provisions?\s*:", re.IGNORECASE)
NUMBERED_ITEM = re.compile(r"^(\d+)\.(?!\d)\s+(\S.*)$")
TICKS = {"✓", "✔", "☑"}


def _is_fop_header(cells: list[str], second: str) -> bool:
    """'FOP', 'FOP title' or 'FOP Name' followed by a column starting with ``second``."""
    return (
        len(cells) >= 2
        and bool(re.fullmatch(r"FOP(\s+\w+)?", cells[0], re.IGNORECASE))
        and cells[1].casefold().startswith(second)
    )


def _is_fop_proficiency_header(cells: list[str]) -> bool:
    return _is_fop_header(cells, "proficiency")


def _is_fop_description_header(cells: list[str]) -> bool:
    return _is_fop_header(cells, "description")


def _is_appendix_a_header(cells: list[str]) -> bool:
    """'Capability statement' followed by numbered partner columns."""
    return (
        len(cells) >= 2
        and cells[0].casefold().startswith("capability")
        and all(re.fullmatch(r"\d+", c) for c in cells[1:] if c)
    )


def _merge_continuations(rows: list[Row]) -> list[Row]:
    """Join a row whose first cell is empty (a cell wrapped over a page break) onto the row above."""
    merged: list[Row] = []
    for row in rows:
        if merged and row.cells and row.cells[0] == "" and any(row.cells[1:]):
            previous = merged[-1]
            cells = list(previous.cells) + [""] * max(0, len(row.cells) - len(previous.cells))
            for index, text in enumerate(row.cells[1:], start=1):
                if text:
                    cells[index] = f"{cells[index]} {text}".strip()
            merged[-1] = Row(previous.line, cells)
        else:
            merged.append(row)
    return merged


# --- cycle metadata -----------------------------------------------------------------------------


@dataclass
class Metadata:
    title: str | None
    title_line: int | None
    summary_title: str | None  # as repeated in the executive summary ("... on the title: X.")
    sponsor: str | None
    centre_of_innovation: str | None
    workshop_start: dt.date | None
    workshop_end: dt.date | None
    workshop_line: int | None
    report_date: dt.date | None
    sponsor_mentions: list[tuple[int, str, str]] = field(default_factory=list)  # (line, sponsor, centre)


_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}


def _month(name: str, year: str, last_day: bool) -> dt.date | None:
    month = _MONTHS.get(name.casefold())
    if not month:
        return None
    day = calendar.monthrange(int(year), month)[1] if last_day else 1
    return dt.date(int(year), month, day)


def _parse_date(text: str) -> dt.date | None:
    text = text.strip().rstrip(".")
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    if match := re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", text):
        return _month(match.group(1), match.group(2), last_day=False)
    return None


def parse_metadata(report: ReportText) -> Metadata:
    """Title, sponsor, centre of innovation, workshop period and report date as the report states them."""
    labelled: dict[str, tuple[int, str]] = {}
    for number, text in enumerate(report.lines, start=1):
        if match := re.match(r"^(Cycle Sponsor|Centre of Innovation)\s*:\s*(\S.*?)\s*$", text, re.IGNORECASE):
            labelled.setdefault(match.group(1).casefold(), (number, match.group(2)))
    sponsor_line = labelled.get("cycle sponsor", (None, None))[0]

    title, title_line = None, None
    if sponsor_line:
        cover = [
            (n, t.strip())
            for n, t in enumerate(report.lines[: sponsor_line - 1], start=1)
            if t.strip() and "\t" not in t and not t.strip().endswith(":")
        ]
        if cover:
            title_line, title = max(cover, key=lambda item: len(item[1]))
    summary_title = None
    if match := re.search(r"on the title:\s*(.+?)\.(?:\s|$)", "\n".join(report.lines)):
        summary_title = match.group(1).strip()
    if title is None and summary_title:
        title = summary_title

    start = end = None
    workshop_line = report.find(
        re.compile(r"workshops?\b.*\bbetween\s+[A-Z][a-z]+\s+\d{4}\s+and\s+[A-Z][a-z]+\s+\d{4}")
    )
    if workshop_line:
        match = re.search(
            r"between\s+([A-Z][a-z]+)\s+(\d{4})\s+and\s+([A-Z][a-z]+)\s+(\d{4})", report.line(workshop_line)
        )
        start = _month(match.group(1), match.group(2), last_day=False)
        end = _month(match.group(3), match.group(4), last_day=True)

    report_date = None
    date_line = report.find(
        re.compile(r"^(Report date|Publication date|Date of publication|Published|Date)\s*:", re.IGNORECASE)
    )
    if date_line:
        report_date = _parse_date(report.line(date_line).split(":", 1)[1])

    mentions = []
    for number, text in enumerate(report.lines, start=1):
        for match in re.finditer(
            r"sponsored by\s+(.+?)\s+and\s+(?:the\s+)?study conducted by\s+(.+?)"
            r"(?:,|\s+in collaboration|\.\s|\.$)",
            text,
        ):
            mentions.append((number, match.group(1).strip(), match.group(2).strip()))

    return Metadata(
        title=title,
        title_line=title_line,
        summary_title=summary_title,
        sponsor=labelled.get("cycle sponsor", (None, None))[1],
        centre_of_innovation=labelled.get("centre of innovation", (None, None))[1],
        workshop_start=start,
        workshop_end=end,
        workshop_line=workshop_line,
        report_date=report_date,
        sponsor_mentions=mentions,
    )


# --- themes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    number: int
    name: str
    description: str
    line: int


def parse_themes(report: ReportText) -> tuple[list[Theme], int | None, int | None]:
    """The numbered list of themes with bold names, the number of themes stated, and its line."""
    stated_line = report.find(re.compile(r"\b(\d+) themes\b"))
    if stated_line is None:
        return [], None, None
    stated = int(re.search(r"\b(\d+) themes\b", report.line(stated_line)).group(1))
    themes: list[Theme] = []
    for number, text in report.paragraphs(stated_line + 1, len(report.lines)):
        match = re.match(r"^(\d+)\.\s+\*\*(.+?)\*\*\s*:?\s*(.*)$", text)
        if match:
            name = match.group(2).strip().rstrip(":").strip()
            themes.append(Theme(int(match.group(1)), name, strip_markup(match.group(3)), number))
        elif themes or SUBHEADING.match(text):
            break
    return themes, stated, stated_line


# --- highlighted capabilities ----------------------------------------------------------------------


@dataclass
class Highlighted:
    number: int
    statement: str
    reason: str | None
    line: int
    section: str
    table: Table | None
    has_provision_line: bool


def _joined(report: ReportText, start: int, end: int, inline: str = "") -> str:
    parts = [inline.strip()] if inline.strip() else []
    parts += [text for _, text in report.paragraphs(start, end)]
    return " ".join(parts).strip()


def parse_highlighted(report: ReportText) -> list[Highlighted]:
    """Each "Capability N:" block: statement, reason to highlight and its FOP/proficiency table."""
    heads = [(n, CAPABILITY_HEAD.match(t)) for n, t in enumerate(report.lines, start=1)]
    heads = [(n, m) for n, m in heads if m]
    stops = sorted({n for n, _ in heads} | {h.line for h in report.headings})
    found = []
    for line, match in heads:
        end = next((s for s in stops if s > line), len(report.lines) + 1) - 1
        reason_line = report.find(REASON_HEAD, line + 1, end)
        fops_line = report.find(FOPS_HEAD, line + 1, end)
        caption = next(((n, c) for n, _, c in report.captions() if line < n <= end), None)
        provision_line = report.find(PROVISION_LINE, line + 1, end)
        statement_end = (reason_line or fops_line or (caption[0] if caption else end + 1)) - 1
        statement = _joined(report, line + 1, statement_end, match.group(2))
        if not statement:
            raise report.error(f"capability {match.group(1)} has no statement", line, report.line(line))
        reason = None
        if reason_line:
            reason_end = (fops_line or (caption[0] if caption else end + 1)) - 1
            inline = REASON_HEAD.match(report.line(reason_line)).group(1)
            reason = _joined(report, reason_line + 1, reason_end, inline) or None
        table = report.table_above(caption[0], _is_fop_proficiency_header) if caption else None
        found.append(
            Highlighted(
                int(match.group(1)), statement, reason, line, report.section_at(line), table, provision_line is not None
            )
        )
    return found


def proficiency_rows(report: ReportText, table: Table) -> list[tuple[int, str, int]]:
    """(line, FOP name as written, proficiency) of one FOP/proficiency table."""
    rows = []
    for row in table.rows:
        cells = row.cells
        if len(cells) < 2 or not cells[0] or any(cells[2:]):
            raise report.error(f"{table.label}: expected 'FOP<TAB>proficiency'", row.line, "\t".join(cells))
        if not re.fullmatch(r"\d+", cells[1]):
            raise report.error(
                f"{table.label}: proficiency is not a whole number", row.line, cells[1], field="proficiency"
            )
        rows.append((row.line, cells[0], int(cells[1])))
    return rows


# --- tables found by caption -------------------------------------------------------------------


def find_table(report: ReportText, caption_pattern: str, is_header=None, required: bool = True) -> Table | None:
    hit = report.caption_matching(caption_pattern)
    if hit is None:
        if required:
            raise report.error(f"no table captioned like {caption_pattern!r}")
        return None
    return report.table_above(hit[0], is_header)


@dataclass(frozen=True)
class NamedRow:
    line: int
    name: str
    description: str | None


def parse_named_table(report: ReportText, table: Table) -> list[NamedRow]:
    """A two-column name/description table, wrapped cells joined across page breaks."""
    out = []
    for row in _merge_continuations(table.rows):
        if not row.cells[0]:
            raise report.error(f"{table.label}: row without a name", row.line, "\t".join(row.cells))
        description = " ".join(c for c in row.cells[1:] if c) or None
        out.append(NamedRow(row.line, row.cells[0], description))
    return out


def priority_fops_table(report: ReportText) -> Table:
    return find_table(report, r"\bpriority FOPs?\b", _is_fop_description_header)


def partners_table(report: ReportText) -> Table:
    return find_table(report, r"supply chain partner")


# --- Appendix A ---------------------------------------------------------------------------------


@dataclass
class AppendixA:
    table: Table
    columns: list[int]  # partner column numbers from the header
    key: list[tuple[int, int, str]]  # (line, number, label) of the "Table Key"
    rows: list[tuple[int, str, list[int]]]  # (line, statement, ticked column numbers)


def parse_appendix_a(report: ReportText) -> AppendixA:
    """Capabilities without identified provision, with a tick per supply-chain partner column."""
    table = find_table(report, r"without identified provision", _is_appendix_a_header)
    columns = [int(c) for c in table.header[1:] if c]
    first_row = min([r.line for r in table.rows], default=table.caption_line)
    key_line = None
    for number in range(first_row - 1, 0, -1):
        if re.match(r"^Table Key\b", report.line(number), re.IGNORECASE):
            key_line = number
            break
        if report.line(number).startswith(("Appendix", "Table ")) and "\t" not in report.line(number):
            break
    if key_line is None:
        raise report.error(f"{table.label}: no 'Table Key' of partner columns above the table", first_row)
    key = []
    for number, text in report.paragraphs(key_line + 1, first_row - 1):
        match = NUMBERED_ITEM.match(text)
        if match:
            key.append((number, int(match.group(1)), match.group(2).strip()))
        elif key:
            break
    if sorted(n for _, n, _ in key) != sorted(columns):
        raise report.error(
            f"{table.label}: key numbers {[n for _, n, _ in key]} differ from the columns {columns}",
            key_line,
            report.line(key_line),
        )
    rows = []
    for row in table.rows:
        cells = row.cells + [""] * (1 + len(columns) - len(row.cells))
        if any(cells[1 + len(columns) :]) or not cells[0]:
            raise report.error(
                f"{table.label}: expected a statement and {len(columns)} tick columns", row.line, "\t".join(row.cells)
            )
        ticked = []
        for number, cell in zip(columns, cells[1 : 1 + len(columns)], strict=False):
            if cell in TICKS:
                ticked.append(number)
            elif cell:
                raise report.error(
                    f"{table.label}: a partner column holds neither a tick nor nothing",
                    row.line,
                    cell,
                    field=f"column {number}",
                )
        rows.append((row.line, cells[0], ticked))
    return AppendixA(table, columns, key, rows)


# --- role levels, tags, participants ----------------------------------------------------------


def parse_role_levels(report: ReportText) -> list[tuple[int, int, str, str]]:
    """(line, number, name, description) of the numbered role levels."""
    intro = report.find(re.compile(r"^Role Levels?\b.*\b(selected|are)\b.*:\s*$", re.IGNORECASE))
    if intro is None:
        return []
    levels: list[list] = []
    previous_blank = True
    for number in range(intro + 1, len(report.lines) + 1):
        text = strip_markup(report.line(number).strip())
        if not text:
            previous_blank = True
            continue
        item = re.match(r"^[-•*]?\s*(\d+)\.(?!\d)\s*(\S.*)$", text)
        if FOOTNOTE.match(text) or SUBHEADING.match(text) or (not item and not levels):
            break
        if item:
            levels.append([number, int(item.group(1)), item.group(2).strip(), ""])
        elif not levels[-1][3]:
            levels[-1][3] = text
        elif not previous_blank:
            levels[-1][3] += " " + text
        else:
            break
        previous_blank = False
    return [tuple(level) for level in levels]


def parse_tag_table(report: ReportText, caption_pattern: str) -> tuple[Table | None, list[tuple[int, str, int]]]:
    """(line, tag, frequency) rows of a tag-frequency table, in the report's order."""
    table = find_table(report, caption_pattern, required=False)
    if table is None:
        return None, []
    rows = []
    for row in table.rows:
        if len(row.cells) < 2 or not row.cells[0] or not re.fullmatch(r"\d+", row.cells[1]):
            raise report.error(f"{table.label}: expected 'tag<TAB>frequency'", row.line, "\t".join(row.cells))
        rows.append((row.line, row.cells[0], int(row.cells[1])))
    return table, rows


def participant_category(header_cell: str) -> str:
    """'Technology Participants' -> 'technology'."""
    words = [w for w in header_cell.split() if w.casefold() not in ("participants", "participant")]
    return " ".join(words).casefold() or header_cell.casefold()


def parse_participants(report: ReportText) -> tuple[Table | None, list[tuple[int, str, str]]]:
    """(line, category, organisation) for every filled cell of the participants grid."""
    table = find_table(report, r"participant", required=False)
    if table is None:
        return None, []
    categories = [participant_category(c) for c in table.header]
    out = []
    for row in table.rows:
        if len(row.cells) > len(categories) and any(row.cells[len(categories) :]):
            raise report.error(f"{table.label}: more cells than categories", row.line, "\t".join(row.cells))
        for category, cell in zip(categories, row.cells, strict=False):
            if cell:
                out.append((row.line, category, cell))
    return table, out


# --- glossary ---------------------------------------------------------------------------------


def parse_glossary(report: ReportText) -> tuple[Table | None, list[tuple[int, str, str]]]:
    """(line, term, definition) rows of the report's glossary table ("Table 2: Glossary"); none when
    the report has no table captioned "Glossary"."""
    table = find_table(report, r"\bglossary\b", required=False)
    if table is None:
        return None, []
    out = []
    for row in parse_named_table(report, table):
        if row.description:
            out.append((row.line, row.name, row.description))
    return table, out
