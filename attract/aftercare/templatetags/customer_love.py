"""{{ customer|customer_url }}: the page of a customer, company or person alike."""

from __future__ import annotations

from django import template
from django.urls import reverse

from attract.people.models import Company

register = template.Library()


@register.filter
def customer_url(customer) -> str:
    if isinstance(customer, Company):
        return reverse("people:company_detail", args=[customer.pk])
    return reverse("people:person_detail", args=[customer.pk])


@register.filter
def customer_query(customer) -> str:
    """?company=ID or ?person=ID: a list narrowed to this customer."""
    kind = "company" if isinstance(customer, Company) else "person"
    return f"?{kind}={customer.pk}"


@register.filter
def customer_kind(customer) -> str:
    return "company" if isinstance(customer, Company) else "person"
