"""The background job that delivers a send to a selection."""

from __future__ import annotations

from datetime import timedelta

from attract.jobs.queue import background_task
from attract.mail.models import MailSend


@background_task(atomic=False, first_wait=timedelta(seconds=60))
def send_deliver(*, send_id: int) -> str:
    """Not atomic: each letter commits its own rows (sending, then sent and logged), so a
    retry after the mail server failed resumes with the letters not yet handed over."""
    from attract.mail.send_services import send_run

    send = MailSend.objects.filter(pk=send_id).first()
    if send is None:
        return f"Send #{send_id} no longer exists."
    send = send_run(send)  # MailServerError propagates: the queue tries again later
    return f"Send #{send.pk} done."


def send_enqueue(send: MailSend) -> None:
    send_deliver.enqueue(send_id=send.pk)
