"""`attract demo`: a realistic sample business, the same for the same seed, and never mixed
into real data by accident."""

import io
import re
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from attract.accounts.models import Role, User
from attract.core.email_addresses import normalise_email
from attract.core.phone_numbers import normalise_phone
from attract.core.search_text import search_key
from attract.people.demo_rows import people_demo_rows
from attract.people.models import Company, EmailAddress, Person, PhoneNumber
from attract.web.demo import DEMO_TEAM, demo_load

pytestmark = pytest.mark.django_db


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> list[tuple]:
    """What a person sees of the sample, independent of database ids."""
    return [
        (
            p.first_name,
            p.last_name,
            p.job_title,
            p.company.name if p.company else None,
            tuple(e.email for e in p.emails.all()),
            tuple(n.number for n in p.phones.all()),
            tuple(sorted(t.name for t in p.tags.all())),
        )
        for p in Person.objects.select_related("company")
        .prefetch_related("emails", "phones", "tags")
        .order_by("pk")
    ]


def _scripts(texts) -> set[str]:
    scripts = set()
    for text in texts:
        for char in text:
            if char.isalpha():
                scripts.add(unicodedata.name(char, "?").split()[0])
    return scripts


def test_the_same_seed_gives_the_same_sample_and_another_seed_a_different_one():
    first = people_demo_rows(seed=7, companies=50, persons=120, owner_count=3)
    again = people_demo_rows(seed=7, companies=50, persons=120, owner_count=3)
    other = people_demo_rows(seed=8, companies=50, persons=120, owner_count=3)
    assert first == again
    assert first != other


def test_loading_the_same_seed_into_two_fresh_installations_gives_identical_data():
    _demo("--seed", "5")
    first = _snapshot()
    Person.all_objects.all().delete()
    Company.all_objects.all().delete()
    User.objects.all().delete()
    _demo("--seed", "5")
    assert _snapshot() == first


def test_the_sample_has_names_in_several_scripts():
    companies, persons = people_demo_rows(seed=1, companies=200, persons=400)
    names = [f"{p.first_name} {p.last_name}" for p in persons]
    assert {"LATIN", "CJK", "GREEK", "CYRILLIC", "HANGUL"} <= _scripts(names)
    assert len({c.country for c in companies}) >= 10


def test_every_sample_email_and_phone_passes_our_own_validation():
    _, persons = people_demo_rows(seed=3, companies=200, persons=400)
    emails = [e for p in persons for e in p.emails]
    phones = [n for p in persons for n in p.phones]
    assert len(set(emails)) == len(emails) == 400
    assert all(normalise_email(e) == e for e in emails)
    assert len(phones) > 300
    assert all(normalise_phone(n) == n for n in phones)


def test_demo_makes_an_owner_and_a_team_whose_printed_passwords_sign_in():
    output = _demo("--seed", "2")
    owner = User.objects.get(role=Role.OWNER)
    assert owner.email == "owner@example.com"
    for user in [owner, *User.objects.exclude(pk=owner.pk)]:
        printed = re.search(rf"{re.escape(user.email)}\s*│[^│]*│\s*(\S+)", output).group(1)
        assert user.check_password(printed), user.email
    assert sorted(User.objects.values_list("role", flat=True)) == sorted(
        [Role.OWNER, *(role for _, _, role in DEMO_TEAM)]
    )


def test_demo_loads_a_few_hundred_records_with_history_and_search_keys():
    output = _demo("--seed", "4")
    owner_made = User.objects.get(role=Role.OWNER)
    assert Company.objects.count() == 200
    assert Person.objects.count() == 400
    assert EmailAddress.objects.count() == 400
    assert PhoneNumber.objects.count() > 300
    assert Person.history.count() == 400
    assert Person.history.filter(history_type="+", history_user=owner_made).count() == 400
    # One "added" row each; the care demo's departures are recorded as changes besides.
    assert Company.history.filter(history_type="+").count() == 200
    assert EmailAddress.history.count() == 400
    person = Person.objects.order_by("?").first()
    assert person.search_name == search_key(person.first_name, person.last_name)
    company = Company.objects.order_by("?").first()
    assert company.search_name == search_key(company.name)
    assert "Persons" in output and "400" in output
    assert "\x1b[" not in output  # no colour codes when the output is not a terminal
    # Who buys again is counted for the demo's back-dated deals: repeat and one-time buyers,
    # and nothing left for a recount to correct.
    from attract.aftercare.models import PurchaseSummary
    from attract.aftercare.purchase_summary import recount_all

    assert PurchaseSummary.objects.filter(deals__gt=1).exists()
    assert PurchaseSummary.objects.filter(deals=1, is_customer=True).exists()
    assert recount_all() == 0


def test_demo_shares_records_among_the_team_but_gives_none_to_the_viewer():
    _demo("--seed", "6")
    owners = set(Person.objects.values_list("owner__role", flat=True))
    assert {Role.OWNER, Role.ADMIN, Role.MEMBER} <= owners
    assert Role.VIEWER not in owners


def test_demo_reuses_the_existing_owner_and_prints_no_password_for_them(owner):
    output = _demo("--seed", "1")
    assert list(User.objects.filter(role=Role.OWNER)) == [owner]
    assert re.search(rf"{re.escape(owner.email)}\s*│[^│]*│\s*\(unchanged\)", output)
    assert Person.objects.filter(owner=owner).exists()


def test_demo_refuses_an_installation_that_already_holds_records():
    _demo("--seed", "1")
    with pytest.raises(CommandError, match="--add"):
        _demo("--seed", "1")
    assert Person.objects.count() == 400
    assert Company.objects.count() == 200


def test_demo_with_add_joins_a_second_sample_without_clashing_addresses():
    _demo("--seed", "1")
    _demo("--seed", "1", "--add")
    _demo("--seed", "1", "--add")
    assert Person.objects.count() == 1200
    assert EmailAddress.objects.values("email").distinct().count() == 1200
    assert User.objects.count() == 1 + len(DEMO_TEAM)


def test_demo_load_reports_what_it_made(owner):
    summary = demo_load(owner=owner, seed=9)
    assert summary.counts["companies"] == 200
    assert summary.counts["persons"] == 400
    assert summary.counts["deals"] > 0
    assert summary.counts["qualities"] == 9
    # Every public company and the public people at them, against the 8 qualities.
    assessed_people = Person.objects.filter(company__is_private=False, is_private=False).count()
    assert summary.counts["assessments"] == (200 + assessed_people) * 8
    assert summary.counts["interactions"] > summary.counts["tasks"] > 0
    assert [t.user.email for t in summary.team] == [email for email, _, _ in DEMO_TEAM]
    assert all(t.password for t in summary.team)
