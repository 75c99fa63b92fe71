"""Rule packs: one YAML file per rule under rules/<family>/, examples beside it.

Loading validates each file against rule.schema.json, compiles every regex and
resolves every named check; any problem is a ConfigError naming the file, never a
rule skipped in silence. Examples live in ``<ID>.examples.yaml``::

    flag:                      # must get a finding from this rule
      - text: 投标人注册资本不低于500万元。
        section: qualification
    pass:                      # lawful look-alikes: must not
      - 不得将注册资本作为资格条件。
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from checker.errors import ConfigError
from checker.model import Citation, Finding, Location

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
JURISDICTION_PARENT = {"hangzhou": "zhejiang", "shaoxing": "zhejiang", "zhejiang": "national", "tianjin": "national", "shenyang": "national"}


def jurisdiction_chain(jurisdiction: str) -> list[str]:
    """hangzhou → [hangzhou, zhejiang, national]: a document is bound by every level above it."""
    chain = [jurisdiction]
    while chain[-1] in JURISDICTION_PARENT:
        chain.append(JURISDICTION_PARENT[chain[-1]])
    return chain


@dataclass(frozen=True)
class Example:
    text: str
    section: str = "unknown"
    jurisdiction: str = "national"
    catalogue: str | None = None  # extra catalogue file (relative to rules/) loaded beside the bundled one


@dataclass
class Rule:
    id: str
    name: str
    title: str
    category: str
    severity: str
    regimes: list[str]
    jurisdictions: list[str]
    sections: list[str]
    message: str
    legal_basis: list[dict[str, Any]]
    suggestion: str
    doc: dict[str, str]
    patterns: list[str] = field(default_factory=list)  # as written, lexicon placeholders expanded
    any_pattern: re.Pattern[str] | None = None  # all patterns in one regex: one search rules a clause out
    token_patterns: list[list[dict]] = field(default_factory=list)
    require: list[re.Pattern[str]] = field(default_factory=list)
    exceptions: list[re.Pattern[str]] = field(default_factory=list)
    checks: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    severity_by_section: dict[str, str] = field(default_factory=dict)
    severity_by_regime: dict[str, str] = field(default_factory=dict)
    # under these regimes no binding text forbids what the rule finds: {"regimes": [...], "note": "..."}
    policy_only: dict[str, Any] = field(default_factory=dict)
    supersedes: list[str] = field(default_factory=list)
    family: str = ""
    path: str = ""
    flag_examples: list[Example] = field(default_factory=list)
    pass_examples: list[Example] = field(default_factory=list)

    @property
    def document_level(self) -> bool:
        """A rule with no text patterns runs once per document (catalogue-aware checks)."""
        return not self.patterns and not self.token_patterns

    def applies(self, jurisdiction: str, regime: str) -> str | None:
        """The jurisdiction whose rule applies to this document, or None."""
        if regime not in self.regimes:
            return None
        for level in jurisdiction_chain(jurisdiction):
            if level in self.jurisdictions:
                return level
        return None

    def looks_at(self, section_kind: str) -> bool:
        return "any" in self.sections or section_kind in self.sections

    def citations(self, regime: str, jurisdiction: str) -> list[Citation]:
        """The texts that bind a tender of ``jurisdiction`` under ``regime``: a citation's
        jurisdiction is its issuer's, so a local text (the Tianjin draft, Zhejiang's opinions) is
        cited only where it binds; texts in force first, drafts after them."""
        chain = jurisdiction_chain(jurisdiction)
        in_chain = [c for c in self.legal_basis if c.get("jurisdiction", "national") in chain]
        chosen = [c for c in in_chain if regime in c.get("regimes", [regime])]
        if not chosen:  # never a text that does not bind here; the national law of another regime at worst
            chosen = [c for c in in_chain if c.get("status", "in_force") == "in_force"] or in_chain
        chosen = sorted(chosen, key=lambda c: c.get("status", "in_force") == "draft")
        return [
            Citation(
                document=c["document"],
                article=c["article"],
                quote=c.get("quote"),
                status=c.get("status", "in_force"),
                jurisdiction=c.get("jurisdiction", "national"),
            )
            for c in chosen
        ]

    def policy_only_under(self, regime: str) -> bool:
        return regime in self.policy_only.get("regimes", [])

    def severity_for(self, section_kind: str, regime: str) -> str:
        return self.severity_by_section.get(section_kind) or self.severity_by_regime.get(regime) or self.severity

    def finding(
        self, *, severity: str, message: str, excerpt: str, location: Location,
        regime: str, jurisdiction: str, evidence: dict[str, Any],
    ) -> Finding:
        """A finding of this rule in a document of ``jurisdiction`` under ``regime``.

        Where no binding text forbids what the rule finds (``policy_only`` under this regime), the
        finding is at most a risk and its message says it is a first-set policy concern; a
        violation that a named check found (an amount above the budget) stands."""
        if self.policy_only_under(regime) and severity != "violation":
            message = f"{message}{self.policy_only['note']}"
            evidence = {**evidence, "policy_only": True}
        return Finding(
            rule_id=self.id,
            category=self.category,
            severity=severity,
            title=self.title,
            message=message,
            legal_basis=self.citations(regime, jurisdiction),
            suggestion=self.suggestion,
            excerpt=excerpt,
            location=location,
            jurisdiction=self.applies(jurisdiction, regime) or "national",
            evidence=evidence,
        )

    def explain(self) -> str:
        from checker.report.render import CATEGORY_LABEL, REGIME_LABEL, SECTION_LABEL, SEVERITY_LABEL, jurisdiction_label

        from checker.report.render import citation_label

        basis = "\n".join(
            f"  - {citation_label(c)}（{jurisdiction_label(c.get('jurisdiction', 'national'))}"
            + (f"；{'、'.join(REGIME_LABEL.get(r, r) for r in c['regimes'])}" if c.get("regimes") else "")
            + (f"；{c['note']}" if c.get("note") else "") + "）"
            for c in self.legal_basis
        )
        if self.policy_only:
            basis += f"\n  在{'、'.join(REGIME_LABEL.get(r, r) for r in self.policy_only['regimes'])}中：{self.policy_only['note']}"
        return (
            f"{self.id} {self.name} — {self.title}\n"
            f"类别：{CATEGORY_LABEL.get(self.category, self.category)}（{self.category}）   严重程度：{SEVERITY_LABEL.get(self.severity, self.severity)}   "
            f"适用制度：{'、'.join(REGIME_LABEL.get(r, r) for r in self.regimes)}   "
            f"适用地区：{'、'.join(jurisdiction_label(j) for j in self.jurisdictions)}   "
            f"检查章节：{'、'.join(SECTION_LABEL.get(x, x) for x in self.sections)}\n\n"
            f"查什么\n  {self.doc['what'].strip()}\n\n"
            f"为什么构成歧视或不合理限制\n  {self.doc['why'].strip()}\n\n"
            f"不查什么（合法情形）\n  {self.doc['exclusions'].strip()}\n\n"
            f"法律依据\n{basis}\n\n"
            f"合规改写\n  {self.suggestion.strip()}\n\n"
            f"示例：应标记 {len(self.flag_examples)} 条，应放过 {len(self.pass_examples)} 条（{Path(self.path).name}）"
        )


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("checker.detect").joinpath("rule.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)  # once, not per rule file
    return jsonschema.Draft202012Validator(schema)


def rules_root() -> Path:
    return Path(str(resources.files("rules")))


@lru_cache(maxsize=1)
def lexicons() -> dict[str, str]:
    """rules/lexicon/<name>.yaml → the regex alternation that ``{<name>}`` stands for in a pattern.

    Latin names match case-insensitively and not inside a longer word; longer names first.
    """
    result = {}
    for path in sorted((rules_root() / "lexicon").glob("*.yaml")):
        groups = yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER) or {}
        names = sorted({str(n) for values in groups.values() for n in values}, key=len, reverse=True)
        latin = [re.escape(n) for n in names if n.isascii()]
        other = [re.escape(n) for n in names if not n.isascii()]
        parts = other + ([f"(?<![A-Za-z])(?i:{'|'.join(latin)})(?![a-z])"] if latin else [])
        # Python's re tries every alternative at every position; a class of first characters
        # in front lets it skip almost all positions at once
        firsts = "".join(sorted({re.escape(n[0].lower()) + re.escape(n[0].upper()) if n[0].isalpha() and n[0].isascii() else re.escape(n[0]) for n in names}))
        result[path.stem.rstrip("s")] = f"(?=[{firsts}])(?:" + "|".join(parts) + ")"
    return result


# Pieces of pattern that many rules need, by name like the lexicons:
#   {modal}  put before 须/必须/应/需…: the 应 of 供应商, 响应, 相应, 对应, 适应, 反应, 效应 is no modal verb
MODAL = "(?<![供响相对适反效])"
FRAGMENTS = {"modal": MODAL}


def _expand(pattern: str) -> str:
    for name, alternation in {**FRAGMENTS, **lexicons()}.items():
        pattern = pattern.replace("{" + name + "}", alternation)
    return pattern


def _compile_all(patterns: list[str], where: str) -> re.Pattern[str]:
    """One regex for all of a rule's patterns (compiling each alone is slow with lexicons);
    on failure, compile them one by one to name the pattern at fault."""
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        for pattern in patterns:
            _compile(pattern, where)
        raise


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern))
    except re.error as exc:
        raise ConfigError(f"{where}: regex does not compile ({exc}): {pattern}") from exc


# YAML folds a `>` scalar's lines with a space, which inside Chinese text is a stray space
# ("无法满足， 被排除"): drop white space between two CJK characters or CJK punctuation marks.
_CJK = "\u2018\u2019\u201c\u201d\u2014\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_IN_CJK = re.compile(f"(?<=[{_CJK}])[ \t\n]+(?=[{_CJK}])")
_PROSE_KEYS = ("title", "message", "suggestion")


def unfold_cjk(text: str) -> str:
    return _SPACE_IN_CJK.sub("", text)


def _unfold_prose(data: dict) -> dict:
    for key in _PROSE_KEYS:
        if isinstance(data.get(key), str):
            data[key] = unfold_cjk(data[key])
    if isinstance(data.get("doc"), dict):
        data["doc"] = {k: unfold_cjk(v) if isinstance(v, str) else v for k, v in data["doc"].items()}
    if isinstance(data.get("policy_only"), dict) and isinstance(data["policy_only"].get("note"), str):
        data["policy_only"]["note"] = unfold_cjk(data["policy_only"]["note"])
    for citation in data.get("legal_basis") or []:
        if isinstance(citation, dict):
            for key in ("quote", "document", "article", "note"):
                if isinstance(citation.get(key), str):
                    citation[key] = unfold_cjk(citation[key])
    return data


def load_rule(path: Path) -> Rule:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        location = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"{path}: {location}: {error.message}")
    data = _unfold_prose(data)
    if data["id"] != path.stem:
        raise ConfigError(f"{path}: id {data['id']} does not match the file name")
    from checker.detect.catalogue_checks import DOCUMENT_CHECKS
    from checker.detect.checks import CHECKS

    has_patterns = bool(data.get("patterns") or data.get("token_patterns"))
    known = CHECKS if has_patterns else DOCUMENT_CHECKS
    checks = []
    for entry in data.get("checks", []):
        name, args = (entry, {}) if isinstance(entry, str) else (entry["name"], entry.get("args", {}))
        if name not in known:
            kind = "clause" if has_patterns else "document"
            raise ConfigError(f"{path}: unknown {kind} check {name!r} (known: {', '.join(sorted(known))})")
        checks.append((name, args))
    rule = Rule(
        id=data["id"],
        name=data["name"],
        title=data["title"],
        category=data["category"],
        severity=data["severity"],
        regimes=data["regimes"],
        jurisdictions=data["jurisdictions"],
        sections=data["sections"],
        message=data["message"].strip(),
        legal_basis=data["legal_basis"],
        suggestion=data["suggestion"].strip(),
        doc=data["doc"],
        patterns=[_expand(p) for p in data.get("patterns", [])],
        token_patterns=data.get("token_patterns", []),
        require=[_compile(p, f"{path} require") for p in data.get("require", [])],
        exceptions=[_compile(p, f"{path} exceptions") for p in data.get("exceptions", [])],
        checks=checks,
        severity_by_section=data.get("severity_by_section", {}),
        severity_by_regime=data.get("severity_by_regime", {}),
        policy_only=data.get("policy_only", {}),
        supersedes=data.get("supersedes", []),
        family=path.parent.name,
        path=str(path),
    )
    if rule.patterns:
        rule.any_pattern = _compile_all(rule.patterns, f"{path} patterns")
    rule.flag_examples, rule.pass_examples = _load_examples(path.with_name(f"{rule.id}.examples.yaml"))
    return rule


def _load_examples(path: Path) -> tuple[list[Example], list[Example]]:
    if not path.exists():
        raise ConfigError(f"{path}: missing; every rule needs must-flag and must-pass examples")
    data = yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER) or {}
    unknown = set(data) - {"flag", "pass"}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")

    def parse(items: list[Any]) -> list[Example]:
        out = []
        for item in items or []:
            if isinstance(item, str):
                out.append(Example(item))
            elif isinstance(item, dict) and set(item) <= {"text", "section", "jurisdiction", "catalogue"} and "text" in item:
                out.append(Example(**item))
            else:
                raise ConfigError(f"{path}: bad example {item!r}")
        return out

    flags, passes = parse(data.get("flag")), parse(data.get("pass"))
    if not flags or not passes:
        raise ConfigError(f"{path}: needs at least one 'flag' and one 'pass' example")
    return flags, passes


def load_rules(root: Path | None = None) -> list[Rule]:
    root = root or rules_root()
    # rule families are the upper-case folders (FS, GP, TB); lexicon/ and fixtures/ hold data
    paths = sorted(p for p in root.glob("*/*.yaml") if p.parent.name.isupper() and not p.name.endswith(".examples.yaml"))
    if not paths:
        raise ConfigError(f"no rule files under {root}")
    rules = [load_rule(p) for p in paths]
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(f"duplicate rule id {rule.id} in {rule.path} and {seen[rule.id]}")
        seen[rule.id] = rule.path
    return rules


@lru_cache(maxsize=4)
def default_rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


# ---------------------------------------------------------------- verdicts a reviewer can sort

STATUSES = ("confirmed", "needs_review")
# words that make a brand name a demand (须采用A, 指定A, 限用A) rather than a mention or a reference
_DEMAND = re.compile(r"须|必须|应当?|需要?|要求|采用|选用|使用|指定|限用|仅限|只能|原装|原厂")
_REVIEW_HINT = {
    "policy_only": "政府采购法律法规未明文禁止该要求，属首台（套）政策层面的关注：请结合项目实际需要判断其是否必要；"
                   "确需考察的，改为低分值评审因素，并写明首台（套）产品视同具备相应业绩。",
    "tailored_parameters": "核对该参数是否为本项目的实际需要、是否有多家产品能够满足；与已有设备兼容等合理需求可以保留，"
                           "但应写明理由并允许同等产品。",
    "brand_mentioned": "文中出现品牌名称，但未见“须、采用、指定”等要求用语：请核对它是在指定品牌，还是在描述已有设备或参考型号。",
    "brand_open": "品牌后写明了“或同等”等字样：请核对是否同时给出了开放的技术标准，是否只是参考。",
    "advice": "提示性意见，不是违规认定：请结合项目情况判断是否需要调整。",
    "draft": "依据为征求意见稿，尚未生效：请核对是否已有正式印发的文本。",
}


def review_status(finding: Finding) -> tuple[str, str | None]:
    """``confirmed`` (a rule with its legal basis matched a requirement) or ``needs_review`` (a
    weaker signal, or a lawful reading is plausible), with what to look at (in Chinese)."""
    evidence = finding.evidence or {}
    if evidence.get("policy_only"):
        return "needs_review", _REVIEW_HINT["policy_only"]
    if finding.category == "tailored_parameters":
        return "needs_review", _REVIEW_HINT["tailored_parameters"]
    if finding.category == "brand_designation":
        if evidence.get("open"):
            return "needs_review", _REVIEW_HINT["brand_open"]
        matched = str(evidence.get("matched") or "")
        position = finding.excerpt.find(str(evidence.get("matched_original") or matched)) if matched else -1
        before = finding.excerpt[max(0, position - 8):position] if position > 0 else ""
        if evidence.get("brands") and not _DEMAND.search(before + matched):
            return "needs_review", _REVIEW_HINT["brand_mentioned"]
    if finding.severity == "advice":
        return "needs_review", _REVIEW_HINT["advice"]
    if finding.legal_basis and all(c.status == "draft" for c in finding.legal_basis):
        return "needs_review", _REVIEW_HINT["draft"]
    return "confirmed", None
