"""Care through the API and the CLI: the same rules, the same answers, privacy kept."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from attract.accounts.services import api_token_create
from attract.aftercare.models import CareStep, CustomerCare, Promise
from attract.aftercare.tests.factories import make_customer, make_plan
from attract.aftercare.tests.test_care_views import _age

pytestmark = pytest.mark.django_db


def _api(client, user):
    token = api_token_create(user=user, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, json=None):
        return getattr(client, method)(
            "/api/v1" + path, data=json, content_type="application/json", headers=headers
        )

    return call


def test_plans_steps_promises_and_experiences_through_the_api(client, owner, outsider):
    api = _api(client, owner)
    response = api("post", "/care-plans", {"name": "API plan", "rhythm_days": 30})
    assert response.status_code == 201, response.content
    plan = response.json()["id"]
    assert api("post", f"/care-plans/{plan}/steps", {"title": "Bad", "day": -2}).status_code == 422
    assert api("post", f"/care-plans/{plan}/steps", {"title": "Hi", "day": 1}).status_code == 201
    company, _ = make_customer(owner, "Api Co")
    _age(company, 120)
    steps = api("get", f"/care/companies/{company.pk}").json()["steps"]
    assert steps and steps[0]["state"] == "missed"
    done = api("post", f"/care/steps/{steps[0]['id']}/done", {"summary": "Called"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert api("get", "/care/at-risk").json()["count"] == 0  # touched today, nothing else
    # A promise without a date, or measurable without its unit: 422, nothing written.
    bad = api("post", "/promises", {"company": company.pk, "what": "Fast", "value": "48"})
    assert bad.status_code == 422 and not Promise.objects.exists()
    made = api("post", "/promises", {"company": company.pk, "what": "Delivery", "due_on":
               "2099-01-01", "metric": "delivery", "value": "48", "unit": "hours"})  # fmt: skip
    assert made.status_code == 201
    promise = made.json()
    recorded = api("post", f"/promises/{promise['id']}/record", {"actual_value": "72"})
    assert recorded.json()["outcome"] == "broken"
    at_risk = api("get", "/care/at-risk").json()
    assert at_risk["count"] == 1 and "promise broken" in at_risk["items"][0]["evidence"][0]["text"]
    experience = api("post", "/experiences", {"company": company.pk, "what": "Late",
                                              "feeling": "furious"})  # fmt: skip
    assert experience.status_code == 201 and experience.json()["note"] == ""
    assert api("delete", f"/care-plans/{plan}").status_code == 204
    # The outsider sees no private customer's care.
    secret, _ = make_customer(owner, "Secret", is_private=True)
    other = _api(client, outsider)
    assert other("get", f"/care/companies/{secret.pk}").status_code == 404
    step = CareStep.objects.filter(care__company=secret).first()
    if step is not None:
        assert other("post", f"/care/steps/{step.pk}/done", {}).status_code == 404


def test_an_experience_for_a_prospect_is_kept_and_said(client, owner):
    from attract.people.services import company_create

    prospect = company_create(actor=owner, name="Maybe Co")
    response = _api(client, owner)("post", "/experiences", {"company": prospect.pk, "what": "Demo",
                                                             "feeling": "pleased",
                                                             "is_good": True})  # fmt: skip
    assert response.status_code == 201 and "not a customer" in response.json()["note"]


def test_cli_lists_at_risk_and_steps_due_and_does_a_step(owner):
    make_plan(owner)
    company, _ = make_customer(owner, "Cli Bakery")
    _age(company, 100)
    CareStep.objects.filter(care__company=company).update(due_on=CareStep.objects.first().due_on)
    step = CareStep.objects.filter(care__company=company, title="Welcome call").first()
    from django.utils import timezone

    step.due_on = timezone.localdate()
    step.save()
    out = StringIO()
    call_command("care", stdout=out)
    text = out.getvalue()
    assert "Cli Bakery" in text and "No personal touch" in text and "Welcome call" in text
    out = StringIO()
    call_command("care", "done", str(step.pk), "--summary", "Lovely chat", stdout=out)
    assert "Done: Welcome call with Cli Bakery" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("care", "done", str(step.pk), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("care", "done", "999999", stdout=StringIO())
    assert CustomerCare.objects.get(company=company).days_untouched == 0
