"""Who a command acts as: the owner by default, or the user named with --as."""

from __future__ import annotations

from django.core.management.base import CommandError

from attract.accounts.models import Role, User


def user_by_email(email: str, *, option: str) -> User:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(f"{option}: no active user has the address {email}.")
    return user


def acting_user(email: str | None) -> User:
    if email:
        return user_by_email(email, option="--as")
    owner = User.objects.filter(role=Role.OWNER, is_active=True).order_by("pk").first()
    if owner is None:
        raise CommandError("This installation has no owner yet: run `attract createowner` first.")
    return owner
