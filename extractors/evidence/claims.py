"""Which (证) claims a document supports, each with a score and the sentence that justified it.

A claim rule of ``patterns.yaml`` holds in a sentence when all concepts of one of its
alternatives occur in it, none of its ``unless`` concepts do, and, for a rule with a
``level``, the level word that qualifies it is its own (省级 vs 国家).  Where a sentence alone does
not carry the claim, the headings of its section may complete it (a section titled
（三）信息服务 backs 信息服务 with every sentence under it).  Scores:

- ``SENTENCE`` (0.9): the sentence (or heading, or table row) states the claim by itself;
- ``WITH_HEADING`` (0.75): the sentence states it together with its section's headings;
- each further sentence of the file that supports the same claim adds ``SUPPORT_BONUS``,
  up to 1.0; the total is scaled by the confidence the best sentence was read with (OCR).

``related_sentences`` lists, for each claim no sentence states, the first sentence that names
part of it — at least half the concepts of one alternative, or all of them but with another
level word or an excluding word.  Such text *could* state the claim in words the patterns do not
know, so a check may not call the claim unsupported with certainty.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Source

from .nlp import ConceptMatcher
from .patterns import ClaimRule, Patterns
from .segments import DocumentSegments

SENTENCE = 0.9
WITH_HEADING = 0.75
SUPPORT_BONUS = 0.03


@dataclass
class ClaimMatch:
    claim: str                 # the patterns key ("<field id>:<option label>")
    rule: ClaimRule
    score: float
    sentence: str
    headings: tuple[str, ...]
    source: Source
    confidence: float
    how: str                   # sentence | with_heading
    support: int = 1           # sentences of the file that support it

    def to_dict(self, claim: str) -> dict:
        d = {"claim": claim, "score": round(self.score, 4), "sentence": self.sentence,
             "source": self.source.to_dict(), "how": self.how, "support": self.support}
        if self.headings and self.how == "with_heading":
            d["heading"] = self.headings[-1]
        if self.confidence < 1.0:
            d["confidence"] = round(float(self.confidence), 4)
        return d


def match_claims(ds: DocumentSegments, patterns: Patterns, matcher: ConceptMatcher) -> list[ClaimMatch]:
    """The best-supported sentence of each claim the document bears on (any score)."""
    best: dict[str, ClaimMatch] = {}
    support: dict[str, int] = {}
    for seg in ds.segments:
        own_order = [h.concept for h in matcher.find(seg.text)]
        own = set(own_order)
        ctx_order = [h.concept for t in seg.headings for h in matcher.find(t)]
        context = set(ctx_order)
        for rule in patterns.claims:
            if rule.holds(own, own_order):
                score, how = SENTENCE, "sentence"
            elif context and rule.holds(own | context, ctx_order + own_order) and own & set().union(*rule.when):
                score, how = WITH_HEADING, "with_heading"
            else:
                continue
            support[rule.claim] = support.get(rule.claim, 0) + 1
            score *= seg.confidence
            cur = best.get(rule.claim)
            if cur is None or score > cur.score:
                best[rule.claim] = ClaimMatch(rule.claim, rule, score, seg.text, seg.headings, seg.source,
                                              seg.confidence, how)
    out = []
    for key, m in best.items():
        m.support = support[key]
        m.score = min(1.0, m.score + SUPPORT_BONUS * (m.support - 1) * m.confidence)
        out.append(m)
    out.sort(key=lambda m: -m.score)
    return out


RELATED_SHARE = 0.5        # share of an alternative's concepts that makes a sentence related


def _related(rule: ClaimRule, concepts: set[str]) -> bool:
    if any(alt <= concepts for alt in rule.when):
        return True                   # all named, but another level or an excluding word
    return any(len(alt) > 1 and len(alt & concepts) / len(alt) >= RELATED_SHARE for alt in rule.when)


def related_sentences(ds: DocumentSegments, patterns: Patterns, matcher: ConceptMatcher,
                      stated: set[str]) -> list[dict]:
    """The first sentence that names part of each claim not in ``stated`` (see module doc)."""
    found: dict[str, dict] = {}
    for seg in ds.segments:
        own = {h.concept for h in matcher.find(seg.text)}
        ctx = {h.concept for t in seg.headings for h in matcher.find(t)}
        for rule in patterns.claims:
            if rule.claim in stated or rule.claim in found:
                continue
            if _related(rule, own) or (ctx and own & set().union(*rule.when) and _related(rule, own | ctx)):
                found[rule.claim] = {"claim": rule.claim, "sentence": seg.text, "source": seg.source.to_dict()}
    return list(found.values())
