"""What each section not yet built will hold, so that no menu entry is a dead link."""

UPCOMING = {
    "care": (
        "Care",
        "After the sale: care playbooks, check-ins, customers who have not heard from you for "
        "too long, departures with their reasons, and promises kept.",
    ),
}
