"""Pages of events, offers, visits and ideas, under /care/: each list (narrowed to one
customer with ?company= or ?person=, as the customer's page links to it), each record's page
(edited against the version shown, its history, to the trash with Undo), and the actions
(invite, who came, their answer to an offer, a customer who inspired an idea)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from attract.aftercare import customer_love_selectors as selectors
from attract.aftercare import customer_love_services as services
from attract.aftercare.customer_love_forms import (
    EventForm,
    IdeaForm,
    OfferAnswerForm,
    OfferForm,
    OfferNewForm,
    VisitForm,
)
from attract.aftercare.models import EventGuest, IdeaStatus, OfferOutcome
from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.history import history_entries
from attract.core.paging import page_for
from attract.core.permissions import can_view_record, can_write, visible_to
from attract.core.search_text import clean_search, search_key
from attract.core.versions import VersionConflict
from attract.people.models import Company, Person, Relationship
from attract.people.views.trash import trashed_message

KINDS = {"company": Company, "person": Person}


def _customer_from(request: HttpRequest, *, write: bool = False):
    """The customer a list is narrowed to (?company= or ?person=), or None."""
    for kind, model in KINDS.items():
        raw = request.GET.get(kind) or request.POST.get(kind) or ""
        if raw:
            if not raw.isdigit():
                raise Http404
            return get_record_for_user(model.objects.all(), user=request.user, pk=int(raw),
                                       write=write)  # fmt: skip
    return None


def _customer(request: HttpRequest, kind: str, pk: int, *, write: bool = False):
    if kind not in KINDS:
        raise Http404
    return get_record_for_user(KINDS[kind].objects.all(), user=request.user, pk=pk, write=write)


def _key(customer) -> dict:
    return {"company": customer} if isinstance(customer, Company) else {"person": customer}


def _require_writer(request: HttpRequest) -> None:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")


def _say_trashed(request: HttpRequest, name: str, restore: str, pk: int, back: str) -> None:
    messages.success(request, trashed_message(
        request, name=name, restore_url=reverse(restore, args=[pk]), record_url=reverse(back)
    ))  # fmt: skip


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _base(request: HttpRequest, **context) -> dict:
    return {"nav_current": "care", "can_write": can_write(request.user), **context}


# --- Events ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    """The events, newest first, with their guests counted; a new event; narrowed to one
    customer (?company=), the upcoming events to invite them to."""
    customer = _customer_from(request)
    form = EventForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        _require_writer(request)
        if form.is_valid():
            try:
                event = services.event_create(actor=request.user, **form.service_fields())
            except ValidationError as exc:
                apply_errors_to_form(form, exc)
            else:
                messages.success(request, f"“{event}” added: now invite its guests.")
                return redirect("aftercare:event_detail", event.pk)
    page = page_for(request, selectors.event_list(request.user, customer))
    upcoming = []
    if customer is not None:
        upcoming = list(
            selectors.events().filter(held_on__gte=timezone.localdate())
            .exclude(pk__in=[e.pk for e in page.object_list]).order_by("held_on")[:20]
        )  # fmt: skip
    return render(request, "aftercare/love/events.html", _base(
        request, page=page, form=form, customer=customer, upcoming=upcoming,
        kind="company" if isinstance(customer, Company) else "person",
    ))  # fmt: skip


def _event(request: HttpRequest, pk: int, *, trash: bool = False):
    event = selectors.events(include_trash=True).filter(pk=pk).first()
    if event is None or (event.in_trash and not trash):
        raise Http404
    return event


def _invite_choices(request: HttpRequest, event) -> tuple[str, list]:
    """Customers by name for the invite list: companies that are (or were) customers, and
    persons, that this user may see and who are not invited yet."""
    search = clean_search(request.GET.get("q"))
    if not search:
        return "", []
    key = search_key(search)
    invited = event.guests.all()
    companies = (
        visible_to(Company.objects, request.user)
        .filter(
            relationship__in=[Relationship.CUSTOMER, Relationship.FORMER_CUSTOMER],
            search_name__contains=key,
        )
        .exclude(pk__in=invited.filter(company__isnull=False).values("company_id"))
    )
    persons = (
        visible_to(Person.objects, request.user)
        .filter(search_name__contains=key)
        .exclude(pk__in=invited.filter(person__isnull=False).values("person_id"))
    )
    return search, [*companies.order_by("search_name", "id")[:10],
                    *persons.select_related("company").order_by("search_name", "id")[:10]]  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, trash=True)
    form = EventForm(request.POST or None, initial={
        **{n: getattr(event, n) for n in EventForm.base_fields if n != "version"},
        "version": event.version,
    })  # fmt: skip
    if request.method == "POST":
        _require_writer(request)
        if saved_against_version(form, lambda data: services.event_update(
            actor=request.user, event=event, expected_version=data.get("version"),
            **form.service_fields(),
        )):  # fmt: skip
            messages.success(request, "Event saved.")
            return redirect("aftercare:event_detail", pk)
    search, choices = _invite_choices(request, event)
    return render(request, "aftercare/love/event_detail.html", _base(
        request, event=event, form=form, guests=selectors.event_guests(request.user, event),
        search=search, choices=choices, history=history_entries(event),
        held=event.held_on <= timezone.localdate(),
    ))  # fmt: skip


@login_required
@require_POST
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    event = _event(request, pk)
    customer = _customer_from(request, write=True)
    if customer is None:
        raise Http404
    try:
        services.event_invite(actor=request.user, event=event, **_key(customer))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{customer} invited; the invitation is on their timeline.")
    if request.POST.get("next") == "customer":
        return redirect(reverse("aftercare:events") + f"?{'company' if isinstance(customer, Company) else 'person'}={customer.pk}")  # fmt: skip
    return redirect("aftercare:event_detail", pk)


@login_required
@require_POST
def guest_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    guest = EventGuest.objects.select_related("event", "company", "person").filter(pk=pk).first()
    if guest is None or not can_view_record(request.user, guest.customer):
        raise Http404
    _require_writer(request)
    came = request.POST.get("came") == "yes"
    try:
        services.event_attendance(actor=request.user, guest=guest, came=came)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{guest.customer} {'came' if came else 'did not come'}.")
    return redirect(reverse("aftercare:event_detail", args=[guest.event_id]) + "#guests")


@login_required
@require_POST
def event_trash(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    event = _event(request, pk)
    services.event_trash(actor=request.user, event=event)
    _say_trashed(request, str(event), "aftercare:event_restore", event.pk, "aftercare:events")
    return redirect("aftercare:events")


@login_required
@require_POST
def event_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    event = _event(request, pk, trash=True)
    services.event_restore(actor=request.user, event=event)
    messages.success(request, f"“{event}” restored.")
    return redirect("aftercare:event_detail", pk)


# --- Offers ---------------------------------------------------------------------------------


@login_required
def offers(request: HttpRequest) -> HttpResponse:
    customer = _customer_from(request)
    outcome = request.GET.get("outcome", "")
    if outcome not in OfferOutcome.values:
        outcome = ""
    rows = selectors.offer_list(request.user, outcome=outcome, customer=customer)
    return render(request, "aftercare/love/offers.html", _base(
        request, page=page_for(request, rows), outcome=outcome, customer=customer,
        outcomes=OfferOutcome.choices,
        takers=selectors.offer_takers(request.user) if customer is None else [],
    ))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    customer = _customer(request, kind, pk, write=True)
    form = OfferNewForm(request.POST or None, initial={"offered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_make(actor=request.user, **_key(customer),
                                        **form.service_fields())  # fmt: skip
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "Offer recorded and logged on their timeline.")
            return redirect("aftercare:offer_detail", offer.pk)
    return render(request, "aftercare/love/record_form.html", _base(
        request, form=form, customer=customer, title="Make an offer",
        cancel=reverse("aftercare:offers") + f"?{kind}={pk}",
    ))  # fmt: skip


def _offer(request: HttpRequest, pk: int, *, trash: bool = False):
    offer = selectors.visible_offers(request.user, include_trash=True).filter(pk=pk).first()
    if offer is None or (offer.in_trash and not trash):
        raise Http404
    return offer


@login_required
@require_http_methods(["GET", "POST"])
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk, trash=True)
    form = OfferForm(request.POST or None, initial={
        "kind": offer.kind, "what": offer.what, "terms": offer.terms,
        "offered_on": offer.offered_on, "version": offer.version,
    })  # fmt: skip
    if request.method == "POST":
        _require_writer(request)
        if saved_against_version(form, lambda data: services.offer_update(
            actor=request.user, offer=offer, expected_version=data.get("version"),
            **form.service_fields(),
        )):  # fmt: skip
            messages.success(request, "Offer saved.")
            return redirect("aftercare:offer_detail", pk)
    answer = OfferAnswerForm(initial={"outcome": offer.outcome, "version": offer.version,
                                      "answered_on": offer.answered_on or timezone.localdate()})  # fmt: skip
    return render(request, "aftercare/love/offer_detail.html", _base(
        request, offer=offer, form=form, answer=answer, history=history_entries(offer),
    ))  # fmt: skip


@login_required
@require_POST
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    offer = _offer(request, pk)
    form = OfferAnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.offer_answer(actor=request.user, offer=offer, outcome=data["outcome"],
                                  answered_on=data["answered_on"],
                                  expected_version=data["version"])  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        except VersionConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Recorded: {offer.get_outcome_display().lower()}.")
    else:
        messages.error(request, "Choose their answer.")
    return redirect("aftercare:offer_detail", pk)


@login_required
@require_POST
def offer_trash(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    offer = _offer(request, pk)
    services.offer_trash(actor=request.user, offer=offer)
    _say_trashed(request, str(offer), "aftercare:offer_restore", offer.pk, "aftercare:offers")
    return redirect("aftercare:offers")


@login_required
@require_POST
def offer_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    offer = _offer(request, pk, trash=True)
    services.offer_restore(actor=request.user, offer=offer)
    messages.success(request, f"“{offer}” restored.")
    return redirect("aftercare:offer_detail", pk)


# --- Visits ---------------------------------------------------------------------------------


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    customer = _customer_from(request)
    rows = selectors.visit_list(request.user, customer)
    return render(request, "aftercare/love/visits.html", _base(
        request, page=page_for(request, rows), customer=customer,
    ))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    customer = _customer(request, kind, pk, write=True)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(actor=request.user, **_key(customer),
                                          **form.service_fields())  # fmt: skip
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "Visit recorded and logged on their timeline.")
            return redirect("aftercare:visit_detail", visit.pk)
    return render(request, "aftercare/love/record_form.html", _base(
        request, form=form, customer=customer, title="Record a visit",
        cancel=reverse("aftercare:visits") + f"?{kind}={pk}",
    ))  # fmt: skip


def _visit(request: HttpRequest, pk: int, *, trash: bool = False):
    visit = selectors.visible_visits(request.user, include_trash=True).filter(pk=pk).first()
    if visit is None or (visit.in_trash and not trash):
        raise Http404
    return visit


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk, trash=True)
    form = VisitForm(request.POST or None, initial={
        "visited_on": visit.visited_on, "what_we_watched": visit.what_we_watched,
        "what_we_learned": visit.what_we_learned, "version": visit.version,
    })  # fmt: skip
    if request.method == "POST":
        _require_writer(request)
        if saved_against_version(form, lambda data: services.visit_update(
            actor=request.user, visit=visit, expected_version=data.get("version"),
            **form.service_fields(),
        )):  # fmt: skip
            messages.success(request, "Visit saved.")
            return redirect("aftercare:visit_detail", pk)
    ideas = list(selectors.idea_list(request.user).filter(visit=visit)[:50])
    return render(request, "aftercare/love/visit_detail.html", _base(
        request, visit=visit, form=form, ideas=ideas, history=history_entries(visit),
    ))  # fmt: skip


@login_required
@require_POST
def visit_trash(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    visit = _visit(request, pk)
    services.visit_trash(actor=request.user, visit=visit)
    _say_trashed(request, str(visit), "aftercare:visit_restore", visit.pk, "aftercare:visits")
    return redirect("aftercare:visits")


@login_required
@require_POST
def visit_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    visit = _visit(request, pk, trash=True)
    services.visit_restore(actor=request.user, visit=visit)
    messages.success(request, f"“{visit}” restored.")
    return redirect("aftercare:visit_detail", pk)


# --- Ideas ----------------------------------------------------------------------------------


def _visit_from(request: HttpRequest):
    raw = request.GET.get("visit") or request.POST.get("visit") or ""
    if not raw.isdigit():
        return None
    return selectors.visible_visits(request.user).filter(pk=int(raw)).first()


@login_required
@require_http_methods(["GET", "POST"])
def ideas(request: HttpRequest) -> HttpResponse:
    """Ideas for new products or services with the customers who inspired them; a new one,
    linked to the customer (?company=, ?person=) or the visit (?visit=) it came from."""
    customer = _customer_from(request, write=request.method == "POST")
    visit = _visit_from(request)
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        _require_writer(request)
        if form.is_valid():
            inspired = {}
            if customer is not None:
                inspired = {"companies" if isinstance(customer, Company) else "persons": [customer]}
            try:
                idea = services.idea_create(actor=request.user, visit=visit, **inspired,
                                            **form.service_fields())  # fmt: skip
            except ValidationError as exc:
                apply_errors_to_form(form, exc)
            else:
                messages.success(request, f"Idea “{idea}” kept.")
                return redirect("aftercare:idea_detail", idea.pk)
    status = request.GET.get("status", "")
    if status not in IdeaStatus.values:
        status = ""
    rows = selectors.idea_list(request.user, status=status, customer=customer)
    return render(request, "aftercare/love/ideas.html", _base(
        request, page=page_for(request, rows), form=form, customer=customer, visit=visit,
        status=status, statuses=IdeaStatus.choices,
    ))  # fmt: skip


def _idea(request: HttpRequest, pk: int, *, trash: bool = False):
    idea = selectors.idea_list(request.user, include_trash=True).filter(pk=pk).first()
    if idea is None or (idea.in_trash and not trash):
        raise Http404
    return idea


@login_required
@require_http_methods(["GET", "POST"])
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk, trash=True)
    form = IdeaForm(request.POST or None, initial={
        "title": idea.title, "description": idea.description, "status": idea.status,
        "version": idea.version,
    })  # fmt: skip
    if request.method == "POST":
        _require_writer(request)
        if saved_against_version(form, lambda data: services.idea_update(
            actor=request.user, idea=idea, expected_version=data.get("version"),
            **form.service_fields(),
        )):  # fmt: skip
            messages.success(request, "Idea saved.")
            return redirect("aftercare:idea_detail", pk)
    visit = idea.visit
    if visit is not None and not can_view_record(request.user, visit):
        visit = None
    return render(request, "aftercare/love/idea_detail.html", _base(
        request, idea=idea, form=form, visit=visit, history=history_entries(idea),
    ))  # fmt: skip


@login_required
@require_POST
def idea_link(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    idea = _idea(request, pk)
    customer = _customer_from(request, write=True)
    if customer is None:
        raise Http404
    remove = request.POST.get("remove") == "yes"
    try:
        services.idea_link(actor=request.user, idea=idea, remove=remove, **_key(customer))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("aftercare:idea_detail", pk)


@login_required
@require_POST
def idea_trash(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    idea = _idea(request, pk)
    services.idea_trash(actor=request.user, idea=idea)
    _say_trashed(request, str(idea), "aftercare:idea_restore", idea.pk, "aftercare:ideas")
    return redirect("aftercare:ideas")


@login_required
@require_POST
def idea_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    idea = _idea(request, pk, trash=True)
    services.idea_restore(actor=request.user, idea=idea)
    messages.success(request, f"“{idea}” restored.")
    return redirect("aftercare:idea_detail", pk)
