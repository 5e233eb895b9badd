"""The Django admin is gone: the team is managed under Settings, and a second door onto the
records would have to repeat every visibility rule (a superuser saw every member's private
companies, persons and deals there). Nothing may bring it back by accident."""

from django.apps import apps


def test_the_django_admin_is_not_installed():
    assert not apps.is_installed("django.contrib.admin")


def test_the_admin_address_is_not_found_even_for_the_owner(owner_client):
    assert owner_client.get("/admin/").status_code == 404
    assert owner_client.get("/admin/people/company/").status_code == 404
