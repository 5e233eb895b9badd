"""The plan on one page as a PDF, drawn with fpdf2 (pure Python, no system libraries)."""

from __future__ import annotations

from fpdf import FPDF

from attract.attraction.models import Expectation, Plan, Quality, TickQuestion

# The core PDF fonts speak Latin-1; anything else is replaced rather than failing the download.
_REPLACEMENTS = {"≤": "<=", "≥": ">=", "…": "...", "–": "-", "—": "-", "’": "'", "“": '"', "”": '"'}


def _latin1(text: str) -> str:
    for wide, narrow in _REPLACEMENTS.items():
        text = text.replace(wide, narrow)
    return text.encode("latin-1", "replace").decode("latin-1")


def plan_pdf(
    *,
    plan: Plan,
    qualities: list[Quality],
    questions: list[TickQuestion],
    expectations: list[Expectation],
    statement: str,
    perfect_now: int,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 12)
        pdf.ln(2)
        pdf.multi_cell(width, 6, _latin1(text))

    def line(text: str) -> None:
        pdf.set_font("Helvetica", "", 9.5)
        pdf.multi_cell(width, 4.8, _latin1(text))

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, "Strategic Attraction Plan")
    if statement:
        pdf.set_font("Helvetica", "I", 10)
        pdf.multi_cell(width, 5, _latin1(statement))
    line(
        f"Perfect number of perfect customers this year: {plan.perfect_number} (now {perfect_now})"
    )
    heading("1. The qualities of my perfect customer")
    for quality in qualities:
        line(f"- {quality.text}  (weight {quality.weight})")
    heading("2. What makes my perfect customer tick")
    for question in questions:
        line(f"- {question.text} {question.answer}".rstrip())
    heading("3. What my perfect customers can expect from me")
    for item in expectations:
        line(f"- {item.get_category_display()}: {item.commitment}")
    return bytes(pdf.output())
