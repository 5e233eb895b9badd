"""E-mail in and out: one module per concern (the message log shared by sending and
receiving; templates and sending; mailboxes and their sync), so they grow side by side."""

from attract.mail.models.mailboxes import (  # noqa: F401
    FolderRole,
    Mailbox,
    MailboxFolder,
    MailboxSecurity,
    UnmatchedAddress,
)
from attract.mail.models.messages import MailMessage, MessageSource  # noqa: F401
from attract.mail.models.sending import (  # noqa: F401
    MailSend,
    MailSignature,
    MailTemplate,
    RecipientStatus,
    SendRecipient,
    SendStatus,
    Unsubscribe,
)
