"""Shared reading and checking helpers for the source parsers.

Every helper raises :class:`wfh.errors.InputError` naming the source, the file, the row or field and the
problem, so a bad input fails with one clear line. Row numbers count data rows from 1 (the header
is not counted); for byte-level problems (encoding, malformed JSON) they are physical line numbers.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from wfh.errors import InputError

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")


def snake_case(name: str) -> str:
    """``conceptUri`` -> ``concept_uri``, ``O*NET-SOC Code`` -> ``onet_soc_code``,
    ``Source(s)`` -> ``sources``."""
    name = name.replace("O*NET", "onet").replace("(s)", "s")
    name = _CAMEL_BOUNDARY.sub("_", name)
    return _NON_WORD.sub("_", name).strip("_").lower()


def read_bytes(path: Path, *, source: str) -> bytes:
    """The file's bytes, gunzipped when the name ends in ``.gz`` (a truncated gzip is an InputError)."""
    if not path.is_file():
        raise InputError("file is missing", source=source, file=str(path))
    data = path.read_bytes()
    if path.suffix != ".gz":
        return data
    try:
        return gzip.decompress(data)
    except EOFError as exc:
        raise InputError(f"truncated gzip ({exc})", source=source, file=path.name) from exc
    except (OSError, zlib.error) as exc:
        raise InputError(f"not a valid gzip file ({exc})", source=source, file=path.name) from exc


def line_of(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def check_utf8(data: bytes, *, source: str, file: str, encoding: str = "utf-8") -> str:
    """Decode the bytes, naming the line of the first byte that is not valid in ``encoding``."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = line_of(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"not valid {encoding.upper()}: byte 0x{bad} at line {line}, column {column} (wrong encoding?)",
            source=source,
            file=file,
            row=line,
        ) from exc


def _first_ragged_row(text: str, separator: str, quote: bool, width: int) -> int | None:
    reader = csv.reader(io.StringIO(text), delimiter=separator, quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
    next(reader, None)
    for number, record in enumerate(reader, start=1):
        if len(record) > width:
            return number
    return None


def read_table(
    path: Path,
    *,
    source: str,
    columns: Sequence[str],
    separator: str = ",",
    quote: bool = True,
    null_values: Sequence[str] | None = None,
    name: str | None = None,
) -> pl.DataFrame:
    """Read a delimited text file as all-string columns, checking the header is exactly ``columns``.

    Short rows (missing trailing fields) are kept with nulls; a row with too many fields, a missing or
    renamed column, a wrong encoding or a truncated gzip is an InputError.
    """
    file = name or path.name
    data = read_bytes(path, source=source)
    text = check_utf8(data, source=source, file=file)
    if not text.strip():
        raise InputError("file is empty", source=source, file=file)
    header = next(
        csv.reader(
            io.StringIO(text.split("\n", 1)[0].rstrip("\r")),
            delimiter=separator,
            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        )
    )
    check_columns(header, columns, source=source, file=file)
    try:
        frame = pl.read_csv(
            data,
            infer_schema=False,
            separator=separator,
            quote_char='"' if quote else None,
            null_values=list(null_values or []),
        )
    except pl.exceptions.PolarsError as exc:
        row = _first_ragged_row(text, separator, quote, len(columns))
        problem = "a row has more fields than the header" if row else f"cannot parse ({exc})"
        raise InputError(problem, source=source, file=file, row=row) from exc
    return frame


def check_columns(found: Sequence[str], expected: Sequence[str], *, source: str, file: str) -> None:
    """The header must hold every expected column (an extra column is also reported)."""
    found = [c.strip() for c in found]
    missing = [c for c in expected if c not in found]
    if missing:
        extra = [c for c in found if c not in expected]
        hint = f" (unexpected column(s): {', '.join(extra)})" if extra else ""
        raise InputError(
            f"missing column(s) {', '.join(missing)}{hint}; header is {list(found)}",
            source=source,
            file=file,
            field=missing[0],
        )
    extra = [c for c in found if c not in expected]
    if extra:
        raise InputError(f"unexpected column(s) {', '.join(extra)}", source=source, file=file, field=extra[0])


def rename_snake(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: snake_case(c) for c in frame.columns})


def check_unique(frame: pl.DataFrame, keys: Sequence[str], *, source: str, file: str) -> None:
    """Fail on the first duplicated key (row numbers count data rows from 1)."""
    duplicated = frame.select(pl.struct(list(keys)).is_duplicated().arg_true()).to_series()
    if duplicated.len():
        row = int(duplicated[0])
        value = tuple(frame.row(row, named=True)[k] for k in keys)
        value = value[0] if len(value) == 1 else value
        second = int(duplicated[1]) + 1 if duplicated.len() > 1 else None
        raise InputError(
            f"duplicate key ({', '.join(keys)}) also at row {second}",
            source=source,
            file=file,
            row=row + 1,
            field=", ".join(keys),
            value=value,
        )


def check_not_null(frame: pl.DataFrame, columns: Sequence[str], *, source: str, file: str) -> None:
    """Key columns must be filled."""
    for column in columns:
        nulls = frame[column].is_null().arg_true()
        if nulls.len():
            raise InputError("required value is empty", source=source, file=file, row=int(nulls[0]) + 1, field=column)


def cast_checked(
    frame: pl.DataFrame, casts: dict[str, pl.DataType | Callable[[pl.Expr], pl.Expr]], *, source: str, file: str
) -> pl.DataFrame:
    """Cast columns, failing on the first value that does not convert (nothing turns null silently)."""
    exprs = []
    for column, target in casts.items():
        is_dtype = isinstance(target, (type, pl.DataType))
        expr = pl.col(column).cast(target, strict=False) if is_dtype else target(pl.col(column))
        exprs.append(expr.alias(column))
    cast = frame.with_columns(exprs)
    for column in casts:
        lost = (frame[column].is_not_null() & cast[column].is_null()).arg_true()
        if lost.len():
            row = int(lost[0])
            raise InputError(
                f"cannot convert to {cast.schema[column]}",
                source=source,
                file=file,
                row=row + 1,
                field=column,
                value=frame[column][row],
            )
    return cast
