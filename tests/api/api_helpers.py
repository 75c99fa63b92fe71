"""Helpers for the API tests: real hostile files, upload shortcuts, a live waitress server."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

CORPUS_TENDERS = Path(__file__).resolve().parents[2] / "corpus" / "tenders"

# A short tender text with two discriminatory clauses, one of them carrying markup.
XSS_PAYLOAD = "<script>alert(1)</script>"
TENDER_TEXT = f"""某某市政府采购项目招标文件
第一章 招标公告
采购人：某某市教育局
第二章 投标人资格要求
1. 投标人须为杭州市注册企业{XSS_PAYLOAD}。
2. 投标人近三年在浙江省内具有不少于3个同类项目业绩。
"""

def upload(client, data: bytes, name: str, url: str = "/api/v1/check", **fields):
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields}, content_type="multipart/form-data")


def zip_bomb_docx(expanded_mb: int = 40) -> bytes:
    """A DOCX whose document.xml inflates from ~40 KB to ``expanded_mb`` MB (ratio ~1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        body = b"<w:document>" + b" " * (expanded_mb * 2**20) + b"</w:document>"
        docx.writestr("word/document.xml", body)
    return buffer.getvalue()


def doctype_docx() -> bytes:
    """A DOCX whose document.xml declares an external entity (XXE)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        docx.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document>&x;</w:document>',
        )
    return buffer.getvalue()


def patch_parser(monkeypatch, replacement) -> None:
    """Replace the PDF parser in this process, and fork parse children from this process (not
    from the parser forkserver) so that they run the replacement."""
    import checker.ingest.pdf
    import checker.isolation

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")
    monkeypatch.setattr(checker.ingest.pdf, "read_pdf", replacement)


def hang_pdf_parser(monkeypatch) -> None:
    """Make every PDF parse hang, as pdfminer does on some crafted files; only the parent's wall
    clock can stop it."""

    def hang(data, limits):
        time.sleep(3600)

    patch_parser(monkeypatch, hang)
