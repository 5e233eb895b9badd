"""People views, one module per page family: persons, companies, trash, merge."""
