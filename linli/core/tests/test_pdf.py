"""The shared PDF builder: Chinese text that can be read back, the font embedded as a
subset (small files), page numbers, and a clear 503 when the font is not installed."""

import io
import logging
import shutil
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from linli.core.pdf import FONT_FILES, Document, FontMissing, font_files


def _document(paragraphs: int = 3) -> Document:
    doc = Document(title="调解协议书", reference="编号：JF20261206-00001",
                   issuer="花楼社区人民调解委员会")
    doc.rows([("姓名", "张三"), ("住所", "花楼小区1栋1单元101室"), ("联系电话", "")],
             heading="申请人")
    for n in range(paragraphs):
        doc.section(f"第{n + 1}项", "双方因楼上漏水发生纠纷，经调解自愿达成如下协议。" * 6
                    + "\n\n另起一段：费用由被申请人承担。")
    doc.signatures(["申请人（签名）", "人民调解员（签名）"], date_label="日期")
    return doc


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _fonts(data: bytes) -> list[Any]:
    """Every font resource of every page, resolved."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            found[font["/BaseFont"]] = font
    return list(found.values())


def test_a_document_is_a_pdf_whose_chinese_text_reads_back():
    with translation.override("zh-hans"):
        data = _document().render()
    assert data.startswith(b"%PDF-")
    text = _text(data)
    for words in ("调解协议书", "编号：JF20261206-00001", "申请人", "张三",
                  "花楼小区1栋1单元101室", "费用由被申请人承担", "人民调解员（签名）"):
        assert words in text.replace("\n", ""), words


def test_the_font_is_embedded_as_a_subset_and_the_file_stays_small():
    data = _document(paragraphs=12).render()
    fonts = _fonts(data)
    assert fonts
    for font in fonts:
        # A six-letter tag before the name marks a subset (PDF 32000 9.6.4).
        tag, _plus, name = str(font["/BaseFont"]).lstrip("/").partition("+")
        assert len(tag) == 6 and name.startswith("NotoSansSC")
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # TrueType (glyf) outlines, embedded
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert len(data) < 300_000


def test_every_page_carries_its_number():
    with translation.override("zh-hans"):
        data = _document(paragraphs=12).render()
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        assert f"第 {n} 页，共 {total} 页" in page.extract_text()


def test_subsetting_logs_no_characters_of_the_document(caplog):
    # fontTools logs each kept glyph's name at INFO; the settings keep it at WARNING.
    with caplog.at_level(logging.DEBUG):
        Document(title="张三").render()
    assert not [r for r in caplog.records if r.name.startswith("fontTools")
                and r.levelno < logging.WARNING]


def test_without_the_font_a_document_is_refused_with_503_and_how_to_fix(settings, tmp_path):
    settings.PDF_FONT_DIR = tmp_path
    with pytest.raises(FontMissing) as refused:
        _document().render()
    assert refused.value.status == 503
    assert FONT_FILES[""] in refused.value.message
    assert "LINLI_PDF_FONT_DIR" in refused.value.message


def test_the_regular_face_alone_is_enough(settings, tmp_path):
    shutil.copyfile(font_files()[""], tmp_path / FONT_FILES[""])
    settings.PDF_FONT_DIR = tmp_path
    assert set(font_files()) == {""}
    assert "张三" in _text(_document(paragraphs=1).render())
