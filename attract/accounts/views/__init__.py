"""Account pages, one module per page family: log-in, own settings, API tokens, the team and
invitations. Each view parses input, calls a service or selector, and renders."""
