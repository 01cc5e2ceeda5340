"""One error type for bad input, so every failure names where it happened."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: names the source, file, row or field, and the problem in one line."""

    def __init__(self, problem: str, *, source: str | None = None, file: str | None = None,
                 row: int | None = None, field: str | None = None, value: object = None):
        self.problem, self.source, self.file = problem, source, file
        self.row, self.field, self.value = row, field, value
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = []
        if self.source:
            where.append(f"source {self.source}")
        if self.file:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return (", ".join(where) + ": " if where else "") + self.problem


class QualityGateError(Exception):
    """A critical data-quality expectation failed; the live warehouse was not touched."""
