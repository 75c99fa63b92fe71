"""The detection pipeline: the rule matcher, and spaCy where a rule needs tokens.

Rules written as regular expressions run on the clause text directly. Rules with spaCy token
patterns run in spaCy's blank Chinese pipeline with jieba segmentation: each clause becomes a
Doc carrying its context in ``doc._.tender_context``; the ``tender_rules_v1`` component writes
one span per hit to ``doc.spans["tender"]`` (label = rule id) and the hit details to
``doc._.tender_hits``. spaCy is imported only when such a pipeline is built (it costs most of a
cold start), and the pipeline is built once per process.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from checker.detect.checks import CHECKS, Hit
from checker.detect.rules import Rule, default_rules, load_rules
from checker.model import severity_rank

SPAN_KEY = "tender"


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

    def __init__(self, nlp, name: str, rules: list[Rule]):
        self.name = name
        self.rules = [r for r in rules if not r.document_level]
        self.token_matcher = None
        if nlp is not None and any(rule.token_patterns for rule in self.rules):
            from spacy.matcher import Matcher

            self.token_matcher = Matcher(nlp.vocab)
            for rule in self.rules:
                if rule.token_patterns:
                    self.token_matcher.add(rule.id, rule.token_patterns)

    def may_match(self, text: str, context: ClauseContext) -> bool:
        """Whether any rule could match: clauses no pattern touches need no Doc (no segmentation)."""
        if self.token_matcher is not None:
            return True
        return any(
            rule.any_pattern is not None
            and rule.looks_at(context.section)
            and rule.applies(context.jurisdiction, context.regime) is not None
            and rule.any_pattern.search(text)
            for rule in self.rules
        )

    def __call__(self, doc):
        context: ClauseContext = doc._.tender_context or ClauseContext()
        token_hits: dict[str, list[tuple[int, int]]] = {}
        if self.token_matcher is not None:
            for match_id, start, end in self.token_matcher(doc):
                span = doc[start:end]
                token_hits.setdefault(doc.vocab.strings[match_id], []).append((span.start_char, span.end_char))
        hits = self.hits(doc.text, context, token_hits)
        spans = [doc.char_span(h.start, h.end, label=h.rule.id, alignment_mode="expand") for h in hits]
        doc.spans[SPAN_KEY] = [span for span in spans if span is not None]
        doc._.tender_hits = hits
        return doc

    def hits(self, text: str, context: ClauseContext, token_hits: dict[str, list[tuple[int, int]]] | None = None) -> list[RuleHit]:
        """Every rule's first hit in one clause."""
        hits: list[RuleHit] = []
        for rule in self.rules:
            level = rule.applies(context.jurisdiction, context.regime)
            if level is None or not rule.looks_at(context.section):
                continue
            hit = self._first_hit(rule, text, context, (token_hits or {}).get(rule.id, []))
            if hit is None:
                continue
            hit.applied_jurisdiction = level
            hits.append(hit)
        return hits

    def _first_hit(self, rule: Rule, text: str, context: ClauseContext, token_spans) -> RuleHit | None:
        if not token_spans and (rule.any_pattern is None or not rule.any_pattern.search(text)):
            return None
        if any(not p.search(text) for p in rule.require):
            return None
        candidates = list(rule.any_pattern.finditer(text)) if rule.any_pattern else []
        candidates += [_SpanMatch(text, s, e) for s, e in token_spans]
        for match in sorted(candidates, key=lambda m: m.start()):
            # an exception speaks for the sentence that states the requirement, not the whole clause:
            # "，响应时间不超过2小时" after a demand must not silence it
            segment = _sentence_around(text, match.start(), match.end())
            if any(p.search(segment) for p in rule.exceptions):
                continue
            hit = Hit(text, match, context.section, context.regime, context.jurisdiction, context.following, context.budget_wan)
            severity = rule.severity_for(context.section, context.regime)
            verdict = _run_checks(rule, hit)
            if verdict is False:
                continue
            if isinstance(verdict, str):
                severity = verdict
            return RuleHit(rule, match.start(), match.end(), severity, "", hit.evidence)
        return None


_SENTENCE_BREAK = re.compile(r"[。;!?]")


def _sentence_around(text: str, start: int, end: int) -> str:
    before = [m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)]
    after = _SENTENCE_BREAK.search(text, end)
    return text[before[-1] if before else 0 : after.end() if after else len(text)]


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


def make_rule_matcher(nlp, name: str, rules_dir: str | None) -> RuleMatcher:
    return RuleMatcher(nlp, name, _rules(rules_dir))


def _rules(rules_dir: str | None) -> list[Rule]:
    from pathlib import Path

    return load_rules(Path(rules_dir)) if rules_dir else list(default_rules())


@lru_cache(maxsize=1)
def _register_spacy_component() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    Doc.set_extension("tender_context", default=None, force=True)
    Doc.set_extension("tender_hits", default=None, force=True)
    Language.factory("tender_rules_v1", default_config={"rules_dir": None}, func=make_rule_matcher)


class _JiebaWithoutHMM:
    """What spaCy's Chinese tokenizer calls as ``jieba_seg``: jieba with HMM discovery of unknown
    words turned off. Rules match characters, so token boundaries only decide how far a span
    expands; HMM doubles the cost of segmentation for no gain here."""

    def __init__(self, jieba_module):
        self._jieba = jieba_module

    def cut(self, text: str, cut_all: bool = False):
        return self._jieba.cut(text, cut_all=cut_all, HMM=False)


@lru_cache(maxsize=2)
def build_pipeline(rules_dir: str | None = None):
    """spacy.blank('zh') with jieba chosen in the config (spaCy's default is per character).

    jieba's dictionary is process-global; it is set to the bundled one (jieba's own dictionary
    cut to words of frequency ≥ 30, plus procurement terms), which loads in a fraction of
    the time of the full 350,000-word list.
    """
    import jieba
    import spacy

    _register_spacy_component()
    jieba.setLogLevel(logging.WARNING)
    if not jieba.dt.initialized:
        jieba.set_dictionary(str(resources.files("checker.detect").joinpath("jieba_dict.txt")))
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer.jieba_seg = _JiebaWithoutHMM(jieba)
    nlp.add_pipe("tender_rules_v1", config={"rules_dir": rules_dir})
    return nlp


@lru_cache(maxsize=2)
def _plain_matcher(rules_dir: str | None) -> RuleMatcher:
    return RuleMatcher(None, "tender_rules_v1", _rules(rules_dir))


def run(texts_and_contexts: list[tuple[str, ClauseContext]], rules_dir: str | None = None) -> list[list[RuleHit]]:
    """Hits per clause. Most clauses of a tender touch no pattern; only the others are segmented
    and sent through the pipeline."""
    hits: list[list[RuleHit]] = [[] for _ in texts_and_contexts]
    plain = _plain_matcher(rules_dir)
    if plain.token_matcher is None and not any(r.token_patterns for r in plain.rules):
        # no rule needs tokens: match the text itself, without segmenting or building Docs
        for position, (text, context) in enumerate(texts_and_contexts):
            if plain.may_match(text, context):
                hits[position] = plain.hits(text, context)
        return hits
    nlp = build_pipeline(rules_dir)
    matcher: RuleMatcher = nlp.get_pipe("tender_rules_v1")
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
