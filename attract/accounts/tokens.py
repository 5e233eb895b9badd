"""Secret tokens: generated with `secrets`, stored only as a SHA-256 hash.

A SHA-256 of a 256-bit random token is safe to store and fast to look up by equality; a slow
password hash (Argon2) is for low-entropy secrets chosen by people.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "att_"  # noqa: S105 - a public marker, not a secret


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
