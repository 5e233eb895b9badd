"""The stored purchase summaries that "who buys again" reads: kept equal to the won deals by
every service that moves them (win, reopen, an amount changed, the trash and back, a deal
moved to another company, privacy), in the same transaction; copied company visibility,
trash and relationship; the recount that catches bulk writes; fixed query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from attract.aftercare.models import PurchaseSummary
from attract.aftercare.repeat_selectors import customer_purchases, one_time_buyers, repeat_cohorts
from attract.aftercare.tests.departure_factories import make_customer, won_deal
from attract.people.models import Company, Relationship
from attract.people.services import company_create, company_restore, company_trash, company_update
from attract.pipeline import services as deals
from attract.pipeline.models import Deal, Stage

pytestmark = pytest.mark.django_db


def _figures(company) -> tuple:
    row = PurchaseSummary.objects.filter(company=company, viewer__isnull=True).first()
    return (row.deals, row.revenue, row.profit, row.is_customer) if row else None


def _won(owner, company, revenue="1000", cost="400", **fields):
    deal = deals.deal_create(
        actor=owner, title="Order", company=company, revenue=Decimal(revenue),
        cost=Decimal(cost), stage=Stage.ATTENTION, **fields,
    )  # fmt: skip
    return deals.deal_win(actor=owner, deal=deal)


def test_every_deal_service_keeps_the_summary_in_the_same_transaction(owner):
    company = company_create(actor=owner, name="Bright Bakery")
    assert _figures(company) is None
    first = _won(owner, company)
    assert _figures(company) == (1, Decimal("1000"), Decimal("600"), True)
    _won(owner, company, "500", "100")
    assert _figures(company) == (2, Decimal("1500"), Decimal("1000"), True)
    deals.deal_update(actor=owner, deal=first, revenue=Decimal("1200"))
    assert _figures(company) == (2, Decimal("1700"), Decimal("1200"), True)
    deals.deal_trash(actor=owner, deal=first)
    assert _figures(company) == (1, Decimal("500"), Decimal("400"), True)
    deals.deal_restore(actor=owner, deal=Deal.all_objects.get(pk=first.pk))
    assert _figures(company) == (2, Decimal("1700"), Decimal("1200"), True)
    deals.deal_reopen(actor=owner, deal=first)
    assert _figures(company) == (1, Decimal("500"), Decimal("400"), True)
    # A won deal moved to another company counts there, and no more here.
    other = company_create(actor=owner, name="Other Oven")
    deals.deal_win(actor=owner, deal=first)
    deals.deal_update(actor=owner, deal=Deal.objects.get(pk=first.pk), company=other)
    assert _figures(company)[0] == 1 and _figures(other)[:3] == (1, Decimal("1200"), Decimal("800"))
    # A change that fails is undone with the summary: nothing half-written.
    with pytest.raises(RuntimeError), transaction.atomic():
        deals.deal_trash(actor=owner, deal=Deal.objects.get(pk=first.pk))
        raise RuntimeError
    assert _figures(other)[0] == 1
    # Deleted for good (the admin, a cascade): the row goes with the last won deal.
    Deal.all_objects.filter(company=other).delete()
    assert _figures(other) is None


def test_private_deals_count_only_for_their_owner(owner, outsider):
    company = company_create(actor=owner, name="Quiet Quarry")
    _won(owner, company, "1000", "500")
    _won(owner, company, "300", "100", is_private=True)
    assert customer_purchases(user=outsider, company=company).deals == 1
    mine = customer_purchases(user=owner, company=company)
    assert (mine.deals, mine.revenue, mine.profit) == (2, Decimal("1300"), Decimal("700"))
    assert [(c.customers, c.repeat) for c in repeat_cohorts(user=outsider)] == [(1, 0)]
    assert [(c.customers, c.repeat) for c in repeat_cohorts(user=owner)] == [(1, 1)]
    assert [b.name for b in one_time_buyers(user=outsider)] == ["Quiet Quarry"]
    assert list(one_time_buyers(user=owner)) == []


def test_the_company_s_visibility_trash_and_relationship_follow_it(owner, outsider):
    company = company_create(actor=owner, name="Moving Mill")
    _won(owner, company)
    company.refresh_from_db()
    company_update(actor=owner, company=company, is_private=True)
    assert repeat_cohorts(user=outsider) == [] and len(repeat_cohorts(user=owner)) == 1
    company_update(actor=owner, company=Company.objects.get(pk=company.pk), is_private=False)
    company_trash(actor=owner, company=Company.objects.get(pk=company.pk))
    assert repeat_cohorts(user=owner) == [] and list(one_time_buyers(user=owner)) == []
    company_restore(actor=owner, company=Company.all_objects.get(pk=company.pk))
    assert [b.name for b in one_time_buyers(user=outsider)] == ["Moving Mill"]
    company_update(
        actor=owner, company=Company.objects.get(pk=company.pk),
        relationship=Relationship.FORMER_CUSTOMER,
    )  # fmt: skip
    # A former customer still counts in their cohort, and is no one-time buyer to care for.
    assert list(one_time_buyers(user=owner)) == [] and len(repeat_cohorts(user=owner)) == 1


def test_bulk_writes_are_caught_by_the_recount_command(owner):
    company = make_customer(owner, name="Imported Inn", purchases=[(date(2023, 4, 1), "100", "40")])
    # An import writes past the receivers: a second deal and a changed amount, unseen.
    Deal.objects.bulk_create([Deal(title="Imported", company=company, revenue=Decimal("50"),
                              cost=Decimal("10"), stage=Stage.ACTION, outcome="won",
                              closed_at=timezone.now(), stage_entered_at=timezone.now())])  # fmt: skip
    Deal.objects.filter(company=company, revenue=Decimal("100")).update(revenue=Decimal("200"))
    assert _figures(company) == (1, Decimal("100"), Decimal("60"), True)
    out = StringIO()
    call_command("purchases", "recount", stdout=out)
    assert "1 purchase summary corrected" in out.getvalue()
    assert _figures(company) == (2, Decimal("250"), Decimal("200"), True)
    row = PurchaseSummary.objects.get(company=company)
    assert timezone.localdate(row.first_at) == date(2023, 4, 1) and row.first_year == 2023
    call_command("purchases", "recount", stdout=out)
    assert out.getvalue().endswith("0 purchase summaries corrected.\n")


def test_repeat_purchase_from_the_command_line(owner):
    make_customer(owner, name="Twice Tea",
                  purchases=[(date(2024, 1, 1), "100", "50"), (date(2024, 3, 1), "80", "20")])  # fmt: skip
    make_customer(owner, name="Once Oil", purchases=[(date(2024, 5, 1), "70", "20")])
    out = StringIO()
    call_command("purchases", "cohorts", stdout=out)
    assert "1 of 2 customers bought again (50.0%)." in out.getvalue()
    call_command("purchases", "one-time", "--sort", "profit", stdout=out)
    assert "Once Oil" in out.getvalue() and "2024-05-01" in out.getvalue()
    assert "Twice Tea" not in out.getvalue()


@pytest.mark.parametrize("customers", [2, 6])
def test_the_repeat_page_makes_the_same_queries_however_many_customers(
    owner, owner_client, django_assert_num_queries, customers
):
    for n in range(customers):
        make_customer(owner, name=f"Customer {n}", contact=False,
                      purchases=[(date(2020 + n % 4, 2, 1), "100", "30")] * (1 + n % 2))  # fmt: skip
    # session, user, own rows?, cohorts, one-time count, one-time page
    with django_assert_num_queries(6):
        page = owner_client.get(reverse("aftercare:repeat"), {"sort": "profit"})
    assert page.status_code == 200
    assert page.content.decode().count('data-label="Customer"') == customers // 2
    company = Company.objects.get(name="Customer 1")
    assert customer_purchases(user=owner, company=company).deals == 2


def test_a_user_with_private_deals_reads_their_own_rows_with_the_same_queries(
    owner, owner_client, django_assert_num_queries
):
    company = make_customer(owner, name="Secret Sauce", purchases=[(date(2022, 1, 1), "10", "1")])
    won_deal(company, date(2022, 6, 1), "20", "2", is_private=True)
    make_customer(owner, name="Plain Pepper", contact=False,
                  purchases=[(date(2023, 1, 1), "10", "1")])  # fmt: skip
    # The same six: their own rows are a sub-select inside the cohorts' and the list's reads.
    with django_assert_num_queries(6):
        page = owner_client.get(reverse("aftercare:repeat"))
    text = page.content.decode()
    assert "Plain Pepper" in text and "Secret Sauce" not in text  # bought twice, for them
