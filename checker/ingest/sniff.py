"""Decide a file's format from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile

from checker.errors import InputError, UnsupportedType
from checker.ingest.legacy import OLE_MAGIC, is_word_ole

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<table", b"<p>", b"<p ")


def sniff(data: bytes) -> str:
    """Return 'pdf', 'docx', 'doc', 'html' or 'text'; raise a clear error for anything else."""
    if not data or not data.strip():
        raise InputError("文件为空", code="empty")
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise InputError(f"zip/DOCX 文件已损坏或不完整（{exc}）", code="corrupt") from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise UnsupportedType("这是 Excel 工作簿，不是招标文件（请提交 DOCX、PDF、HTML 或文本）")
        raise UnsupportedType("这是 zip 压缩包，不是 DOCX 文档")
    if head.startswith(OLE_MAGIC):
        if is_word_ole(data):
            return "doc"  # whatever the file is called: a .docx that is really a .doc or .wps too
        raise UnsupportedType("Office 旧版二进制文件（Excel/PowerPoint 等），不是招标文件；请提交 PDF、DOCX、DOC、HTML 或文本")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise UnsupportedType("这是图片，不是文档：扫描版招标文件需先进行 OCR 文字识别")
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh")):
        raise UnsupportedType("这是压缩包，不是文档（请先解压）")
    if head.startswith(b"{\\rtf"):
        raise UnsupportedType("这是 RTF 文件：请先另存为 DOCX 或 PDF")
    lowered = head.lower()
    if any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    if _looks_like_text(data[:65536]):
        return "text"
    raise UnsupportedType("无法识别的二进制文件（应为 PDF、DOCX、DOC、HTML 或文本）")


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    from checker.ingest.text import decode

    try:
        text = decode(sample, strict=True)
    except InputError:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * max(len(text), 1)
