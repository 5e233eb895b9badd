"""Partners made through the services, as a user would make them."""

from __future__ import annotations

from attract.partners import services
from attract.partners.models import Partner
from attract.people.services import company_create, person_create


def make_partner(owner, name: str = "Bright Partners", **fields) -> Partner:
    company = company_create(actor=owner, name=name, is_private=fields.get("is_private", False))
    return services.partner_create(actor=owner, company=company, **fields)


def make_person_partner(owner, first: str = "Pia", last: str = "Peer", **fields) -> Partner:
    person = person_create(actor=owner, first_name=first, last_name=last)
    return services.partner_create(actor=owner, person=person, **fields)
