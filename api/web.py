"""The web page at ``/``: upload a document or paste text, choose the jurisdiction, read the report.

Server-rendered, no JavaScript: the form posts to ``/``, the check runs as for the API, and
the browser is redirected to ``/reports/<id>`` (so reloading does not check again). The
report body is the library's own HTML rendering, which escapes all document text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from api.auth import has_api_token
from api.annotating import remember_source
from api.checking import read_check_request, run_check
from api.errors import ApiError, from_http_exception
from api.services import bound_request_size, install, services
from checker.model import JURISDICTIONS, REGIMES
from checker.report.render import local_time as format_local_time, to_html

web_bp = Blueprint("web", __name__, template_folder="templates")
web_bp.record_once(lambda state: install(state.app))
web_bp.before_request(bound_request_size)

JURISDICTION_LABEL = {
    "auto": "自动识别", "national": "全国", "zhejiang": "浙江省", "hangzhou": "杭州市",
    "shaoxing": "绍兴市", "tianjin": "天津市", "shenyang": "沈阳市",
}
REGIME_LABEL = {"": "自动识别", "government_procurement": "政府采购", "tendering": "招标投标", "enterprise": "企业采购"}

# What the person sees for each error code; the library's own one-line reason is shown beside it.
ERROR_TITLE = {
    "too_large": "文件过大或页数过多。",
    "unsupported_type": "不支持的文件类型：请上传 PDF、DOCX、HTML 或 TXT 文件。",
    "unsupported_media_type": "请求格式不正确。",
    "empty": "文件为空，或没有可提取的文字。",
    "scanned": "这是扫描件，没有文字层：请先做文字识别（OCR）。",
    "encrypted": "文件已加密，请先解除密码保护。",
    "corrupt": "文件已损坏或不完整。",
    "timeout": "解析超时，文件被拒绝。",
    "zip_bomb": "DOCX 文件解压后异常庞大，已拒绝。",
    "doctype": "DOCX 文件含有不允许的 DOCTYPE 声明，已拒绝。",
    "not_tender": "这似乎不是招标/采购文件。",
    "cancelled": "检查已停止。",
    "check_failed": "文件无法检查（内部错误已记录）。",
    "busy": "服务器繁忙，请稍后再试。",
    "rate_limited": "检查次数过多，请稍后再试。",
    "bad_request": "请上传文件或粘贴文字。",
    "not_found": "找不到该页面或报告。",
}

# The page runs no script at all; the report's document text is escaped and this forbids scripts besides.
PAGE_CSP = "default-src 'self'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"


def display_zone() -> ZoneInfo:
    """The time zone the page shows times in (``DISPLAY_TIMEZONE``, default Asia/Shanghai)."""
    name = current_app.config.get("DISPLAY_TIMEZONE") or "Asia/Shanghai"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def timezone_label() -> str:
    zone = display_zone()
    return "北京时间" if zone.key in ("Asia/Shanghai", "Asia/Chongqing", "PRC") else zone.key


@web_bp.app_template_filter("local_time")
def local_time(value: str | None) -> str:
    """An ISO 8601 time (stored in UTC) as ``2026-12-02 08:53`` in the display time zone."""
    return format_local_time(value, display_zone())


@lru_cache(maxsize=1)
def report_css() -> Markup:
    # trusted package data placed inside <style>, where HTML escaping would break the CSS
    return Markup(resources.files("checker.report").joinpath("templates", "report.css").read_text("utf-8"))


@web_bp.after_request
def _page_headers(response):
    response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    return response


def _render_form(error: ApiError | None = None, status: int = 200):
    form = {"text": request.form.get("text", "") if request.method == "POST" else "",
            "jurisdiction": request.form.get("jurisdiction", "auto"), "regime": request.form.get("regime", "")}
    shown_error = None
    if error is not None:
        shown_error = {"title": ERROR_TITLE.get(error.code, "文件无法检查。"), "code": error.code, "message": error.message}
    response = current_app.make_response((render_template(
        "index.html",
        error=shown_error,
        form=form,
        jurisdictions=[(value, JURISDICTION_LABEL.get(value, value)) for value in ("auto", *JURISDICTIONS)],
        regimes=[(value, REGIME_LABEL.get(value, value)) for value in ("", *REGIMES)],
        max_mb=int(current_app.config["MAX_CONTENT_LENGTH"]) // 2**20,
        # a report is visible to whoever holds its id; the list of everyone's only to the operator
        recent=services().store.recent_reports(10) if has_api_token() else [],
        timezone_label=timezone_label(),
        report_css="",
    ), status))
    if error is not None:
        for name, value in error.headers.items():
            response.headers[name] = value
    return response


@web_bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return _render_form()
    try:
        check = read_check_request(request)
        report = run_check(check)
    except ApiError as error:
        return _render_form(error, error.status)
    except HTTPException as exc:  # 413 from reading an oversized form
        error = from_http_exception(exc)
        return _render_form(error, error.status)
    remember_source(report, check)  # for the report page's 下载批注版 button
    return redirect(url_for("web.report_page", report_id=report["id"]), code=303)


@web_bp.route("/reports/<report_id>")
def report_page(report_id: str):
    from api.blueprint import REPORT_ID

    report = services().store.get_report(report_id) if REPORT_ID.match(report_id) else None
    if report is None:
        return render_error_page(404, ERROR_TITLE["not_found"])
    return render_template("report.html", report=report, report_html=Markup(to_html(report, embedded=True, tz=display_zone())),
                           report_css=report_css(), timezone_label=timezone_label())


def render_error_page(status: int, title: str):
    response = current_app.make_response((render_template("error.html", status=status, title=title, report_css=""), status))
    response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    return response


def html_error_handler(exc: HTTPException):
    """Errors outside the API (unknown page, 405, 413 on the form) as a Chinese HTML page."""
    status = exc.code or 500
    titles = {404: ERROR_TITLE["not_found"], 405: "不支持该请求方法。", 413: ERROR_TITLE["too_large"], 500: "服务器内部错误，已记录。"}
    response = render_error_page(status, titles.get(status, exc.name))
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response
