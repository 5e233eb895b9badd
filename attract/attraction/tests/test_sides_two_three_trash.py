"""Sides 2 and 3 of the plan like side 1: a line taken off answers with Undo, waits in the
trash, and comes back from there; a side-3 item's requirements count again when it does."""

import pytest
from django.urls import reverse

from attract.attraction.models import Expectation, TickQuestion
from attract.attraction.services import expectation_create, question_create

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    ("make", "model", "remove", "restore", "section", "side"),
    [
        (
            lambda owner: question_create(actor=owner, text="Why do they buy twice?"),
            TickQuestion,
            "attraction:question_remove",
            "attraction:question_restore",
            "Questions of the plan",
            "side-2",
        ),
        (
            lambda owner: expectation_create(
                actor=owner, category="services", text="Answer within a day"
            ),
            Expectation,
            "attraction:expectation_remove",
            "attraction:expectation_restore",
            "What customers can expect",
            "side-3",
        ),
    ],
)
def test_a_line_taken_off_answers_with_undo_and_the_trash_restores_it(
    owner_client, owner, make, model, remove, restore, section, side
):
    line = make(owner)
    html = owner_client.post(reverse(remove, args=[line.pk]), **HTMX).content.decode()
    undo = reverse(restore, args=[line.pk])
    assert "taken off the plan" in html and undo in html  # the toast, out of band
    assert f'hx-target="#{side}"' in html
    assert model.objects.get(pk=line.pk).removed_at is not None
    assert line.text not in owner_client.get(reverse("attraction:plan")).content.decode()

    trash = owner_client.get(reverse("people:trash")).content.decode()
    assert section in trash and line.text in trash and undo in trash

    response = owner_client.post(undo, {"next": reverse("people:trash")})
    assert response.status_code == 302 and response.url == reverse("people:trash")
    assert model.objects.get(pk=line.pk).removed_at is None
    assert line.text in owner_client.get(reverse("attraction:plan")).content.decode()


def test_the_trash_links_each_line_to_its_side_of_the_plan(owner_client, owner):
    question = question_create(actor=owner, text="Q")
    item = expectation_create(actor=owner, category="services", text="E")
    for name, pk, anchor in (
        ("attraction:question_change", question.pk, "#side-2"),
        ("attraction:expectation_line", item.pk, "#side-3"),
    ):
        response = owner_client.get(reverse(name, args=[pk]))
        assert response.status_code == 302 and response.url.endswith(f"/plan/{anchor}")


def test_a_member_cannot_put_a_line_back_and_nothing_changes(teammate_client, owner, owner_client):
    question = question_create(actor=owner, text="Q")
    owner_client.post(reverse("attraction:question_remove", args=[question.pk]))
    response = teammate_client.post(reverse("attraction:question_restore", args=[question.pk]))
    assert response.status_code == 403
    assert TickQuestion.objects.get(pk=question.pk).removed_at is not None
    missing = owner_client.post(reverse("attraction:expectation_restore", args=[999999]))
    assert missing.status_code == 404
