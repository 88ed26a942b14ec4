"""Figures, printed and never asserted: ``make bench`` (``python -m bench``: speed and memory,
each figure beside its floor measured in the same run) and ``make accuracy`` (``python -m
bench.accuracy``: how much of each sample rendition is read right).  The tests live in
``tests/``; these scripts only import its helpers (expected values, fixtures, scan scoring).  ``make soak`` runs
the soak and chaos bench (``bench.soak``)."""
