"""Printable documents (PDF) with Chinese text: a small builder the apps share.

A document is a title, an optional reference line (its number), then blocks in order:
headed key–value rows, headed paragraphs, and signature lines; every page carries its
number. The apps say *what* a document holds (disputes' 调解协议书, inspections' 整改通知书);
this module says how it is laid out, once.

The font is Noto Sans SC (OFL), installed by `make setup` from the npm package
`@expo-google-fonts/noto-sans-sc` into `linli/core/fonts/` (or the folder
`LINLI_PDF_FONT_DIR` names). Nothing is downloaded at run time. Only the glyphs a document
uses are embedded (fpdf2 subsets the TrueType font), so a page of text stays small. Without
the font a document cannot be made: `FontMissing` is answered 503 with what to do.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from linli.core.errors import ApplicationError

FAMILY = "NotoSansSC"
# fpdf2 style → file in the font folder. The regular face is required; without the bold
# one, headings are set in the regular face.
FONT_FILES = {"": "NotoSansSC_400Regular.ttf", "B": "NotoSansSC_700Bold.ttf"}

# Sizes in points, lengths in millimetres (A4).
TITLE_SIZE, HEADING_SIZE, TEXT_SIZE, SMALL_SIZE = 18, 12, 10.5, 8
LINE = 6.5            # height of a line of body text
LABEL_WIDTH = 34      # the label column of key–value rows (seven characters)
SIGNATURE_GAP = 16    # room to sign above each signature line
SIGN_END = 0.68       # where a signature line ends and its date begins (share of the width)
MARGIN = 20


class FontMissing(ApplicationError):
    """The PDF font is not installed: the document cannot be made (503)."""

    status = 503
    code = "pdf_font_missing"


def font_dir() -> Path:
    return Path(settings.PDF_FONT_DIR)


def font_files() -> dict[str, Path]:
    """The installed font faces by fpdf2 style; `FontMissing` when the regular one is not
    there (the message names the folder and how to install it, never a person's data)."""
    folder = font_dir()
    found = {style: folder / name for style, name in FONT_FILES.items()
             if (folder / name).is_file()}
    if "" not in found:
        raise FontMissing(
            _("Printing is not available: the Chinese font is not installed on this "
              "server. An administrator runs `make setup` (or sets LINLI_PDF_FONT_DIR to "
              "the folder holding %(file)s).") % {"file": FONT_FILES[""]})
    return found


@dataclass(frozen=True)
class _Rows:
    heading: str
    pairs: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class _Section:
    heading: str
    text: str
    align: str = "L"


@dataclass(frozen=True)
class _Signatures:
    labels: Sequence[str]
    date_label: str


@dataclass
class Document:
    """Build with `rows`, `section`, `paragraph` and `signatures`, then `render()`."""

    title: str
    reference: str = ""   # printed under the title, e.g. the document's number
    issuer: str = ""      # the body that issues it (the PDF's author)
    blocks: list[_Rows | _Section | _Signatures] = field(default_factory=list)

    def rows(self, pairs: Sequence[tuple[str, str]], *, heading: str = "") -> "Document":
        """Label–value rows in a bordered table; a long value wraps in its cell."""
        self.blocks.append(_Rows(heading, [(str(k), str(v)) for k, v in pairs]))
        return self

    def section(self, heading: str, text: str) -> "Document":
        """A heading and its text, wrapped to the page; the text's line breaks are kept."""
        self.blocks.append(_Section(heading, text))
        return self

    def paragraph(self, text: str, *, align: str = "L") -> "Document":
        """Text without a heading; `align` "R" sets it right, as a seal's line is."""
        self.blocks.append(_Section("", text, align))
        return self

    def signatures(self, labels: Sequence[str], *, date_label: str = "") -> "Document":
        """A line to sign (and a date line) for each label, e.g. 申请人（签名）."""
        self.blocks.append(_Signatures([str(label) for label in labels], date_label))
        return self

    def render(self, *, now: datetime | None = None) -> bytes:
        pdf = _Pdf(font_files())
        pdf.set_title(self.title)
        if self.issuer:
            pdf.set_author(self.issuer)
        if now is not None:
            pdf.set_creation_date(now)
        pdf.add_page()
        pdf.title_block(self.title, self.reference)
        for block in self.blocks:
            if isinstance(block, _Rows):
                pdf.rows_block(block)
            elif isinstance(block, _Signatures):
                pdf.signatures_block(block)
            else:
                pdf.section_block(block)
        return bytes(pdf.output())


class _Pdf(FPDF):
    def __init__(self, fonts: dict[str, Path]):
        super().__init__(format="A4", unit="mm")
        self.bold = "B" if "B" in fonts else ""
        for style, path in fonts.items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.set_lang("zh-CN")

    # fpdf2 calls this at the end of every page; "{nb}" becomes the page count.
    def footer(self) -> None:
        self.set_y(-MARGIN + 6)
        self.set_font(FAMILY, "", SMALL_SIZE)
        self.cell(0, 5, _("Page %(page)s of %(pages)s") % {"page": self.page_no(),
                                                            "pages": "{nb}"},
                  align=Align.C)

    def _write(self, text: str, *, size: float = TEXT_SIZE, style: str = "",
               align: Align = Align.L, height: float = LINE) -> None:
        self.set_font(FAMILY, style, size)
        # Chinese breaks between any two characters: wrap by character, not by word.
        self.multi_cell(0, height, text, align=align, wrapmode=WrapMode.CHAR,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def title_block(self, title: str, reference: str) -> None:
        self._write(title, size=TITLE_SIZE, style=self.bold, align=Align.C, height=11)
        if reference:
            self._write(reference, size=TEXT_SIZE, align=Align.R)
        self.ln(3)

    def heading(self, text: str) -> None:
        if text:
            self.ln(1.5)
            self._write(text, size=HEADING_SIZE, style=self.bold, height=8)

    def rows_block(self, block: _Rows) -> None:
        self.heading(block.heading)
        self.set_font(FAMILY, "", TEXT_SIZE)
        width = self.epw
        with self.table(col_widths=(LABEL_WIDTH, width - LABEL_WIDTH), width=width,
                        first_row_as_headings=False, text_align=(Align.L, Align.L),
                        wrapmode=WrapMode.CHAR, line_height=LINE, padding=1.2,
                        v_align="TOP") as table:
            for label, value in block.pairs:
                row = table.row()
                row.cell(label)
                row.cell(value)
        self.ln(1)

    def section_block(self, block: _Section) -> None:
        self.heading(block.heading)
        for part in [p.strip() for p in block.text.split("\n\n")]:
            if part:
                self._write(part, align=Align.coerce(block.align))
        self.ln(1)

    def signatures_block(self, block: _Signatures) -> None:
        self.ln(2)
        self.set_font(FAMILY, "", TEXT_SIZE)
        # The line to sign on runs to SIGN_END of the width, the date's line after it.
        sign_end = self.l_margin + self.epw * (SIGN_END if block.date_label else 1)
        for label in block.labels:
            if self.will_page_break(SIGNATURE_GAP):  # a label never parts from its line
                self.add_page()
            self.ln(SIGNATURE_GAP - LINE)
            y = self.get_y() + LINE - 0.5
            text = f"{label}："
            self.text_line(text, y, self.l_margin, sign_end - 4)
            if block.date_label:
                self.text_line(f"{block.date_label}：", y, sign_end, self.l_margin + self.epw)
            self.set_xy(self.l_margin, y + 0.5)
        self.ln(SIGNATURE_GAP - LINE)  # room for a seal under the last line

    def text_line(self, text: str, y: float, start: float, end: float) -> None:
        """`text` at `start`, then a rule to `end` (at least a short one)."""
        self.set_xy(start, y - LINE + 0.5)
        self.cell(self.get_string_width(text) + 1, LINE, text)
        rule_start = min(start + self.get_string_width(text) + 1, end - 15)
        self.line(rule_start, y, end, y)
