"""The deal import benchmark works: a generated file of closed deals, all imported with their
stage moves, and nothing left behind afterwards."""

import pytest

from attract.people.models import Company
from attract.pipeline.models import Deal, StageMove
from attract.transfer.models import ImportJob
from bench import deal_import, seeding


@pytest.mark.django_db(transaction=True)
def test_deal_import_figures_and_nothing_left_behind(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    seeded = seeding.seed(persons=20, companies=5)
    before = (Deal.history.count(), Company.all_objects.count(), StageMove.objects.count())
    path = tmp_path / "deals.csv"
    generated = deal_import.generate_csv(path, rows=300)
    figures = deal_import.import_file(path, owner=seeded.owner)
    assert figures["status"] == "done" and figures["rejected"] == 0
    assert figures["created"] == 300 and figures["rows_per_second"] > 0
    # Every deal has at least one stage move; an engaged one two or more.
    assert figures["stage_moves"] > 300
    assert generated["won_written"] > 0
    assert not Deal.all_objects.exists()
    assert (Deal.history.count(), Company.all_objects.count(), StageMove.objects.count()) == before
    assert not ImportJob.objects.exists()
