"""The layout of a foresighting report's text export: lines, headings, captioned tables.

Conventions of the template (not of one report):
- a table is a run of tab-separated lines followed by a caption line ``Table N: caption``;
- a table split across pages repeats its header line, and a footnote may sit between the parts;
- a cell that wraps across a page break continues on a line whose first cell is empty;
- the "Figures and Tables" list repeats every caption with a tab and a page number: those lines
  are not table rows and not captions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wfh.errors import InputError

CAPTION = re.compile(r"^(Table|Figure) (\d+):\s*(\S.*?)\s*$")
SUBHEADING = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+([A-Z].*?)\s*$")
TOP_HEADING = re.compile(r"^(\d+)\.\s+([A-Z][^.]*?)\s*$")
APPENDIX_HEADING = re.compile(r"^Appendix ([A-Z])\s*[-–:]\s*(\S.*?)\s*$")
FOOTNOTE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+\s")
TOC_CAPTION = re.compile(r"^(Table|Figure) (\d+):\s*(\S.*?)\t+\s*(\d+)\s*$")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line number in the report text
    cells: list[str]


@dataclass(frozen=True)
class Table:
    number: int
    caption: str
    caption_line: int
    header: list[str]
    rows: list[Row]
    parts: int  # how many page parts (header occurrences) the table has

    @property
    def label(self) -> str:
        return f"Table {self.number}"


@dataclass(frozen=True)
class Heading:
    line: int
    number: str  # '2.1.1', '4' or 'A'
    title: str

    @property
    def label(self) -> str:
        return f"Appendix {self.number}" if self.number.isalpha() else f"Section {self.number}"


class ReportText:
    """A report's lines with helpers to find headings, captions and the table above a caption."""

    def __init__(self, text: str, path: Path):
        self.path = path
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.headings = self._headings()

    @classmethod
    def read(cls, path: Path) -> ReportText:
        path = Path(path)
        if not path.exists():
            raise InputError("report file does not exist", source="cycles", file=str(path))
        return cls(path.read_text(encoding="utf-8"), path)

    def error(self, problem: str, line: int | None = None, value=None, field: str | None = None) -> InputError:
        return InputError(problem, source="cycles", file=str(self.path), row=line, field=field, value=value)

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    # --- structure ----------------------------------------------------------------------------

    def _headings(self) -> list[Heading]:
        """Numbered sub-headings ('2.1.1 ...'), 'Appendix X - ...' headings, and top-level headings
        ('2. Findings ...') when the table of contents lists them (numbered list items are not headings)."""
        contents = {" ".join(t.split("\t")[0].split()).casefold() for t in self.lines if re.search(r"\t\s*\d+\s*$", t)}
        found = []
        for number, text in enumerate(self.lines, start=1):
            if "\t" in text or len(text) > 120:
                continue
            if (
                (match := SUBHEADING.match(text))
                or (match := APPENDIX_HEADING.match(text))
                or (match := TOP_HEADING.match(text))
                and " ".join(text.split()).casefold() in contents
            ):
                found.append(Heading(number, match.group(1), match.group(2)))
        return found

    def section_at(self, line: int) -> str:
        """'Section 2.2.2' / 'Appendix A' of the nearest heading above a line ('front matter' if none)."""
        above = [h for h in self.headings if h.line <= line]
        return above[-1].label if above else "front matter"

    def find(self, pattern: str | re.Pattern, start: int = 1, end: int | None = None) -> int | None:
        """Line number of the first line from ``start`` matching ``pattern`` (searched), or None."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        for number in range(start, (end or len(self.lines)) + 1):
            if regex.search(self.lines[number - 1]):
                return number
        return None

    def captions(self, kind: str = "Table") -> list[tuple[int, int, str]]:
        """(line, number, caption) of every body caption; list-of-tables lines (with a tab) excluded."""
        out = []
        for number, text in enumerate(self.lines, start=1):
            if "\t" not in text and (match := CAPTION.match(text)) and match.group(1) == kind:
                out.append((number, int(match.group(2)), match.group(3)))
        return out

    def listed_captions(self, kind: str = "Table") -> dict[int, str]:
        """Captions as listed in "Figures and Tables" (number -> caption)."""
        out = {}
        for text in self.lines:
            if (match := TOC_CAPTION.match(text)) and match.group(1) == kind:
                out[int(match.group(2))] = match.group(3)
        return out

    def caption_matching(self, pattern: str, start: int = 1, end: int | None = None) -> tuple[int, int, str] | None:
        regex = re.compile(pattern, re.IGNORECASE)
        for line, number, caption in self.captions():
            if line >= start and (end is None or line <= end) and regex.search(caption):
                return line, number, caption
        return None

    def table_above(self, caption_line: int, is_header: Callable[[list[str]], bool] | None = None) -> Table:
        """The table whose caption is on ``caption_line``: the tab-separated lines above it.

        Walks up over blank lines, tab lines and footnotes that sit between two parts of the table,
        and stops at the first other line. Header lines repeated at page breaks are dropped.
        """
        match = CAPTION.match(self.line(caption_line))
        if not match:
            raise self.error("not a table caption", caption_line, self.line(caption_line))
        taken: list[int] = []
        number = caption_line - 1
        while number >= 1:
            text = self.lines[number - 1]
            if not text.strip():
                number -= 1
            elif "\t" in text:
                taken.append(number)
                number -= 1
            elif FOOTNOTE.match(text) and self._tab_line_above(number):
                number -= 1
            else:
                break
        if not taken:
            raise self.error("caption has no table rows above it", caption_line, match.group(3))
        taken.reverse()
        header = self._cells(taken[0])

        def same_as_first(cells: list[str]) -> bool:
            return [c.casefold() for c in cells] == [c.casefold() for c in header]

        header_test = is_header or same_as_first
        if not header_test(header):
            raise self.error(
                f"unexpected table header for {match.group(1)} {match.group(2)}", taken[0], "\t".join(header)
            )
        rows, parts = [], 1
        for line in taken[1:]:
            cells = self._cells(line)
            if header_test(cells):
                parts += 1
                continue
            rows.append(Row(line, cells))
        return Table(int(match.group(2)), match.group(3), caption_line, header, rows, parts)

    def _tab_line_above(self, number: int) -> bool:
        for above in range(number - 1, 0, -1):
            text = self.lines[above - 1]
            if text.strip():
                return "\t" in text
        return False

    def _cells(self, line: int) -> list[str]:
        """The tab-separated cells of a line, each with whitespace collapsed (empty cells kept)."""
        return [" ".join(c.split()) for c in self.line(line).split("\t")]

    def paragraphs(self, start: int, end: int) -> list[tuple[int, str]]:
        """(first line, text) of each non-blank line in [start, end], whitespace collapsed."""
        out = []
        for number in range(start, end + 1):
            text = " ".join(self.lines[number - 1].split())
            if text:
                out.append((number, text))
        return out


def strip_markup(text: str) -> str:
    """Remove markdown bold/italic markers and link syntax left in the text export."""
    text = re.sub(r"\[([^\]]*)\]\(#?[^)]*\)", r"\1", text)
    return " ".join(text.replace("**", "").replace("__", "").split())
