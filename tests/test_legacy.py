"""Legacy .doc / .wps forms: read through LibreOffice when it is installed, else a clear message."""
import shutil

import pytest

from extractors import legacy_reader, read_file
from extractors.errors import ReadError
from extractors.mapper import map_form

from .expected import DOSSIERS, load_expected, same

DOSSIER = "gz-suiyang-chili-doc"


def _form():
    exp = load_expected(DOSSIER)
    return DOSSIERS / DOSSIER / exp["form_file"], exp


@pytest.mark.skipif(legacy_reader.soffice() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_read_like_the_docx(tmp_path, suffix):
    form, exp = _form()
    path = tmp_path / ("申报表" + suffix)
    shutil.copyfile(form, path)
    doc = read_file(path)
    assert doc.format == "doc"
    m = map_form(doc)
    wrong = {k: v for k, v in exp["fields"].items() if k not in m.fields or not same(m.fields[k].value, v)}
    assert not wrong


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(legacy_reader, "soffice", lambda: None)
    form, _ = _form()
    with pytest.raises(ReadError) as ei:
        read_file(form)
    assert ei.value.kind == "missing_tool"
    assert "LibreOffice" in str(ei.value) and form.name in str(ei.value)
