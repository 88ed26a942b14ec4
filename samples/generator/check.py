"""Self-check: read each generated DOCX back and hold it against its expected JSON.

This is a deliberately small reader of the generator's OWN encodings (it knows the six tick
encodings it writes); it is not the pipeline's reader and shares no code with it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import openpyxl
from docx.oxml.ns import qn

from .catalog import GROUPS, NARRATIVES
from .evidence_book import ticked_claims
from .figures import check_figures

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
SYM_ON = {"F0FE", "F0FD", "F052", "F054"}
SYM_OFF = {"F0A8", "F06F", "F0A3"}
TICKS = set("☑■√✓✔☒✗")
BOXES = set("□☐")
BOX = "\x00"      # marker for an unticked box in the decoded stream
TICK = "\x01"     # marker for a ticked box


def _checkbox_sdt(el) -> str | None:
    """A content-control checkbox (w14:checkbox) as TICK / BOX, or None for any other w:sdt."""
    cb = el.find(f"{qn('w:sdtPr')}/{W14}checkbox")
    if cb is None:
        return None
    ch = cb.find(f"{W14}checked")
    return TICK if ch is not None and ch.get(f"{W14}val") in ("1", "true") else BOX


def _form_field_box(el) -> str | None:
    """A legacy form-field checkbox (w:fldChar begin with w:ffData/w:checkBox) as TICK / BOX."""
    cb = el.find(f"{qn('w:ffData')}/{qn('w:checkBox')}")
    if cb is None:
        return None
    checked = cb.find(qn("w:checked"))
    if checked is None:
        d = cb.find(qn("w:default"))
        return TICK if d is not None and d.get(qn("w:val")) == "1" else BOX
    return TICK if checked.get(qn("w:val"), "1") not in ("0", "false") else BOX


_PLAIN = {qn("w:tab"): "\t", qn("w:br"): "\n"}
_SKIP = {qn("w:pPr"), qn("w:rPr"), qn("w:drawing"), qn("w:instrText")}


class _Walker:
    """Walks a paragraph's XML into text with BOX / TICK markers (field results skipped)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.in_field = False

    def walk(self, el) -> None:
        tag = el.tag
        if tag == qn("w:sdt"):
            mark = _checkbox_sdt(el)
            if mark is not None:
                self.out.append(mark)
                return
        elif tag == qn("w:fldChar"):
            self._field_char(el)
            return
        elif tag == qn("w:sym"):
            c = el.get(qn("w:char")).upper()
            self.out.append(TICK if c in SYM_ON else BOX if c in SYM_OFF else "?")
            return
        elif tag == qn("w:t"):
            if not self.in_field:
                self.out.append(el.text or "")
            return
        elif tag in _PLAIN:
            self.out.append(_PLAIN[tag])
            return
        elif tag in _SKIP:
            return
        for c in el:
            self.walk(c)

    def _field_char(self, el) -> None:
        kind = el.get(qn("w:fldCharType"))
        if kind == "begin":
            mark = _form_field_box(el)
            if mark is not None:
                self.out.append(mark)
            self.in_field = True
        elif kind == "end":
            self.in_field = False


def decode_paragraph(p) -> str:
    """Paragraph text with boxes replaced by BOX / TICK markers, whatever their encoding."""
    walker = _Walker()
    walker.walk(p)
    s = "".join(walker.out)
    # typed boxes and ticks: "□√" / "√□" = one ticked box; lone tick chars = ticked box
    s = re.sub(r"[□☐][√✓✔]|[√✓✔][□☐]", TICK, s)
    s = "".join(TICK if ch in TICKS else BOX if ch in BOXES else ch for ch in s)
    return s


def option_stream(paragraphs: list[str]) -> list[tuple[str, bool]]:
    pairs = []
    for s in paragraphs:
        parts = re.split(f"([{BOX}{TICK}])", s)
        for i in range(1, len(parts), 2):
            pairs.append((re.sub(r"\s+", "", parts[i + 1]), parts[i] == TICK))
    return pairs


