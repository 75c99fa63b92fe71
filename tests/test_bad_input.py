"""Bad input: each case gets a one-line reason and the right code, nothing hangs."""

import io
import time
import zipfile

import pytest

from checker.errors import InputError, ParseTimeout, TooLarge, UnsupportedType
from checker.ingest import Limits, read_document
from checker.isolation import read_isolated
from checker.pipeline import CheckOptions, check_bytes, check_text


def _code(data: bytes, name: str = "x", **limits) -> str:
    with pytest.raises(InputError) as caught:
        read_document(data, name, Limits(**limits))
    assert "\n" not in str(caught.value)
    return caught.value.code


def test_empty_file():
    assert _code(b"") == "empty"
    assert _code(b"   \n\t ") == "empty"


def test_random_bytes_are_an_unsupported_type():
    import random

    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    assert _code(noise) == "unsupported_type"


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "这是图片"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Office 旧版二进制"),  # OLE but not Word
        (b"Rar!\x1a\x07\x00" + b"\0" * 64, "这是压缩包"),
    ],
)
def test_wrong_types_say_what_they_are(head, reason):
    with pytest.raises(UnsupportedType, match=reason):
        read_document(head, "x")


def test_a_zip_that_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _code(buffer.getvalue()) == "unsupported_type"


def test_truncated_pdf(tenders_dir):
    data = (tenders_dir / "zj-gp-mri.pdf").read_bytes()
    assert _code(data[: len(data) // 3], "cut.pdf") == "corrupt"


def test_truncated_docx(tenders_dir):
    data = (tenders_dir / "zj-gp-mri.docx").read_bytes()
    assert _code(data[: len(data) // 2], "cut.docx") == "corrupt"


def test_encrypted_pdf(pdf_bytes):
    assert _code(pdf_bytes([["招标文件"]], encrypt="secret"), "locked.pdf") == "encrypted"


def test_scanned_pdf_is_an_error_not_a_clean_report(pdf_bytes):
    data = pdf_bytes([[], [], []], image_only=True)
    with pytest.raises(InputError, match="疑似扫描件，请先进行 OCR") as caught:
        read_document(data, "scan.pdf")
    assert caught.value.code == "scanned"


def test_page_cap(pdf_bytes):
    with pytest.raises(TooLarge, match="超过 3 页的页数上限"):
        read_document(pdf_bytes([["招标文件"]] * 5), "t.pdf", Limits(max_pages=3))


def test_size_limit():
    with pytest.raises(TooLarge):
        read_document(b"a" * 2048, "t.txt", Limits(max_bytes=1024))


def _docx_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", entries.pop("word/document.xml", b"<w:document/>"))
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_before_parsing():
    bomb = _docx_with({"word/media/bomb.bin": b"\0" * (400 * 2**20)})
    assert len(bomb) < 2 * 2**20
    assert _code(bomb, "bomb.docx") == "zip_bomb"


def test_docx_with_doctype_is_refused():
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "lol">]><w:document>&e;</w:document>'
    assert _code(_docx_with({"word/document.xml": evil}), "evil.docx") == "doctype"


def test_text_that_is_not_a_tender_is_checked_with_a_warning():
    report = check_text("今天天气很好，我们去公园散步，看到很多人在跑步和打太极拳。")
    assert [w["code"] for w in report["document"]["extraction_warnings"]] == ["not_tender"]
    assert report["findings"] == []


def test_a_pasted_clause_is_checked_not_refused():
    report = check_text("投标人须具有近三年同类项目业绩不少于3个。")
    assert "not_tender" in [w["code"] for w in report["document"]["extraction_warnings"]]
    assert any(f["category"] == "prior_performance" for f in report["findings"])


def test_a_hanging_parser_is_stopped(monkeypatch):
    import checker.isolation

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")  # the child must see the patch
    monkeypatch.setattr(checker.isolation, "read_document", lambda *a, **k: time.sleep(60))
    started = time.monotonic()
    with pytest.raises(ParseTimeout):
        read_isolated(b"%PDF-1.7\n", "hang.pdf", Limits(timeout_s=1.5))
    assert time.monotonic() - started < 10


def test_a_parser_blowing_its_memory_cap_is_an_input_error(monkeypatch):
    import checker.isolation

    def hog(*args, **kwargs):
        hoard = []
        while True:
            hoard.append(bytearray(50 * 2**20))

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")  # the child must see the patch
    monkeypatch.setattr(checker.isolation, "read_document", hog)
    with pytest.raises(InputError) as caught:
        read_isolated(b"%PDF-1.7\n", "hog.pdf", Limits(memory_mb=400, timeout_s=30))
    assert caught.value.code == "too_large"


def test_isolated_parse_returns_the_same_document(tenders_dir):
    data = (tenders_dir / "zj-gp-school-furniture.docx").read_bytes()
    report = check_bytes(data, "furniture.docx", CheckOptions())
    assert report["document"]["name"] == "furniture.docx"
    assert report["document"]["format"] == "docx"
