"""End to end on the corpus tenders (written by the project): every expected finding is
reported, nothing unexpected at risk or above, facts, sections and items as expected.
Both the DOCX and the PDF made from it must give the same answer."""

import json
from functools import lru_cache
from pathlib import Path

import pytest

from checker.model import severity_rank
from checker.normalise import normalise_text
from checker.pipeline import CheckOptions, check_path

TENDERS = Path(__file__).resolve().parent.parent / "corpus" / "tenders"
EXPECTED = sorted(TENDERS.glob("*.expected.json"))
CASES = [pytest.param(path, fmt, id=f"{path.name.split('.')[0]}.{fmt}") for path in EXPECTED for fmt in ("docx", "pdf")]


def squeeze(text: str) -> str:
    return "".join(normalise_text(text).split())


@lru_cache(maxsize=None)
def report_for(path: Path, fmt: str) -> dict:
    return check_path(path.with_name(path.name.replace(".expected.json", f".{fmt}")), CheckOptions(isolate=False))


def expected(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_corpus_has_at_least_six_documents_marked_as_written_by_the_project():
    assert len(EXPECTED) >= 6
    assert all(expected(p)["written_by_project"] for p in EXPECTED)


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_expected_findings_are_reported(path, fmt):
    report = report_for(path, fmt)
    serious = [f for f in report["findings"] if severity_rank(f["severity"]) >= severity_rank("risk")]
    for want in expected(path)["expected_findings"]:
        key = squeeze(want["excerpt_contains"])
        hits = [f for f in serious if f["category"] == want["category"] and key in squeeze(f["excerpt"])]
        assert hits, f"missing {want['category']}: {want['excerpt_contains']}"
        assert max(severity_rank(f["severity"]) for f in hits) >= severity_rank(want["severity_at_least"])
        if want.get("section"):
            assert any(f["location"]["section_kind"] == want["section"] for f in hits), [f["location"] for f in hits]


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_nothing_unexpected_at_risk_or_above(path, fmt):
    keys = [(w["category"], squeeze(w["excerpt_contains"])) for w in expected(path)["expected_findings"]]
    for finding in report_for(path, fmt)["findings"]:
        if severity_rank(finding["severity"]) < severity_rank("risk"):
            continue
        excerpt = squeeze(finding["excerpt"])
        assert any(c == finding["category"] and k in excerpt for c, k in keys), (finding["rule_id"], finding["excerpt"])


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_lawful_look_alikes_are_left_alone(path, fmt):
    serious = [squeeze(f["excerpt"]) for f in report_for(path, fmt)["findings"] if severity_rank(f["severity"]) >= 1]
    for absent in expected(path).get("expected_absent", []):
        key = squeeze(absent["excerpt_contains"])
        assert not any(key in excerpt for excerpt in serious), absent


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_document_facts(path, fmt):
    want, document = expected(path), report_for(path, fmt)["document"]
    assert document["jurisdiction"] == want["jurisdiction"]
    assert document["regime"] == want["regime"]
    assert document["date"] == want["date"]
    assert squeeze(want["title_contains"]) in squeeze(document["title"] or "")
    assert squeeze(want["purchaser_contains"]) in squeeze(document["purchaser"] or "")
    if fmt == "pdf":
        assert document["pages"] == want["pdf_pages"]


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_chapters_are_classified(path, fmt):
    sections = report_for(path, fmt)["document"]["sections"]
    for want in expected(path)["sections"]:
        key = squeeze(want["heading_contains"])
        matching = [s for s in sections if key in squeeze(s["heading"])]
        assert matching, f"no section heading contains {want['heading_contains']}"
        assert any(s["kind"] == want["kind"] for s in matching), (want, [(s["heading"], s["kind"]) for s in matching])


@pytest.mark.parametrize(("path", "fmt"), CASES)
def test_items_brands_and_catalogue_matches(path, fmt):
    items = report_for(path, fmt)["items"]
    for want in expected(path).get("items", []):
        found = [i for i in items if squeeze(want["name_contains"]) in squeeze(i["name"])]
        assert found, f"item {want['name_contains']} not found"
        item = found[0]
        if "brands" in want:
            assert [squeeze(b) for b in item["brands"]] == [squeeze(b) for b in want["brands"]]
        names = [m["name"] for m in item["catalogue_matches"]]
        if want.get("catalogue_match_contains") is None:
            assert names == [], names
        else:
            assert any(want["catalogue_match_contains"] in n for n in names), names
