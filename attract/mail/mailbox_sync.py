"""Reading new mail from a user's mailbox into the message log.

Per folder (sent first, then inbox): UIDVALIDITY checked against the stored one, the UIDs
above the last read listed, their headers fetched and read. The messages of all folders are
then logged oldest first, so a reply meets the message it answers already logged, and only
then does each folder's high-water mark move: a sync cut short reads the same messages again,
which the log's Message-IDs make harmless. A mailbox that refuses the login or does not answer
gets the error recorded on it, and the sync of every other mailbox goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from attract.mail import mailbox_imap
from attract.mail.inbound_logging import (
    FAILED,
    InboundReport,
    already_logged,
    log_read_message,
)
from attract.mail.inbound_parsing import ReadMessage, read_headers
from attract.mail.mailbox_imap import MailboxError, ServerSettings
from attract.mail.mailbox_secrets import PasswordUnreadable, password_decrypt
from attract.mail.message_log import team_addresses
from attract.mail.models import Mailbox, MailboxFolder, MessageSource

log = logging.getLogger(__name__)
# Messages asked about in one query before logging (see already_logged).
BATCH = 500


@dataclass
class _Read:
    folder: str
    uid: int
    message: ReadMessage


def server_settings(mailbox: Mailbox) -> ServerSettings:
    return ServerSettings(
        host=mailbox.host,
        port=mailbox.port,
        security=mailbox.security,
        username=mailbox.username,
        password=password_decrypt(mailbox.password_encrypted),
    )


def record_error(mailbox: Mailbox, error: str) -> None:
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=error, last_error_at=now)
    mailbox.last_error, mailbox.last_error_at = error, now
    # The error text is the server's or ours; never the password, which no message holds.
    log.warning("mailbox %s: %s", mailbox.pk, error)


def _limit() -> int:
    return int(getattr(settings, "ATTRACT_MAIL_SYNC_LIMIT", 5000))


def mailbox_sync(*, mailbox: Mailbox, limit: int | None = None) -> InboundReport:
    """Read the new mail of one mailbox (at most `limit` messages per folder per run; the
    next run goes on from there). Errors are recorded on the mailbox, not raised."""
    report = InboundReport()
    limit = limit or _limit()
    try:
        connection = mailbox_imap.connect(server_settings(mailbox))
    except (MailboxError, PasswordUnreadable) as exc:
        record_error(mailbox, str(exc))
        report.problems.append(str(exc))
        return report
    states = {s.role: s for s in MailboxFolder.objects.filter(mailbox=mailbox)}
    reached: dict[str, tuple[int, int]] = {}  # role -> (uidvalidity, highest uid read)
    found: list[_Read] = []
    try:
        for role, name in mailbox.folders():
            state = states.get(role)
            try:
                validity = mailbox_imap.select(connection, name)
            except MailboxError as exc:
                # A folder that is not there (a misnamed sent folder) stops only itself.
                report.problems.append(str(exc))
                continue
            same = state is not None and state.uidvalidity == validity and state.name == name
            last = state.last_uid if same else 0
            uids = mailbox_imap.uids_after(connection, last)[:limit]
            for fetched in mailbox_imap.fetch_headers(connection, uids):
                read = read_headers(fetched.headers, received_at=fetched.received_at)
                found.append(_Read(role, fetched.uid, read))
            reached[role] = (validity, max(uids, default=last))
    except (MailboxError, OSError, mailbox_imap.imaplib.IMAP4.error) as exc:
        # The server went away half-way: log what was read of the folders that finished.
        error = (
            str(exc) if isinstance(exc, MailboxError) else f"The server stopped answering: {exc}"
        )
        report.problems.append(error)
        found = [r for r in found if r.folder in reached]
    finally:
        mailbox_imap.disconnect(connection)
    _log_all(mailbox, found, report)
    now = timezone.now()
    for role, (validity, last_uid) in reached.items():
        name = dict(mailbox.folders())[role]
        MailboxFolder.objects.update_or_create(
            mailbox=mailbox,
            role=role,
            defaults={
                "name": name,
                "uidvalidity": validity,
                "last_uid": last_uid,
                "synced_at": now,
            },
        )
    done = {"last_sync_at": now, "last_sync_logged": report.logged}
    if report.problems:
        done.update(last_error=report.problems[-1][:1000], last_error_at=now)
    else:
        done.update(last_error="", last_error_at=None)
    Mailbox.objects.filter(pk=mailbox.pk).update(**done)
    for key, value in done.items():
        setattr(mailbox, key, value)
    return report


def _log_all(mailbox: Mailbox, found: list[_Read], report: InboundReport) -> None:
    team = team_addresses()
    found.sort(key=lambda r: (r.message.facts.sent_at, r.folder != "sent", r.uid))
    for start in range(0, len(found), BATCH):
        batch = found[start : start + BATCH]
        known = already_logged([item.message for item in batch])
        for item in batch:
            if not item.message.facts.from_address:
                report.add(FAILED)
                report.problems.append(
                    f"<{item.message.facts.message_id}>: no sender address (From)."
                )
                continue
            log_read_message(
                actor=mailbox.user,
                read=item.message,
                source=MessageSource.MAILBOX,
                folder=item.folder,
                team=team,
                report=report,
                known=known,
            )


def mailbox_sync_all() -> dict[str, int]:
    """Every active mailbox, one after the other; one failing stops none of the others."""
    totals = {"mailboxes": 0, "logged": 0, "failed": 0}
    for mailbox in Mailbox.objects.filter(is_active=True, user__is_active=True).select_related(
        "user"
    ):
        totals["mailboxes"] += 1
        try:
            report = mailbox_sync(mailbox=mailbox)
        except Exception as exc:  # one mailbox's surprise must not stop the others' sync
            log.exception("mailbox %s sync failed", mailbox.pk)
            record_error(mailbox, f"The sync failed unexpectedly: {exc.__class__.__name__}.")
            totals["failed"] += 1
            continue
        totals["logged"] += report.logged
        totals["failed"] += 1 if report.problems else 0
    return totals


def mailbox_test(*, mailbox: Mailbox) -> str:
    """Log in and open the chosen folders; returns what was found, or records and raises
    the error."""
    try:
        connection = mailbox_imap.connect(server_settings(mailbox))
    except (MailboxError, PasswordUnreadable) as exc:
        record_error(mailbox, str(exc))
        raise MailboxError(str(exc)) from exc
    try:
        for _role, name in mailbox.folders():
            mailbox_imap.select(connection, name)
    except MailboxError as exc:
        record_error(mailbox, str(exc))
        raise
    finally:
        mailbox_imap.disconnect(connection)
    now = timezone.now()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_tested_at=now, last_error="", last_error_at=None
    )
    mailbox.last_tested_at, mailbox.last_error = now, ""
    folders = " and ".join(name for _, name in mailbox.folders())
    return f"Connected to {mailbox.host} as {mailbox.username}; {folders} can be read."
