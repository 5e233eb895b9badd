"""Taking an import back: records it created are deleted (to the trash), records it updated
get their earlier values back (recorded in their history). Runs in the background
(tasks.import_undo_run, in one transaction with the task's "done" mark, so a killed worker
leaves nothing half-undone), on a finished import and on one stopped half-way."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from attract.accounts.models import User
from attract.people import services as people
from attract.people.models import Company, Person
from attract.pipeline.models import Deal
from attract.transfer.access import require_owner
from attract.transfer.models import ImportJob, ImportStatus, RowOutcome

UNDO_BATCH = 500  # records deleted a statement


@transaction.atomic
def import_job_undo(*, actor: User, job: ImportJob) -> ImportJob:
    """Take back everything the import did: records it created are deleted, records it
    updated get their earlier values back (recorded in their history). Works on a finished
    import and on one interrupted halfway (a rollback)."""
    require_owner(actor, job, managers_too=True)
    # Locked first: a batch of the import that is still being written commits before the
    # rows are read below, and the run stops before its next one (the status changed).
    ImportJob.objects.select_for_update().filter(pk=job.pk).first()
    job.refresh_from_db()
    if job.status == ImportStatus.UNDONE:
        return job
    reason = f"Import #{job.pk} undone"
    rows = job.rows.select_related("person", "company", "deal").order_by("-line")
    for row in rows:
        if row.outcome == RowOutcome.UPDATED and row.person_id:
            before = dict(row.before)
            before["company"] = Company.all_objects.filter(pk=before.get("company")).first()
            created_company = before.pop("_created_company", None)
            people.person_update(
                actor=actor, person=row.person, reason=reason, **_owner_back(before, actor)
            )
            Company.all_objects.filter(pk=created_company).delete()
        elif row.outcome == RowOutcome.UPDATED and row.company_id:
            people.company_update(
                actor=actor, company=row.company, reason=reason, **_owner_back(row.before, actor)
            )
    created = job.rows.filter(outcome=RowOutcome.CREATED)
    Deal.all_objects.filter(pk__in=created.values("deal_id")).delete()
    # In batches: deleting 300,000 persons at once names them all in one statement, past
    # SQLite's limit of parameters ("too many SQL variables").
    for model, column in ((Person, "person_id"), (Company, "company_id")):
        ids = list(created.exclude(**{column: None}).values_list(column, flat=True))
        for start in range(0, len(ids), UNDO_BATCH):
            model.all_objects.filter(pk__in=ids[start : start + UNDO_BATCH]).delete()
    job.status = ImportStatus.UNDONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    return job


def _owner_back(before: dict, actor: User) -> dict:
    """The values an update replaced, the owner (kept as an id) as the user again; one who
    has since left the team gives the record to the undoer."""
    before = dict(before)
    if "owner" in before:
        before["owner"] = User.objects.filter(pk=before["owner"], is_active=True).first() or actor
    return before
