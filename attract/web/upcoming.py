"""What each section not yet built will hold, so that no menu entry is a dead link."""

UPCOMING = {
    "care": (
        "Care",
        "After the sale: care playbooks, check-ins, customers who have not heard from you for "
        "too long, departures with their reasons, and promises kept.",
    ),
    "reports": (
        "Reports",
        "Profit over revenue: customers and performance ranked by profit, repeat purchase, "
        "response times and the share of Pull in your pipeline.",
    ),
}
