"""Output shared by the `attract` commands: rich tables (colour on a terminal, plain text in a
pipe or a file, so output stays readable in logs and easy to grep) and validation messages."""

from __future__ import annotations

import io
import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from rich.console import Console
from rich.table import Table


def new_table(*columns: str, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_table(stdout: OutputWrapper, table: Table) -> None:
    """Render through the command's own stdout, so call_command(stdout=...) captures it."""
    is_terminal = stdout.isatty()
    # A pipe or a file gets wide lines, so a row stays on one line for grep.
    width = shutil.get_terminal_size((120, 24)).columns if is_terminal else 200
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=is_terminal,
        color_system="auto" if is_terminal else None,
        highlight=False,
    )
    console.print(table)
    stdout.write(buffer.getvalue(), ending="")


def validation_message(exc: ValidationError) -> str:
    """One readable line per problem, naming the option it concerns."""
    if hasattr(exc, "error_dict"):
        return "\n".join(
            message if field == "__all__" else f"{field}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        )
    return "\n".join(exc.messages)
