"""The shapes of the API's error answers, shared by every app's router and its schema."""

from __future__ import annotations

from ninja import Field, Schema


class FieldError(Schema):
    field: str = Field(description="The field at fault, dotted for nested ones; __all__ if none.")
    message: str


class FieldErrorsOut(Schema):
    """422: the input was refused and nothing changed."""

    detail: list[FieldError]


class ErrorOut(Schema):
    """401, 403 or 404: the reason, in words."""

    detail: str


class ConflictChange(Schema):
    field: str
    label: str
    seen: str = Field(description="The value in the version you sent.")
    now: str = Field(description="The value now.")


class ConflictOut(Schema):
    """409: the record changed since the version you sent; nothing was written."""

    code: str = Field(description="version_conflict (or gate_refused for a deal's stage move).")
    detail: str
    current_version: int | None = None
    changes: list[ConflictChange] = Field(
        default_factory=list, description="What changed since the version you sent."
    )
