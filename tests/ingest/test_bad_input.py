"""Bad input fails with one message naming source, file, row or field and the problem; the previous
landing data stays untouched. Every case is a small broken copy made here."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from wfh import landing
from wfh.errors import InputError
from wfh.ingest import crosswalk, esco, load_source, onet, skills_england

SE_FILE = skills_england.FILE


def se_record(reference: str, version: str = "1.0", **fields) -> dict:
    """A minimal standard record in the API's shape."""
    record = {
        "referenceNumber": reference,
        "version": version,
        "versionNumber": version,
        "title": f"Standard {reference}",
        "level": 3,
        "status": "Approved for delivery",
        "route": "Digital",
        "clusterId": "1",
        "larsCode": 1,
        "typicalDuration": 12,
        "regulated": False,
        "approvedForDelivery": "2024-01-02T00:00:00 +00:00",
        "createdDate": "2023-01-01T10:00:00 +00:00",
        "lastUpdated": "",
        "typicalJobTitles": [],
        "keywords": [],
        "occupationalSummary": "&lt;p&gt;Hi&lt;/p&gt;",
        "duties": [],
        "knowledges": [],
        "skills": [],
        "behaviours": [],
        "options": [],
    }
    record.update(fields)
    return record


def write_gz(path: Path, data: bytes) -> dict[str, Path]:
    path.write_bytes(gzip.compress(data))
    return {path.name: path}


def parse_se(tmp_path: Path, records_or_bytes) -> dict[str, pl.DataFrame]:
    data = records_or_bytes if isinstance(records_or_bytes, bytes) else json.dumps(records_or_bytes).encode()
    return skills_england.parse(write_gz(tmp_path / SE_FILE, data))


