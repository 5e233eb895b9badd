"""`attract people list|add` and `attract companies list`: the same rules as the web pages and
the API, printed as tidy tables."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from attract.people.models import Person, Relationship
from attract.people.tags import tags_from_names
from attract.people.tests.factories import (
    CompanyFactory,
    EmailAddressFactory,
    PersonFactory,
    PhoneNumberFactory,
)

pytestmark = pytest.mark.django_db
VENV_BIN = Path(sys.executable).parent


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _line(output: str, text: str) -> str:
    return next(line for line in output.splitlines() if text in line)


@pytest.fixture
def acme(owner):
    return CompanyFactory(name="Acme Tools", owner=owner, relationship=Relationship.CUSTOMER)


@pytest.fixture
def ann(owner, acme):
    person = PersonFactory(first_name="Ann", last_name="Lee", company=acme, owner=owner)
    EmailAddressFactory(person=person, email="ann@acme.example")
    PhoneNumberFactory(person=person, number="+442079460958")
    person.tags.add(*tags_from_names(["vip"]))
    return person


def test_people_list_prints_one_row_per_person_with_company_email_phone_owner_and_tags(ann):
    output = _run("people", "list")
    row = _line(output, "Ann Lee")
    for shown in ["Acme Tools", "ann@acme.example", "+44 20 7946 0958", "Olivia Owner", "vip"]:
        assert shown in row
    assert "1 of 1 persons shown." in output
    assert "\x1b[" not in output  # no colour codes when the output is not a terminal


def test_people_list_hides_another_users_private_person(ann, outsider):
    PersonFactory(first_name="Secret", last_name="Contact", owner=outsider, is_private=True)
    assert "Secret Contact" not in _run("people", "list")
    assert "Secret Contact" in _run("people", "list", "--as", "outsider@example.com")


def test_people_list_filters_by_search_tag_owner_and_company(ann, teammate):
    PersonFactory(first_name="José", last_name="Müller", owner=teammate)
    assert "José Müller" in _run("people", "list", "--search", "jose muller")
    assert "Ann Lee" not in _run("people", "list", "--search", "muller")
    assert "José Müller" not in _run("people", "list", "--tag", "vip")
    assert "Ann Lee" in _run("people", "list", "--tag", "VIP")
    by_owner = _run("people", "list", "--owner", "teammate@example.com")
    assert "José Müller" in by_owner and "Ann Lee" not in by_owner
    by_company = _run("people", "list", "--company", "acme tools")
    assert "Ann Lee" in by_company and "José Müller" not in by_company


def test_people_list_stops_at_the_limit_and_says_how_many_there_are(owner):
    for n in range(5):
        PersonFactory(first_name=f"Person{n}", last_name="Example", owner=owner)
    output = _run("people", "list", "--limit", "2")
    assert "2 of 5 persons shown." in output
    assert "Person0" in output and "Person4" not in output


def test_people_list_names_what_it_cannot_find(owner):
    with pytest.raises(CommandError, match="--owner: no active user"):
        _run("people", "list", "--owner", "nobody@example.com")
    with pytest.raises(CommandError, match="--company: no company"):
        _run("people", "list", "--company", "Nowhere Ltd")
    with pytest.raises(CommandError, match="--as: no active user"):
        _run("people", "list", "--as", "nobody@example.com")


def test_people_list_asks_for_an_owner_in_an_empty_installation(db):
    with pytest.raises(CommandError, match="createowner"):
        _run("people", "list")


def test_people_add_creates_a_person_with_normalised_contact_points(owner, acme):
    output = _run(
        "people", "add", "Ann Marie Lee", "--email", "Ann@Example.COM",
        "--email", "ann.lee@acme.example", "--phone", "+44 20 7946 0958",
        "--company", "Acme", "--title", "Buyer", "--tag", "vip", "--tag", "event",
    )  # fmt: skip
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.job_title) == ("Ann Marie", "Lee", "Buyer")
    assert person.company == acme
    assert person.owner == owner
    assert [e.email for e in person.emails.all()] == ["ann@example.com", "ann.lee@acme.example"]
    assert [p.number for p in person.phones.all()] == ["+442079460958"]
    assert sorted(t.name for t in person.tags.all()) == ["event", "vip"]
    assert person.history.count() >= 1
    assert f"Added Ann Marie Lee (#{person.pk})." in output
    assert "ann@example.com" in _line(output, "Ann Marie Lee")


def test_people_add_takes_a_single_word_as_the_first_name(owner):
    _run("people", "add", "王伟")
    assert Person.objects.get().first_name == "王伟"


def test_people_add_acts_as_the_user_named_with_as(owner, teammate):
    _run("people", "add", "Tom Lead", "--as", "teammate@example.com")
    person = Person.objects.get()
    assert person.owner == teammate
    assert person.created_by == teammate


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--email", "ann@", "emails: "),
        ("--phone", "12", "phones: "),
    ],
)
def test_people_add_refuses_bad_input_and_creates_nothing(owner, option, value, message):
    with pytest.raises(CommandError, match=message):
        _run("people", "add", "Ann Lee", option, value)
    assert not Person.all_objects.exists()


def test_people_add_refuses_an_address_another_person_has(ann):
    with pytest.raises(CommandError, match="ann@acme.example already belongs to Ann Lee"):
        _run("people", "add", "Annie Lee", "--email", "ANN@acme.example")
    assert Person.all_objects.count() == 1


def test_a_viewer_cannot_add_a_person(viewer):
    with pytest.raises(CommandError, match="read but not change"):
        _run("people", "add", "Ann Lee", "--as", "viewer@example.com")
    assert not Person.all_objects.exists()


def test_people_add_refuses_an_ambiguous_company(owner):
    CompanyFactory(name="Acme Tools", owner=owner)
    CompanyFactory(name="Acme Foods", owner=owner)
    with pytest.raises(CommandError, match="matches several companies"):
        _run("people", "add", "Ann Lee", "--company", "Acme")
    assert not Person.all_objects.exists()


def test_companies_list_prints_companies_with_their_relationship(acme, teammate):
    CompanyFactory(name="Borealis", owner=teammate)
    output = _run("companies", "list")
    assert "Customer" in _line(output, "Acme Tools")
    assert "2 of 2 companies shown." in output
    customers = _run("companies", "list", "--relationship", "customer")
    assert "Acme Tools" in customers and "Borealis" not in customers
    assert "Borealis" in _run("companies", "list", "--search", "borea")


def test_the_installed_attract_command_creates_an_owner_and_lists_people(tmp_path):
    # The real console script in a fresh installation: proves the entry point is installed
    # and that --password-stdin works through a pipe with no terminal.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTRACT_", "DJANGO_"))}
    env["ATTRACT_VAR_DIR"] = str(tmp_path)
    attract = str(VENV_BIN / "attract")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [attract, *args], input=stdin, capture_output=True, text=True, env=env, timeout=180
        )

    assert "people" in run("--help").stdout
    assert run("migrate", "-v0").returncode == 0
    created = run(
        "createowner", "--email", "ann@example.com", "--password-stdin",
        stdin="a lighthouse in the fog\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    added = run("people", "add", "Ann Lee", "--email", "ann.lee@example.com")
    assert added.returncode == 0, added.stderr
    listed = run("people", "list")
    assert "ann.lee@example.com" in _line(listed.stdout, "Ann Lee")
    refused = run("people", "add", "Bad Mail", "--email", "nope@")
    assert refused.returncode != 0
    assert "nope@" in refused.stderr
