"""Request and response shapes for the OpenAPI document (marshmallow, read by flask-smorest).

The report itself is described by the JSON Schema that ships with the library
(checker/report/report.schema.json); api.openapi adds it to the document as is.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from checker.model import JURISDICTIONS, REGIMES


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "short machine code, e.g. too_large, unsupported_type, empty, timeout"})
    message = fields.String(required=True, metadata={"description": "one-line reason for a person"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class CheckForm(Schema):
    """multipart/form-data body of POST /check."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "PDF, DOCX, HTML or plain text; the type is read from the bytes"})
    jurisdiction = fields.String(load_default="auto", validate=validate.OneOf(["auto", *JURISDICTIONS]))
    regime = fields.String(validate=validate.OneOf(REGIMES), metadata={"description": "default: detected from the document"})


class CheckJson(Schema):
    """application/json body of POST /check."""

    text = fields.String(required=True, metadata={"description": "the tender text"})
    name = fields.String(metadata={"description": "a document name for the report (default pasted-text.txt)"})
    jurisdiction = fields.String(load_default="auto", validate=validate.OneOf(["auto", *JURISDICTIONS]))
    regime = fields.String(validate=validate.OneOf(REGIMES))


class ReportFormatArgs(Schema):
    format = fields.String(validate=validate.OneOf(["json", "html", "sarif", "xlsx"]), metadata={"description": "download the report in this format (attachment)"})


class RuleSummary(Schema):
    id = fields.String(required=True)
    name = fields.String()
    title = fields.String()
    category = fields.String()
    severity = fields.String(validate=validate.OneOf(["violation", "risk", "advice"]))
    regimes = fields.List(fields.String())
    jurisdictions = fields.List(fields.String())
    sections = fields.List(fields.String())


class RuleDetail(RuleSummary):
    message = fields.String()
    suggestion = fields.String()
    doc = fields.Dict(keys=fields.String(), values=fields.String())
    legal_basis = fields.List(fields.Dict())
    examples = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class SearchArgs(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={"description": "product, model, company or brand name"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class CatalogueHit(Schema):
    class Meta:
        # an entry has more keys than listed here (parameters, source…); keep them all
        unknown = "include"

    id = fields.String()
    name = fields.String()
    company = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    catalogue = fields.String(allow_none=True)
    score = fields.Float(metadata={"description": "similarity 0–100"})


class CatalogueImportForm(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "catalogue file: CSV, XLSX or JSON"})
    name = fields.String(metadata={"description": "the list's name, for rows that do not state one"})


class CatalogueVersion(Schema):
    id = fields.Integer(metadata={"description": "catalogue version number"})
    source_name = fields.String()
    catalogue = fields.String(allow_none=True)
    sha256 = fields.String()
    entries = fields.Integer(metadata={"description": "rows accepted"})
    rejected = fields.Integer(metadata={"description": "rows rejected"})
    import_report = fields.String()
    created_at = fields.String()


class ListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class ReportListing(Schema):
    id = fields.String()
    document_name = fields.String()
    sha256 = fields.String()
    created_at = fields.String(metadata={"description": "UTC, ISO 8601"})
    jurisdiction = fields.String(allow_none=True)
    regime = fields.String(allow_none=True)
    by_severity = fields.Dict()


class Health(Schema):
    status = fields.String()
    version = fields.String()
    checks = fields.Dict()
