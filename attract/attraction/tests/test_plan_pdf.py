"""The plan's PDF shows every line of the plan on the page, in any script: its text is read
back from the PDF with the place of each line, and the page is rendered to an image."""

import io
import os
from pathlib import Path

import pypdfium2
import pytest
from django.urls import reverse
from pypdf import PdfReader

from attract.attraction import plan_pdf, services

QUALITIES = {
    "Polish": "Płaci w terminie i szanuje naszą załogę",
    "Greek": "Εκτιμά την ποιότητα πάνω από τη χαμηλότερη τιμή",
    "Japanese": "約束の時間を守り、支払いが早い",
    "Korean": "직원을 존중하고 제때 지불합니다",
    "Chinese": "重视质量而不是最低价格",
    "English": "Values quality over the lowest price",
}


@pytest.fixture
def plan_in_every_script(owner):
    for text in QUALITIES.values():
        services.quality_create(actor=owner, text=text, weight=4)
    services.question_create(actor=owner, text="Τι τους ξυπνά το πρωί;", answer="家族のため")
    services.expectation_create(actor=owner, category="services", text="Dostawa w ciągu 48 godzin")
    services.plan_update(actor=owner, statement="Przyciągam klientów, którzy cenią jakość.")


def _text_and_boxes(pdf: bytes):
    """The page's text, the box of each run of text drawn, and the page's size (pdfium: pypdf
    reads fpdf2's CJK fallback font with a NUL before each character)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        boxes = [textpage.get_rect(i) for i in range(textpage.count_rects())]
        return text, boxes, page.get_size(), len(document)
    finally:
        document.close()


def test_every_line_in_every_script_is_on_the_page(owner_client, plan_in_every_script):
    response = owner_client.get(reverse("attraction:pdf"))
    assert response["Content-Type"] == "application/pdf"
    text, boxes, (width, height), pages = _text_and_boxes(response.content)
    flat = " ".join(text.split())
    for script, quality in QUALITIES.items():
        assert f"{quality} (weight 4)" in flat, f"{script} quality missing from the PDF text"
    assert "Τι τους ξυπνά το πρωί; 家族のため" in flat
    assert "Services: Dostawa w ciągu 48 godzin" in flat
    assert "Przyciągam klientów, którzy cenią jakość." in flat
    assert pages == 1
    assert len(boxes) >= 18  # title, statement, number, 3 headings, 6 + 6 + 1 lines
    for left, bottom, right, top in boxes:
        assert 0 <= left < right <= width and 0 <= bottom < top <= height


def test_the_page_renders_with_ink_where_the_lines_are(owner_client, plan_in_every_script):
    pdf = pypdfium2.PdfDocument(owner_client.get(reverse("attraction:pdf")).content)
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    pdf.close()
    shots = os.environ.get("ATTRACT_TEST_SCREENSHOTS")
    if shots:
        image.save(Path(shots) / "plan-pdf.png")
    width, height = image.size
    # Dark pixels in the left, the middle and well down the page: the lines are drawn, not
    # only the headings at the top.
    dark = [
        (x, y)
        for x in range(0, width, 3)
        for y in range(0, height, 3)
        if image.getpixel((x, y)) < 128
    ]
    assert dark
    assert max(y for _, y in dark) > height * 0.3
    assert any(width * 0.3 < x < width * 0.7 for x, _ in dark)


def test_without_the_unicode_fonts_the_pdf_falls_back_to_latin1_and_says_so(
    owner_client, plan_in_every_script, monkeypatch, tmp_path, caplog
):
    monkeypatch.setattr(plan_pdf, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.delenv("ATTRACT_PDF_FONT_DIRS", raising=False)
    plan_pdf.find_fonts.cache_clear()
    try:
        response = owner_client.get(reverse("attraction:pdf"))
    finally:
        plan_pdf.find_fonts.cache_clear()
    assert response.status_code == 200
    assert (
        "Values quality over the lowest price"
        in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    )
    assert "fonts-dejavu-core" in caplog.text and "fonts-noto-cjk" in caplog.text
