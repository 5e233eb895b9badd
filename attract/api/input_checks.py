"""Input that the schemas accept but the databases cannot hold, refused for every operation.

The schemas check types; two kinds of well-typed value still reach the database and fail
there with a server error: a string holding a NUL character (PostgreSQL cannot store one, in
a filter or in a row) and an integer beyond 64 bits (neither database can compare with one).
One decorator, applied by the API object to every operation after its input is parsed,
answers both with a 422 that names the field, before any endpoint runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from pydantic import BaseModel

LARGEST = 2**63 - 1  # a 64-bit signed integer: the widest column either database has


def _values(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, key
            yield from _values(item, child)
    elif isinstance(value, list | tuple | set):
        for index, item in enumerate(value):
            yield from _values(item, f"{path}.{index}" if path else str(index))
    else:
        yield path or "__all__", value


def input_problems(arguments: dict[str, Any]) -> dict[str, str]:
    """{field: message} for each NUL character or out-of-range integer in the parsed input.
    A body or query schema's fields are named as the client sent them, without its prefix."""
    problems: dict[str, str] = {}
    for name, argument in arguments.items():
        prefix = "" if isinstance(argument, BaseModel) else name
        for path, value in _values(argument, prefix):
            if isinstance(value, str) and "\x00" in value:
                problems.setdefault(path, "Remove the NUL character (\\u0000) from this text.")
            elif (
                isinstance(value, int)
                and not isinstance(value, bool)
                and not -LARGEST <= value <= LARGEST
            ):
                problems.setdefault(path, f"Give a whole number between -{LARGEST} and {LARGEST}.")
    return problems


def refuse_unstorable_input(operation: Callable) -> Callable:
    @functools.wraps(operation)
    def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
        problems = input_problems(kwargs)
        if problems:
            raise ValidationError(problems)
        return operation(request, *args, **kwargs)

    return checked