class _Read:
    """What check_dossier reads once from the generated form."""

    def __init__(self, form: Path) -> None:
        self.document = docx.Document(str(form))
        self.paras = [decode_paragraph(p) for p in self.document.element.body.iter(qn("w:p"))]
        plain = [re.sub(f"[{BOX}{TICK}]", "", s) for s in self.paras]
        self.stripped = {s.strip() for s in plain}
        self.lines = [x.strip() for s in plain for x in s.split("\n")]
        self.alltext = "\n".join(plain)


def _check_groups(read: _Read, f: dict, planted_fields: set) -> list[str]:
    """Option groups, in form order: labels, ticks, one tick per single choice."""
    errs: list[str] = []
    stream = option_stream(read.paras)
    pos = 0
    for gid, (kind, labels, _) in GROUPS.items():
        want = f[gid]
        ticked_want = set(want) if isinstance(want, list) else {want}
        while pos < len(stream) and stream[pos][0] != labels[0] and not stream[pos][0].startswith(labels[0] + "（"):
            pos += 1
        got = stream[pos:pos + len(labels)]
        pos += len(labels)
        if len(got) != len(labels):
            errs.append(f"{gid}: options not found")
            continue
        for (lab, on), exp_lab in zip(got, labels):
            if not (lab == exp_lab or lab.startswith(exp_lab + "（")):
                errs.append(f"{gid}: label {lab!r} != {exp_lab!r}")
            if on != (exp_lab in ticked_want):
                errs.append(f"{gid}: {exp_lab} ticked={on}")
        if kind == "choice" and sum(on for _, on in got) != 1 and gid not in planted_fields:
            errs.append(f"{gid}: choice has {sum(on for _, on in got)} ticks")
    return errs


_NOT_VALUES = ("declaration.signed", "declaration.sealed", "recommendation.sealed")


def _value_problem(read: _Read, fid: str, v) -> list[str]:
    """Where one expected value is not printed in the form as the generator prints it."""
    if isinstance(v, float):
        shown = f"{v:.2f}" if float(f"{v:.2f}") == v else repr(v)
        return [] if shown in read.alltext else [f"{fid}: {shown} not in document"]
    if isinstance(v, int):
        found = re.search(rf"(?<![\d.]){v}(?![\d.])", read.alltext)
        return [] if found else [f"{fid}: {v} not in document"]
    if fid.startswith("cover."):
        return [] if v in read.alltext else [f"{fid}: {v!r} not in document"]
    if fid.endswith(".names"):
        return [] if f"名称：{v}" in read.stripped else [f"{fid}: names line missing"]
    return [f"{fid}: paragraph {line[:20]!r}… not found as a paragraph"
            for line in v.split("\n") if line not in read.stripped and line not in read.lines]


def _check_values(read: _Read, f: dict) -> list[str]:
    errs: list[str] = []
    for fid, v in f.items():
        if fid in GROUPS or fid == "plan.targets" or fid.startswith(_NOT_VALUES):
            continue
        if isinstance(v, bool) or v is None:
            continue
        errs += _value_problem(read, fid, v)
    return errs


def _check_lengths(f: dict, planted_fields: set) -> list[str]:
    errs = [f"{fid}: longer than 200" for fid in NARRATIVES
            if len(f[fid].replace("\n", "")) > 200 and fid not in planted_fields]
    if len(f["plan.text"].replace("\n", "")) > 3000:
        errs.append("plan.text longer than 3000")
    return errs


def _target_printed(read: _Read, cell) -> bool:
    if isinstance(cell, str):
        return cell in read.alltext
    return f"{cell:.2f}" in read.alltext or (cell == int(cell) and re.search(
        rf"(?<![\d.]){int(cell)}[^\d.]", read.alltext) is not None)


def _check_targets(read: _Read, f: dict) -> list[str]:
    return [f"plan.targets {r['indicator']} {k} {r[k]!r} missing"
            for r in f["plan.targets"] for k in ("baseline", "target") if not _target_printed(read, r[k])]


