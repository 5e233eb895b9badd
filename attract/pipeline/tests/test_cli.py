"""`attract pipeline` and `attract deals move`: the same rules as the board and the API."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from attract.pipeline.models import Deal, Outcome, Stage
from attract.pipeline.services import deal_create
from attract.pipeline.tests.factories import DealFactory

pytestmark = pytest.mark.django_db
VENV_BIN = Path(sys.executable).parent


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _line(output: str, text: str) -> str:
    return next(line for line in output.splitlines() if text in line)


def test_pipeline_prints_the_stages_the_forecast_and_the_profit_ranking(owner):
    DealFactory(owner=owner, stage=Stage.DESIRE, revenue=1000)
    DealFactory(owner=owner, outcome=Outcome.WON, revenue=3000, cost=1000, furthest_stage_index=4)
    output = _run("pipeline")
    assert "1,000.00" in _line(output, "Desire") and "700.00" in _line(output, "Desire")
    assert "No date" in output
    assert "2,000.00" in _line(output, "Olivia Owner")
    assert "Median time to a yes" in output


def test_deals_move_moves_a_deal_and_says_so(owner):
    deal = deal_create(actor=owner, title="Roof", pain="Leaks")
    assert "Moved “Roof” to Interest." in _run("deals", "move", str(deal.pk), "interest")
    assert Deal.objects.get(pk=deal.pk).stage == Stage.INTEREST


def test_a_refused_move_prints_what_is_missing_and_fails(owner):
    deal = deal_create(actor=owner, title="Roof")
    with pytest.raises(CommandError) as refused:
        _run("deals", "move", str(deal.pk), "interest")
    assert "pain, described in their own words" in str(refused.value)
    with pytest.raises(CommandError) as unknown:
        _run("deals", "move", str(deal.pk), "negotiation")
    assert "is not a stage" in str(unknown.value)
    moved = _run(
        "deals", "move", str(deal.pk), "interest", "--override-reason", "Told on the phone"
    )
    assert "Moved" in moved


def test_the_installed_command_exits_non_zero_on_a_refusal(tmp_path, migrated_sqlite_file):
    # A copy of the run's migrated file: `migrate` below finds nothing left to do (people's
    # CLI test migrates a fresh installation from nothing).
    shutil.copy(migrated_sqlite_file, tmp_path / "attract.sqlite3")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATTRACT_", "DJANGO_"))}
    env["ATTRACT_VAR_DIR"] = str(tmp_path)
    attract = str(VENV_BIN / "attract")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [attract, *args], input=stdin, capture_output=True, text=True, env=env, timeout=180
        )

    assert run("migrate", "-v0").returncode == 0
    created = run(
        "createowner", "--email", "ann@example.com", "--password-stdin",
        stdin="a lighthouse in the fog\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    make = run("shell", "-v", "0", "-c", (
        "from attract.accounts.models import User; from attract.pipeline.services import "
        "deal_create; print(deal_create(actor=User.objects.get(), title='Roof').pk)"
    ))  # fmt: skip
    assert make.returncode == 0, make.stderr
    deal_id = make.stdout.strip().splitlines()[-1]
    refused = run("deals", "move", deal_id, "desire")
    assert refused.returncode != 0
    assert "the customer acknowledges the problem" in refused.stderr
    assert "Pipeline" in run("pipeline").stdout
