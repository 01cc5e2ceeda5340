"""Skills England apprenticeship standards: the API's JSON array -> standards, duties, K/S/B items,
duty-K/S/B links and options.

One standard record per reference number + version. Prose fields are HTML that the API escapes,
sometimes twice; they land as plain text (see :func:`clean_prose`). K1/S1/B1 codes are not stored by
the API: they follow list order, as on the published standards.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import polars as pl

from wfh.contracts import contract
from wfh.errors import InputError
from wfh.ingest.common import cast_checked, check_not_null, check_unique, check_utf8, read_bytes

SOURCE = "skills_england"
FILE = "apprenticeshipstandards_all_versions.json.gz"
TABLES = {name: [FILE] for name in ("standards", "duties", "ksb_items", "duty_ksb_links", "options")}

APPROVED = "Approved for delivery"
# The publisher names a record without a version `<reference>_1.0.json`, so an empty version is 1.0.
EMPTY_VERSION = "1.0"
KSB_LISTS = {
    "knowledge": ("knowledges", "knowledgeId", "K", "mappedKnowledge"),
    "skill": ("skills", "skillId", "S", "mappedSkills"),
    "behaviour": ("behaviours", "behaviourId", "B", "mappedBehaviour"),
}
REQUIRED_KEYS = (
    "referenceNumber",
    "version",
    "versionNumber",
    "title",
    "level",
    "status",
    "duties",
    "knowledges",
    "skills",
    "behaviours",
    "options",
)
NOT_NULL_KEYS = ("referenceNumber",)  # a standard without a reference number cannot be keyed
_DUPLICATED = "\x00duplicated keys"  # marks an object that named a key twice (see load_records)

_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&nbsp;": "\u00a0"}
_OTHER_ENTITY = r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
_BLOCK_TAG = r"(?i)</?(p|div|li|ul|ol|h[1-6]|br|tr|table|section)\b[^<>]*>"
_ANY_TAG = r"</?[a-zA-Z][^<>]*>"
_SPACES = r"(?:[\s&&[^\n]]|\u200b|\ufeff)+"  # any white space but a line break
_LINE_BREAKS = r" ?\n[ \n]*"  # spaces around a line break, and empty lines


def _unescape_fully(text: str) -> str:
    for _ in range(4):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def clean_prose(texts: pl.Series) -> pl.Series:
    """HTML unescaped (repeatedly: some fields are escaped twice), tags removed, whitespace normalised.

    Block elements (paragraphs, list items, headings) become line breaks; spaces within a line collapse
    to one; empty lines are dropped. The common entities are replaced in Polars; the few texts holding
    any other entity (``&rsquo;``, ``&#8217;``...) go through Python's ``html.unescape``.
    """
    for _ in range(3):
        texts = texts.str.replace_many(list(_ENTITIES), list(_ENTITIES.values()))
    rest = texts.str.contains(_OTHER_ENTITY).fill_null(False)
    if rest.any():
        texts = texts.scatter(rest.arg_true(), [_unescape_fully(t) for t in texts.filter(rest)])
    return (
        texts.str.replace_all(_BLOCK_TAG, "\n")
        .str.replace_all(_ANY_TAG, " ")
        .str.replace_all(_SPACES, " ")
        .str.replace_all(_LINE_BREAKS, "\n")
        .str.strip_chars()
    )


def plain_text(value: str | None) -> str | None:
    """:func:`clean_prose` for one text."""
    return clean_prose(pl.Series([value], dtype=pl.String))[0]


class _NoteDuplicates:
    """JSON objects as dicts; an object naming a key twice is marked instead of the last value
    silently winning (``found`` counts them, so the records are searched only when there is one)."""

    def __init__(self) -> None:
        self.found = 0

    def __call__(self, pairs: list[tuple[str, object]]) -> dict:
        record = dict(pairs)
        if len(record) != len(pairs):
            seen: set[str] = set()
            record[_DUPLICATED] = sorted({key for key, _ in pairs if key in seen or seen.add(key)})
            self.found += 1
        return record


def _duplicated_keys(value: object, path: str = "") -> tuple[str, list[str]] | None:
    """The first object within ``value`` that named a key twice: (its path, the keys)."""
    if isinstance(value, dict):
        if _DUPLICATED in value:
            return path or "the record", value[_DUPLICATED]
        items = value.items()
    elif isinstance(value, list):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for key, child in items:
        found = _duplicated_keys(child, f"{path}.{key}" if path and not key.startswith("[") else f"{path}{key}")
        if found:
            return found
    return None


def load_records(path: Path) -> list[dict]:
    """The JSON array of standard records (malformed JSON names the line and column; a key named
    twice within an object, which JSON parsers resolve by silently keeping the last value, is refused
    naming the record)."""
    data = read_bytes(path, source=SOURCE)
    text = check_utf8(data, source=SOURCE, file=path.name)  # names the line of a wrong encoding
    duplicates = _NoteDuplicates()
    try:
        records = json.loads(text, object_pairs_hook=duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            source=SOURCE,
            file=path.name,
            row=exc.lineno,
        ) from exc
    if not isinstance(records, list):
        raise InputError(
            f"expected a JSON array of records, found {type(records).__name__}", source=SOURCE, file=path.name
        )
    if duplicates.found:
        for index, record in enumerate(records):
            found = _duplicated_keys(record)
            if found:
                where, keys = found
                reference = record.get("referenceNumber") if isinstance(record, dict) else None
                raise InputError(
                    f"record {index + 1} names the key {keys[0]!r} twice in {where} (which value is meant is unknown)",
                    source=SOURCE,
                    file=path.name,
                    row=index + 1,
                    field=keys[0],
                    value=reference,
                )
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise InputError("record is not a JSON object", source=SOURCE, file=path.name, row=index + 1)
        for key in REQUIRED_KEYS:
            if key not in record:
                raise InputError(
                    "record lacks a required key",
                    source=SOURCE,
                    file=path.name,
                    row=index + 1,
                    field=key,
                    value=record.get("referenceNumber"),
                )
        for key in NOT_NULL_KEYS:
            if record[key] is None:
                raise InputError(
                    f"record {index + 1} has {key} null; every standard needs one",
                    source=SOURCE,
                    file=path.name,
                    row=index + 1,
                    field=key,
                )
    return records


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _date(column: pl.Expr) -> pl.Expr:
    """``2017-03-31T00:00:00`` / ``...Z`` / ``... +00:00`` -> Date."""
    return column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def _timestamp(column: pl.Expr) -> pl.Expr:
    """``2020-02-11T09:19:57 +00:00`` -> UTC timestamp."""
    return (
        column.str.replace(r" ([+-]\d\d:\d\d)$", "$1")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_unit="us", strict=False)
        .dt.convert_time_zone("UTC")
    )


# JSON types the typed columns need (a value of another type is bad input, not a silent null).
_JSON_TYPES = {
    "referenceNumber": str,
    "version": str,
    "versionNumber": str,
    "title": str,
    "status": str,
    "level": int,
    "larsCode": int,
    "typicalDuration": int,
    "regulated": bool,
    "typicalJobTitles": list,
    "keywords": list,
    "duties": list,
    "knowledges": list,
    "skills": list,
    "behaviours": list,
    "options": list,
}


def _check_types(index: int, record: dict) -> None:
    for key, kind in _JSON_TYPES.items():
        value = record.get(key)
        wrong = isinstance(value, bool) and kind is int
        if value is not None and (wrong or not isinstance(value, kind)):
            raise InputError(
                f"expected a JSON {kind.__name__}, found {type(value).__name__}",
                source=SOURCE,
                file=FILE,
                row=index + 1,
                field=key,
                value=value,
            )


def _standards(records: list[dict]) -> pl.DataFrame:
    rows = []
    for index, r in enumerate(records):
        _check_types(index, r)
        rows.append(
            {
                "reference_number": r["referenceNumber"].strip(),
                "version": r["version"] or EMPTY_VERSION,
                "version_number": r["versionNumber"],
                "title": r["title"],
                "level": r["level"],
                "status": r["status"],
                "route": r.get("route"),
                "pathway": r.get("pathway"),
                "cluster": r.get("cluster"),
                "cluster_id": r.get("clusterId"),
                "occupation_code": r.get("occupationCode"),
                "template_type": r.get("templateType"),
                "lars_code": r.get("larsCode"),
                "earliest_start_date": r.get("earliestStartDate"),
                "latest_start_date": r.get("latestStartDate"),
                "latest_end_date": r.get("latestEndDate"),
                "approved_for_delivery": r.get("approvedForDelivery"),
                "created_date": r.get("createdDate"),
                "last_updated": r.get("lastUpdated"),
                "typical_job_titles": r.get("typicalJobTitles") or [],
                "keywords": r.get("keywords") or [],
                "occupational_summary": r.get("occupationalSummary"),
                "overview_of_role": r.get("overviewOfRole"),
                "standard_information": r.get("standardInformation"),
                "standard_page_url": r.get("standardPageUrl"),
                "typical_duration": r.get("typicalDuration"),
                "regulated": r.get("regulated"),
                "in_recent_api": "clusterId" in r,
                "record_index": index,
            }
        )
    schema = {
        "level": pl.Int64,
        "lars_code": pl.Int64,
        "typical_duration": pl.Int64,
        "regulated": pl.Boolean,
        "in_recent_api": pl.Boolean,
        "record_index": pl.Int64,
        "typical_job_titles": pl.List(pl.String),
        "keywords": pl.List(pl.String),
    }
    schema = {k: schema.get(k, pl.String) for k in rows[0]} if rows else schema
    frame = pl.DataFrame(rows, schema=schema)
    prose = ["occupational_summary", "overview_of_role", "standard_information"]
    frame = frame.with_columns(clean_prose(frame[c]) for c in prose)
    dates = ["earliest_start_date", "latest_start_date", "latest_end_date", "approved_for_delivery"]
    timestamps = ["created_date", "last_updated"]
    # The API writes an empty string for a date it does not have.
    frame = frame.with_columns(pl.col(dates + timestamps).replace("", None))
    frame = cast_checked(
        frame, {**{c: _date for c in dates}, **{c: _timestamp for c in timestamps}}, source=SOURCE, file=FILE
    )
    return frame.with_columns(is_latest_approved_version=_latest_approved(frame))


def _latest_approved(frame: pl.DataFrame) -> pl.Series:
    """True for the highest approved version of each standard among records still in the API."""
    best: dict[str, tuple[tuple[int, ...], int]] = {}
    for row in frame.select("reference_number", "version", "status", "in_recent_api", "record_index").iter_rows():
        reference, version, status, recent, index = row
        if status == APPROVED and recent:
            key = (_version_key(version), index)
            if reference not in best or key > best[reference]:
                best[reference] = key
    chosen = {index for _, index in best.values()}
    return pl.Series("is_latest_approved_version", [i in chosen for i in frame["record_index"]], dtype=pl.Boolean)


def _check_nested(record: dict) -> None:
    """Every element of the nested lists is an object, and every mapped id list is a list."""
    for list_key in ("duties", "knowledges", "skills", "behaviours", "options"):
        for element in record[list_key] or []:
            element.get("")  # AttributeError for anything but an object
    for duty in record["duties"] or []:
        for _, _, _, mapped_key in KSB_LISTS.values():
            iter(duty.get(mapped_key) or [])  # TypeError for a number


def parse(files: dict[str, Path]) -> dict[str, pl.DataFrame]:
    """Parse the standards file into the five landing tables (without ``_loaded_at``)."""
    if FILE not in files:
        raise InputError("file is missing from the inputs", source=SOURCE, file=FILE)
    records = load_records(files[FILE])
    standards = _standards(records)
    check_unique(standards, ["reference_number", "version"], source=SOURCE, file=FILE)
    duties, items, links, options = [], [], [], []
    keys = standards.select("reference_number", "version").iter_rows()
    for index, (r, (reference, version)) in enumerate(zip(records, keys, strict=True)):
        try:
            _check_nested(r)
        except (AttributeError, TypeError) as exc:
            raise InputError(
                f"malformed duties/K/S/B/options list ({exc})", source=SOURCE, file=FILE, row=index + 1, value=reference
            ) from exc
        first_code: dict[tuple[str, str], str] = {}
        for ksb_type, (list_key, id_key, prefix, _) in KSB_LISTS.items():
            for position, item in enumerate(r[list_key] or [], start=1):
                code = f"{prefix}{position}"
                first_code.setdefault((ksb_type, item.get(id_key)), code)
                items.append((reference, version, ksb_type, item.get(id_key), code, position, item.get("detail")))
        for number, duty in enumerate(r["duties"] or [], start=1):
            duty_id = duty.get("dutyID")
            duties.append((reference, version, duty_id, number, duty.get("dutyDetail"), duty.get("isThisACoreDuty")))
            for ksb_type, (_, _, _, mapped_key) in KSB_LISTS.items():
                for ksb_id in duty.get(mapped_key) or []:
                    links.append((reference, version, duty_id, ksb_type, ksb_id, first_code.get((ksb_type, ksb_id))))
        for option in r["options"] or []:
            options.append(
                (reference, version, option.get("optionId"), option.get("title"), option.get("occupationCode"))
            )
    schema = contract(SOURCE).schema  # column order and types of each landing table
    # The API flags a core duty with 0/1.
    duties_frame = pl.DataFrame(duties, orient="row", schema={**schema("duties"), "is_core_duty": pl.Int64})
    duties_frame = duties_frame.with_columns(
        pl.col("is_core_duty").cast(pl.Boolean), clean_prose(duties_frame["duty_detail"])
    )
    check_not_null(duties_frame, ["duty_id"], source=SOURCE, file=FILE)
    check_unique(duties_frame, ["reference_number", "version", "duty_id"], source=SOURCE, file=FILE)
    ksb_frame = pl.DataFrame(items, orient="row", schema=schema("ksb_items"))
    return {
        "standards": standards,
        "duties": duties_frame,
        "ksb_items": ksb_frame.with_columns(clean_prose(ksb_frame["detail"])),
        "duty_ksb_links": pl.DataFrame(links, orient="row", schema=schema("duty_ksb_links")),
        "options": pl.DataFrame(options, orient="row", schema=schema("options")),
    }
