"""Who owns an imported record: the file's owner column ("Contact owner", "Owner", "Sales
agent", "OwnerId"…) read as a team member's name or email, or as the user chose for that
value on the import page (`--owner VALUE=EMAIL` on the command line). A value that names no
team member leaves the record with the importing user, and the dry run and the report list
it, so the user can map it to a team member or to themselves."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError

from attract.accounts.models import User
from attract.core.search_text import search_key

ME = "me"  # in a job's owner mapping: the importing user


def _key(text: str) -> str:
    return search_key(text or "")


class OwnerIndex:
    """The team's active users by email and by name, and the job's own choices."""

    def __init__(self, actor: User, mapping: dict[str, str]) -> None:
        self.actor = actor
        users = list(User.objects.filter(is_active=True))
        self.by_id = {u.pk: u for u in users}
        self.by_text: dict[str, User] = {}
        for user in users:
            self.by_text.setdefault(_key(user.email), user)
            if user.full_name:
                self.by_text.setdefault(_key(user.full_name), user)
        self.chosen = {_key(value): target for value, target in (mapping or {}).items()}
        self.unknown: Counter[str] = Counter()

    def owner_for(self, text: str) -> User:
        """The user a cell names (or the one chosen for it), else the importing user."""
        if not text:  # most rows of most files: no owner column (no normalising per row)
            return self.actor
        key = _key(text)
        if not key:
            return self.actor
        target = self.chosen.get(key)
        if target == ME:
            return self.actor
        if target:
            user = self.by_id.get(int(target)) if str(target).isdigit() else None
            if user is not None:
                return user
        user = self.by_text.get(key)
        if user is not None:
            return user
        self.unknown[text.strip()] += 1
        return self.actor


def clean_owner_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """Value in the file → a user id (as text) or "me"; an unknown user is refused."""
    cleaned = {}
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    for value, target in (mapping or {}).items():
        target = str(target or "").strip()
        if not target:
            continue
        if target != ME and not (target.isdigit() and int(target) in active):
            raise ValidationError({"owner_mapping": [f"“{value}”: choose a team member or me."]})
        cleaned[str(value)] = target
    return cleaned


def owner_pairs_by_email(pairs: dict[str, str]) -> dict[str, str]:
    """The command line's VALUE=EMAIL (or VALUE=me) pairs as an owner mapping."""
    mapping = {}
    for value, email in pairs.items():
        if email.lower() == ME:
            mapping[value] = ME
            continue
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(f"--owner {value}={email}: no active team member has that email.")
        mapping[value] = str(user.pk)
    return mapping