def esco_files(mirror: Path, tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> dict[str, Path]:
    """The real ESCO files with one replaced by ``text``."""
    files = {f: mirror / "esco" / f for f in esco.FILES}
    broken = tmp_path / name
    broken.write_bytes(text.encode(encoding))
    return {**files, name: broken}


# --- Skills England -----------------------------------------------------------------------------


def test_se_small_file_parses(tmp_path):
    tables = parse_se(tmp_path, [se_record("ST9001 "), se_record("ST9002", version="")])
    standards = tables["standards"]
    assert standards["reference_number"].to_list() == ["ST9001", "ST9002"]
    assert standards["version"].to_list() == ["1.0", "1.0"]
    assert standards["occupational_summary"].to_list() == ["Hi", "Hi"]


def test_se_truncated_gzip(tmp_path, mirror):
    real = (mirror / "skills_england" / SE_FILE).read_bytes()
    path = tmp_path / SE_FILE
    path.write_bytes(real[:200_000])
    with pytest.raises(InputError) as error:
        skills_england.parse({SE_FILE: path})
    message = str(error.value)
    assert "source skills_england" in message and SE_FILE in message and "truncated gzip" in message


def test_se_malformed_json_names_line_and_column(tmp_path):
    data = b'[\r\n  {"referenceNumber": "ST1",\r\n   "title": "x",,\r\n}]'
    with pytest.raises(InputError) as error:
        parse_se(tmp_path, data)
    assert error.value.row == 3
    assert "malformed JSON at line 3" in str(error.value) and SE_FILE in str(error.value)


def test_se_wrong_encoding(tmp_path):
    records = [se_record("ST1"), se_record("ST2", title="Caf\u00e9")]
    data = json.dumps(records, ensure_ascii=False, indent=1).encode("latin-1")
    line = data[: data.index(b"Caf")].count(b"\n") + 1
    with pytest.raises(InputError, match="not valid UTF-8: byte 0xe9") as error:
        parse_se(tmp_path, data)
    assert error.value.source == "skills_england" and error.value.row == line > 1


def test_se_duplicate_key_after_trimming(tmp_path):
    with pytest.raises(InputError) as error:
        parse_se(tmp_path, [se_record("ST0001"), se_record("ST0002"), se_record("ST0001 ")])
    assert error.value.row == 1 and error.value.field == "reference_number, version"
    assert "duplicate key" in str(error.value) and "also at row 3" in str(error.value)


def test_se_missing_key_and_wrong_type(tmp_path):
    record = se_record("ST1")
    del record["duties"]
    with pytest.raises(InputError, match="lacks a required key") as error:
        parse_se(tmp_path, [se_record("ST0"), record])
    assert error.value.row == 2 and error.value.field == "duties"
    with pytest.raises(InputError, match="expected a JSON int") as error:
        parse_se(tmp_path, [se_record("ST1", level="three")])
    assert error.value.field == "level" and error.value.value == "three"


def test_se_malformed_nested_list(tmp_path):
    with pytest.raises(InputError, match="malformed duties") as error:
        parse_se(tmp_path, [se_record("ST1"), se_record("ST2", duties=["not an object"])])
    assert error.value.row == 2 and error.value.value == "ST2"
    duty = {"dutyID": None, "dutyDetail": "Do things", "isThisACoreDuty": 1}
    with pytest.raises(InputError, match="required value is empty") as error:
        parse_se(tmp_path, [se_record("ST1", duties=[duty])])
    assert error.value.field == "duty_id"


def test_se_bad_date(tmp_path):
    with pytest.raises(InputError, match="cannot convert") as error:
        parse_se(tmp_path, [se_record("ST1"), se_record("ST2", approvedForDelivery="soon")])
    assert error.value.row == 2 and error.value.field == "approved_for_delivery"


def test_se_reference_number_null_is_one_clear_error(tmp_path):
    with pytest.raises(InputError) as error:
        parse_se(tmp_path, [se_record("ST1"), se_record(None)])
    assert error.value.row == 2 and error.value.field == "referenceNumber"
    assert "referenceNumber null" in str(error.value) and SE_FILE in str(error.value)


def test_se_duplicated_json_key_is_refused_with_the_records_position(tmp_path):
    first, second = json.dumps(se_record("ST1")), json.dumps(se_record("ST2", title="Kept title"))
    second = second.replace('"title": "Kept title"', '"title": "Lost title", "title": "Kept title"')
    with pytest.raises(InputError) as error:
        parse_se(tmp_path, f"[{first},\n{second}]".encode())
    assert error.value.row == 2 and error.value.field == "title" and error.value.value == "ST2"
    assert "names the key 'title' twice" in str(error.value)


def test_se_duplicated_key_inside_a_duty(tmp_path):
    duty = '{"dutyID": "d1", "dutyDetail": "Plan", "dutyDetail": "Do", "isThisACoreDuty": 1}'
    record = json.dumps(se_record("ST7")).replace('"duties": []', f'"duties": [{duty}]')
    with pytest.raises(InputError, match=r"'dutyDetail' twice in duties\[0\]") as error:
        parse_se(tmp_path, f"[{record}]".encode())
    assert error.value.row == 1 and error.value.value == "ST7"


def test_se_missing_file(tmp_path):
    with pytest.raises(InputError, match="file is missing"):
        skills_england.parse({SE_FILE: tmp_path / SE_FILE})


# --- ESCO ---------------------------------------------------------------------------------------


def test_esco_renamed_column(mirror, tmp_path):
    text = (mirror / "esco" / "occupations_en.csv").read_text(encoding="utf-8")
    text = text.replace("preferredLabel", "prefLabel", 1)
    with pytest.raises(InputError) as error:
        esco.parse(esco_files(mirror, tmp_path, "occupations_en.csv", text))
    message = str(error.value)
    assert "source esco, file occupations_en.csv" in message and "field preferredLabel" in message
    assert "missing column(s) preferredLabel" in message and "prefLabel" in message


def test_esco_wrong_encoding_names_the_line(mirror, tmp_path):
    text = (
        "conceptType,conceptSchemeUri,preferredLabel,title,status,description,hasTopConcept\n"
        "ConceptScheme,http://x/1,one,,released,,\n"
        "ConceptScheme,http://x/2,Compétences,,released,,\n"
    )
    with pytest.raises(InputError) as error:
        esco.parse(esco_files(mirror, tmp_path, "conceptSchemes_en.csv", text, encoding="latin-1"))
    assert error.value.row == 3 and error.value.file == "conceptSchemes_en.csv"
    assert "not valid UTF-8" in str(error.value) and "byte 0xe9" in str(error.value)


def test_esco_duplicate_key(mirror, tmp_path):
    lines = (mirror / "esco" / "skills_en.csv").read_text(encoding="utf-8")
    header = lines.split("\n", 1)[0]
    text = (
        header + "\nKnowledgeSkillCompetence,http://x/s1,knowledge,cross-sector,a,,,released,,"
        ",,,\nKnowledgeSkillCompetence,http://x/s1,knowledge,cross-sector,b,,,released,,,,,\n"
    )
    with pytest.raises(InputError) as error:
        esco.parse(esco_files(mirror, tmp_path, "skills_en.csv", text))
    assert error.value.row == 1 and error.value.field == "conceptUri" and error.value.value == "http://x/s1"


def test_esco_row_with_too_many_fields(mirror, tmp_path):
    text = (
        "conceptType,conceptSchemeUri,preferredLabel,title,status,description,hasTopConcept\n"
        "ConceptScheme,http://x/1,one,,released,,\n"
        "ConceptScheme,http://x/2,two,,released,,,extra\n"
    )
    with pytest.raises(InputError, match="more fields than the header") as error:
        esco.parse(esco_files(mirror, tmp_path, "conceptSchemes_en.csv", text))
    assert error.value.row == 2


def test_esco_truncated_gzip(mirror, tmp_path):
    name = "occupationSkillRelations.csv.gz"
    broken = tmp_path / name
    broken.write_bytes((mirror / "esco" / name).read_bytes()[:50_000])
    files = {**{f: mirror / "esco" / f for f in esco.FILES}, name: broken}
    with pytest.raises(InputError, match="truncated gzip") as error:
        esco.parse(files)
    assert error.value.file == name


# --- O*NET and the crosswalk ------------------------------------------------------------------------


def onet_files(mirror: Path, tmp_path: Path, name: str, text: str) -> dict[str, Path]:
    files = {f: mirror / "onet" / f for f in onet.FILES}
    broken = tmp_path / name
    broken.write_text(text, encoding="ascii")
    return {**files, name: broken}


def test_onet_missing_column(mirror, tmp_path):
    text = "O*NET-SOC Code\tJob Zone\tDomain Source\r\n11-1011.00\t5\tAnalyst\r\n"
    with pytest.raises(InputError) as error:
        onet.read_file(onet_files(mirror, tmp_path, "Job Zones.txt", text), "job_zones")
    assert error.value.field == "Date" and "missing column(s) Date" in str(error.value)


def test_onet_value_of_the_wrong_type(mirror, tmp_path):
    text = (
        "O*NET-SOC Code\tJob Zone\tDate\tDomain Source\r\n11-1011.00\t5\t08/2023\tAnalyst\r\n"
        "11-1021.00\tfive\t08/2023\tAnalyst\r\n"
    )
    with pytest.raises(InputError) as error:
        onet.read_file(onet_files(mirror, tmp_path, "Job Zones.txt", text), "job_zones")
    assert (error.value.row, error.value.field, error.value.value) == (2, "job_zone", "five")


def test_onet_duplicate_task_id(mirror, tmp_path):
    header = "O*NET-SOC Code\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\tDomain Source\r\n"
    row = "11-1011.00\t8823\tDirect activities.\tCore\t87\t08/2023\tIncumbent\r\n"
    with pytest.raises(InputError, match="duplicate key") as error:
        onet.read_file(onet_files(mirror, tmp_path, "Task Statements.txt", header + row + row), "task_statements")
    assert error.value.field == "Task ID" and error.value.value == "8823"


def test_onet_corrupt_workbook(mirror, tmp_path):
    broken = tmp_path / "Skills.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    files = {**{f: mirror / "onet" / f for f in onet.FILES}, "excel_29_3/Skills.xlsx": broken}
    with pytest.raises(InputError, match="cannot read the workbook") as error:
        onet.read_file(files, "skills")
    assert error.value.file == "excel_29_3/Skills.xlsx"


def test_crosswalk_code_that_is_no_code(mirror, tmp_path):
    csv_file = tmp_path / "pairs.csv"
    csv_file.write_text(
        "ESCO/ISCO Code,ESCO/ISCO Title,O*NET-SOC 2019 Code,O*NET-SOC 2019 Title\n"
        "0110.10,lieutenant,33-1011.00,Supervisors\nabc,odd,33-1012.00,Police\n"
    )
    files = {crosswalk.FILE: csv_file, crosswalk.ESCO_OCCUPATIONS: mirror / "esco" / "occupations_en.csv"}
    with pytest.raises(InputError) as error:
        crosswalk.parse(files)
    assert (error.value.row, error.value.field, error.value.value) == (2, "ESCO/ISCO Code", "abc")


# --- end to end: a failed load leaves the previous landing untouched ------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_reload_leaves_previous_landing_untouched(mirror_copy, tmp_path):
    mirror_copy.copy("esco")
    target = tmp_path / "landing"
    assert load_source("esco", manifest=mirror_copy.manifest(), landing_dir=target).status == "loaded"
    before = snapshot(target)

    occupations = mirror_copy.path("esco", "occupations_en.csv")
    text = occupations.read_text(encoding="utf-8").replace("iscoGroup", "iscoGroupCode", 1)
    occupations.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        load_source("esco", manifest=mirror_copy.manifest(), landing_dir=target)
    assert snapshot(target) == before
    assert landing.current_version("esco", target) == "1.1.1"


def test_missing_file_in_the_mirror(mirror_copy, tmp_path):
    mirror_copy.copy("esco")
    manifest = mirror_copy.manifest()
    mirror_copy.path("esco", "skills_en.csv").unlink()
    with pytest.raises(InputError) as error:
        load_source("esco", manifest=manifest, landing_dir=tmp_path / "landing")
    assert error.value.source == "esco" and error.value.file == "skills_en.csv"
    assert "missing from the mirror" in str(error.value)
    assert not (tmp_path / "landing" / "esco").exists()


def test_mirror_file_that_differs_from_the_manifest(mirror_copy, tmp_path):
    mirror_copy.copy("esco_onet_crosswalk")
    mirror_copy.copy("esco", ["occupations_en.csv"])
    manifest = mirror_copy.manifest()
    path = mirror_copy.path("esco_onet_crosswalk", "ESCO_to_ONET-SOC.xlsx")
    shutil.copyfile(mirror_copy.real_mirror / "crosswalks" / "esco-onet" / "ESCO_to_ONET-SOC.csv", path)
    with pytest.raises(InputError, match="checksum mismatch") as error:
        load_source("esco_onet_crosswalk", manifest=manifest, landing_dir=tmp_path / "landing")
    assert error.value.file == "ESCO_to_ONET-SOC.xlsx"
