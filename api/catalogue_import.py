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
            raise ApiError(422, "corrupt", "zip/XLSX 文件已损坏或不完整") from None
        if "xl/workbook.xml" in names:
            return ".xlsx"
        raise ApiError(415, "unsupported_type", "这个 zip 文件不是 Excel 工作簿（请用 CSV、XLSX 或 JSON）")
    head = data[:4096]
    if b"\x00" in head:
        raise ApiError(415, "unsupported_type", "这个二进制文件不是 Excel 工作簿（请用 CSV、XLSX 或 JSON）")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return ".json" if stripped[:1] in (b"{", b"[") else ".csv"


def safe_stem(client_name: str) -> str:
    stem = _NOT_WORD.sub("_", PurePosixPath(client_name).stem).strip("_")
    return stem[:100] or "catalogue"


def import_upload(upload: FileStorage | None, list_name: str | None, store: ReportStore) -> dict[str, Any]:
    if upload is None:
        raise ApiError(400, "bad_request", "请在 multipart 字段 file 中上传目录文件")
    data = upload.read()
    if not data.strip():
        raise ApiError(422, "empty", "目录文件为空")
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
            raise ApiError(422, "invalid_catalogue", f"{source_name}：无法作为目录读取（{type(exc).__name__}）") from None
    result.source = source_name  # the report names the upload, not the temporary path
    if not result.entries:
        raise ApiError(422, "invalid_catalogue", "没有一行被接受：\n" + result.report())
    return store.save_catalogue_version(
        source_name=source_name,
        catalogue=(list_name or "").strip() or None,
        sha256=hashlib.sha256(data).hexdigest(),
        entries=len(result.entries),
        rejected=len(result.rejected),
        saved_to=result.saved_to.name if result.saved_to else None,  # the file's name, never a server path
        import_report=result.report(),
    )
