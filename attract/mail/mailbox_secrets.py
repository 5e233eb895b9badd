"""The mailbox's app password, encrypted at rest with a key derived from SECRET_KEY.

Fernet (from the maintained `cryptography` package) authenticates as it encrypts, so a token
changed in the database fails to decrypt instead of giving a wrong password. The key is
HKDF(SECRET_KEY) with a purpose of its own, so it is no other key Django derives; the keys of
SECRET_KEY_FALLBACKS still decrypt, so rotating the secret keeps mailboxes connected.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"attract.mail.mailbox-password"


class PasswordUnreadable(Exception):
    """The stored password was encrypted with a key this installation no longer has."""


def _key(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(s)) for s in secrets])


def password_encrypt(password: str) -> str:
    return _fernet().encrypt(password.encode("utf-8")).decode("ascii")


def password_decrypt(token: str) -> str:
    if not token:
        raise PasswordUnreadable("No password is stored: enter the app password again.")
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise PasswordUnreadable(
            "The stored password cannot be read (the installation's secret key changed): "
            "enter the app password again."
        ) from exc
