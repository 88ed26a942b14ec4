"""Share of fields and tick groups right on the DOCX sample forms (the bar is 100%)."""
from __future__ import annotations

from extractors.docx_reader import read_docx
from extractors.mapper import map_form
from pipeline.model import load_catalogue
from tests.expected import DOSSIERS, expected_files, load_expected, score


def tick_groups() -> set:
    return {s.id for s in load_catalogue().specs if s.type in ("choice", "multi")}


class ScoreTable:
    """The printed table of one accuracy section: a row per dossier, its wrong values, the total."""

    def __init__(self, width: int):
        self.width = width
        self.fields = self.right = self.groups = self.groups_right = 0
        print(f"{'dossier':<{width}}{'fields':>8}{'right':>8}{'share':>9}{'tick groups':>13}")

    def add(self, name: str, mapped, expected_fields: dict, groups: set) -> None:
        s = score({k: v.to_dict() for k, v in mapped.fields.items()}, expected_fields, groups)
        self.fields, self.right = self.fields + s.total, self.right + s.right
        self.groups, self.groups_right = self.groups + s.groups_total, self.groups_right + s.groups_right
        print(f"{name:<{self.width}}{s.total:>8}{s.right:>8}{s.share:>9.1%}{s.groups_right:>6}/{s.groups_total:<6}")
        for fid, want, got in s.wrong[:10]:
            print(f"    wrong {fid}: expected {want!r} got {got!r}")

    def total(self, label: str) -> None:
        if self.fields:
            print(f"{label:<{self.width}}{self.fields:>8}{self.right:>8}{self.right / self.fields:>9.1%}"
                  f"{self.groups_right:>6}/{self.groups:<6}")


def main() -> None:
    table, groups = ScoreTable(32), tick_groups()
    for ef in expected_files():
        exp = load_expected(ef.stem)
        form = DOSSIERS / ef.stem / exp["form_file"]
        if form.suffix != ".docx" or not form.exists():
            continue
        table.add(ef.stem, map_form(read_docx(form)), exp["fields"], groups)
    table.total("ALL docx")


if __name__ == "__main__":
    main()
