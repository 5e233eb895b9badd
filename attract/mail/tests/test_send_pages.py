"""Compose, preview and send from the pages, the API and the CLI; the public unsubscribe
page; do-not-email on the person."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from attract.mail.models import MailSend, MailTemplate, SendRecipient, Unsubscribe
from attract.mail.send_unsubscribe import unsubscribe_token
from attract.people.tests.factories import CompanyFactory, EmailAddressFactory, PersonFactory
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db


def _person(owner, first, address="", **extra):
    person = PersonFactory(first_name=first, last_name="Ng", owner=owner, **extra)
    if address:
        EmailAddressFactory(person=person, email=address)
    return person


def test_preview_fills_the_fields_for_the_person_from_a_deal(owner, owner_client):
    company = CompanyFactory(name="Acme", owner=owner)
    ana = _person(owner, "Ana", "ana@acme.example", company=company)
    deal = DealFactory(title="Boiler", company=company, contact=ana, owner=owner)
    response = owner_client.post(
        reverse("mail:compose") + f"?deal={deal.pk}",
        {
            "subject": "About {{ deal }}",
            "body": "Dear {{ first_name }} of {{ company }}",
            "action": "preview",
        },
    )
    text = response.content.decode()
    assert "About Boiler" in text and "Dear Ana of Acme" in text
    assert not MailSend.objects.exists()


def test_the_compose_page_starts_from_the_chosen_template(owner, owner_client):
    ana = _person(owner, "Ana", "ana@acme.example")
    template = MailTemplate.objects.get(starter_key="testimonial_request")
    response = owner_client.get(
        reverse("mail:compose") + f"?person={ana.pk}&template={template.pk}"
    )
    assert template.subject in response.content.decode()


def test_sending_to_a_person_who_asked_not_to_be_mailed_is_refused_on_the_page(
    owner, owner_client, smtp_server
):
    ana = _person(owner, "Ana", "ana@acme.example", do_not_email=True)
    response = owner_client.post(
        reverse("mail:compose") + f"?person={ana.pk}",
        {"subject": "Hi", "body": "Hi", "action": "send"},
    )
    assert "Ana Ng asked not to be e-mailed." in response.content.decode()
    assert smtp_server.messages == [] and not MailSend.objects.exists()


def test_sending_from_the_page_delivers_and_goes_back(owner, owner_client, smtp_server):
    ana = _person(owner, "Ana", "ana@acme.example")
    response = owner_client.post(
        reverse("mail:compose") + f"?person={ana.pk}",
        {"subject": "Hi {{ first_name }}", "body": "Hello", "action": "send"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:person_detail", args=[ana.pk]
    )
    assert smtp_server.messages[0].message["Subject"] == "Hi Ana"


def test_the_page_says_so_when_the_server_cannot_be_reached(owner, owner_client, closed_smtp_port):
    ana = _person(owner, "Ana", "ana@acme.example")
    response = owner_client.post(
        reverse("mail:compose") + f"?person={ana.pk}",
        {"subject": "Hi", "body": "Hello", "action": "send"},
    )
    assert response.status_code == 200
    assert "refused the connection" in response.content.decode()


def test_a_private_person_of_someone_else_cannot_be_written_to(owner, outsider_client):
    ana = _person(owner, "Ana", "ana@acme.example", is_private=True)
    assert outsider_client.get(reverse("mail:compose") + f"?person={ana.pk}").status_code == 404


def test_a_selection_is_one_job_with_a_progress_page(owner, owner_client, smtp_server):
    from attract.jobs.testing import run_queued_tasks

    persons = [_person(owner, f"P{i}", f"p{i}@acme.example") for i in range(3)]
    ids = ",".join(str(p.pk) for p in persons)
    response = owner_client.post(
        reverse("mail:compose") + f"?persons={ids}",
        {"subject": "Hi", "body": "Hi", "action": "send"},
    )
    send = MailSend.objects.get()
    assert response["Location"] == reverse("mail:send_detail", args=[send.pk])
    run_queued_tasks()
    page = owner_client.get(response["Location"]).content.decode()
    assert "<strong>3</strong> sent" in page
    assert len(smtp_server.messages) == 3


def test_the_public_unsubscribe_page_records_the_address_and_a_forged_token_does_nothing(owner):
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token("Ana@Acme.example")
    assert (
        "ana@acme.example" in client.get(reverse("mail:unsubscribe", args=[token])).content.decode()
    )
    assert client.post(reverse("mail:unsubscribe", args=[token])).status_code == 200
    assert list(Unsubscribe.objects.values_list("address", flat=True)) == ["ana@acme.example"]
    assert client.post(reverse("mail:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    assert Unsubscribe.objects.count() == 1


def test_do_not_email_is_set_on_the_person_form_and_shown(owner, owner_client):
    ana = _person(owner, "Ana", "ana@acme.example")
    owner_client.post(
        reverse("people:person_edit", args=[ana.pk]),
        {"first_name": "Ana", "last_name": "Ng", "emails": "ana@acme.example", "do_not_email": "on",
         "version": ana.version, "owner": owner.pk},
    )  # fmt: skip
    ana.refresh_from_db()
    assert ana.do_not_email
    assert (
        "Do not e-mail"
        in owner_client.get(reverse("people:person_detail", args=[ana.pk])).content.decode()
    )


@pytest.fixture
def api(owner):
    from attract.accounts.services import api_token_create

    _, raw = api_token_create(user=owner, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_writes_templates_and_refuses_an_unknown_field_with_422(owner, client, api):
    bad = client.post("/api/v1/mail/templates", {"name": "A", "subject": "S", "body": "{{ x }}"},
                      content_type="application/json", **api)  # fmt: skip
    assert bad.status_code == 422 and "{{ x }}" in bad.content.decode()
    good = client.post("/api/v1/mail/templates", {"name": "A", "subject": "S", "body": "{{ first_name }}"},
                       content_type="application/json", **api)  # fmt: skip
    assert good.status_code == 201
    stale = client.patch(f"/api/v1/mail/templates/{good.json()['id']}", {"version": 9, "body": "B"},
                         content_type="application/json", **api)  # fmt: skip
    assert stale.status_code == 409


def test_the_api_sends_through_the_worker_and_reports_progress(owner, client, api, smtp_server):
    from attract.jobs.testing import run_queued_tasks

    ana = _person(owner, "Ana", "ana@acme.example")
    nobody = _person(owner, "Bo")
    template = MailTemplate.objects.get(starter_key="referrer_thanks")
    answer = client.post("/api/v1/mail/send", {"persons": [ana.pk, nobody.pk], "template": template.pk},
                         content_type="application/json", **api)  # fmt: skip
    assert answer.status_code == 202, answer.content
    run_queued_tasks()
    status = client.get(f"/api/v1/mail/sends/{answer.json()['id']}", **api).json()
    assert (status["sent"], status["skipped"], status["status"]) == (1, 1, "done")
    alone = client.post("/api/v1/mail/send", {"persons": [nobody.pk], "subject": "S", "body": "B"},
                        content_type="application/json", **api)  # fmt: skip
    assert alone.status_code == 422 and "no e-mail address" in alone.content.decode()


def test_the_cli_sends_a_template_to_an_address_and_a_person_id(owner, smtp_server, capsys):
    _person(owner, "Ana", "ana@acme.example")
    ben = _person(owner, "Ben", "ben@acme.example")
    call_command(
        "mail", "send", "Thank a referrer", "--to", "ANA@acme.example", "--to", str(ben.pk)
    )
    assert sorted(r for m in smtp_server.messages for r in m.recipients) == [
        "ana@acme.example",
        "ben@acme.example",
    ]
    assert "Sent 2 of 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No person with the address"):
        call_command("mail", "send", "Thank a referrer", "--to", "stranger@else.example")
    call_command("mail", "templates")
    assert "Care check-in" in capsys.readouterr().out
    assert SendRecipient.objects.filter(status="sent").count() == 2


def test_do_not_email_travels_through_the_api_and_the_export(owner, owner_client, client, api):
    ana = _person(owner, "Ana", "ana@acme.example")
    changed = client.patch(f"/api/v1/persons/{ana.pk}", {"do_not_email": True},
                           content_type="application/json", **api)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["do_not_email"] is True
    response = owner_client.get(reverse("transfer:export_persons"))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    export = body.decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert header.endswith("Do not e-mail") and row.endswith("yes")


def test_the_people_list_selection_opens_the_composer_for_those_persons(owner, owner_client):
    ana = _person(owner, "Ana", "ana@acme.example")
    ben = _person(owner, "Ben", "ben@acme.example")
    response = owner_client.post(
        reverse("people:bulk_change", args=["persons"]),
        {"ids": [ana.pk, ben.pk], "action": "email", "next": reverse("people:person_list")},
    )
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    assert (
        "2 selected persons" in page and "ana@acme.example" in page and "ben@acme.example" in page
    )


def test_the_progress_page_reads_in_a_fixed_number_of_queries(
    owner, owner_client, django_assert_max_num_queries
):
    from attract.mail.send_services import send_prepare

    persons = [_person(owner, f"P{i}") for i in range(40)]  # none has an address
    send = send_prepare(actor=owner, persons=persons, subject="S", body="B", base_url="http://x")
    with django_assert_max_num_queries(8):
        page = owner_client.get(reverse("mail:send_detail", args=[send.pk])).content.decode()
    assert page.count("has no e-mail address") == 40
