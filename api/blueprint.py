"""The ``/api/v1`` blueprint (design interface 6).

Mount it in any Flask app with ``api.openapi.mount(app)`` (routes + OpenAPI document), or
plainly with ``app.register_blueprint(bp)`` (routes only). Either way the services it needs
are built from the host app's configuration when the blueprint is first registered.
"""

from __future__ import annotations

import re

from flask import abort, jsonify, request
from flask_smorest import Blueprint

from api import schemas
from api.auth import require_api_token
from api.catalogue_import import import_upload
from api.checking import check_json_request, read_check_request, run_check
from api.downloads import FORMATS, report_download
from api.errors import ApiError, register_blueprint_error_handlers
from api.services import bound_request_size, install, services

bp = Blueprint(
    "api_v1", __name__, url_prefix="/api/v1",
    description="Check tender documents, fetch stored reports, list rules, search and update the first-set catalogue.",
)
register_blueprint_error_handlers(bp)
# Services come from the app the blueprint is mounted in (create_app or a host application).
bp.record_once(lambda state: install(state.app))
bp.before_request(bound_request_size)
bp.before_request(check_json_request)  # malformed or 2,000-deep JSON is a 400 on every endpoint

REPORT_ID = re.compile(r"^[0-9a-f]{32}$")
_REPORT_RESPONSE = {
    "description": "the report (design interface 3) with its `id`",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}},
}
_ERRORS_FOR_CHECK = {
    400: "malformed request or unknown jurisdiction/regime",
    413: "upload larger than MAX_CONTENT_LENGTH, or more pages than allowed",
    415: "not a PDF, DOCX, HTML or text document (read from the bytes), or a body that is neither multipart nor JSON",
    422: "empty, corrupt, encrypted, scanned or otherwise unreadable document, or parsing exceeded its time/memory limit",
    429: "too many checks from this client (see Retry-After)",
    503: "all check slots busy and the wait queue full (see Retry-After)",
}


def _document_errors(errors: dict[int, str]):
    def decorate(view):
        for status, description in errors.items():
            view = bp.alt_response(status, schema=schemas.ErrorSchema, description=description)(view)
        return view

    return decorate


@bp.route("/check", methods=["POST"])
@bp.doc(
    summary="Check a tender document",
    description="Upload a file (multipart field `file`) or send text as JSON `{\"text\": …}`. "
    "The file is parsed in a separate process with time, memory and page limits; "
    "the report is stored and returned with its `id`.",
    requestBody={
        "required": True,
        "content": {
            "multipart/form-data": {"schema": schemas.CheckForm},
            "application/json": {"schema": schemas.CheckJson},
        },
    },
    responses={"200": _REPORT_RESPONSE},
)
@_document_errors(_ERRORS_FOR_CHECK)
def check():
    report = run_check(read_check_request(request))
    return jsonify(report)


def _stored_report(report_id: str) -> dict:
    report = services().store.get_report(report_id) if REPORT_ID.match(report_id) else None
    if report is None:
        raise ApiError(404, "not_found", f"没有报告 {report_id}")
    return report


@bp.route("/reports/<report_id>", methods=["GET"])
@bp.arguments(schemas.ReportFormatArgs, location="query", error_status_code=400, as_kwargs=True)
@bp.doc(summary="A stored report", description="JSON by default; `?format=html|sarif|json` downloads it as a file.",
        responses={"200": _REPORT_RESPONSE})
@_document_errors({404: "no such report"})
def report(report_id: str, format: str | None = None):  # noqa: A002 - the query parameter's name
    stored = _stored_report(report_id)
    return report_download(stored, format) if format else jsonify(stored)


@bp.route("/reports/<report_id>.<any(json, html, sarif, xlsx):fmt>", methods=["GET"])
@bp.doc(summary="Download a stored report as JSON, HTML, SARIF or an XLSX 整改清单",
        description="Content-Disposition keeps the document's original (Chinese) name via `filename*`.")
