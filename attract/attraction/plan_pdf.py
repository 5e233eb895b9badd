"""The plan on one page as a PDF, drawn with fpdf2 (pure Python).

Every line is written in a Unicode font so that a plan in Polish, Greek, Japanese, Korean or
Chinese prints as written: DejaVu Sans (Debian `fonts-dejavu-core`: Latin, Greek, Cyrillic)
with Noto Sans CJK (Debian `fonts-noto-cjk`) as the fallback for Chinese, Japanese and Korean
characters. `ATTRACT_PDF_FONT_DIRS` (folders separated by ":") is searched before the Debian
folders. Without DejaVu the PDF falls back to the built-in Latin-1 fonts (other characters
become "?") and says so in the log; without Noto CJK those characters are missing and the log
says which package to install.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from attract.attraction.models import Expectation, Plan, Quality, TickQuestion

log = logging.getLogger(__name__)

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/local/share/fonts",
)
MAIN_FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
CJK_FONTS = {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}

# The core PDF fonts speak Latin-1; with them anything else is replaced, never a failure.
_REPLACEMENTS = {"≤": "<=", "≥": ">=", "…": "...", "–": "-", "—": "-", "’": "'", "“": '"', "”": '"'}


def _latin1(text: str) -> str:
    for wide, narrow in _REPLACEMENTS.items():
        text = text.replace(wide, narrow)
    return text.encode("latin-1", "replace").decode("latin-1")


def _search_dirs() -> list[Path]:
    extra = [d for d in os.environ.get("ATTRACT_PDF_FONT_DIRS", "").split(":") if d]
    return [Path(d) for d in (*extra, *FONT_DIRS)]


@cache
def find_fonts() -> tuple[dict[str, Path], dict[str, Path]]:
    """The main and the CJK font files found, by style ("" regular, "B" bold, "I" italic)."""

    def found(names: dict[str, str]) -> dict[str, Path]:
        result = {}
        for style, name in names.items():
            for folder in _search_dirs():
                if (folder / name).is_file():
                    result[style] = folder / name
                    break
        return result

    main, cjk = found(MAIN_FONTS), found(CJK_FONTS)
    if "" not in main:
        log.warning(
            "The plan's PDF uses the built-in Latin-1 fonts: DejaVuSans.ttf was not found "
            "(install Debian's fonts-dejavu-core, or set ATTRACT_PDF_FONT_DIRS)."
        )
    if "" not in cjk:
        log.warning(
            "The plan's PDF cannot show Chinese, Japanese or Korean: NotoSansCJK-Regular.ttc "
            "was not found (install Debian's fonts-noto-cjk, or set ATTRACT_PDF_FONT_DIRS)."
        )
    return main, cjk


class _PlanPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        main, cjk = find_fonts()
        self.unicode = "" in main
        self.family = "Helvetica"
        if self.unicode:
            self.family = "Plan"
            for style in ("", "B", "I"):
                self.add_font("Plan", style, main.get(style, main[""]))
            fallbacks = []
            if "" in cjk:
                for style in ("", "B"):
                    self.add_font("PlanCJK", style, cjk.get(style, cjk[""]))
                fallbacks.append("PlanCJK")
            if fallbacks:
                # exact_match=False: bold or italic text uses the CJK font's nearest style.
                self.set_fallback_fonts(fallbacks, exact_match=False)

    def text_of(self, text: str) -> str:
        return text if self.unicode else _latin1(text)

    def write_lines(self, text: str, *, size: float, style: str = "", height: float) -> None:
        """A paragraph across the page's width; the next one starts at the left margin (fpdf2
        otherwise leaves the cursor at the right end of the cell, off the page)."""
        self.set_font(self.family, style, size)
        self.multi_cell(
            0, height, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )


def plan_pdf(
    *,
    plan: Plan,
    qualities: list[Quality],
    questions: list[TickQuestion],
    expectations: list[Expectation],
    statement: str,
    perfect_now: int,
) -> bytes:
    pdf = _PlanPDF()
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_margins(14, 14, 14)
    pdf.add_page()

    def heading(text: str) -> None:
        pdf.ln(2.5)
        pdf.write_lines(text, size=12, style="B", height=6.5)

    def item(text: str) -> None:
        pdf.write_lines(f"•  {text}" if pdf.unicode else f"- {text}", size=9.5, height=5)

    pdf.write_lines("Strategic Attraction Plan", size=17, style="B", height=9)
    if statement:
        pdf.write_lines(statement, size=10.5, style="I", height=5.5)
    pdf.ln(1)
    pdf.write_lines(
        f"Perfect number of perfect customers this year: {plan.perfect_number} (now {perfect_now})",
        size=9.5,
        height=5,
    )
    heading("1. The qualities of my perfect customer")
    for quality in qualities:
        item(f"{quality.text}  (weight {quality.weight})")
    heading("2. What makes my perfect customer tick")
    for question in questions:
        item(f"{question.text} {question.answer}".rstrip())
    heading("3. What my perfect customers can expect from me")
    for expectation in expectations:
        item(f"{expectation.get_category_display()}: {expectation.commitment}")
    return bytes(pdf.output())
