"""The Care page, care plans, and care on a customer's page: what each shows, what each
change does, privacy in every list, and fixed query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attract.aftercare.care_signal import care_signal_refresh
from attract.aftercare.models import CarePlan, CareStep, CustomerCare, Promise
from attract.aftercare.promise_services import promise_create
from attract.aftercare.tests.factories import make_customer, make_plan
from attract.engagement.models import Interaction

pytestmark = pytest.mark.django_db


def _age(company, days: int) -> CustomerCare:
    """The customer was won `days` ago: their care started then."""
    care = CustomerCare.objects.get(company=company)
    care.started_on = timezone.localdate() - timedelta(days=days)
    care.save()
    CareStep.objects.filter(care=care).update(due_on=care.started_on + timedelta(days=1))
    care_signal_refresh(care_ids=[care.pk])
    care.refresh_from_db()
    return care


@pytest.fixture
def world(owner, outsider):
    make_plan(owner)
    shared, _ = make_customer(owner, "Shared Bakery", revenue=9000, cost=1000)
    small, _ = make_customer(owner, "Small Shop", revenue=2000, cost=1500)
    secret, _ = make_customer(owner, "Secret Spa", revenue=50000, cost=0, is_private=True)
    for company in (shared, small, secret):
        _age(company, 200)
    return {"shared": shared, "small": small, "secret": secret}


def test_care_page_lists_customers_at_risk_most_valuable_first_with_evidence(
    owner_client, outsider_client, world
):
    response = owner_client.get(reverse("aftercare:care"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Secret Spa") < html.index("Shared Bakery") < html.index("Small Shop")
    assert "No personal touch for 200 days" in html and "care steps missed" in html
    # Someone else's private customer is not in their list, nor in the personal touch.
    html = outsider_client.get(reverse("aftercare:care")).content.decode()
    assert "Secret Spa" not in html and "Shared Bakery" in html


def test_care_page_reads_a_fixed_number_of_queries(owner_client, owner, world):
    owner_client.get(reverse("aftercare:care"))
    with CaptureQueriesContext(connection) as few:
        owner_client.get(reverse("aftercare:care"))
    for n in range(5):
        company, _ = make_customer(owner, f"More {n}")
        _age(company, 300)
    with CaptureQueriesContext(connection) as many:
        owner_client.get(reverse("aftercare:care"))
    assert len(many) == len(few)


def test_a_customer_page_shows_done_due_and_missed_steps_and_doing_one_logs_it(
    owner_client, owner, world
):
    company = world["shared"]
    url = reverse("people:company_detail", args=[company.pk])
    html = owner_client.get(url).content.decode()
    assert 'id="care"' in html and "Missed" in html and "No personal touch" in html
    step = CareStep.objects.filter(care__company=company, done_at__isnull=True).first()
    response = owner_client.post(
        reverse("aftercare:step_done", args=[step.pk]), {"summary": "All good"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#care")
    step.refresh_from_db()
    assert step.done_at is not None
    assert Interaction.objects.filter(company=company, summary__contains="All good").exists()
    care = CustomerCare.objects.get(company=company)
    assert care.days_untouched == 0


def test_a_broken_promise_is_recorded_and_shows_in_the_care_signal(owner_client, owner, world):
    company = world["small"]
    response = owner_client.post(
        reverse("aftercare:promise_create", args=["company", company.pk]),
        {"what": "Delivery", "due_on": "2099-01-01", "metric": "delivery time", "value": "48",
         "unit": "hours", "better": "lower"},
    )  # fmt: skip
    assert response.status_code == 302
    promise = Promise.objects.get(company=company)
    owner_client.post(reverse("aftercare:promise_record", args=[promise.pk]),
                      {"actual_value": "60", "what_happened": "Truck broke down"})  # fmt: skip
    promise.refresh_from_db()
    assert promise.outcome == "broken"
    assert CustomerCare.objects.get(company=company).broken_promises == 1
    html = owner_client.get(reverse("people:company_detail", args=[company.pk])).content.decode()
    assert "Broken" in html and "1 promise broken or overdue" in html


def test_bad_input_on_the_customer_page_changes_nothing(owner_client, world):
    company = world["small"]
    owner_client.post(reverse("aftercare:promise_create", args=["company", company.pk]),
                      {"what": "Fast", "due_on": "", "value": "48", "unit": ""})  # fmt: skip
    assert not Promise.objects.exists()
    response = owner_client.post(
        reverse("aftercare:experience_create", args=["company", company.pk]),
        {"is_good": "no", "what": "", "feeling": "angry"},
    )
    assert response.status_code == 302


def test_someone_elses_private_customer_is_404_for_every_care_action(outsider_client, world):
    secret = world["secret"]
    step = CareStep.objects.filter(care__company=secret).first()
    assert outsider_client.post(reverse("aftercare:step_done", args=[step.pk])).status_code == 404
    url = reverse("aftercare:promise_create", args=["company", secret.pk])
    assert outsider_client.post(url, {"what": "x"}).status_code == 404


def test_today_shows_the_three_most_urgent(owner_client, owner, world):
    promise = promise_create(actor=owner, company=world["small"], what="Call back",
                             due_on=timezone.localdate() - timedelta(days=3))  # fmt: skip
    assert promise.pk
    html = owner_client.get(reverse("web:today")).content.decode()
    assert "Customers who may feel ignored" in html
    assert html.index("Small Shop") < html.index("Everyone at risk")


def test_plans_are_made_edited_and_trashed_from_their_pages(owner_client, viewer_client, owner):
    response = owner_client.post(reverse("aftercare:plans"), {"name": "Key accounts",
                                                              "rhythm_days": "30"})  # fmt: skip
    plan = CarePlan.objects.get(name="Key accounts")
    assert response.status_code == 302
    url = reverse("aftercare:plan_step_add", args=[plan.pk])
    owner_client.post(url, {"title": "Welcome", "day": "-1", "repeat_months": "0",
                            "doer": "deal_owner", "channel": "call"})  # fmt: skip
    assert not plan.steps.exists()
    owner_client.post(url, {"title": "Welcome", "day": "1", "repeat_months": "0",
                            "doer": "deal_owner", "channel": "call"})  # fmt: skip
    assert plan.steps.count() == 1
    html = owner_client.get(reverse("aftercare:plan_detail", args=[plan.pk])).content.decode()
    assert "Welcome" in html and "day 1" in html
    assert viewer_client.post(reverse("aftercare:plan_trash", args=[plan.pk])).status_code == 403
    owner_client.post(reverse("aftercare:plan_trash", args=[plan.pk]))
    assert CarePlan.all_objects.get(pk=plan.pk).in_trash
    assert "Key accounts" in owner_client.get(reverse("people:trash")).content.decode()


def test_a_call_logged_from_the_at_risk_row_answers_the_row_refreshed(owner_client, world):
    company = world["shared"]
    care = CustomerCare.objects.get(company=company)
    url = reverse("aftercare:care_touch", args=[care.pk])
    response = owner_client.post(url, {"act": "call", "text": "Caught up"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<tr")
    assert "Call logged on Shared Bakery" in html and "No personal touch" not in html
    assert Interaction.objects.filter(company=company, summary="Call: Caught up").exists()
    assert CustomerCare.objects.get(pk=care.pk).days_untouched == 0


def test_a_note_and_a_task_from_the_care_page_without_javascript(owner_client, world):
    from attract.engagement.models import Task

    company = world["small"]
    care = CustomerCare.objects.get(company=company)
    url = reverse("aftercare:care_touch", args=[care.pk])
    response = owner_client.post(url, {"act": "task"})
    assert response.status_code == 302 and response["Location"].endswith("/care/#at-risk")
    task = Task.objects.get(company=company, title="Get in touch with Small Shop")
    assert task.due_at > timezone.now()
    owner_client.post(url, {"act": "note", "text": "Thank-you card"})
    assert Interaction.objects.filter(company=company, channel="letter",
                                      summary="Note: Thank-you card").exists()  # fmt: skip


def test_a_touch_is_refused_for_bad_input_a_viewer_and_someone_elses_private_customer(
    owner_client, viewer_client, outsider_client, world
):
    secret = CustomerCare.objects.get(company=world["secret"])
    shared = CustomerCare.objects.get(company=world["shared"])
    before = Interaction.objects.count()
    url = reverse("aftercare:care_touch", args=[shared.pk])
    bad = owner_client.post(url, {"act": "dance"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "Choose a call, a note or a task" in bad.content.decode()
    assert viewer_client.post(url, {"act": "call"}).status_code == 403
    hidden = reverse("aftercare:care_touch", args=[secret.pk])
    assert outsider_client.post(hidden, {"act": "call"}).status_code == 404
    assert Interaction.objects.count() == before


def test_the_care_pages_forms_post_where_they_say(owner_client, owner, world):
    """The rows' addresses are drawn once per table: each one reaches its own record."""
    import re

    care = CustomerCare.objects.get(company=world["shared"])
    step = CareStep.objects.filter(care=care, done_at__isnull=True).order_by("due_on").first()
    step.due_on = timezone.localdate()
    step.save()
    html = owner_client.get(reverse("aftercare:care")).content.decode()
    assert f'action="{reverse("aftercare:care_touch", args=[care.pk])}"' in html
    assert f'action="{reverse("aftercare:step_done", args=[step.pk])}"' in html
    company_page = reverse("people:company_detail", args=[world["shared"].pk])
    assert re.search(rf'href="{company_page}#care">Shared Bakery</a>', html)
