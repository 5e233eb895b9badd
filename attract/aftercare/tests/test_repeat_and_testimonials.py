"""Repeat purchase on a known history (a customer who left and came back), testimonials and
case studies: consent respected in every publication and export, publishing without consent
refused, pictures checked and resized, asking for a testimonial makes a task."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from attract.aftercare import testimonial_selectors as publishing
from attract.aftercare import testimonial_services as services
from attract.aftercare.departure_services import departure_record
from attract.aftercare.models import CaseStudy, Testimonial
from attract.aftercare.repeat_selectors import customer_purchases, one_time_buyers, repeat_cohorts
from attract.aftercare.tests.departure_factories import make_customer, won_deal
from attract.engagement.models import Task
from attract.people.models import Relationship
from attract.people.services import person_create

pytestmark = pytest.mark.django_db


def test_repeat_purchase_on_a_known_history_with_a_customer_who_left_and_came_back(owner, outsider):
    back = make_customer(
        owner, name="Came Back",
        purchases=[(date(2022, 3, 1), "1000", "600"), (date(2022, 5, 31), "500", "100")],
    )  # fmt: skip
    departure_record(actor=owner, company=back, departed_on=date(2023, 1, 1), reason="moved")
    won_deal(back, date(2024, 6, 1), "2000", "500")
    back.refresh_from_db()
    once_2022 = make_customer(owner, name="Once 2022", purchases=[(date(2022, 8, 1), "300", "100")])
    once_2024 = make_customer(owner, name="Once 2024", purchases=[(date(2024, 2, 1), "900", "100")])
    make_customer(owner, name="Hidden", is_private=True, purchases=[(date(2024, 1, 1), "1", "0")])

    mine = customer_purchases(user=owner, company=back)
    assert (mine.deals, mine.first_on, mine.second_on, mine.days_to_second) == (
        3, date(2022, 3, 1), date(2022, 5, 31), 91
    )  # fmt: skip
    assert (mine.revenue, mine.profit) == (Decimal("3500"), Decimal("2300"))
    cohorts = {c.year: (c.customers, c.repeat, c.share) for c in repeat_cohorts(user=outsider)}
    assert cohorts == {2022: (2, 1, 50.0), 2024: (1, 0, 0.0)}
    assert {c.year: c.customers for c in repeat_cohorts(user=owner)}[2024] == 2
    # One-time buyers among current customers: most recent first, or most profitable.
    assert [c.name for c in one_time_buyers(user=outsider)] == ["Once 2024", "Once 2022"]
    by_profit = one_time_buyers(user=outsider, sort="profit")
    assert [(c.name, c.lifetime_profit) for c in by_profit][0] == ("Once 2024", Decimal("800"))
    assert once_2022.relationship == once_2024.relationship == Relationship.CUSTOMER


@pytest.fixture
def customer(owner):
    company = make_customer(owner, name="Happy Hens")
    return company, company.persons.get()


def _export(client) -> list[list[str]]:
    response = client.get(reverse("aftercare:testimonial_export"))
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_consent_decides_the_name_in_every_publication_and_export(owner, owner_client, customer):
    company, dana = customer
    kept = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Kept for us", consent="none"
    )
    first = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Lovely eggs", consent="first_name"
    )
    full = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Best service", consent="full"
    )
    assert services.attribution(kept) == ""
    assert "— Dana<" in publishing.testimonial_snippet(first).replace("</footer>", "<")
    assert "Baker" not in publishing.testimonial_snippet(
        first
    ) and "Happy Hens" not in publishing.testimonial_snippet(first)
    assert "Dana Baker, Happy Hens" in publishing.testimonial_snippet(full)
    rows = _export(owner_client)
    assert rows[0] == ["Words", "Who", "Date", "Consent"]
    assert {r[0]: r[1] for r in rows[1:]} == {
        "Lovely eggs": "Dana",
        "Best service": "Dana Baker, Happy Hens",
    }
    printed = owner_client.get(reverse("aftercare:testimonial_print", args=[first.pk]))
    assert "Lovely eggs" in printed.content.decode() and "Baker" not in printed.content.decode()
    refused = owner_client.get(reverse("aftercare:testimonial_print", args=[kept.pk]))
    assert refused.status_code == 409 and "Kept for us" not in refused.content.decode()
    case = services.case_study_create(
        actor=owner, company=company, person=dana, title="Twice the eggs", pain="Empty shelves",
        what_we_did="A weekly delivery", result="Sales up 40% in 3 months", consent="first_name",
    )  # fmt: skip
    assert "Happy Hens" not in publishing.case_study_snippet(
        case
    ) and "Dana" in publishing.case_study_snippet(case)


def test_publishing_without_consent_is_refused_and_withdrawing_consent_unpublishes(
    owner, owner_client, customer
):
    company, dana = customer
    kept = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Kept", consent="none"
    )
    with pytest.raises(ValidationError, match="not consented"):
        services.testimonial_publish(actor=owner, testimonial=kept)
    response = owner_client.post(
        reverse("aftercare:testimonial_publish", args=[kept.pk]), follow=True
    )
    assert "not consented" in response.content.decode()
    kept.refresh_from_db()
    assert kept.published_at is None
    ok = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Yes", consent="full"
    )
    services.testimonial_publish(actor=owner, testimonial=ok)
    services.testimonial_update(actor=owner, testimonial=ok, consent="none")
    ok.refresh_from_db()
    assert ok.published_at is None
    with pytest.raises(ValidationError, match="Name who said it"):
        services.testimonial_create(actor=owner, company=company, words="x", consent="full")


def _picture(size=(3000, 2000), kind="JPEG") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, kind)
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


CASE = {"title": "More eggs", "pain": "Empty shelves", "what_we_did": "Weekly delivery",
        "result": "Sales up 40%", "consent": "none"}  # fmt: skip


def test_a_case_study_picture_is_checked_and_resized(owner, owner_client, customer):
    company, _ = customer
    case = services.case_study_create(actor=owner, company=company, image=_picture(), **CASE)
    assert (case.image_width, case.image_height) == (1600, 1067)
    assert case.image_type == "image/jpeg"
    with Image.open(io.BytesIO(bytes(case.image))) as stored:
        assert stored.format == "JPEG"
    served = owner_client.get(reverse("aftercare:case_image", args=[case.pk]))
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a picture"):
        services.case_study_create(actor=owner, company=company, image=fake, **CASE)
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 20 MB"):
        services.case_study_create(actor=owner, company=company, image=huge, **CASE)
    svg = SimpleUploadedFile("p.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ValidationError):
        services.case_study_create(actor=owner, company=company, image=svg, **CASE)
    with pytest.raises(ValidationError, match="in numbers"):
        services.case_study_create(actor=owner, company=company, **{**CASE, "result": "Better"})
    assert CaseStudy.objects.count() == 1
    # Through the form: the refusal is shown at the field.
    response = owner_client.post(
        reverse("aftercare:case_create") + f"?company={company.pk}",
        {**CASE, "image": SimpleUploadedFile("x.png", b"GIF89a-nope")},
    )
    assert response.status_code == 200 and "not a picture" in response.content.decode()


def test_asking_for_a_testimonial_makes_a_task_and_the_trash_keeps_it(
    owner, owner_client, customer
):
    company, dana = customer
    response = owner_client.post(
        reverse("aftercare:testimonial_ask", args=[company.pk]), {"person": dana.pk}
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.title == "Ask Dana Baker for a testimonial" and task.person_id == dana.pk
    t = services.testimonial_create(actor=owner, company=company, words="Great", consent="none")
    owner_client.post(reverse("aftercare:testimonial_trash", args=[t.pk]))
    assert not Testimonial.objects.exists() and Testimonial.all_objects.count() == 1
    owner_client.post(reverse("aftercare:testimonial_restore", args=[t.pk]))
    assert Testimonial.objects.count() == 1


def test_someone_elses_private_customer_has_no_testimonials_for_others(
    owner, outsider_client, outsider
):
    company = make_customer(owner, name="Secret Farm", is_private=True)
    dana = company.persons.get()
    t = services.testimonial_create(
        actor=owner, company=company, person=dana, words="Zqmk secret", consent="full"
    )
    assert (
        outsider_client.get(reverse("aftercare:testimonial_detail", args=[t.pk])).status_code == 404
    )
    assert (
        "Zqmk" not in outsider_client.get(reverse("aftercare:testimonial_export")).content.decode()
    )
    assert person_create  # the factory's persons come through the service
