"""The web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright):
upload a corpus DOCX, read the report, take a screenshot."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from api_helpers import CORPUS_TENDERS

CHROMIUM = Path("/usr/bin/chromium")
# As root, with this machine's closed network: no sandbox, no background connections, no GPU.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")


def png_pixels(png: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the set of distinct RGB(A) pixels of an 8-bit non-interlaced PNG."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks = 8, {}
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        chunks.setdefault(kind, []).append(png[position + 8:position + 8 + length])
        position += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):  # undo the PNG row filter
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        if row % 4 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, channels * 4))
        previous = line
    return width, height, colours


def test_upload_a_docx_and_read_the_report(live_server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        )
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="zh-CN")
            page.goto(live_server.url + "/")
            assert page.title() == "招标文件合规检查"
            page.set_input_files("input[name=file]", str(CORPUS_TENDERS / "zj-gp-broach-brands.docx"))
            page.select_option("select[name=jurisdiction]", "zhejiang")
            page.click("button[type=submit]")
            page.wait_for_url("**/reports/*", timeout=60_000)

            assert page.locator("section.report").count() == 1
            assert page.locator("section.group.violation h2").inner_text().startswith("违规")
            assert page.locator("article.finding").count() >= 2
            assert page.locator("blockquote.excerpt mark").count() >= 1
            assert "依据" in page.locator("article.finding .basis").first.inner_text()
            assert page.locator("article.finding .suggestion").count() >= 2
            assert page.locator("section.items table tbody tr").count() >= 1

            html_link = page.locator("a", has_text="HTML")
            with page.expect_download() as download_info:
                html_link.click()
            download = download_info.value
            assert download.suggested_filename == "zj-gp-broach-brands.report.html"

            screenshot = tmp_path / "report.png"
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    png = screenshot.read_bytes()
    width, height, colours = png_pixels(png)
    assert width == 1100 and height > 900
    assert len(colours) > 20  # text, badges and marks in several colours: not a blank page
