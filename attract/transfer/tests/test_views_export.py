"""Exports from the web: the rows the list shows for the same filters, formulas neutralised,
others' private records left out, streamed."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.urls import reverse

from attract.people import services as people
from attract.pipeline import services as pipeline


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.streaming  # written row by row, never built whole
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_people_export_is_the_list_as_filtered(owner_client, owner):
    people.person_create(actor=owner, first_name="Ann", last_name="Lee", tags=["lead"])
    people.person_create(actor=owner, first_name="Bob", last_name="Stone", tags=["lead"])
    people.person_create(actor=owner, first_name="Cy", last_name="Stone")
    url = reverse("transfer:export_persons")
    rows = _rows(owner_client.get(url, {"q": "stone", "tag": "lead", "page": "2"}))
    assert rows[0][:3] == ["First name", "Last name", "Email"]
    assert [r[:2] for r in rows[1:]] == [["Bob", "Stone"]]
    assert len(_rows(owner_client.get(url))) == 4


def test_the_list_links_its_export_with_its_filters(owner_client, owner):
    people.person_create(actor=owner, first_name="Bob", last_name="Stone")
    body = owner_client.get(reverse("people:person_list"), {"q": "stone"}).content.decode()
    assert f'href="{reverse("transfer:export_persons")}?q=stone"' in body
    body = owner_client.get(reverse("people:company_list"), {"q": "x"}).content.decode()
    assert "Import</a>" in body


def test_formulas_are_neutralised(owner_client, owner):
    people.person_create(
        actor=owner, first_name="Eve", last_name="Hack", job_title='=HYPERLINK("http://x")'
    )
    people.company_create(actor=owner, name="@SUM(A1)", notes="+1 555")
    rows = _rows(owner_client.get(reverse("transfer:export_persons")))
    assert rows[1][6] == '\'=HYPERLINK("http://x")'
    rows = _rows(owner_client.get(reverse("transfer:export_companies")))
    assert rows[1][0] == "'@SUM(A1)" and rows[1][11] == "'+1 555"


def test_others_private_records_are_left_out(owner_client, owner, outsider):
    secret = people.company_create(actor=outsider, name="Secret Co", is_private=True)
    people.person_create(actor=outsider, first_name="Hidden", last_name="One", is_private=True)
    people.person_create(actor=outsider, first_name="Shared", last_name="Two", company=secret)
    people.person_create(actor=owner, first_name="Mine", last_name="Three", is_private=True)
    rows = _rows(owner_client.get(reverse("transfer:export_persons")))
    names = {r[0]: r for r in rows[1:]}
    assert set(names) == {"Shared", "Mine"}
    assert names["Shared"][7] == ""  # the private company is not named
    companies = _rows(owner_client.get(reverse("transfer:export_companies")))
    assert "Secret Co" not in {r[0] for r in companies}
    cards = b"".join(owner_client.get(reverse("transfer:export_persons_vcard")).streaming_content)
    assert b"Secret Co" not in cards and b"Hidden" not in cards


def test_deals_export_open_or_closed_as_filtered(owner_client, owner):
    acme = people.company_create(actor=owner, name="Acme")
    pipeline.deal_create(actor=owner, title="Open one", company=acme, revenue=100)
    won = pipeline.deal_create(actor=owner, title="Won one", company=acme, revenue=250)
    pipeline.deal_win(actor=owner, deal=won)
    lost = pipeline.deal_create(actor=owner, title="Lost one")
    pipeline.deal_lose(actor=owner, deal=lost, reason="Too dear")
    url = reverse("transfer:export_deals")
    assert [r[0] for r in _rows(owner_client.get(url))[1:]] == ["Open one"]
    closed = _rows(owner_client.get(url, {"closed": "1"}))
    assert {r[0] for r in closed[1:]} == {"Won one", "Lost one"}
    only_won = _rows(owner_client.get(url, {"closed": "1", "outcome": "won"}))
    assert [(r[0], r[1], r[3], r[5]) for r in only_won[1:]] == [
        ("Won one", "Acme", "won", "250.00")
    ]
    body = owner_client.get(reverse("pipeline:closed_list"), {"outcome": "won"}).content.decode()
    assert f"{url}?closed=1&amp;outcome=won" in body


def test_vcard_export_in_both_versions(owner_client, owner):
    people.person_create(actor=owner, first_name="Ann", last_name="Lee", emails=["ann@example.com"])
    url = reverse("transfer:export_persons_vcard")
    for version in ("3.0", "4.0"):
        response = owner_client.get(url, {"version": version})
        text = b"".join(response.streaming_content).decode()
        assert f"VERSION:{version}" in text and "ann@example.com" in text
        assert response["Content-Type"].startswith("text/vcard")


def test_export_query_count_does_not_grow_with_rows(
    owner_client, owner, django_assert_max_num_queries
):
    for index in range(30):
        people.person_create(
            actor=owner,
            first_name=f"P{index}",
            last_name="X",
            emails=[f"p{index}@example.com"],
            tags=["t"],
        )
    with django_assert_max_num_queries(10):
        rows = _rows(owner_client.get(reverse("transfer:export_persons")))
    assert len(rows) == 31


def test_full_export_is_for_the_owner_only(owner_client, teammate_client, owner):
    people.person_create(actor=owner, first_name="Ann", last_name="Lee")
    response = owner_client.get(reverse("transfer:export_all"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    records = json.loads(archive.read("attract.json"))
    assert any(r["model"] == "people.person" for r in records)
    assert teammate_client.get(reverse("transfer:export_all")).status_code == 403


def test_settings_links_to_import_and_export(owner_client):
    body = owner_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("transfer:import_start") in body
