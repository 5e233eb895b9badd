"""Events, offers, visits and ideas on the trash page (core/trash.py); each is restored with
the interactions it logged untouched (they happened)."""

from __future__ import annotations

from attract.core.trash import TrashSection, register


def _trashed(kind: str):
    def records(user):
        from attract.aftercare import customer_love_selectors as selectors

        rows = {
            "events": lambda: selectors.events(include_trash=True),
            "offers": lambda: selectors.visible_offers(user, include_trash=True),
            "visits": lambda: selectors.visible_visits(user, include_trash=True),
            "ideas": lambda: selectors.ideas_all(),
        }[kind]()
        return (
            rows.filter(deleted_at__isnull=False)
            .select_related("deleted_by")
            .order_by("-deleted_at", "-id")
        )

    return records


def register_customer_love_sections() -> None:
    for order, (key, title, name) in enumerate(
        (("events", "Customer events", "event"), ("offers", "Offers", "offer"),
         ("visits", "Visits", "visit"), ("ideas", "Ideas", "idea")),
        start=52,
    ):  # fmt: skip
        register(
            TrashSection(
                key=f"care_{key}",
                title=title,
                empty=f"No {name if key != 'events' else 'customer event'} is in the trash.",
                order=order,
                records=_trashed(key),
                detail_url=f"aftercare:{name}_detail",
                restore_url=f"aftercare:{name}_restore",
            )
        )
