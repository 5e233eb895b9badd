"""The filters every report takes: a period, an owner and a tag, read from a query string, an
API call or the command line the same way, and refused with a clear message when they make no
sense (an end before the start, a period of a hundred years, an owner or tag that does not
exist)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from attract.accounts.models import User
from attract.people.models import Tag

# Ten years: the longest history a report reads in one go (and the bench's five fit in it).
MAX_DAYS = 3660
DEFAULT_MONTHS = 12


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ReportFilters:
    start: date  # inclusive
    end: date  # inclusive
    owner: User | None = None
    tag: Tag | None = None

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, timezone.get_current_timezone())

    @property
    def end_before(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(
            self.end + timedelta(days=1), time.min, timezone.get_current_timezone()
        )

    def months(self) -> list[date]:
        """The first day of every month the period touches, oldest first."""
        found, month = [], month_start(self.start)
        while month <= self.end:
            found.append(month)
            month = add_months(month, 1)
        return found

    def as_query(self) -> dict[str, str]:
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.owner:
            query["owner"] = str(self.owner.pk)
        if self.tag:
            query["tag"] = self.tag.name
        return query

    def describe(self) -> str:
        words = f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"
        if self.owner:
            words += f", {self.owner.full_name or self.owner.email}'s deals"
        if self.tag:
            words += f", tagged {self.tag.name}"
        return words


def default_period(today: date) -> tuple[date, date]:
    """This month and the eleven before it."""
    return add_months(month_start(today), 1 - DEFAULT_MONTHS), today


# Dates a report can reach back to (and a year before, for "the same month a year before").
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _date(value: str, field: str, errors: dict) -> date | None:
    try:
        found = date.fromisoformat(value.strip())
    except (ValueError, TypeError):
        errors[field] = [f"“{value[:40]}” is not a date: write it as 2026-01-31."]
        return None
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        errors[field] = [f"Pick a date between {FIRST_YEAR} and {LAST_YEAR}."]
        return None
    return found


def parse_filters(data: Mapping[str, str], *, today: date | None = None) -> ReportFilters:
    """Read `from`, `to`, `owner` (a user's id or e-mail) and `tag` (a tag's name); blank ones
    take their defaults. Raises ValidationError with a message per field."""
    today = today or timezone.localdate()
    if any("\x00" in str(value) for value in data.values()):
        raise ValidationError({"__all__": ["The filters hold a character that cannot be read."]})
    default_start, default_end = default_period(today)
    errors: dict[str, list[str]] = {}
    raw_start = (data.get("from") or "").strip()
    raw_end = (data.get("to") or "").strip()
    start = _date(raw_start, "from", errors) if raw_start else default_start
    end = _date(raw_end, "to", errors) if raw_end else default_end
    if start and end:
        if end < start:
            errors["to"] = ["The period ends before it starts: pick an end after the start."]
        elif (end - start).days > MAX_DAYS:
            errors["to"] = ["A period may be at most ten years long: pick a shorter one."]
    owner = tag = None
    raw_owner = (data.get("owner") or "").strip()
    if raw_owner:
        users = User.objects.filter(is_active=True)
        if raw_owner.isdigit() and len(raw_owner) < 12:
            owner = users.filter(pk=int(raw_owner)).first()
        else:
            owner = users.filter(email__iexact=raw_owner[:254]).first()
        if owner is None:
            errors["owner"] = [f"No user “{raw_owner[:40]}”: pick an owner from the list."]
    raw_tag = (data.get("tag") or "").strip()
    if raw_tag:
        tag = Tag.objects.filter(name__iexact=raw_tag[:50]).first()
        if tag is None:
            errors["tag"] = [f"No tag named “{raw_tag[:40]}”."]
    if errors:
        raise ValidationError(errors)
    return ReportFilters(start=start, end=end, owner=owner, tag=tag)
