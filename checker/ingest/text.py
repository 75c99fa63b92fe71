"""Plain-text tenders (copied from notices or produced by other tools)."""

from __future__ import annotations

import codecs

from checker.errors import InputError
from checker.model import Block

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, strict: bool = False) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (which covers GBK/GB2312)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            # a sample may end inside a multi-byte character
            if exc.start >= len(data) - 3:
                return data[: exc.start].decode(encoding)
    if strict:
        raise InputError("文本编码既不是 UTF-8 也不是 GB18030", code="corrupt")
    return data.decode("utf-8", errors="replace")


def read_text(data: bytes) -> tuple[list[Block], int]:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    # each physical line is a block: a text copied from a PDF or a web page wraps mid-sentence
    blocks = [Block(text=line, kind="line", line=number) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    return blocks, 1