@_document_errors({404: "no such report"})
def report_file(report_id: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return report_download(_stored_report(report_id), fmt)


@bp.route("/annotate", methods=["POST"])
@bp.doc(
    summary="The review copy: the document with the findings in it",
    description="Upload a file (multipart field `file`, optional `jurisdiction`, `regime`) as for a check. "
    "The answer is the document marked up: DOCX → DOCX with a Word comment on each finding's text, "
    "PDF → PDF with a highlight and popup note on each finding, HTML/text → a DOCX of the text with the same comments; "
    "findings that cannot be placed are listed on a cover comment / first-page note. Named `…_审查意见.docx|.pdf` "
    "(`filename*`); headers `X-Report-Id` (the stored report), `X-Findings-Anchored`, `X-Findings-Unanchored`. "
    "Same isolation, limits and errors as `/check`.",
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": schemas.CheckForm}}},
    responses={"200": {"description": "the review copy", "content": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}},
)
@_document_errors(_ERRORS_FOR_CHECK)
def annotate():
    from api.annotating import review_copy_response, run_annotate

    return review_copy_response(run_annotate(read_check_request(request)))


@bp.route("/reports/<report_id>/review-copy", methods=["GET"])
@bp.doc(summary="The review copy of a stored report's document",
        description="Available while the uploaded file is at hand: kept uploads (`KEEP_UPLOADS`), or for "
        "`REVIEW_SOURCE_TTL` seconds after a check on the web page. 404 otherwise (upload it to `/annotate`).")
@_document_errors({404: "no such report, or its document is no longer kept", **_ERRORS_FOR_CHECK})
def review_copy(report_id: str):
    from api.annotating import review_copy_response, run_annotate, stored_source
    from api.checking import CheckRequest

    stored = _stored_report(report_id)
    data = stored_source(report_id)
    if data is None:
        raise ApiError(404, "source_gone", "原文件已不保留：请重新上传文件生成批注版（POST /api/v1/annotate）")
    document = stored.get("document", {})
    check = CheckRequest(document.get("name") or "document", document.get("jurisdiction") or "auto",
                         document.get("regime"), data=data)
    return review_copy_response(run_annotate(check, report=stored))


@bp.app_context_processor
def _review_copy_links():
    def review_copy_available(report_id: str) -> bool:
        from api.annotating import stored_source

        return bool(report_id) and stored_source(report_id) is not None

    return {"review_copy_available": review_copy_available}


def _rules():
    from checker.detect.rules import default_rules

    return default_rules()


@bp.route("/rules", methods=["GET"])
@bp.response(200, schemas.RuleSummary(many=True), description="every rule, in rule-id order")
def rules():
    from checker.cli import rule_summary

    return jsonify([rule_summary(rule) for rule in _rules()])


@bp.route("/rules/<rule_id>", methods=["GET"])
@bp.response(200, schemas.RuleDetail, description="one rule with its documentation, legal basis and examples")
@_document_errors({404: "no such rule"})
def rule(rule_id: str):
    from checker.cli import rule_summary

    wanted = rule_id.upper()
    found = next((r for r in _rules() if r.id == wanted), None)
    if found is None:
        raise ApiError(404, "not_found", f"没有规则 {rule_id}")
    return jsonify(rule_summary(found, full=True))


@bp.route("/catalogue/search", methods=["GET"])
@bp.arguments(schemas.SearchArgs, location="query", error_status_code=400, as_kwargs=True)
@bp.response(200, schemas.CatalogueHit(many=True), description="matching entries, best first")
@_document_errors({400: "missing or invalid q/limit"})
def catalogue_search(q: str, limit: int = 10):
    from checker.catalogue import Catalogue

    hits = Catalogue.default().search(q, limit=limit)
    return jsonify([{**entry.to_dict(), "score": round(score, 1)} for entry, score in hits])


@bp.route("/catalogue", methods=["POST"])
@bp.doc(
    summary="Import or update a first-set catalogue",
    description="Needs the API token (`Authorization: Bearer <token>`). Rows are validated; the accepted ones "
    "join the catalogue used by later checks, and a catalogue version is recorded.",
    requestBody={"required": True, "content": {"multipart/form-data": {"schema": schemas.CatalogueImportForm}}},
    security=[{"bearerAuth": []}],
)
@bp.response(201, schemas.CatalogueVersion, description="the recorded catalogue version")
@_document_errors({401: "no token", 403: "wrong token, or imports disabled", 413: "file too large",
                   415: "not CSV, XLSX or JSON", 422: "no valid row"})
def catalogue_import():
    require_api_token()
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "请用 multipart/form-data 的 file 字段上传目录文件")
    version = import_upload(request.files.get("file"), request.form.get("name"), services().store)
    return jsonify(version), 201


@bp.route("/catalogue/versions", methods=["GET"])
@bp.doc(summary="Imported catalogue versions", description="Needs the API token.", security=[{"bearerAuth": []}])
@bp.response(200, schemas.CatalogueVersion(many=True), description="imported catalogue versions, newest first")
@_document_errors({401: "no token", 403: "wrong token"})
def catalogue_version_list():
    require_api_token()
    return jsonify(services().store.catalogue_versions())


@bp.route("/reports", methods=["GET"])
@bp.doc(summary="The latest reports (operator only)",
        description="Needs the API token: a report is visible to whoever holds its id, a list only to the operator.",
        security=[{"bearerAuth": []}])
@bp.arguments(schemas.ListArgs, location="query", error_status_code=400, as_kwargs=True)
@bp.response(200, schemas.ReportListing(many=True), description="newest first, without the report bodies")
@_document_errors({401: "no token", 403: "wrong token"})
def report_list(limit: int = 20):
    require_api_token()
    return jsonify(services().store.recent_reports(limit))
