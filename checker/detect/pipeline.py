"""The detection pipeline: spaCy's blank Chinese pipeline, jieba segmentation, and the rule matcher.

Each clause becomes a Doc carrying its context (section kind, regime, jurisdiction, the
next sentence) in ``doc._.tender_context``; the ``tender_rules`` component writes one span
per hit to ``doc.spans["tender"]`` (label = rule id) and the hit details to
``doc._.tender_hits``. The pipeline is built once per process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from checker.detect.checks import CHECKS, Hit
from checker.detect.rules import Rule, default_rules, load_rules
from checker.model import severity_rank

SPAN_KEY = "tender"
Doc.set_extension("tender_context", default=None, force=True)
Doc.set_extension("tender_hits", default=None, force=True)


@dataclass(frozen=True)
class ClauseContext:
    section: str = "unknown"
    regime: str = "government_procurement"
    jurisdiction: str = "national"
    following: str = ""
    budget_wan: float | None = None  # the project's budget, for amount thresholds


@dataclass
class RuleHit:
    rule: Rule
    start: int  # character offsets in the clause
    end: int
    severity: str
    applied_jurisdiction: str
    evidence: dict


class RuleMatcher:
    """Runs every text rule on a clause: patterns, requirements, exceptions, then named checks."""

    def __init__(self, nlp: Language, name: str, rules: list[Rule]):
        self.name = name
        self.rules = [r for r in rules if not r.document_level]
        self.token_matcher = Matcher(nlp.vocab)
        for rule in self.rules:
            if rule.token_patterns:
                self.token_matcher.add(rule.id, rule.token_patterns)

    def may_match(self, text: str, context: ClauseContext) -> bool:
        """Whether any rule could match: clauses no pattern touches need no Doc (no segmentation)."""
        if len(self.token_matcher):
            return True
        return any(
            rule.any_pattern is not None
            and rule.looks_at(context.section)
            and rule.applies(context.jurisdiction, context.regime) is not None
            and rule.any_pattern.search(text)
            for rule in self.rules
        )

    def __call__(self, doc: Doc) -> Doc:
        context: ClauseContext = doc._.tender_context or ClauseContext()
        text = doc.text
        token_hits: dict[str, list[tuple[int, int]]] = {}
        if len(self.token_matcher):
            for match_id, start, end in self.token_matcher(doc):
                span = doc[start:end]
                token_hits.setdefault(doc.vocab.strings[match_id], []).append((span.start_char, span.end_char))
        hits: list[RuleHit] = []
        spans = []
        for rule in self.rules:
            level = rule.applies(context.jurisdiction, context.regime)
            if level is None or not rule.looks_at(context.section):
                continue
            hit = self._first_hit(rule, text, context, token_hits.get(rule.id, []))
            if hit is None:
                continue
            hit.applied_jurisdiction = level
            hits.append(hit)
            span = doc.char_span(hit.start, hit.end, label=rule.id, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPAN_KEY] = spans
        doc._.tender_hits = hits
        return doc

    def _first_hit(self, rule: Rule, text: str, context: ClauseContext, token_spans) -> RuleHit | None:
        if not token_spans and (rule.any_pattern is None or not rule.any_pattern.search(text)):
            return None
        if any(not p.search(text) for p in rule.require):
            return None
        if any(p.search(text) for p in rule.exceptions):
            return None
        candidates = list(rule.any_pattern.finditer(text)) if rule.any_pattern else []
        candidates += [_SpanMatch(text, s, e) for s, e in token_spans]
        for match in sorted(candidates, key=lambda m: m.start()):
            hit = Hit(text, match, context.section, context.regime, context.jurisdiction, context.following, context.budget_wan)
            severity = rule.severity_for(context.section, context.regime)
            verdict = _run_checks(rule, hit)
            if verdict is False:
                continue
            if isinstance(verdict, str):
                severity = verdict
            return RuleHit(rule, match.start(), match.end(), severity, "", hit.evidence)
        return None


def _run_checks(rule: Rule, hit: Hit) -> bool | str:
    if not CHECKS["not_negated"](hit):
        return False
    result: bool | str = True
    for name, args in rule.checks:
        verdict = CHECKS[name](hit, **args)
        if verdict is False:
            return False
        if isinstance(verdict, str) and (result is True or severity_rank(verdict) < severity_rank(result)):
            result = verdict
    return result


class _SpanMatch:
    """A token-pattern hit dressed as a regex match for the checks."""

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _=0) -> str:
        return self._text[self._start : self._end]


@Language.factory("tender_rules_v1", default_config={"rules_dir": None})
def make_rule_matcher(nlp: Language, name: str, rules_dir: str | None) -> RuleMatcher:
    from pathlib import Path

    rules = load_rules(Path(rules_dir)) if rules_dir else list(default_rules())
    return RuleMatcher(nlp, name, rules)


class _JiebaWithoutHMM:
    """What spaCy's Chinese tokenizer calls as ``jieba_seg``: jieba with HMM discovery of unknown
    words turned off. Rules match characters, so token boundaries only decide how far a span
    expands; HMM doubles the cost of segmentation for no gain here."""

    def __init__(self, jieba_module):
        self._jieba = jieba_module

    def cut(self, text: str, cut_all: bool = False):
        return self._jieba.cut(text, cut_all=cut_all, HMM=False)


@lru_cache(maxsize=2)
def build_pipeline(rules_dir: str | None = None) -> Language:
    """spacy.blank('zh') with jieba chosen in the config (spaCy's default is per character).

    jieba's dictionary is process-global; it is set to the bundled one (jieba's own dictionary
    cut to words of frequency ≥ 30, plus procurement terms), which loads in a fraction of
    the time of the full 350,000-word list.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if not jieba.dt.initialized:
        jieba.set_dictionary(str(resources.files("checker.detect").joinpath("jieba_dict.txt")))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = _JiebaWithoutHMM(jieba)
    nlp.add_pipe("tender_rules_v1", config={"rules_dir": rules_dir})
    return nlp


def run(texts_and_contexts: list[tuple[str, ClauseContext]], rules_dir: str | None = None) -> list[list[RuleHit]]:
    """Hits per clause. Most clauses of a tender touch no pattern; only the others are segmented
    and sent through the pipeline."""
    nlp = build_pipeline(rules_dir)
    matcher: RuleMatcher = nlp.get_pipe("tender_rules_v1")
    hits: list[list[RuleHit]] = [[] for _ in texts_and_contexts]
    docs, positions = [], []
    for position, (text, context) in enumerate(texts_and_contexts):
        if matcher.may_match(text, context):
            doc = nlp.make_doc(text)
            doc._.tender_context = context
            docs.append(doc)
            positions.append(position)
    for position, doc in zip(positions, nlp.pipe(docs, batch_size=256)):
        hits[position] = doc._.tender_hits or []
    return hits
