"""Imported deals keep their true history: the stage a closed deal reached, the outcome its
status column says, its close date, its path through the stages; unknown stage names are
asked about, never guessed."""

from __future__ import annotations

import io
import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from attract.people import services as people
from attract.people.models import Company
from attract.pipeline.forecasting import learned_chances
from attract.pipeline.models import Deal, Outcome, StageMove
from attract.transfer.deal_stages import stage_suggestions
from attract.transfer.importing import (
    import_job_configure,
    import_job_create,
    import_job_process,
    import_job_start,
    import_job_undo,
)
from attract.transfer.models import ImportJob
from attract.transfer.tests.conftest import DATA, write

# A Pipedrive-style export: a stage column, a separate status column, real close dates.
PIPEDRIVE = (
    b"Deal - Title,Deal - Organization,Deal - Stage,Deal - Status,Deal - Value,"
    b"Deal - Deal created,Deal - Won time\n"
    b"Roof repair,Acme,Engaging,lost,1200,2024-01-10,2024-03-05\n"
    b"Roof repair,Bolt Ltd,Proposal made,won,900,2024-02-01,2024-04-20\n"
    b"Gutters,Acme,Proposal made,open,300,2024-05-01,\n"
    b"Windows,Acme,Lead in,lost,50,2024-01-02,2024-01-20\n"
)
STAGES = {"Engaging": "interest", "Proposal made": "desire", "Lead in": "attention"}


def _job(owner, data: bytes, name: str = "deals.csv") -> ImportJob:
    return import_job_create(actor=owner, kind="deals", file_name=name, chunks=iter([data]))


def _run(owner, job: ImportJob, **options) -> ImportJob:
    import_job_configure(actor=owner, job=job, mapping=job.mapping, **options)
    import_job_start(actor=owner, job=job)
    return import_job_process(job=job)


def test_a_deal_lost_at_engaging_keeps_the_stage_it_reached(owner):
    job = _run(owner, _job(owner, PIPEDRIVE), stage_mapping=STAGES)
    assert job.rejected_count == 0
    lost = Deal.objects.get(title="Roof repair", company__name="Acme")
    assert (lost.outcome, lost.stage, lost.furthest_stage_index) == (Outcome.LOST, "interest", 1)
    assert lost.closed_at.date() == date(2024, 3, 5)
    assert lost.created_at.date() == date(2024, 1, 10)
    # Its stage history says it got to Interest, on the day it was opened (all the file says).
    assert list(StageMove.objects.filter(deal=lost).values_list("from_stage", "to_stage")) == [
        ("", "interest")
    ]


def test_the_status_column_decides_the_outcome(owner):
    _run(owner, _job(owner, PIPEDRIVE), stage_mapping=STAGES)
    won = Deal.objects.get(title="Roof repair", company__name="Bolt Ltd")
    assert (won.outcome, won.stage) == (Outcome.WON, "action")
    assert won.closed_at.date() == date(2024, 4, 20)
    assert list(StageMove.objects.filter(deal=won).values_list("to_stage", "moved_at__date")) == [
        ("desire", date(2024, 2, 1)),
        ("action", date(2024, 4, 20)),
    ]
    still_open = Deal.objects.get(title="Gutters")
    assert (still_open.outcome, still_open.stage, still_open.closed_at) == (
        Outcome.OPEN,
        "desire",
        None,
    )
    early = Deal.objects.get(title="Windows")
    assert (early.outcome, early.stage) == (Outcome.LOST, "attention")


def test_learned_chances_see_where_imported_deals_were_lost(owner):
    _run(owner, _job(owner, PIPEDRIVE), stage_mapping=STAGES)
    chances = learned_chances()
    # Closed: won (reached Action), lost at Interest, lost at Attention.
    assert (chances["attention"].reached, chances["attention"].won) == (3, 1)
    assert (chances["interest"].reached, chances["interest"].won) == (2, 1)
    assert (chances["conviction"].reached, chances["conviction"].won) == (1, 1)


def test_a_status_that_is_not_won_lost_or_open_rejects_the_row_with_the_reason(owner):
    data = b"Title,Stage,Status\nA,Engaging,maybe\nB,Engaging,Won\n"
    job = _run(owner, _job(owner, data), stage_mapping={"Engaging": "interest"})
    assert (job.created_count, job.rejected_count) == (1, 1)
    assert "“maybe” is not won, lost or open" in job.rows.get(line=2).reason
    assert Deal.objects.get(title="B").outcome == Outcome.WON


def test_salesforce_close_date_is_the_close_date_of_a_closed_opportunity(owner):
    path = DATA / "salesforce_data_cloud_workshop" / "Opportunity.csv"
    job = _job(owner, path.read_bytes(), name=path.name)
    assert job.mapping["CloseDate"] == "expected_close_date"
    job = _run(owner, job, stage_mapping=stage_suggestions(job))
    assert job.rejected_count == 0 and job.created_count == 50
    won = Deal.objects.get(title="Hill Group - Business Loans - June 2023")
    assert won.outcome == Outcome.WON and won.closed_at.date() == date(2023, 6, 17)
    # The opportunity was loaded into the sandbox (CreatedDate) after it closed; it opened
    # no later than it closed.
    assert won.created_at <= won.closed_at
    assert Deal.objects.filter(outcome=Outcome.LOST).count() == 3


