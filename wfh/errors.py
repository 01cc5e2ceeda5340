"""The expected failures: each one is reported by the command line as one line, never a traceback.

``wfh <command>: <where>: <why>`` (see ``wfh.cli.main``); ``--debug`` shows the traceback. Anything that
is not one of these is a bug and says so.
"""

from __future__ import annotations


class WfhError(Exception):
    """An expected failure: it names where it happened and why, in one line."""


class InputError(WfhError):
    """Bad input: names the source, file, row or field, and the problem in one line."""

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
    ):
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
            value = (
                self.value if not isinstance(self.value, str) or len(self.value) <= 120 else self.value[:117] + "..."
            )
            where.append(f"value {value!r}")
        return (", ".join(where) + ": " if where else "") + self.problem


class QualityGateError(WfhError):
    """A critical data-quality expectation failed; the live warehouse was not touched."""


class RefreshBusy(WfhError):
    """Another refresh holds the warehouse lock."""


class BuildError(WfhError):
    """The build could not be written (disk full, no permission); the live warehouse is untouched."""