def _check_pictures(read: _Read, f: dict) -> list[str]:
    pics = read.document.tables[-1]._tbl.findall(".//" + qn("w:drawing"))
    want_pics = 1 + f["declaration.signed"] + f["declaration.sealed"]
    if len(pics) != want_pics:
        return [f"section 九 has {len(pics)} pictures, want {want_pics} (signature, seals)"]
    return []


def _evidence_file_problems(path: Path, e: dict, f: dict, planted_values: set) -> list[str]:
    """One evidence file: its figures against the form's, its claims ticked, its figures printed."""
    errs: list[str] = []
    for fid, val in e["values"].items():
        if (f[fid] != val) != (fid in planted_values):
            errs.append(f"evidence {e['file']}: {fid} {val} vs form {f[fid]}"
                        + (" (planted to differ)" if fid in planted_values else ""))
    for a in e["attests"]:
        if ":" in a:
            gid, lab = a.split(":", 1)
            v = f[gid]
            if (v != lab) if isinstance(v, str) else (lab not in v):
                errs.append(f"evidence {e['file']} attests unticked {a}")
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        errs += [f"evidence {e['file']}: {val} not in workbook" for val in e["values"].values() if str(val) not in text]
    elif path.suffix == ".docx":
        ev_doc = docx.Document(str(path))
        text = " ".join(c.text for t in ev_doc.tables for row in t.rows for c in row.cells)
        errs += [f"evidence {e['file']}: {val} not in document" for val in e["values"].values()
                 if f"{val:.2f}" not in text]
    return errs


def _check_evidence(d: Path, exp: dict, planted: list) -> list[str]:
    f = exp["fields"]
    errs: list[str] = []
    planted_values = {x for p in planted if p["rule"] == "evidence.value" for x in p["fields"]}
    planted_missing = sum(p["rule"] == "evidence.missing" for p in planted)
    attested: set = set()
    for e in exp["evidence"]:
        path = d / e["file"]
        if not path.exists():
            errs.append(f"evidence {e['file']} missing")
            continue
        attested |= set(e["attests"])
        errs += _evidence_file_problems(path, e, f, planted_values)
    unbacked = [c for c in ticked_claims(f) if c not in attested]
    if len(unbacked) != planted_missing:
        errs.append(f"ticked (证) claims without an evidence file: {unbacked} (planted: {planted_missing})")
    return errs


def _check_files(d: Path, exp: dict) -> list[str]:
    listed = {e["file"] for e in exp["evidence"]} | {exp["form_file"]}
    errs = [f"file {x.name} not in expected evidence" for x in d.iterdir() if x.name not in listed]
    errs += [f"{x.name} is {x.stat().st_size} bytes (> 150 KB)" for x in d.iterdir() if x.stat().st_size > 150_000]
    return errs


def check_dossier(root: Path, exp: dict) -> list[str]:
    """Every way the generated dossier can differ from its expected JSON, as messages."""
    d = root / "dossiers" / exp["dossier_id"]
    read = _Read(d / exp["form_file"])
    f = exp["fields"]
    # a dossier with planted problems (planted.py) is held to everything but what it plants
    planted = exp.get("planted", [])
    planted_fields = {fid for pl in planted for fid in pl["fields"]}
    errs = _check_groups(read, f, planted_fields)
    errs += _check_values(read, f)
    errs += _check_lengths(f, planted_fields)
    errs += _check_targets(read, f)
    nums = {k: v for k, v in f.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if not planted:     # planted problems break derived figures or criteria on purpose
        errs += [f"figures: {x}" for x in check_figures(nums, exp["reporting_years"], exp["issuer"])]
    errs += _check_pictures(read, f)
    errs += _check_evidence(d, exp, planted)
    errs += _check_files(d, exp)
    return errs


def check_all(root: Path, ids: list[str] | None = None) -> dict[str, list[str]]:
    out = {}
    for path in sorted((root / "expected").glob("*.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        if ids and exp["dossier_id"] not in ids:
            continue
        if exp.get("rendition"):
            continue     # a PDF/scan/.doc copy of a checked DOCX: read back by the pipeline's own tests
        out[exp["dossier_id"]] = check_dossier(root, exp)
    return out
