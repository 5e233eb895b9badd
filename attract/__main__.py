"""The `attract` console command: Django's manage.py, installed as an entry point."""

from __future__ import annotations

import os
import sys

# What a shell reports for a program ended by SIGPIPE (128 + 13): `attract people list |
# head -1` stops the way `ls | head -1` does.
EXIT_BROKEN_PIPE = 141


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
        # Flush here, inside the try, so that a reader gone away is noticed now and not as
        # an "Exception ignored" message when the interpreter flushes stdout at exit.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (head, less, grep -m1) has what it wanted. Point stdout at /dev/null so
        # that the interpreter's own flush at exit has nowhere to fail, and end quietly.
        # https://docs.python.org/3/library/signal.html#note-on-sigpipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_BROKEN_PIPE)


if __name__ == "__main__":
    main()
