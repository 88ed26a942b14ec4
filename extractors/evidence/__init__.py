"""Evidence linker: 佐证材料 → the claims of the form they attest and the figures they state.

``link_evidence(extraction, [(SourceFile, Document), ...])`` gives one :class:`EvidenceLink`
per readable evidence file, whatever reader made its Document:

- ``attests``: the ticked (证) options of the form the file backs (``"<field id>:<option
  label>"``, the label as the catalogue prints it) with a score at or above the patterns'
  ``link_threshold``, and the field ids of the figures it states that the form also holds;
- ``values``: field id → the figure as the file states it, in the field's catalogue unit;
- ``confidence``: the best score of what it attests (0 when it attests nothing);
- ``detail``: for each claim the sentence, its source (page / paragraph / table cell) and
  score; claims it supports that the form does not tick; candidates below the threshold;
  every figure read with its year, unit, sentence, source, reading confidence, whether its
  sentence was read whole and how many years and figures a list paired (a doubtful figure is
  kept here but not in ``values``); ``related``: for claims no sentence states, a sentence
  naming part of one; ``unread``: text naming an indicator that could not be read whole.

Text is segmented with jieba and matched with spaCy (``nlp.py``) against the concepts of
``patterns.yaml``; figures are read by ``values.py``.  Modules: ``segments`` (document →
sentences under headings, rebuilt across line wraps and page breaks), ``claims`` (claim rules
→ scored matches, related sentences), ``values`` (figures by indicator and year); numbers and
units are read by ``pipeline.model.numbers``.
"""
from __future__ import annotations

from pipeline.model import Document, EvidenceLink, Extraction, SourceFile, load_catalogue
from pipeline.model.text import norm

from .claims import match_claims, related_sentences
from .nlp import concept_matcher
from .patterns import load_patterns
from .segments import segment
from .values import ValueReader

__all__ = ["link_evidence", "link_document", "ticked_claims", "warm_up"]


def warm_up() -> None:
    """Build the spaCy pipeline, jieba's dictionary and the Matcher once (a batch does this
    before forking its workers, so no dossier pays the ~2 s)."""
    concept_matcher().find("2022年集群总产值45.6亿元")


def ticked_claims(ext: Extraction) -> dict[str, str]:
    """norm("<field id>:<option label>") → the claim as the catalogue spells it, for every
    (证) option the form ticks (as read, whatever the confidence: the checks judge that)."""
    cat = load_catalogue()
    out = {}
    for fid, label in cat.evidence_claims():
        fv = ext.fields.get(fid)
        if fv is None or fv.value is None:
            continue
        vals = fv.value if isinstance(fv.value, list) else [fv.value]
        if any(norm(str(v)) == norm(label) for v in vals):
            out[norm(f"{fid}:{label}")] = f"{fid}:{label}"
    return out


def _catalogue_claim(key: str) -> str:
    """The patterns key with the option label exactly as the catalogue prints it."""
    cat = load_catalogue()
    fid, _, option = key.partition(":")
    for f, label in cat.evidence_claims():
        if f == fid and norm(label) == norm(option):
            return f"{f}:{label}"
    return key


def link_document(ext: Extraction, source: SourceFile, doc: Document) -> EvidenceLink:
    """The link of one evidence file."""
    pats = load_patterns()
    matcher = concept_matcher()
    cat = load_catalogue()
    ticked = ticked_claims(ext)
    ds = segment(doc)
    link = EvidenceLink(file=source.file)

    claims, others, candidates = [], [], []
    matched = match_claims(ds, pats, matcher)
    for m in matched:
        claim = _catalogue_claim(m.claim)
        if m.score < pats.link_threshold:
            candidates.append(m.to_dict(claim))
        elif norm(claim) in ticked:
            claims.append(m.to_dict(claim))
            link.attests.append(claim)
        else:
            others.append(m.to_dict(claim))

    reader = ValueReader(pats, matcher, cat, list(ext.reporting_years))
    readings = reader.read(ds)
    for r in readings:
        if r.field in ext.fields and not r.doubtful:
            link.values.setdefault(r.field, r.value)
            if r.field not in link.attests:
                link.attests.append(r.field)

    scores = [c["score"] for c in claims] + [r.confidence for r in readings if r.field in ext.fields]
    link.confidence = max(scores) if scores else 0.0
    link.detail = {"format": doc.format, "claims": claims, "values": [r.to_dict() for r in readings]}
    if others:
        link.detail["unticked_claims"] = others
    if candidates:
        link.detail["below_threshold"] = candidates
    related = related_sentences(ds, pats, matcher, {m.claim for m in matched})
    if related:
        link.detail["related"] = [{**r, "claim": _catalogue_claim(r["claim"])} for r in related]
    unread = reader.unread(ds)
    if unread:
        link.detail["unread"] = unread
    return link


def link_evidence(ext: Extraction, evidence_docs: list[tuple[SourceFile, Document]]) -> list[EvidenceLink]:
    """One link per evidence file, in the order given."""
    return [link_document(ext, sf, doc) for sf, doc in evidence_docs]
