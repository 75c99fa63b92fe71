"""POST /api/v1/annotate and the page's 下载批注版 / 下载整改清单 (issue 12)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from urllib.parse import quote

from api_helpers import CORPUS_TENDERS, TENDER_TEXT, upload, zip_bomb_docx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_annotate import assert_docx_anchored, assert_pdf_anchored, docx_comments  # noqa: E402

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Copy:  # what the assertions read from a review copy
    def __init__(self, response, report):
        self.data = response.data
        self.unanchored = int(response.headers["X-Findings-Unanchored"])
        self.anchored = int(response.headers["X-Findings-Anchored"])
        self.report = report


def test_annotate_docx_upload_returns_the_commented_docx(client, tender_docx):
    response = upload(client, tender_docx, "浙江招标文件.docx", url="/api/v1/annotate", jurisdiction="zhejiang")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == DOCX_TYPE
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('浙江招标文件_审查意见.docx')}" in disposition
    report = client.get(f"/api/v1/reports/{response.headers['X-Report-Id']}").get_json()
    assert report["document"]["name"] == "浙江招标文件.docx" and report["document"]["jurisdiction"] == "zhejiang"
    copy = _Copy(response, report)
    assert copy.anchored == len(report["findings"]) > 0 and copy.unanchored == 0
    assert_docx_anchored(copy, report)


def test_annotate_pdf_upload_returns_the_highlighted_pdf(client):
    data = (CORPUS_TENDERS / "tj-works-construction.pdf").read_bytes()
    response = upload(client, data, "天津施工招标.pdf", url="/api/v1/annotate")
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf" and response.data.startswith(data)
    assert quote("天津施工招标_审查意见.pdf") in response.headers["Content-Disposition"]
    report = client.get(f"/api/v1/reports/{response.headers['X-Report-Id']}").get_json()
    assert_pdf_anchored(_Copy(response, report), report)


def test_annotate_pasted_text_gives_a_docx(client):
    response = client.post("/api/v1/annotate", data={"text": TENDER_TEXT}, content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert any(c["text"].startswith("【") for c in docx_comments(response.data).values())


def test_annotate_refuses_what_check_refuses(client):
    response = upload(client, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "picture.png", url="/api/v1/annotate")
    assert response.status_code == 415 and response.get_json()["error"]["code"]
    response = upload(client, zip_bomb_docx(), "bomb.docx", url="/api/v1/annotate")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "zip_bomb"
    response = client.post("/api/v1/annotate", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    response = upload(client, b"", "empty.docx", url="/api/v1/annotate")
    assert response.status_code == 422


def test_report_xlsx_download(client, tender_docx):
    from openpyxl import load_workbook

    report = upload(client, tender_docx, "招标文件.docx").get_json()
    response = client.get(f"/api/v1/reports/{report['id']}.xlsx")
    assert response.status_code == 200
    assert quote("招标文件_整改清单.xlsx") in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "位置", "原文") and len(rows) == len(report["findings"]) + 1
    assert client.get(f"/api/v1/reports/{report['id']}?format=xlsx").status_code == 200


def test_page_offers_both_downloads_after_an_upload(client, tender_docx):
    response = client.post("/", data={"file": (io.BytesIO(tender_docx), "招标文件.docx"), "jurisdiction": "auto"},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "下载批注版" in page and "下载整改清单" in page
    link = re.search(r'href="([^"]+/review-copy)"', page).group(1)
    copy = client.get(link)
    assert copy.status_code == 200 and copy.mimetype == DOCX_TYPE
    assert quote("招标文件_审查意见.docx") in copy.headers["Content-Disposition"]
    xlsx = re.search(r'href="([^"]+\.xlsx)"', page).group(1)
    assert client.get(xlsx).status_code == 200


def test_review_copy_needs_the_source(make_app, tender_docx):
    client = make_app(REVIEW_SOURCE_TTL=0).test_client()
    report = upload(client, tender_docx, "招标文件.docx").get_json()
    response = client.get(f"/api/v1/reports/{report['id']}/review-copy")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "source_gone"
    page = client.get(f"/reports/{report['id']}").get_data(as_text=True)
    assert "下载批注版" not in page and "重新上传" in page and "下载整改清单" in page


def test_review_copy_from_kept_uploads(make_app, tender_docx, tmp_path):
    client = make_app(KEEP_UPLOADS=True, UPLOAD_FOLDER=str(tmp_path / "uploads")).test_client()
    report = upload(client, tender_docx, "招标文件.docx").get_json()
    response = client.get(f"/api/v1/reports/{report['id']}/review-copy")
    assert response.status_code == 200 and response.headers["X-Findings-Anchored"] == str(len(report["findings"]))
