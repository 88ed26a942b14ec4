"""The evidence linker on real files and on documents as any reader would give them: every
committed sample's evidence is linked exactly as its expected JSON records, no false links
(a 产值 certificate is not a 集体商标, an enterprise list is not a 创新联合体), 国家 and 省级
told apart, and every link says which sentence, page or cell justified it."""
import pytest

from extractors import read_file
from extractors.errors import ReadError
from extractors.evidence import link_document, link_evidence
from extractors.evidence.nlp import concept_matcher
from extractors.evidence.patterns import load_patterns
from pipeline.model import (
    Document,
    Extraction,
    FieldValue,
    Page,
    Paragraph,
    Source,
    SourceFile,
    load_catalogue,
)

from .expected import DOSSIERS, expected_files, load_expected

ALL = [f.stem for f in expected_files()]


def ext_of(exp: dict) -> Extraction:
    """The form as its expected JSON says it was filled (the linker needs ticks and field ids)."""
    return Extraction(exp["dossier_id"], reporting_years=exp["reporting_years"],
                      fields={k: FieldValue(v) for k, v in exp["fields"].items()})


def links_of(dossier: str):
    exp = load_expected(dossier)
    ext = ext_of(exp)
    out = {}
    for e in exp["evidence"]:
        try:
            doc = read_file(DOSSIERS / dossier / e["file"])
        except ReadError:
            continue
        out[e["file"]] = (e, link_document(ext, SourceFile(e["file"], "", "evidence", doc.format), doc))
    return exp, out


def test_patterns_cover_the_catalogue_claims_and_nothing_else():
    assert load_patterns().problems(load_catalogue()) == []


def test_each_option_wording_links_to_its_own_claim_only():
    """The printed option (for a 是, the group's printed question) read as a sentence."""
    cat, pats, m = load_catalogue(), load_patterns(), concept_matcher()
    for fid, label in cat.evidence_claims():
        text = cat.base(fid).label if cat.base(fid).type == "choice" else label
        order = [h.concept for h in m.find(text)]
        held = [r.claim for r in pats.claims if r.holds(set(order), order)]
        assert [c.partition(":")[2] for c in held] == [pats.claim(held[0]).option] and \
            held[0].startswith(fid + ":"), (fid, label, held)


@pytest.mark.parametrize("dossier", ALL)
def test_committed_sample_evidence_is_linked_as_expected(dossier):
    exp, links = links_of(dossier)
    assert links, "no readable evidence"
    for file, (e, link) in links.items():
        assert sorted(link.attests) == sorted(e["attests"]), file
        for fid, v in e["values"].items():
            assert link.values[fid] == pytest.approx(v), (file, fid)
        for c in link.detail["claims"]:
            assert c["score"] >= load_patterns().link_threshold and c["sentence"] and c["source"]["file"] == file


def test_no_false_links_from_figures_lists_or_a_meeting_notice():
    for dossier in ALL:
        exp, links = links_of(dossier)
        for file, (e, link) in links.items():
            if e["kind"] in ("stats_certificate", "enterprise_list", "patent_list"):
                assert not [a for a in link.attests if ":" in a], (dossier, file)      # figures only
                assert not link.detail.get("unticked_claims"), (dossier, file)
            if e["kind"] == "unrelated":
                assert link.attests == [] and link.values == {} and link.confidence == 0
                assert not link.detail.get("unticked_claims")


