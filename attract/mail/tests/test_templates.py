"""Letter templates: merge fields checked at save (the unknown one named), edits against the
version seen, trash with Undo and history, the starters, and a renderer that reaches nothing
beyond its fields."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attract.core.versions import VersionConflict
from attract.mail.models import MailTemplate
from attract.mail.template_merge import MergeValues, merge_check, merge_render
from attract.mail.template_services import template_create, template_update
from attract.mail.template_starters import STARTERS, starters_seed

pytestmark = pytest.mark.django_db


def test_an_unknown_merge_field_is_refused_at_save_with_its_name(owner):
    with pytest.raises(ValidationError) as refused:
        template_create(actor=owner, name="Hi", subject="Hi", body="Dear {{ nickname }},")
    assert "{{ nickname }}" in str(refused.value.message_dict["body"])
    assert not MailTemplate.objects.filter(name="Hi").exists()


@pytest.mark.parametrize(
    "text",
    ["{{ person.owner.password }}", "{% for x in y %}", "{{ first_name|upper }}", "{{ first_name"],
)
def test_template_syntax_beyond_plain_fields_is_refused(text):
    with pytest.raises(ValidationError):
        merge_check(field_name="body", text=text)


def test_the_renderer_fills_only_known_fields_and_never_evaluates_text():
    values = MergeValues(first_name="{{ signature }}", signature="SECRET")
    assert merge_render("Hi {{first_name}} / {{ other }}", values) == "Hi {{ signature }} / "


def test_an_edit_made_on_an_older_version_is_refused(owner, teammate):
    template = template_create(
        actor=owner, name="Check-in", subject="Hello", body="Hi {{ first_name }}"
    )
    template_update(actor=teammate, template=template, expected_version=1, subject="Hello again")
    stale = MailTemplate.objects.get(pk=template.pk)
    with pytest.raises(VersionConflict):
        template_update(actor=owner, template=stale, expected_version=1, body="Overwritten")
    stale.refresh_from_db()
    assert (stale.subject, stale.body) == ("Hello again", "Hi {{ first_name }}")


def test_the_starters_are_seeded_once_and_in_our_own_words(db):
    keys = set(
        MailTemplate.all_objects.exclude(starter_key="").values_list("starter_key", flat=True)
    )
    assert keys == {s["starter_key"] for s in STARTERS}
    trashed = MailTemplate.objects.get(starter_key="care_check_in")
    trashed.deleted_at = trashed.updated_at
    trashed.save()
    assert starters_seed(MailTemplate) == 0
    for starter in STARTERS:
        merge_check(field_name="body", text=starter["body"])
    assert "{{ survey_link }}" in MailTemplate.all_objects.get(starter_key="exit_survey").body


def test_trash_offers_undo_and_the_page_shows_the_history(owner, owner_client):
    template = template_create(actor=owner, name="Thanks", subject="Thanks", body="Thank you")
    template_update(actor=owner, template=template, expected_version=1, body="Thank you again")
    page = owner_client.get(reverse("mail:template_detail", args=[template.pk]))
    assert b"Thank you again" in page.content and b"Change history" in page.content
    response = owner_client.post(reverse("mail:template_trash", args=[template.pk]), follow=True)
    assert b"Undo" in response.content
    assert not MailTemplate.objects.filter(pk=template.pk).exists()
    owner_client.post(reverse("mail:template_restore", args=[template.pk]))
    assert MailTemplate.objects.filter(pk=template.pk).exists()


def test_the_edit_form_keeps_input_and_names_the_unknown_field(owner, owner_client):
    template = template_create(actor=owner, name="Thanks", subject="Thanks", body="Thank you")
    response = owner_client.post(
        reverse("mail:template_edit", args=[template.pk]),
        {"name": "Thanks", "subject": "Thanks", "body": "Hi {{ nick }}", "version": 1},
    )
    assert response.status_code == 200
    assert "{{ nick }}" in response.content.decode()
    template.refresh_from_db()
    assert template.body == "Thank you" and template.version == 1


def test_a_viewer_cannot_write_templates(viewer):
    with pytest.raises(Exception, match="can read but not change"):
        template_create(actor=viewer, name="X", subject="X", body="X")


def test_the_template_list_reads_in_a_fixed_number_of_queries(
    owner, owner_client, django_assert_max_num_queries
):
    for i in range(30):
        template_create(actor=owner, name=f"Letter {i}", subject="S", body="B")
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("mail:templates"))
    assert response.status_code == 200 and b"Letter 29" in response.content
