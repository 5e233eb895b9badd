"""The worker reads every connected mailbox every few minutes."""

from __future__ import annotations

from datetime import timedelta

from attract.jobs.queue import background_task
from attract.jobs.schedule import every
from attract.mail.mailbox_sync import mailbox_sync, mailbox_sync_all
from attract.mail.models import Mailbox


@every("*/5 * * * *", name="mail-sync", description="Read new mail from every connected mailbox")
# Not atomic: a sync talks to a server for a while, and each message is logged (once, by its
# Message-ID) in its own transaction.
@background_task(atomic=False, max_attempts=1)
def mail_sync_all() -> dict[str, int]:
    return mailbox_sync_all()


@background_task(atomic=False, max_attempts=1, first_wait=timedelta(seconds=30))
def mail_sync_one(mailbox_id: int) -> dict:
    mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True).select_related("user").first()
    if mailbox is None:
        return {"skipped": "no such mailbox"}
    return mailbox_sync(mailbox=mailbox).as_dict()
