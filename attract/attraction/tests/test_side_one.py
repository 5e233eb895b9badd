"""Side 1 on the server: a weight saved alone, removal answered with Undo and the statement,
and the removed quality in the trash, restorable."""

from django.urls import reverse

from attract.attraction.models import Quality
from attract.attraction.services import quality_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_weight_alone_is_saved_and_the_statement_comes_along(owner_client, owner):
    quality = quality_create(actor=owner, text="Pays on time", weight=3)
    response = owner_client.post(
        reverse("attraction:quality_change", args=[quality.pk]),
        {"version": quality.version, "weight": "5"},
        **HTMX,
    )
    html = response.content.decode()
    assert Quality.objects.get(pk=quality.pk).weight == 5
    assert Quality.objects.get(pk=quality.pk).text == "Pays on time"
    assert 'id="statement" aria-labelledby="statement-title" hx-swap-oob="true"' in html
    assert "customers who are pay" not in html and "customers who pay on time." in html


def test_removing_answers_with_undo_and_the_trash_restores_it(owner_client, owner):
    quality = quality_create(actor=owner, text="Pays on time", weight=3)
    html = owner_client.post(
        reverse("attraction:quality_remove", args=[quality.pk]), **HTMX
    ).content.decode()
    restore = reverse("attraction:quality_restore", args=[quality.pk])
    assert "taken off the plan" in html and restore in html  # the toast, out of band
    assert not Quality.objects.get(pk=quality.pk).is_active

    trash = owner_client.get(reverse("people:trash")).content.decode()
    assert "Qualities of the plan" in trash and "Pays on time" in trash
    assert restore in trash
    link = owner_client.get(reverse("attraction:quality_change", args=[quality.pk]))
    assert link.status_code == 302 and link.url.endswith(f"/plan/#quality-{quality.pk}")

    response = owner_client.post(restore, {"next": reverse("people:trash")})
    assert response.status_code == 302 and response.url == reverse("people:trash")
    assert Quality.objects.get(pk=quality.pk).is_active


def test_a_member_cannot_restore_a_quality(teammate_client, owner):
    quality = quality_create(actor=owner, text="Pays on time", weight=3)
    Quality.objects.filter(pk=quality.pk).update(removed_at="2026-01-01T00:00:00Z")
    response = teammate_client.post(reverse("attraction:quality_restore", args=[quality.pk]))
    assert response.status_code == 403
    assert not Quality.objects.get(pk=quality.pk).is_active
