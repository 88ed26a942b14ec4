"""Deterministic generator of filled 中小企业特色产业集群申报表 dossiers.

Run from the repository root::

    .venv/bin/python -m samples.generator --out samples [--check]

It writes ``samples/dossiers/<id>/`` (the form as DOCX plus evidence files) and
``samples/expected/<id>.json`` (every field value the form holds). It is independent of
the pipeline it is meant to test: nothing here imports ``pipeline``, ``extractors`` or
``validators``.
"""
