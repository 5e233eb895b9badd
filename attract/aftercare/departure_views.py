"""Departure pages: recording that a customer left, one departure (our guess beside the
customer's answer, the survey link), and "why ours leave" beside the published figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.aftercare import departure_selectors as selectors
from attract.aftercare import departure_services as services
from attract.aftercare import survey_services
from attract.aftercare.departure_chart import reason_chart
from attract.aftercare.departure_forms import DepartureForm, PeriodForm
from attract.aftercare.models import Departure
from attract.core.access import get_record_for_user
from attract.core.counting import ListCount
from attract.core.forms import saved_against_version
from attract.core.paging import page_for
from attract.core.permissions import can_change_record, visible_to
from attract.core.redirects import safe_next
from attract.people.models import Company, Person
from attract.people.views.trash import trashed_message


def _departure(
    request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False
) -> Departure:
    """A departure the user may see (in the trash too with `trash`: its page, restoring)."""
    departure = get_record_for_user(
        selectors.visible_departures(request.user, include_trash=trash).select_related(
            "company", "contact"
        ),
        user=request.user,
        pk=pk,
        write=write,
    )
    if write and not can_change_record(request.user, departure.company):
        raise PermissionDenied("You may not change this customer.")
    return departure


def _contacts(request: HttpRequest, company: Company) -> list[Person]:
    return list(visible_to(company.persons.all(), request.user).order_by("search_name")[:200])


def _save(form: DepartureForm, save) -> bool:
    def call(data: dict) -> None:
        contact = form.contacts.get(data.get("contact"))
        save({**data, "contact": contact})

    return saved_against_version(form, call)


@login_required
@require_http_methods(["GET", "POST"])
def departure_create(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_record_for_user(
        Company.objects.all(), user=request.user, pk=company_pk, write=True
    )
    contacts = _contacts(request, company)
    form = DepartureForm(request.POST or None, contacts=contacts)
    if request.method == "POST":
        departure = {}

        def save(data: dict) -> None:
            data.pop("version", None)
            departure["made"] = services.departure_record(
                actor=request.user, company=company, **data
            )

        if _save(form, save):
            messages.success(request, f"{company.name} is now a former customer.")
            return redirect("aftercare:departure_detail", pk=departure["made"].pk)
    return render(
        request,
        "aftercare/departure_form.html",
        {"form": form, "company": company, "nav_current": "care", "editing": None},
    )


@login_required
@require_GET
def departure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    departure = _departure(request, pk, trash=True)  # a trashed one shows, to be restored
    links = list(departure.survey_links.order_by("-created_at")[:5])
    context = {
        "departure": departure,
        "company": departure.company,
        "links": links,
        "can_change": can_change_record(request.user, departure.company) and not departure.in_trash,
        "can_restore": departure.in_trash and can_change_record(request.user, departure.company),
        "periods": selectors.customer_periods(departure.company),
        "email_to": _email_to(departure),
        "subtitle": f"Left on {departure.departed_on:%-d %b %Y}",
        "nav_current": "care",
    }
    return render(request, "aftercare/departure_detail.html", context)


@login_required
@require_POST
def departure_trash(request: HttpRequest, pk: int) -> HttpResponse:
    """A departure recorded by mistake, to the trash with Undo: the customer is a customer
    again; nothing is lost."""
    departure = _departure(request, pk, write=True)
    services.departure_trash(actor=request.user, departure=departure)
    restore, page = (
        reverse(name, args=[departure.pk])
        for name in ("aftercare:departure_restore", "aftercare:departure_detail")
    )
    name = f"the departure of {departure.company.name} on {departure.departed_on:%-d %b %Y}"
    messages.success(
        request, trashed_message(request, name=name, restore_url=restore, record_url=page)
    )
    return redirect("people:company_detail", pk=departure.company_id)


@login_required
@require_POST
def departure_restore(request: HttpRequest, pk: int) -> HttpResponse:
    departure = _departure(request, pk, write=True, trash=True)
    try:
        services.departure_restore(actor=request.user, departure=departure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(safe_next(request) or reverse("aftercare:departure_detail", args=[pk]))
    messages.success(request, f"The departure of {departure.company.name} is restored.")
    return redirect(safe_next(request) or reverse("aftercare:departure_detail", args=[pk]))


def _email_to(departure: Departure) -> str:
    if departure.contact is None or not survey_services.email_configured():
        return ""
    email = departure.contact.emails.first()
    return email.email if email else ""


@login_required
@require_http_methods(["GET", "POST"])
def departure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    departure = _departure(request, pk, write=True)
    contacts = _contacts(request, departure.company)
    initial = {
        "departed_on": departure.departed_on,
        "reason": departure.reason,
        "reason_other": departure.reason_other,
        "note": departure.note,
        "contact": departure.contact_id,
        "version": departure.version,
    }
    form = DepartureForm(request.POST or None, initial=initial, contacts=contacts)
    if request.method == "POST":

        def save(data: dict) -> None:
            version = data.pop("version", None)
            services.departure_update(
                actor=request.user, departure=departure, expected_version=version, **data
            )

        if _save(form, save):
            messages.success(request, "Departure saved.")
            return redirect("aftercare:departure_detail", pk=departure.pk)
    return render(
        request,
        "aftercare/departure_form.html",
        {"form": form, "company": departure.company, "nav_current": "care", "editing": departure},
    )


@login_required
@require_POST
def survey_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: a new private link, shown once to be copied (and e-mailed when asked)."""
    departure = _departure(request, pk, write=True)
    try:
        link, raw = survey_services.survey_link_create(actor=request.user, departure=departure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("aftercare:departure_detail", pk=departure.pk)
    url = request.build_absolute_uri(reverse("aftercare:survey", args=[raw]))
    emailed = ""
    to = _email_to(departure)
    if request.POST.get("email") and to:
        emailed = to if survey_services.survey_link_email(link=link, url=url, to=to) else ""
        if not emailed:
            messages.error(request, "The mail server refused the e-mail: copy the link instead.")
    context = {
        "departure": departure,
        "company": departure.company,
        "link": link,
        "url": url,
        "emailed": emailed,
        "nav_current": "care",
    }
    return render(request, "aftercare/survey_link.html", context)


@login_required
@require_GET
def why_they_leave(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end, source = form.period()
    if not form.is_bound:  # the period shown is the one used
        form = PeriodForm(initial={"start": start, "end": end, "source": source})
    figures = selectors.why_they_leave(user=request.user, start=start, end=end, source=source)
    reason = request.GET.get("reason", "")
    lost = selectors.lost_in_our_control(
        user=request.user, start=start, end=end, source=source, reason=reason
    )
    # Counted already in the figures: the list is read a page at a time, never counted.
    count = ListCount(selectors.lost_count(figures, reason))
    page = page_for(request, lost, default_size=25, count=count)
    context = {
        "form": form,
        "figures": figures,
        "chart": reason_chart(figures),
        "table": render_to_string("aftercare/partials/_reason_table.html", {"figures": figures}),
        "page": page,
        "lost": page.object_list,
        "start": start,
        "end": end,
        "source": source,
        "reason": reason,
        "published": selectors.published_rows(),
        "nav_current": "care",
    }
    return render(request, "aftercare/why_they_leave.html", context)
