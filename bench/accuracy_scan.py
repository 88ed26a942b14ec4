"""Share of fields and tick groups read right on the scanned sample renditions.

Bars (issue 12): ≥ 98.5% of fields and ≥ 99.5% of tick groups exactly right, no wrong value
without a flag, and no more than 3% of fields sent to a clerk (the review load: every value
below the bar, right or wrong).  Every wrong field is
printed with its confidence; ``flagged`` counts those reported as ``field.unreadable``
(confidence < 0.75), ``silent`` the rest; ``to confirm`` counts the values read right but
below 0.75, which are reported too (a clerk confirms them against the paper).  How values are compared: ``tests/scan_scoring.py``.
A second table measures the tick boxes against the positions the generator recorded: recall
(printed boxes found), state (found and read ticked / unticked right), precision (ticks placed
on a printed box), and the ticked boxes missed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from tests.scan_scoring import read_rendition, scan_renditions


def _where_they_differ(want, got, width: int = 60) -> tuple[str, str]:
    """The two values as printed, cut to ``width`` around where their normalised text first
    differs (a long narrative differs in one character somewhere in its middle)."""
    from pipeline.model.text import norm
    a, b = str(want), str(got)
    if isinstance(want, str) and isinstance(got, str):
        a, b = norm(want), norm(got)
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, k - width // 3)
    def cut(s):
        return (("…" if start else "") + s[start:start + width] + ("…" if len(s) > start + width else ""))
    return cut(a), cut(b)


def main(root: Path | None = None) -> None:
    names = scan_renditions(root)
    if not names:
        print("no scanned renditions found")
        return
    print(f"{'rendition':<36}{'pages':>6}{'fields':>8}{'right':>7}{'share':>8}{'flagged':>9}{'silent':>8}"
          f"{'tick groups':>13}{'s/page':>8}{'to confirm':>12}")
    tot = [0, 0, 0, 0, 0, 0, 0]
    results = []
    for n in names:
        r = read_rendition(n, root)
        results.append(r)
        silent = len(r.wrong) - r.flagged
        print(f"{n:<36}{r.pages:>6}{r.total:>8}{r.right:>7}{r.share:>8.1%}{r.flagged:>9}{silent:>8}"
              f"{r.groups_right:>6}/{r.groups_total:<6}{r.seconds / max(1, r.pages):>8.1f}{r.right_flagged:>12}",
              flush=True)
        for fid, want, got, conf, note in r.wrong:
            a, b = _where_they_differ(want, got)
            print(f"    {'flagged' if conf < 0.75 else 'WRONG  '} {fid} (conf {conf}, {note}): "
                  f"expected {a!r} got {b!r}")
        for fid, conf, note in r.to_confirm:
            print(f"    confirm {fid} (conf {conf}, {note}): read right")
        for i, v in enumerate((r.total, r.right, r.flagged, silent, r.groups_total, r.groups_right, r.right_flagged)):
            tot[i] += v
    t, right, fl, si, gt, gr, rf = tot
    print(f"{'ALL scan':<36}{'':>6}{t:>8}{right:>7}{right / t:>8.1%}{fl:>9}{si:>8}{gr:>6}/{gt:<6}{'':>8}{rf:>12}")
    review = (fl + rf) / t            # every value below the bar goes to a clerk, right or wrong
    print(f"review load (fields sent to a clerk): {fl + rf}/{t} = {review:.1%}")
    print(f"bars (issue 12): fields ≥ 98.5% {'met' if right / t >= 0.985 else 'NOT met'}, "
          f"tick groups ≥ 99.5% {'met' if gr / gt >= 0.995 else 'NOT met'}, "
          f"0 wrong values unflagged {'met' if si == 0 else 'NOT met'}, "
          f"review load ≤ 3% {'met' if review <= 0.03 else 'NOT met'}")
    scored = [r for r in results if r.boxes is not None]
    if not scored:
        return
    print(f"\n{'boxes':<36}{'printed':>8}{'found':>7}{'recall':>8}{'state':>7}{'ticks':>7}{'precision':>10}"
          f"{'ticked missed':>15}")
    bt = [0, 0, 0, 0, 0, 0]
    for r in scored:
        b = r.boxes
        tm = sum(1 for m in b.missed if m[2])
        print(f"{r.dossier:<36}{b.recorded:>8}{b.found:>7}{b.recall:>8.1%}{b.state_right:>7}{b.ticks:>7}"
              f"{b.precision:>10.1%}{tm:>15}")
        for page, opt, ticked in b.missed:
            print(f"    missed p{page} {'ticked  ' if ticked else 'unticked'} {opt[:30]}")
        for page, bb in b.extra:
            print(f"    extra  p{page} {bb}")
        for i, v in enumerate((b.recorded, b.found, b.state_right, b.ticks, b.true_ticks, tm)):
            bt[i] += v
    rec, fo, st, tk, tt, tm = bt
    print(f"{'ALL scan':<36}{rec:>8}{fo:>7}{fo / rec:>8.1%}{st:>7}{tk:>7}{tt / max(1, tk):>10.1%}{tm:>15}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