def test_stage_suggestions_follow_the_files_probability_column(owner, tmp_path):
    data = (
        b"Name,StageName,Probability\n"
        b"A,Stufe Eins,10\nB,Stufe Zwei,25\nC,Stufe Drei,60\nD,Stufe Vier,85\n"
        b"E,Closed Won,100\nF,Stufe Zwei,25\n"
    )
    job = _job(owner, data)
    assert stage_suggestions(job) == {
        "Stufe Eins": "attention",
        "Stufe Zwei": "interest",
        "Stufe Drei": "desire",
        "Stufe Vier": "action",
        "Closed Won": "won",
    }


def test_sandbox_stages_without_real_chances_are_suggested_by_their_names(owner):
    # The workshop's open opportunities are all at 0% but Qualification (10%): that one is
    # placed by its chance, the others by their names.
    path = DATA / "salesforce_data_cloud_workshop" / "Opportunity.csv"
    job = _job(owner, path.read_bytes(), name=path.name)
    assert stage_suggestions(job) == {
        "Qualification": "attention",
        "Closed Won": "won",
        "Negotiation": "desire",
        "Proposal/Quote": "desire",
        "Discovery": "interest",
        "Closed Lost": "lost",
    }


UNKNOWN = b"Title,Stage\nA,Stufe Eins\nB,Engaging\n"


def test_an_unknown_stage_name_is_asked_about_not_guessed(owner):
    job = _job(owner, UNKNOWN)
    assert stage_suggestions(job) == {"Stufe Eins": "", "Engaging": "interest"}
    with pytest.raises(ValidationError) as caught:
        import_job_configure(
            actor=owner, job=job, mapping=job.mapping, stage_mapping=stage_suggestions(job)
        )
    assert "“Stufe Eins”" in str(caught.value)
    job.refresh_from_db()
    assert job.stage_mapping == {}
    job = _run(owner, job, stage_mapping={"Stufe Eins": "conviction", "Engaging": "interest"})
    assert Deal.objects.get(title="A").stage == "conviction"


def test_the_command_line_refuses_an_unknown_stage_until_it_is_given(owner, tmp_path):
    path = write(tmp_path, "deals.csv", UNKNOWN)
    with pytest.raises(CommandError) as caught:
        call_command("import", "deals", str(path), stdout=io.StringIO())
    assert "Stufe Eins" in str(caught.value) and "--stage" in str(caught.value)
    assert not Deal.objects.exists()
    out = io.StringIO()
    call_command("import", "deals", str(path), "--stage", "Stufe Eins=desire", stdout=out)
    assert "2 created" in out.getvalue()
    assert Deal.objects.get(title="A").stage == "desire"