def doc_of(*lines, conf=0.92, fmt="scan", file="扫描件.pdf"):
    paras = [Paragraph(t, Source(file, page=1 + i // 4, bbox=(60.0, 80.0 + 30 * i, 540.0, 100.0 + 30 * i)), conf)
             for i, t in enumerate(lines)]
    return Document(file=file, format=fmt, blocks=paras, pages=[Page(1, 595, 842, "scan"), Page(2, 595, 842, "scan")])


def form_ticking(*claims, years=(2020, 2021, 2022), **values):
    fields = {}
    for c in claims:
        fid, _, label = c.partition(":")
        if load_catalogue().base(fid).type == "choice":
            fields[fid] = FieldValue(label)
        else:
            fields.setdefault(fid, FieldValue([]))
            fields[fid].value.append(label)
    for k, v in values.items():
        fields[k.replace("__", ".")] = FieldValue(v)
    return Extraction("t", reporting_years=list(years), fields=fields)


NAT_PLAT = "governance.platforms:建设或引入国家中小企业公共服务示范平台"
PROV_PLAT = "governance.platforms:建设或引入省级中小企业公共服务示范平台"
NAT_PILOT = "digital.newmodes:建有国家智能制造、工业互联网以及其它国家新模式新业态试点示范项目"
PROV_PILOT = "digital.newmodes:建有省级智能制造、工业互联网以及其它国家新模式新业态试点示范项目"


@pytest.mark.parametrize("sentence, want", [
    ("XX县中小企业服务中心经工业和信息化部认定为国家中小企业公共服务示范平台。", NAT_PLAT),
    ("经自治区工业和信息化厅认定，XX服务中心为2021年度省级中小企业公共服务示范平台。", PROV_PLAT),
    ("经省工业和信息化厅推荐，XX公司入选工业和信息化部2022年度智能制造示范工厂揭榜单位。", NAT_PILOT),
    ("建有省级智能制造、工业互联网以及其它国家新模式新业态试点示范项目", PROV_PILOT),
    ("根据贵州省工业和信息化厅《关于公布2022年贵州省智能工厂示范项目名单的通知》，XX公司入选。", PROV_PILOT),
])
def test_national_and_provincial_are_told_apart(sentence, want):
    ext = form_ticking(NAT_PLAT, PROV_PLAT, NAT_PILOT, PROV_PILOT)
    link = link_document(ext, SourceFile("证书.png", "", "evidence", "image"), doc_of(sentence))
    assert link.attests == [want]


def test_a_scanned_page_links_with_page_bbox_and_its_ocr_confidence():
    ext = form_ticking("industry.brand:获得集体商标、地理标志产品批准认证或证明商标通过注册",
                       industry__total_output__2022=45.6)
    doc = doc_of("商标注册证", "第12345678号", "商标类型：证明商标", "注册人：XX县辣椒产业协会",
                 "2022年集群总产值４５．６０亿元。", conf=0.88)
    [link] = link_evidence(ext, [(SourceFile("商标注册证.pdf", "", "evidence", "scan"), doc)])
    assert link.attests == ["industry.brand:获得集体商标、地理标志产品批准认证或证明商标通过注册",
                            "industry.total_output.2022"]
    assert link.values == {"industry.total_output.2022": 45.6}
    [claim] = link.detail["claims"]
    assert claim["sentence"] == "商标注册证" and claim["source"]["page"] == 1 and len(claim["source"]["bbox"]) == 4
    assert claim["support"] == 2                                  # 商标类型：证明商标 backs it too
    assert claim["score"] == pytest.approx((0.9 + 0.03) * 0.88) and link.confidence == pytest.approx(0.88)  # its best: the figure, read at 0.88
    [value] = link.detail["values"]
    assert value["source"]["page"] == 2 and value["confidence"] == 0.88 and value["raw"] == "45.60亿元"


def test_a_section_heading_backs_its_claim_with_the_sentences_under_it():
    ext = form_ticking("governance.services:信息服务", "governance.services:人员培训")
    doc = Document("汇编.docx", "docx", blocks=[
        Paragraph("七、公共服务", Source("汇编.docx", para=0)),
        Paragraph("（一）信息服务", Source("汇编.docx", para=1)),
        Paragraph("服务中心通过公众号推送政策1200条。", Source("汇编.docx", para=2)),
        Paragraph("（二）其他", Source("汇编.docx", para=3)),
        Paragraph("组织企业参加安全生产会议。", Source("汇编.docx", para=4)),
    ])
    link = link_document(ext, SourceFile("汇编.docx", "", "evidence", "docx"), doc)
    assert link.attests == ["governance.services:信息服务"]
    assert link.detail["claims"][0]["source"] == {"file": "汇编.docx", "para": 1}


def test_a_claim_the_form_does_not_tick_is_kept_apart():
    ext = form_ticking(NAT_PLAT)
    link = link_document(ext, SourceFile("省级.docx", "", "evidence", "docx"),
                         doc_of("经省工业和信息化厅认定为省级中小企业公共服务示范平台。", conf=1.0, fmt="docx"))
    assert link.attests == [] and link.confidence == 0
    assert [c["claim"] for c in link.detail["unticked_claims"]] == [PROV_PLAT]


def test_a_second_copy_of_the_form_is_not_taken_for_evidence(tmp_path):
    """The form's own text names every option: a copy of it must not 'back' the claims."""
    import shutil

    from pipeline.dossiers import DossierInput
    from pipeline.process import Options, process
    exp = load_expected("gd-yangjiang-knives")
    d = tmp_path / "gd-yangjiang-knives"
    shutil.copytree(DOSSIERS / "gd-yangjiang-knives", d)
    book = next(e for e in exp["evidence"] if e["kind"] == "evidence_book")
    (d / book["file"]).unlink()
    shutil.copyfile(d / exp["form_file"], d / "申报表（副本）.docx")
    ext = process(DossierInput(d.name, d, "dir"), Options(formats=())).extraction
    assert any(p["kind"] == "duplicate_form" for p in ext.problems)
    assert "申报表（副本）.docx" not in {e.file for e in ext.evidence}
    missing = [f for f in ext.findings if f.rule == "evidence.missing"]
    assert any(f.severity == "error" for f in missing)
    # a claim some other file names in part is not certainly missing: a warning quoting that text
    assert all(f.severity == "error" or f.detail.get("related") for f in missing)
