"""The real SMTP server fixtures, for every mail test (see smtp_server.py)."""

from attract.mail.tests.smtp_server import (  # noqa: F401
    closed_smtp_port,
    silent_smtp_server,
    smtp_server,
)
