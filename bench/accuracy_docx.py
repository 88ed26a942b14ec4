"""Share of fields and tick groups right on the DOCX sample forms (the bar is 100%)."""
from __future__ import annotations

from extractors.docx_reader import read_docx
from extractors.mapper import map_form
from pipeline.model import load_catalogue
from tests.expected import DOSSIERS, expected_files, load_expected, score


def tick_groups() -> set:
    return {s.id for s in load_catalogue().specs if s.type in ("choice", "multi")}


def main() -> None:
    print(f"{'dossier':<32}{'fields':>8}{'right':>8}{'share':>9}{'tick groups':>13}")
    tot_f = tot_r = tot_g = tot_gr = 0
    for ef in expected_files():
        exp = load_expected(ef.stem)
        form = DOSSIERS / ef.stem / exp["form_file"]
        if form.suffix != ".docx" or not form.exists():
            continue
        m = map_form(read_docx(form))
        fields = {k: v.to_dict() for k, v in m.fields.items()}
        s = score(fields, exp["fields"], tick_groups())
        tot_f, tot_r, tot_g, tot_gr = tot_f + s.total, tot_r + s.right, tot_g + s.groups_total, tot_gr + s.groups_right
        print(f"{ef.stem:<32}{s.total:>8}{s.right:>8}{s.share:>9.1%}{s.groups_right:>6}/{s.groups_total:<6}")
        for fid, want, got in s.wrong[:10]:
            print(f"    wrong {fid}: expected {want!r} got {got!r}")
    if tot_f:
        print(f"{'ALL docx':<32}{tot_f:>8}{tot_r:>8}{tot_r / tot_f:>9.1%}{tot_gr:>6}/{tot_g:<6}")
