"""Merging duplicates: the preview's defaults, the chosen values, what moves, and refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attract.people import merging, services
from attract.people.models import Company, EmailAddress, Person, PhoneNumber, Tag
from attract.people.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _state() -> dict:
    """Everything a merge writes, to prove a refused merge wrote nothing."""
    return {
        "persons": list(
            Person.all_objects.order_by("id").values_list(
                "id", "first_name", "job_title", "company_id", "deleted_at", "merged_into_id"
            )
        ),
        "companies": list(
            Company.all_objects.order_by("id").values_list(
                "id", "name", "city", "deleted_at", "merged_into_id"
            )
        ),
        "emails": list(EmailAddress.objects.order_by("id").values_list("email", "person_id")),
        "phones": list(PhoneNumber.objects.order_by("id").values_list("number", "person_id")),
        "person_tags": list(
            Person.tags.through.objects.order_by("id").values_list("person_id", "tag_id")
        ),
        "history": Person.history.count() + Company.history.count() + EmailAddress.history.count(),
    }


@pytest.fixture
def ada(owner):
    return services.person_create(
        actor=owner,
        first_name="Ada",
        last_name="King",
        job_title="CTO",
        emails=["ada@acme.com"],
        phones=["+44 20 7946 0958"],
        tags=["vip"],
    )


@pytest.fixture
def ada_again(owner):
    return services.person_create(
        actor=owner,
        first_name="Ada",
        last_name="King",
        job_title="Head of Engineering",
        notes="Met at the trade show.",
        emails=["a.king@gmail.com", "ADA.KING@work.org"],
        phones=["+44 20 7946 0958", "+1 212 555 0123"],
        tags=["VIP", "trade show"],
    )


# --- Preview --------------------------------------------------------------------------------


def test_preview_lists_every_field_with_both_values_and_the_kept_value_wins_by_default(
    owner, ada, ada_again
):
    preview = merging.person_merge_preview(actor=owner, keep=ada, discard=ada_again)
    fields = {f.name: f for f in preview.fields}
    assert list(fields) == list(merging.PERSON_MERGE_FIELDS)
    job = fields["job_title"]
    assert (job.keep_display, job.discard_display, job.differs, job.winner) == (
        "CTO",
        "Head of Engineering",
        True,
        "keep",
    )
    assert not fields["first_name"].differs


def test_preview_lets_the_duplicate_win_where_the_kept_record_is_empty(owner, ada, ada_again):
    preview = merging.person_merge_preview(actor=owner, keep=ada, discard=ada_again)
    notes = {f.name: f for f in preview.fields}["notes"]
    assert (notes.keep_display, notes.winner) == ("", "discard")
    # And not the other way round: an empty duplicate never beats a kept value.
    reverse = merging.person_merge_preview(actor=owner, keep=ada_again, discard=ada)
    assert {f.name: f for f in reverse.fields}["notes"].winner == "keep"


def test_preview_shows_what_moves_over(owner, ada, ada_again):
    preview = merging.person_merge_preview(actor=owner, keep=ada, discard=ada_again)
    assert preview.emails_moving == ("a.king@gmail.com", "ada.king@work.org")
    # The number both have is not listed twice.
    assert preview.phones_moving == ("+12125550123",)
    assert preview.tags_after == ("vip", "trade show")
    assert preview.tags_moving == ("trade show",)


def test_company_preview_counts_the_people_who_move(owner):
    keep = CompanyFactory(owner=owner, name="Acme")
    discard = CompanyFactory(owner=owner, name="ACME Inc", city="Lyon")
    PersonFactory.create_batch(2, owner=owner, company=discard)
    preview = merging.company_merge_preview(actor=owner, keep=keep, discard=discard)
    assert preview.persons_moving == 2
    city = {f.name: f for f in preview.fields}["city"]
    assert (city.discard_display, city.winner) == ("Lyon", "discard")


# --- Merge ----------------------------------------------------------------------------------


def test_merge_applies_the_chosen_values_and_the_defaults_for_the_rest(owner, ada, ada_again):
    kept = merging.person_merge(
        actor=owner, keep=ada, discard=ada_again, choices={"job_title": "discard"}
    )
    assert kept.pk == ada.pk
    ada.refresh_from_db()
    assert ada.job_title == "Head of Engineering"
    assert ada.notes == "Met at the trade show."  # empty on the kept record: the default
    assert (ada.first_name, ada.last_name) == ("Ada", "King")


def test_choosing_the_kept_value_keeps_it_even_when_the_duplicate_has_one(owner, ada, ada_again):
    merging.person_merge(actor=owner, keep=ada, discard=ada_again, choices={"notes": "keep"})
    ada.refresh_from_db()
    assert (ada.job_title, ada.notes) == ("CTO", "")


def test_merge_moves_emails_phones_and_tags_to_the_kept_person(owner, ada, ada_again):
    merging.person_merge(actor=owner, keep=ada, discard=ada_again)
    emails = list(ada.emails.order_by("-is_primary", "id").values_list("email", "is_primary"))
    assert emails == [
        ("ada@acme.com", True),
        ("a.king@gmail.com", False),
        ("ada.king@work.org", False),
    ]
    assert sorted(ada.phones.values_list("number", flat=True)) == ["+12125550123", "+442079460958"]
    assert ada.phones.get(is_primary=True).number == "+442079460958"
    assert sorted(ada.tags.values_list("name", flat=True)) == ["trade show", "vip"]
    assert Tag.objects.filter(name__iexact="vip").count() == 1


def test_the_duplicate_goes_to_the_trash_marked_as_merged(owner, ada, ada_again):
    merging.person_merge(actor=owner, keep=ada, discard=ada_again)
    discarded = Person.all_objects.get(pk=ada_again.pk)
    assert discarded.in_trash and discarded.deleted_by == owner
    assert discarded.merged_into == ada
    assert not Person.objects.filter(pk=ada_again.pk).exists()
    assert not discarded.emails.exists()


def test_merge_is_recorded_in_both_histories_with_the_actor(owner, teammate, ada, ada_again):
    merging.person_merge(
        actor=teammate, keep=ada, discard=ada_again, choices={"job_title": "discard"}
    )
    kept_entry = ada.history.filter(history_change_reason=f"Merged with #{ada_again.pk}").first()
    assert kept_entry is not None
    assert kept_entry.history_user == teammate
    assert ada.history.latest().job_title == "Head of Engineering"
    discard_entry = ada_again.history.latest()
    assert discard_entry.history_change_reason == f"Merged into #{ada.pk}"
    assert discard_entry.history_user == teammate
    assert discard_entry.merged_into_id == ada.pk
    moved = EmailAddress.history.filter(email="a.king@gmail.com").latest()
    assert (moved.person_id, moved.history_user) == (ada.pk, teammate)


def test_company_merge_moves_its_people_and_trashes_the_duplicate(owner):
    keep = services.company_create(actor=owner, name="Acme", tags=["local"])
    discard = services.company_create(
        actor=owner, name="ACME Inc", city="Lyon", website="https://acme.example", tags=["vip"]
    )
    alive = PersonFactory(owner=owner, company=discard)
    trashed = PersonFactory(owner=owner, company=discard)
    services.person_trash(actor=owner, person=trashed)

    merging.company_merge(actor=owner, keep=keep, discard=discard, choices={"name": "discard"})

    keep.refresh_from_db()
    assert (keep.name, keep.city, keep.website) == ("ACME Inc", "Lyon", "https://acme.example")
    assert sorted(keep.tags.values_list("name", flat=True)) == ["local", "vip"]
    # Everyone moves, even a person in the trash, so that restoring them finds a live company.
    assert set(Person.all_objects.filter(company=keep).values_list("pk", flat=True)) == {
        alive.pk,
        trashed.pk,
    }
    assert alive.history.latest().history_change_reason == f"Merged with #{discard.pk}"
    gone = Company.all_objects.get(pk=discard.pk)
    assert gone.in_trash and gone.merged_into_id == keep.pk
    assert keep.history.filter(history_change_reason=f"Merged with #{discard.pk}").exists()


# --- Refusals -------------------------------------------------------------------------------


def test_a_record_cannot_be_merged_with_itself(owner, ada):
    before = _state()
    with pytest.raises(ValidationError, match="itself"):
        merging.person_merge(actor=owner, keep=ada, discard=Person.objects.get(pk=ada.pk))
    assert _state() == before


def test_a_person_cannot_be_merged_with_a_company(owner, ada):
    company = CompanyFactory(owner=owner)
    before = _state()
    with pytest.raises(ValidationError, match="two persons or two companies"):
        merging.person_merge(actor=owner, keep=ada, discard=company)
    with pytest.raises(ValidationError):
        merging.company_merge(actor=owner, keep=company, discard=ada)
    assert _state() == before


def test_an_outsider_cannot_merge_someone_elses_private_record(owner, outsider):
    mine = PersonFactory(owner=outsider, first_name="Ada")
    private = PersonFactory(owner=owner, first_name="Ada", is_private=True)
    before = _state()
    with pytest.raises(PermissionDenied):
        merging.person_merge(actor=outsider, keep=mine, discard=private)
    with pytest.raises(PermissionDenied):
        merging.person_merge_preview(actor=outsider, keep=private, discard=mine)
    assert _state() == before


def test_a_viewer_cannot_merge(owner, viewer, ada, ada_again):
    before = _state()
    with pytest.raises(PermissionDenied):
        merging.person_merge(actor=viewer, keep=ada, discard=ada_again)
    assert _state() == before


def test_a_record_in_the_trash_cannot_be_merged(owner, ada, ada_again):
    services.person_trash(actor=owner, person=ada_again)
    before = _state()
    with pytest.raises(ValidationError, match="trash"):
        merging.person_merge(actor=owner, keep=ada, discard=ada_again)
    assert _state() == before


def test_an_unknown_choice_is_refused_and_changes_nothing(owner, ada, ada_again):
    before = _state()
    with pytest.raises(ValidationError):
        merging.person_merge(
            actor=owner, keep=ada, discard=ada_again, choices={"owner_id": "discard"}
        )
    with pytest.raises(ValidationError):
        merging.person_merge(
            actor=owner, keep=ada, discard=ada_again, choices={"job_title": "both"}
        )
    assert _state() == before


def test_a_merge_that_fails_half_way_changes_nothing(owner, outsider, ada):
    """The duplicate's company is private to someone else: choosing it fails the kept record's
    own rules after the preview passed, and the whole merge is undone."""
    hidden = CompanyFactory(owner=owner, is_private=True)
    duplicate = PersonFactory(owner=outsider, first_name="Ada", company=hidden)
    mine = services.person_create(actor=outsider, first_name="Ada", job_title="CTO", tags=["x"])
    before = _state()
    with pytest.raises(ValidationError) as caught:
        merging.person_merge(
            actor=outsider,
            keep=mine,
            discard=duplicate,
            choices={"company": "discard", "job_title": "discard"},
        )
    assert "company" in caught.value.message_dict
    assert _state() == before
    assert (mine.job_title, mine.company_id) == ("CTO", None)


# --- Finding the duplicate ------------------------------------------------------------------


def test_candidates_offer_the_same_name_first_and_only_what_the_user_may_see(owner, outsider):
    me = PersonFactory(owner=owner, first_name="Ada", last_name="King")
    twin = PersonFactory(owner=owner, first_name="ADA", last_name="King")
    other_king = PersonFactory(owner=owner, first_name="Adam", last_name="King")
    PersonFactory(owner=outsider, first_name="Ada", last_name="King", is_private=True)
    trashed = PersonFactory(owner=owner, first_name="Ada", last_name="King")
    services.person_trash(actor=owner, person=trashed)

    assert list(merging.merge_candidates(user=owner, record=me)) == [twin]
    assert list(merging.merge_candidates(user=owner, record=me, search="king")) == [
        twin,
        other_king,
    ]