def test_the_import_page_asks_where_an_unknown_stage_goes(owner_client, owner):
    job = _job(owner, UNKNOWN)
    url = reverse("transfer:import_job", args=[job.pk])
    body = owner_client.get(url).content.decode()
    assert "Choose a stage" in body
    data = {f"map-{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    data.update(action="start", on_duplicate="skip")
    data.update({"stage-name-1": "Stufe Eins", "stage-1": "", "stage-name-2": "Engaging"})
    data["stage-2"] = "interest"
    response = owner_client.post(url, data)
    assert response.status_code == 422
    assert "Choose where these stages of the file go: “Stufe Eins”" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "draft"
    data["stage-1"] = "attention"
    owner_client.post(url, data)
    job.refresh_from_db()
    assert job.status == "queued" and job.stage_mapping["Stufe Eins"] == "attention"


def test_maven_lost_deals_reached_engaging_so_interest_is_not_always_won(owner):
    path = DATA / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    with open(path, "rb") as handle:
        head = b"".join(itertools.islice(handle, 1001))
    job = _job(owner, head, name=path.name)
    assert job.mapping["engage_date"] == "reached_interest_on"
    job = _run(owner, job, stage_mapping=stage_suggestions(job))
    assert job.rejected_count == 0
    lost = Deal.objects.filter(outcome=Outcome.LOST)
    assert lost.exists() and not lost.exclude(stage="interest").exists()
    chances = learned_chances()
    interest = chances["interest"]
    assert interest.reached == lost.count() + Deal.objects.filter(outcome=Outcome.WON).count()
    assert interest.observed < 100


def test_a_salesforce_opportunity_links_to_its_account_through_account_id(owner):
    folder = DATA / "salesforce_data_cloud_workshop"
    accounts = import_job_create(
        actor=owner,
        kind="companies",
        file_name="Account.csv",
        chunks=iter([(folder / "Account.csv").read_bytes()]),
    )
    assert accounts.mapping["Id"] == "source_id"
    _run(owner, accounts)
    assert Company.objects.get(name="Hill Group").source_id == "001Ec00000GGw3sIAD"
    deals = _job(owner, (folder / "Opportunity.csv").read_bytes(), name="Opportunity.csv")
    assert deals.mapping["AccountId"] == "account_id" and deals.mapping["Id"] == "source_id"
    deals = _run(owner, deals, stage_mapping=stage_suggestions(deals))
    assert deals.created_count == 50
    deal = Deal.objects.get(source_id="006Ec00000AieKGIAZ")
    assert deal.title == "Hill Group - Business Loans - June 2023"
    assert deal.company.name == "Hill Group"
    assert not Deal.objects.filter(company=None).exists()
    # No company was made up from a name: every deal found its account.
    assert Company.objects.count() == accounts.created_count


def test_an_opportunity_whose_account_was_not_imported_says_so(owner):
    data = b"Id,Name,StageName,AccountId\n006A,Renewal,Closed Won,001MISSING\n"
    job = _run(owner, _job(owner, data), stage_mapping={"Closed Won": "won"})
    row = job.rows.get()
    assert row.outcome == "created" and "001MISSING" in row.reason
    assert "import the accounts file first" in row.reason
    assert Deal.objects.get().company is None


SAME_TITLES = (
    b"Title,Company,Amount,Stage,Close date\n"
    b"Renewal,Acme,100,Won,2024-01-05\n"
    b"Renewal,Acme,250,Won,2024-06-05\n"
    b"Renewal,Acme,100,Lost,2024-09-01\n"
)


def test_distinct_deals_with_the_same_title_are_all_imported(owner):
    job = _run(owner, _job(owner, SAME_TITLES), stage_mapping={"Won": "won", "Lost": "lost"})
    assert (job.created_count, job.skipped_count) == (3, 0)
    assert Deal.objects.filter(title="Renewal", company__name="Acme").count() == 3
    # The same file again: now something does say they are the same deals.
    again = _run(owner, _job(owner, SAME_TITLES), stage_mapping={"Won": "won", "Lost": "lost"})
    assert (again.created_count, again.skipped_count) == (0, 3)
    assert "same title, company, amount, outcome and dates" in again.rows.first().reason


def test_deals_with_ids_are_matched_by_id_only(owner):
    data = b"Id,Title,Stage\nD1,Renewal,Won\nD2,Renewal,Won\nD1,Renewal,Won\n"
    job = _run(owner, _job(owner, data), stage_mapping={"Won": "won"})
    assert (job.created_count, job.skipped_count) == (2, 1)
    assert job.rows.get(line=4).reason == "Duplicate: same id in the other CRM."
    assert set(Deal.objects.values_list("source_id", flat=True)) == {"D1", "D2"}


def test_bulk_written_deals_have_their_history_and_undo_takes_them_back(owner):
    job = _run(owner, _job(owner, PIPEDRIVE), stage_mapping=STAGES)
    deal = Deal.objects.get(title="Gutters")
    created = deal.history.get()
    assert created.history_type == "+" and created.history_user == owner
    assert created.history_change_reason == f"Import #{job.pk} (deals.csv)"
    assert created.stage == "desire"
    assert deal.owner == owner and deal.company.name == "Acme" and deal.position >= 1
    assert job.rows.get(line=2).deal == Deal.objects.get(title="Roof repair", company__name="Acme")
    import_job_undo(actor=owner, job=job)
    assert not Deal.objects.exists() and not StageMove.objects.exists()
    assert not Company.objects.exists()


def test_a_deal_names_its_contact_by_email_among_the_people_the_user_sees(owner, teammate):
    people.person_create(actor=owner, first_name="Ann", emails=["ann@acme.example"])
    people.person_create(
        actor=teammate, first_name="Hid", emails=["hid@acme.example"], is_private=True
    )
    data = b"Title,Contact email\nA,ANN@acme.example\nB,hid@acme.example\n"
    _run(owner, _job(owner, data))
    assert Deal.objects.get(title="A").contact.first_name == "Ann"
    assert Deal.objects.get(title="B").contact is None


def test_an_amount_the_deal_cannot_hold_rejects_the_row(owner):
    data = b"Title,Amount\nHuge,10000000000000\nFine,12.345\n"
    job = _run(owner, _job(owner, data))
    assert "too large" in job.rows.get(line=2).reason
    assert Deal.objects.get().revenue == Decimal("12.35")


def test_the_whole_maven_pipeline_learns_where_deals_were_lost(owner):
    path = DATA / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    job = _job(owner, path.read_bytes(), name=path.name)
    job = _run(owner, job, stage_mapping=stage_suggestions(job))
    assert (job.created_count, job.rejected_count) == (8800, 0)
    assert Deal.objects.filter(outcome=Outcome.WON).count() == 4238
    assert Deal.objects.filter(outcome=Outcome.LOST, stage="interest").count() == 2473
    chances = learned_chances()
    # Every closed deal of the file reached Engaging (it has an engage date): 4,238 won of
    # 6,711, not the 100% of "only the won deals got past the first stage".
    assert (chances["interest"].reached, chances["interest"].won) == (6711, 4238)
    assert round(chances["interest"].observed) == 63
    # Beyond Engaging the file knows only the won deals.
    assert chances["conviction"].reached == 4238
