"""Legacy Word (.doc) and WPS files: many agencies still publish them.

LibreOffice (headless) converts them to DOCX, which the DOCX reader then reads with its tables
and paragraphs; where LibreOffice is not installed, antiword gives the plain text. Both are
Debian packages that ``scripts/setup-system.sh`` installs. The conversion runs in a temporary
folder with its own LibreOffice profile, under the parse's wall clock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.errors import InputError, UnsupportedType
from checker.ingest.limits import Limits

# OLE compound files name their streams in UTF-16: a Word document has "WordDocument",
# a WPS document "WpsContent" (older WPS also writes a WordDocument stream).
_WORD_STREAMS = ("WordDocument".encode("utf-16-le"), "WpsContent".encode("utf-16-le"))
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_word_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and any(name in data[:1 << 20] or name in data[-(1 << 20):] for name in _WORD_STREAMS)


def convert_to_docx(data: bytes, limits: Limits) -> bytes | None:
    """The .doc/.wps as DOCX bytes via LibreOffice, or None when LibreOffice is not installed."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="tender-check-doc-") as tmp:
        source = Path(tmp, "document.doc")
        source.write_bytes(data)
        command = [office, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=max(10.0, limits.timeout_s * 0.8), check=False,
                           env={**os.environ, "HOME": tmp}, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise InputError("旧版 Word 文档转换超时", code="timeout") from exc
        target = Path(tmp, "document.docx")
        if not target.is_file():
            raise InputError("旧版 Word（.doc/.wps）文档无法读取：文件可能已损坏或加密", code="corrupt")
        return target.read_bytes()


def antiword_text(data: bytes, limits: Limits) -> str:
    """The .doc's text by antiword (no tables kept)."""
    antiword = shutil.which("antiword")
    if antiword is None:
        raise UnsupportedType("旧版 Word（.doc）文档需要 LibreOffice 或 antiword 才能读取，请先安装（scripts/setup-system.sh）或另存为 DOCX/PDF")
    with tempfile.NamedTemporaryFile(suffix=".doc") as handle:
        handle.write(data)
        handle.flush()
        try:
            out = subprocess.run([antiword, "-m", "UTF-8.txt", "-w", "0", handle.name], capture_output=True,
                                 timeout=max(10.0, limits.timeout_s * 0.8), check=False)
        except subprocess.TimeoutExpired as exc:
            raise InputError("旧版 Word 文档读取超时", code="timeout") from exc
    text = out.stdout.decode("utf-8", "replace")
    if out.returncode != 0 or not text.strip():
        raise InputError("旧版 Word（.doc）文档无法读取：文件可能已损坏、加密或不是 Word 文档", code="corrupt")
    return text
