"""Every example of every rule (must-flag and must-pass), and the rule loader's refusals."""

from pathlib import Path

import pytest
import yaml

from checker.detect import check_clause
from checker.catalogue import Catalogue
from checker.detect.rules import default_rules, load_rule, load_rules, rules_root
from checker.errors import ConfigError
from checker.model import severity_rank
from checker.pipeline import CheckOptions, check_text

RULES = list(default_rules())
CASES = [
    pytest.param(rule, kind, example, id=f"{rule.id}-{kind}-{index}")
    for rule in RULES
    for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples))
    for index, example in enumerate(examples)
]


def _findings(rule, example):
    if rule.document_level:
        catalogue = None
        if example.catalogue:
            extra = Catalogue.from_paths([rules_root() / example.catalogue])
            catalogue = Catalogue.merge(Catalogue.bundled(), extra)
        options = CheckOptions(jurisdiction=example.jurisdiction, isolate=False, catalogue=catalogue)
        report = check_text(example.text, options=options)
        return [(f["rule_id"], f["severity"], f["evidence"].get("also_matched", [])) for f in report["findings"]]
    return [(f.rule_id, f.severity, f.evidence.get("also_matched", [])) for f in check_clause(example.text, example.section, example.jurisdiction)]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(rule, kind, example):
    found = _findings(rule, example)
    if kind == "flag":
        assert any(rule_id == rule.id or rule.id in also for rule_id, _, also in found), found
    else:
        # a lawful look-alike may earn advice from a risk rule, never a risk or a violation
        floor = min(severity_rank(rule.severity), severity_rank("risk"))
        assert not [f for f in found if f[0] == rule.id and severity_rank(f[1]) >= floor], found


def test_every_category_of_the_design_has_a_rule():
    from checker.model import CATEGORIES

    assert {r.category for r in RULES} == set(CATEGORIES)


def test_rules_carry_legal_basis_rewrite_and_documentation():
    for rule in RULES:
        assert rule.legal_basis and rule.suggestion and rule.doc["why"]
        # an article, or a note saying why the text is cited by title and issuers only (not yet checked)
        assert all(c["article"] or c.get("note") for c in rule.legal_basis)


def _write(tmp_path: Path, data: dict, examples: dict | None = None) -> Path:
    family = tmp_path / "GP"
    family.mkdir(exist_ok=True)
    path = family / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    if examples is not False:
        (family / f"{data['id']}.examples.yaml").write_text(
            yaml.safe_dump(examples or {"flag": ["注册资本不低于500万元"], "pass": ["投标报价"]}, allow_unicode=True), "utf-8"
        )
    return path


def _valid_rule() -> dict:
    source = Path(RULES[0].path)
    data = yaml.safe_load(Path(source.parent.parent / "GP" / "GP102.yaml").read_text("utf-8"))
    data["id"] = "GP999"
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d.pop("legal_basis"), "legal_basis"),
        (lambda d: d.update(patterns=["注册资本(?:"]), "does not compile"),
        (lambda d: d.update(checks=["no_such_check"]), "unknown clause check"),
        (lambda d: d.update(category="vague"), "vague"),
        (lambda d: d.update(legal_basis=[{"document": "《某法》"}]), "article"),
    ],
)
def test_a_bad_rule_file_fails_loudly(tmp_path, change, message):
    data = _valid_rule()
    change(data)
    with pytest.raises(ConfigError, match=message):
        load_rule(_write(tmp_path, data))


def test_a_rule_without_both_kinds_of_example_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="pass"):
        load_rule(_write(tmp_path, _valid_rule(), {"flag": ["注册资本不低于500万元"]}))
    path = _write(tmp_path, _valid_rule(), examples=False)
    path.with_name("GP999.examples.yaml").unlink()
    with pytest.raises(ConfigError, match="missing"):
        load_rule(path)


def test_the_bundled_rule_set_loads_and_ids_are_unique():
    rules = load_rules()
    assert len({r.id for r in rules}) == len(rules) >= 20
