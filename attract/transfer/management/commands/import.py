"""`attract import persons|companies|deals FILE`: the web import from the terminal, through
the same services, with a progress bar.

By default the import runs inline, in this process, to its end (no worker needed, and the
terminal shows its progress); `--queue` puts it on the background queue instead, as the web
page and the API do, and `--wait` also waits for the worker to finish it. `attract import
process` runs the queued imports here (an installation without a running worker), `attract
import undo JOB` takes one back (inline, or queued with `--queue`)."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from attract.accounts.management.command_users import acting_user
from attract.accounts.management.terminal_output import validation_message
from attract.transfer import importing, retention
from attract.transfer.deal_stages import stage_suggestions
from attract.transfer.models import ImportJob, ImportStatus, TransferSettings
from attract.transfer.owners import owner_pairs_by_email
from attract.transfer.presets import PRESETS
from attract.transfer.selectors import unmapped_columns
from attract.transfer.vcards import vcard_import_job_create


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        if "=" not in value:
            raise CommandError(f"{option} takes COLUMN=FIELD, not “{value}”.")
        column, field = value.rsplit("=", 1)
        pairs[column.strip()] = field.strip()
    return pairs


class Command(BaseCommand):
    help = "Import persons, companies or deals from a CSV (or persons from a vCard) file."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "what", choices=["persons", "companies", "deals", "process", "undo", "clean"]
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            help="With clean: first set how many days uploaded files are kept (owner only).",
        )
        parser.add_argument("target", nargs="?", help="The file (or, for undo, the import #).")
        parser.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD")
        parser.add_argument("--preset", choices=sorted(PRESETS))
        parser.add_argument("--stage", action="append", default=[], metavar="THEIRS=OURS")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Put the import (or undo) on the background queue for `attract worker` "
            "instead of running it here.",
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="With the queue: wait for the worker to finish it, showing its progress.",
        )
        parser.add_argument("--day-first", action="store_true", help="31/12/2024, not 12/31.")
        parser.add_argument("--on-duplicate", choices=["update", "skip", "create"], default="skip")
        parser.add_argument("--as", dest="as_user", metavar="EMAIL")
        parser.add_argument(
            "--encoding",
            default="",
            help="The file's encoding (e.g. shift_jis, gbk, big5, euc_kr, cp1251, koi8_r) "
            "when the detected one reads the names wrong.",
        )
        parser.add_argument(
            "--phone-region",
            default="",
            metavar="CC",
            help="Where numbers without a country code are from when a row has no country "
            "column, e.g. DE (default: the installation's ATTRACT_PHONE_REGION).",
        )
        parser.add_argument(
            "--owner",
            action="append",
            default=[],
            metavar="VALUE=EMAIL",
            help="Whose are the records the file's owner column gives as VALUE: a team "
            "member's email, or me. Owners named by a team member's name or email need none.",
        )
        parser.add_argument(
            "--users-file",
            metavar="USERS.CSV",
            help="The other CRM's users (Salesforce's User.csv: Id, Name, Email), so that an "
            "OwnerId column names team members by their email or name.",
        )
        parser.add_argument(
            "--drop-invalid",
            action="store_true",
            help="Drop a phone number or address that cannot be read, instead of keeping it "
            "as written, marked not valid. Either way the person is imported.",
        )

    def handle(self, *args, **options) -> None:
        try:
            if options["what"] == "process":
                return self._process_queue()
            if options["what"] == "clean":
                return self._clean(options)
            if not options["target"]:
                raise CommandError("Name the file (or the import number for undo).")
            actor = acting_user(options["as_user"])
            if options["what"] == "undo":
                job = ImportJob.objects.filter(pk=options["target"]).first()
                if job is None:
                    raise CommandError(f"No import #{options['target']}.")
                if options["queue"] or options["wait"]:
                    job = importing.import_job_undo_queue(actor=actor, job=job)
                    self.stdout.write(f"Undo of import #{job.pk} queued.")
                    if options["wait"]:
                        job = self._wait(job)
                        self.stdout.write(f"Import #{job.pk}: {job.get_status_display()}.")
                    return
                importing.import_job_undo(actor=actor, job=job)
                self.stdout.write(f"Import #{job.pk} undone.")
                return
            self._import(actor, options)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, actor, options) -> None:
        path = Path(options["target"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        if path.suffix.lower() in (".vcf", ".vcard"):
            job = vcard_import_job_create(
                actor=actor,
                file_name=path.name,
                data=path.read_bytes(),
                encoding=options["encoding"],
            )
        else:
            with open(path, "rb") as handle:
                job = importing.import_job_create(
                    actor=actor,
                    kind=options["what"],
                    file_name=path.name,
                    chunks=iter(lambda: handle.read(1 << 20), b""),
                    encoding=options["encoding"],
                )
        for warning in job.warnings:
            self.stdout.write(f"Warning: {warning}")
        if options["users_file"]:
            users_path = Path(options["users_file"])
            if not users_path.is_file():
                raise CommandError(f"{users_path}: no such file.")
            with open(users_path, "rb") as handle:
                job = importing.import_job_set_users(
                    actor=actor, job=job, chunks=iter(lambda: handle.read(1 << 20), b"")
                )
        mapping = job.mapping
        if options["preset"]:
            from attract.transfer.presets import suggest_mapping

            mapping = suggest_mapping(job.kind, job.headers, options["preset"])
        mapping.update(_pairs(options["map"], "--map"))
        stages = {**stage_suggestions(job), **_pairs(options["stage"], "--stage")}
        importing.import_job_configure(
            actor=actor,
            job=job,
            mapping=mapping,
            on_duplicate=options["on_duplicate"],
            day_first=options["day_first"],
            stage_mapping=stages,
            phone_region=options["phone_region"],
            keep_unreadable=not options["drop_invalid"],
            owner_mapping=owner_pairs_by_email(_pairs(options["owner"], "--owner")),
        )
        self.stdout.write(f"Mapping: {', '.join(f'{c} → {f}' for c, f in mapping.items())}")
        if stages:
            self.stdout.write(f"Stages: {', '.join(f'{c} → {f}' for c, f in stages.items())}")
        if options["dry_run"]:
            report = importing.import_dry_run(actor=actor, job=job)
            counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
            self.stdout.write(f"Dry run of {job.total_rows} rows: {counts}. Nothing was changed.")
            for line, reason in report.rejected[:50]:
                self.stdout.write(f"  line {line}: {reason}")
            for line, note in report.notes[:50]:
                self.stdout.write(f"  line {line}: {note}")
            for line, outcome, why in report.matches[:50]:
                self.stdout.write(f"  line {line}: {outcome}, {why}")
            for name, why in report.companies[:50]:
                self.stdout.write(f"  company “{name}”: {why}")
            for value, count in report.owners:
                self.stdout.write(
                    f"  owner “{value}” ({count} rows) is not a team member: "
                    f'map with --owner "{value}=EMAIL" (or =me)'
                )
            return
        if options["queue"] or options["wait"]:
            job = importing.import_job_start(actor=actor, job=job)
            self.stdout.write(f"Import #{job.pk} queued; `attract worker` runs it.")
            if not options["wait"]:
                return
            job = self._wait(job)
            if job.status != ImportStatus.DONE:
                raise CommandError(
                    f"Import #{job.pk} {job.get_status_display().lower()}: {job.error}"
                )
            return self._summary(job)
        importing.import_job_start(actor=actor, job=job, queue=False)
        self._run(job)

    def _wait(self, job: ImportJob) -> ImportJob:
        """Follow a queued import (or undo) until the worker has finished with it."""
        console = Console(file=self.stdout._out, force_terminal=False)
        polled = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.UNDOING)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Waiting for {job.file_name}", total=job.total_rows or 1)
            while job.status in polled:
                time.sleep(0.5)
                job.refresh_from_db()
                progress.update(task, completed=job.done_rows)
        return job

    def _run(self, job: ImportJob) -> None:
        console = Console(file=self.stdout._out, force_terminal=False)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Importing {job.file_name}", total=job.total_rows or 1)
            job = importing.import_job_process(
                job=job, on_batch=lambda j: progress.update(task, completed=j.done_rows)
            )
        if job.status == ImportStatus.FAILED:
            raise CommandError(f"Import #{job.pk} failed: {job.error}")
        self._summary(job)

    def _summary(self, job: ImportJob) -> None:
        self.stdout.write(
            f"Import #{job.pk}: {job.created_count} created, {job.updated_count} updated, "
            f"{job.skipped_count} skipped, {job.rejected_count} rejected."
        )
        for row in job.rows.filter(outcome="rejected")[:50]:
            self.stdout.write(f"  line {row.line}: {row.reason}")
        for row in job.rows.exclude(notes="")[:50]:
            for note in row.notes.splitlines():
                self.stdout.write(f"  line {row.line}: {note}")
        unmapped = unmapped_columns(job)
        if unmapped:
            self.stdout.write(f"Columns not imported: {', '.join(unmapped)}.")
        if job.rejected_count:
            self.stdout.write(f"Undo with: attract import undo {job.pk}")

    def _clean(self, options) -> None:
        if options["keep_days"] is not None:
            retention.transfer_settings_update(
                actor=acting_user(options["as_user"]), upload_retention_days=options["keep_days"]
            )
        days = TransferSettings.current().upload_retention_days
        removed = retention.uploads_purge()
        self.stdout.write(f"{removed} uploaded file(s) older than {days} days removed.")

    def _process_queue(self) -> None:
        """Run the queued imports here, oldest first (for an installation without a running
        worker); one a live worker is running is left to it."""
        from attract.transfer.tasks import still_running

        for job in ImportJob.objects.filter(
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).order_by("queued_at", "pk"):
            if job.runner and still_running(job.runner):
                self.stdout.write(f"Import #{job.pk} is running in a worker; left to it.")
                continue
            self._run(job)
