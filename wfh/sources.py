"""Fetching sources: from the local mirror (``WFH_MIRROR``) or by download, checksum verified.

The manifest (``raw/sources.yml``) names every file with its sha256. :func:`fetch` returns the local
path of each file of a source, and never returns a file whose checksum differs from the manifest: a
mismatch is an :class:`InputError` naming the source, file, expected and actual checksums.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import requests
import yaml

from wfh.errors import InputError
from wfh.settings import paths

log = logging.getLogger(__name__)

Manifest = dict[str, Any]


class DownloadError(InputError):
    """A download failed (network or server error) after its retries; worth retrying later."""


DOWNLOAD_TIMEOUT_S = 120


def load_manifest(manifest: Path | Manifest | None = None) -> Manifest:
    """The manifest as a dict (``{"sources": [...]}``), from a path, a dict or ``raw/sources.yml``."""
    if isinstance(manifest, dict):
        return manifest
    path = Path(manifest) if manifest else paths().manifest
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the source manifest ({exc})", file=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise InputError("the source manifest has no 'sources' list", file=str(path))
    return data


def source_entry(source_id: str, manifest: Path | Manifest | None = None) -> dict[str, Any]:
    """One source of the manifest."""
    for entry in load_manifest(manifest)["sources"]:
        if entry.get("id") == source_id:
            return entry
    raise InputError("source is not in the manifest", source=source_id)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(source_id: str, name: str, path: Path, expected: str | None) -> str:
    """Check a file against its manifest checksum; returns the actual sha256."""
    if not path.is_file():
        raise InputError("file is missing", source=source_id, file=str(path))
    actual = sha256_of(path)
    if expected and actual != expected.lower():
        raise InputError(f"checksum mismatch: expected sha256 {expected}, actual {actual}", source=source_id, file=name)
    return actual


def fetch(
    source_id: str,
    *,
    manifest: Path | Manifest | None = None,
    mirror: Path | None = None,
    downloads: Path | None = None,
    retries: int = 3,
    backoff_s: float = 1.0,
    only: list[str] | None = None,
) -> dict[str, Path]:
    """Local paths of the source's files, keyed by manifest file name, each checksum verified.

    With a mirror (argument or ``WFH_MIRROR``) files are read from ``<mirror>/<mirror_dir>/<name>``;
    otherwise each is downloaded into ``downloads`` (default ``paths().downloads/<source>``), or taken
    from an already verified earlier download. ``only`` restricts the result to some file names.
    """
    entry = source_entry(source_id, manifest)
    specs = [spec for spec in entry["files"] if only is None or spec["name"] in only]
    unknown = set(only or []) - {spec["name"] for spec in specs}
    if unknown:
        raise InputError(f"file(s) not in the manifest: {sorted(unknown)}", source=source_id)
    mirror = mirror if mirror is not None else paths().mirror
    files: dict[str, Path] = {}
    if mirror is not None:
        folder = (Path(mirror) / entry["mirror_dir"]).resolve()
        for spec in specs:
            path = folder / spec["name"]
            if not path.is_file():
                raise InputError(
                    f"file is missing from the mirror folder {folder}", source=source_id, file=spec["name"]
                )
            verify(source_id, spec["name"], path, spec.get("sha256"))
            files[spec["name"]] = path
        return files
    target = Path(downloads) if downloads else paths().downloads / source_id
    for spec in specs:
        files[spec["name"]] = _download_file(source_id, entry, spec, target, retries, backoff_s)
    return files


def _download_file(source_id: str, entry: dict, spec: dict, target: Path, retries: int, backoff_s: float) -> Path:
    name, expected = spec["name"], spec.get("sha256")
    if spec.get("gzip_member"):
        # Re-gzipping a member cannot reproduce the mirror's bytes: the member's content is verified.
        if not spec.get("member_sha256"):
            raise InputError(
                "manifest gives no member_sha256 for a gzipped archive member", source=source_id, file=name
            )
        expected = None
    path = target / name
    if path.is_file() and _verified_before(path, spec):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    if not spec.get("url") and not spec.get("archive"):
        note = spec.get("obtained") or entry.get("note") or ""
        raise InputError(
            f"no download URL for this file; read it from a mirror (set WFH_MIRROR). {note}",
            source=source_id,
            file=name,
        )
    archive = target / f".archive-{spec.get('archive')}.zip"
    try:
        if spec.get("url"):
            _download(spec["url"], partial, source_id, name, retries, backoff_s)
        else:
            archive_url = entry.get("archives", {}).get(spec["archive"])
            if not archive_url:
                raise InputError(f"archive {spec['archive']!r} has no URL in the manifest", source=source_id, file=name)
            if not archive.is_file():
                _download(archive_url, archive, source_id, name, retries, backoff_s)
            _extract(archive, spec, partial, source_id)
        verify(source_id, name, partial, expected)
    except InputError:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + ".member").unlink(missing_ok=True)
        if spec.get("archive"):  # a bad archive is fetched again next time
            archive.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return path


def _verified_before(path: Path, spec: dict) -> bool:
    """A file downloaded by an earlier run that still matches the manifest."""
    if spec.get("gzip_member"):
        with gzip.open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        return digest == spec["member_sha256"]
    return bool(spec.get("sha256")) and sha256_of(path) == spec["sha256"]


def _download(url: str, dest: Path, source_id: str, name: str, retries: int, backoff_s: float) -> None:
    """GET a URL into a file, with retries on network errors and 5xx answers."""
    last: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            with requests.get(url, stream=True, timeout=DOWNLOAD_TIMEOUT_S) as response:
                if response.status_code >= 500:
                    raise requests.HTTPError(f"HTTP {response.status_code}", response=response)
                if response.status_code >= 400:
                    raise InputError(
                        f"download failed: HTTP {response.status_code} from {url}", source=source_id, file=name
                    )
                with dest.open("wb") as handle:
                    for block in response.iter_content(1 << 20):
                        handle.write(block)
            return
        except requests.RequestException as exc:
            last = exc
            log.warning("download of %s (%s) failed, attempt %d/%d: %s", name, url, attempt, retries, exc)
            if attempt < retries:
                time.sleep(backoff_s * attempt)
    raise DownloadError(f"download failed after {retries} attempts from {url}: {last}", source=source_id, file=name)


def _extract(archive: Path, spec: dict, dest: Path, source_id: str) -> None:
    """Take one member out of a publisher's zip (gzipping it when the manifest stores it gzipped)."""
    member = spec.get("member", spec["name"])
    try:
        with zipfile.ZipFile(archive) as zf, zf.open(member) as source:
            if spec.get("gzip_member"):
                unpacked = dest.with_name(dest.name + ".member")
                with unpacked.open("wb") as out:
                    shutil.copyfileobj(source, out)
                verify(source_id, f"{spec['name']} (member {member})", unpacked, spec.get("member_sha256"))
                with unpacked.open("rb") as raw, gzip.GzipFile(dest, "wb", compresslevel=9, mtime=0) as out:
                    shutil.copyfileobj(raw, out)
                unpacked.unlink()
            else:
                with dest.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise InputError(
            f"cannot take member {member!r} from the archive ({exc})", source=source_id, file=spec["name"]
        ) from exc
