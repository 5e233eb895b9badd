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

    def __init__(
        self, actor: User, mapping: dict[str, str], other_users: dict[str, list[str]] | None = None
    ) -> None:
        self.actor = actor
        # The other CRM's users (its users file): their id → [name, email].
        self.users = other_users or {}
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
        return self.named_owner(text) or self.actor

    def named_owner(self, text: str) -> User | None:
        """The user a cell names (or the one chosen for it); None when it names nobody on the
        team (counted among the unknown owners) or is blank."""
        if not text:  # most rows of most files: no owner column (no normalising per row)
            return None
        text = self.named(text)
        key = _key(text)
        if not key:
            return None
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
        return None

    def named(self, text: str) -> str:
        """An id of the other CRM's users file as the user's email when a team member has it,
        else as their name (which the dry run lists, and a choice maps), else as it is."""
        if not self.users:
            return text
        name, email = (self.users.get(text.strip()) or ["", ""])[:2]
        if email and _key(email) in self.by_text and _key(name) not in self.chosen:
            return email
        return name or email or text


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


# The columns of a users file (Salesforce's User.csv; any CSV with an id and a name or email).
_USER_COLUMNS = {
    "id": "id", "userid": "id", "ownerid": "id",
    "name": "name", "fullname": "name", "username": "email", "email": "email",
    "emailaddress": "email", "firstname": "first", "lastname": "last",
}  # fmt: skip
MOST_USERS = 100_000


def users_from_file(path) -> dict[str, list[str]]:
    """The users file read: each user's id → [name, email]. Refused, with the reason, when it
    has no id column or neither a name nor an email column."""
    import re

    from attract.transfer.reading import as_record, open_table

    table = open_table(path, None)
    columns = {}
    for header in table.headers:
        field = _USER_COLUMNS.get(re.sub(r"[^a-z0-9]", "", search_key(header)))
        if field and field not in columns.values():
            columns[header] = field
    found = set(columns.values())
    if "id" not in found or not found & {"name", "email", "first", "last"}:
        raise ValidationError(
            {"users_file": ["A users file needs an Id column and a Name or Email column."]}
        )
    users: dict[str, list[str]] = {}
    for row in table.rows:
        values = {columns[h]: (v or "").strip() for h, v in as_record(table.headers, row).items()
                  if h in columns}  # fmt: skip
        name = values.get("name") or " ".join(
            p for p in (values.get("first"), values.get("last")) if p
        )
        if values.get("id") and (name or values.get("email")):
            users[values["id"][:100]] = [name[:200], values.get("email", "")[:254]]
        if len(users) >= MOST_USERS:
            break
    return users
