"""`attract deals move ID STAGE`: move a deal through the same gates as the board. A refusal
prints what is missing and exits non-zero."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import validation_message
from attract.core.permissions import can_view_record
from attract.core.versions import VersionConflict
from attract.pipeline.gates import StageGateRefused
from attract.pipeline.models import Deal, Stage
from attract.pipeline.services import deal_move_to_stage


class Command(BaseCommand):
    help = "Work with deals from the terminal."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="move")
        moving = actions.add_parser("move", help="Move a deal to a stage.")
        moving.add_argument("deal_id", type=int, metavar="ID")
        moving.add_argument("stage", metavar="STAGE", help=", ".join(Stage.values))
        moving.add_argument("--note", default="", help="Why it moved.")
        moving.add_argument(
            "--override-reason", default="", help="Owner/admin: override an unmet gate."
        )
        moving.add_argument("--as", dest="as_user", metavar="EMAIL", help="Act as this user.")

    def handle(self, *args, action: str, **options) -> None:
        user = acting_user(options["as_user"])
        deal = Deal.objects.filter(pk=options["deal_id"]).first()
        if deal is None or not can_view_record(user, deal):
            raise CommandError(f"No deal has the id {options['deal_id']}.")
        stage = options["stage"].strip().lower()
        try:
            moved = deal_move_to_stage(
                actor=user,
                deal=deal,
                stage=stage,
                note=options["note"],
                override_reason=options["override_reason"],
            )
        except StageGateRefused as refused:
            lines = "\n".join(f"  - {item}" for item in refused.missing)
            raise CommandError(
                f"Refused: “{deal.title}” cannot move to {Stage(stage).label} yet. Missing:\n"
                f'{lines}\nAn owner or admin may add --override-reason "why".'
            ) from refused
        except (VersionConflict, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(f"Moved “{moved.title}” to {moved.get_stage_display()}.")
