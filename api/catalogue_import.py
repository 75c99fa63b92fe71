"""Importing a published first-set catalogue file uploaded over HTTP.

The library imports from a path and names the list after the file's stem, so the upload is
written into a fresh private temporary directory under a name built from the original stem
reduced to word characters (Chinese kept, separators and dots dropped) and a suffix chosen
from the file's bytes, never from what the client claims.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from werkzeug.datastructures import FileStorage

from api.checking import display_name
from api.errors import ApiError
from api.storage import ReportStore
from checker.catalogue import Catalogue
from checker.errors import CheckerError

_NOT_WORD = re.compile(r"[^\w\-]+")


def catalogue_suffix(data: bytes) -> str:
    """'.xlsx', '.json' or '.csv' from the bytes; 415 for anything else."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise ApiError(422, "corrupt", "a corrupt or truncated zip/XLSX file") from None
        if "xl/workbook.xml" in names:
            return ".xlsx"
        raise ApiError(415, "unsupported_type", "a zip file that is not an Excel workbook (use CSV, XLSX or JSON)")
    head = data[:4096]
    if b"\x00" in head:
        raise ApiError(415, "unsupported_type", "a binary file that is not an Excel workbook (use CSV, XLSX or JSON)")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return ".json" if stripped[:1] in (b"{", b"[") else ".csv"


def safe_stem(client_name: str) -> str:
    stem = _NOT_WORD.sub("_", PurePosixPath(client_name).stem).strip("_")
    return stem[:100] or "catalogue"


def import_upload(upload: FileStorage | None, list_name: str | None, store: ReportStore) -> dict[str, Any]:
    if upload is None:
        raise ApiError(400, "bad_request", "send the catalogue file in the multipart field 'file'")
    data = upload.read()
    if not data.strip():
        raise ApiError(422, "empty", "the catalogue file is empty")
    source_name = display_name(upload.filename, "catalogue")
    suffix = catalogue_suffix(data)
    with tempfile.TemporaryDirectory(prefix="tender-check-import-") as directory:
        path = Path(directory) / f"{safe_stem(source_name)}{suffix}"
        path.write_bytes(data)
        try:
            result = Catalogue.import_file(path, catalogue=(list_name or "").strip() or None, save=True)
        except CheckerError as exc:
            raise ApiError(422, "invalid_catalogue", str(exc).replace(str(path), source_name)) from None
        except Exception as exc:  # openpyxl and csv raise their own errors on malformed files
            raise ApiError(422, "invalid_catalogue", f"{source_name}: cannot be read as a catalogue ({type(exc).__name__})") from None
    result.source = source_name  # the report names the upload, not the temporary path
    if not result.entries:
        raise ApiError(422, "invalid_catalogue", "no row was accepted:\n" + result.report())
    return store.save_catalogue_version(
        source_name=source_name,
        catalogue=(list_name or "").strip() or None,
        sha256=hashlib.sha256(data).hexdigest(),
        entries=len(result.entries),
        rejected=len(result.rejected),
        saved_to=str(result.saved_to) if result.saved_to else None,
        import_report=result.report(),
    )
