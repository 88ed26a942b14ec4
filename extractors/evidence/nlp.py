"""Chinese text → the concepts of ``patterns.yaml`` it mentions, with spaCy and jieba.

One spaCy pipeline per process: a blank ``zh`` language whose tokenizer is jieba (no
downloaded model; jieba's own dictionary ships with the package), and a ``Matcher`` with one
token pattern per concept term.  A term is segmented by the same pipeline, so it matches a
run of whole words in the sentence ("国家" is found in 国家/中小企业/公共服务/示范/平台 but not
inside the one word 国家级 unless that word is a term too).

``ConceptMatcher.find(text)`` returns each match as (concept, term, start char, end char).
Results are cached per text: the same heading is looked at for every sentence under it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from pipeline.model.numbers import normalise as _normalise

from .patterns import Patterns, load_patterns


@dataclass(frozen=True)
class Hit:
    concept: str
    term: str
    start: int        # character offsets in the normalised text
    end: int


def normalise(text: str) -> str:
    """The form matching and number reading work on: NFKC (full-width letters, digits and
    punctuation become ASCII), line breaks inside a sentence removed (``pipeline.model.numbers``)."""
    return _normalise(text)


@lru_cache(maxsize=1)
def blank_zh():
    """The blank ``zh`` pipeline with jieba as its segmenter (built once per process)."""
    import spacy

    from pipeline.model.words import jieba
    jieba()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


class ConceptMatcher:
    """A spaCy ``Matcher`` over the concepts (and indicator terms) of the patterns file."""

    def __init__(self, patterns: Patterns):
        from spacy.matcher import Matcher

        self.nlp = blank_zh()
        self.matcher = Matcher(self.nlp.vocab)
        self._term_of: dict[str, str] = {}
        for concept, terms in patterns.all_terms().items():
            token_patterns = []
            for term in terms:
                toks = [t.text for t in self.nlp.make_doc(normalise(term)) if not t.is_space]
                if toks:
                    token_patterns.append([{"TEXT": t} for t in toks])
            if token_patterns:
                self.matcher.add(concept, token_patterns)
        self._cache: dict[str, list[Hit]] = {}

    def find(self, text: str) -> list[Hit]:
        t = normalise(text)
        if t in self._cache:
            return self._cache[t]
        hits: list[Hit] = []
        if t.strip():
            doc = self.nlp(t)
            for match_id, start, end in self.matcher(doc):
                span = doc[start:end]
                hits.append(Hit(self.nlp.vocab.strings[match_id], span.text, span.start_char, span.end_char))
        hits.sort(key=lambda h: (h.start, -h.end))
        if len(self._cache) > 20000:
            self._cache.clear()
        self._cache[t] = hits
        return hits

    def concepts(self, text: str) -> set[str]:
        return {h.concept for h in self.find(text)}

    def tokens(self, text: str) -> list[str]:
        return [t.text for t in self.nlp.make_doc(normalise(text))]


@lru_cache(maxsize=1)
def concept_matcher() -> ConceptMatcher:
    return ConceptMatcher(load_patterns())


def concepts_of(texts: Iterable[str]) -> set[str]:
    m = concept_matcher()
    out: set[str] = set()
    for t in texts:
        out |= m.concepts(t)
    return out
