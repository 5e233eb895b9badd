#!/usr/bin/env python
"""Django's command-line utility; the same as the installed `attract` command."""

from attract.__main__ import main

if __name__ == "__main__":
    main()
