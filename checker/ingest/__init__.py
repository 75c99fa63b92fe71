"""Ingest: bytes of a tender file → RawDocument (blocks with page and table positions).

One reader per format; the format is sniffed from the bytes. Limits bound the cost of
reading; `checker.isolation` runs this in a child process with a wall clock and a memory cap.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from checker.errors import InputError, TooLarge
from checker.ingest.limits import Limits
from checker.ingest.sniff import sniff
from checker.model import RawDocument, layout_blocks

__all__ = ["Limits", "read_bytes", "read_document", "read_path", "sniff"]


def read_bytes(path: str | Path, limits: Limits = Limits()) -> bytes:
    """A file's bytes, refused before reading when it is missing, a directory or over the size limit."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{exc.strerror or exc}", code="not_found") from exc
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是文件", code="not_found")
    if size > limits.max_bytes:
        raise TooLarge(f"{path.name} 大小为 {size // 2**20} MB，超过 {limits.max_bytes // 2**20} MB 的上限")
    return path.read_bytes()


def read_path(path: str | Path, limits: Limits = Limits()) -> RawDocument:
    return read_document(read_bytes(path, limits), Path(path).name, limits)


def read_document(data: bytes, name: str, limits: Limits = Limits()) -> RawDocument:
    if len(data) > limits.max_bytes:
        raise TooLarge(f"{name} 大小为 {len(data) // 2**20} MB，超过 {limits.max_bytes // 2**20} MB 的上限")
    kind = sniff(data)
    warnings = []
    if kind == "pdf":
        from checker.ingest.pdf import read_pdf

        blocks, pages, warnings = read_pdf(data, limits)
    elif kind == "docx":
        from checker.ingest.docx import read_docx

        blocks, pages = read_docx(data, limits)
    elif kind == "doc":
        from checker.ingest.legacy import antiword_text, convert_to_docx

        converted = convert_to_docx(data, limits)
        if converted is not None:
            from checker.ingest.docx import read_docx

            blocks, pages = read_docx(converted, limits)
        else:
            from checker.ingest.text import read_text

            blocks, pages = read_text(antiword_text(data, limits).encode("utf-8"))
    elif kind == "html":
        from checker.ingest.html import read_html

        blocks, pages = read_html(data)
    else:
        from checker.ingest.text import read_text

        blocks, pages = read_text(data)
    if not any(b.text.strip() for b in blocks):
        raise InputError(f"{name}：未能提取到任何文字", code="empty")
    layout_blocks(blocks)
    return RawDocument(
        name=name,
        format=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
        blocks=blocks,
        warnings=warnings,
    )
