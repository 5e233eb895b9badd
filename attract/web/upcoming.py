"""What each section not yet built will hold, so that no menu entry is a dead link."""

UPCOMING = {
    "reports": (
        "Reports",
        "Profit over revenue: customers and performance ranked by profit, repeat purchase, "
        "response times and the share of Pull in your pipeline.",
    ),
}
