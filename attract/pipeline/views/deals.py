"""One deal: the form, the page with its pain, conviction, quotes and stage history, the
closing actions, and the list of closed deals."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.accounts.models import User
from attract.core.access import get_record_for_user
from attract.core.counting import list_count
from attract.core.forms import apply_errors_to_form, show_version_conflict
from attract.core.history import history_entries
from attract.core.paging import page_for
from attract.core.permissions import can_change_record, can_manage_team, can_write, visible_to
from attract.core.redirects import safe_next
from attract.core.search_text import clean_search
from attract.core.versions import VersionConflict
from attract.people.models import Company, Person
from attract.people.views.listing import sort_headers
from attract.people.views.trash import trashed_message
from attract.pipeline import services
from attract.pipeline.forms import DealForm, LoseForm, QuoteForm
from attract.pipeline.gates import GATE_DESCRIPTIONS, StageGateRefused
from attract.pipeline.models import Deal, LostReason, Outcome, Quote, Stage
from attract.pipeline.selectors import (
    deal_detail_queryset,
    deal_list_for_user,
    deal_sorts,
    deal_stage_history,
    stage_settings,
)

PAGE_SIZE = 50


def _deal(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False) -> Deal:
    return get_record_for_user(
        deal_detail_queryset(include_trash=trash), user=request.user, pk=pk, write=write
    )


def _back(request: HttpRequest, deal: Deal) -> HttpResponse:
    """Return to the page the form came from when it is on this site, else the deal."""
    target = safe_next(request)
    return redirect(target) if target else redirect("pipeline:deal_detail", pk=deal.pk)


def _warn_of_private_links(request: HttpRequest, deal: Deal) -> None:
    for warning in deal.privacy_warnings():
        messages.warning(request, warning)


@login_required
@require_http_methods(["GET", "POST"])
def deal_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    initial = {}
    # Started from a company or person page: the deal arrives already pointing at them.
    company = visible_to(Company.objects.all(), request.user).filter(
        pk=request.GET.get("company") or 0
    )
    if company_found := company.first():
        initial["company"] = company_found.name
    contact = visible_to(Person.objects.all(), request.user).filter(
        pk=request.GET.get("contact") or 0
    )
    if contact_found := contact.select_related("company").first():
        initial["contact"] = f"{contact_found.full_name} #{contact_found.pk}"
        if contact_found.company and "company" not in initial:
            initial["company"] = contact_found.company.name
    form = DealForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deal = services.deal_create(actor=request.user, **form.service_arguments())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"Deal “{deal.title}” added in Attention.")
            _warn_of_private_links(request, deal)
            return redirect("pipeline:deal_detail", pk=deal.pk)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": None})


@login_required
@require_http_methods(["GET", "POST"])
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk, write=True)
    form = DealForm(request.POST or None, user=request.user, deal=deal)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.deal_update(
                actor=request.user,
                deal=deal,
                expected_version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        except VersionConflict as conflict:
            show_version_conflict(form, conflict)
        else:
            messages.success(request, "Saved.")
            _warn_of_private_links(request, saved)
            return redirect("pipeline:deal_detail", pk=deal.pk)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": deal})


@login_required
@require_GET
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk, trash=True)
    visits, per_stage = deal_stage_history(deal=deal)
    setting = stage_settings()[deal.stage]
    context = {
        "deal": deal,
        "quotes": list(deal.quotes.select_related("created_by")),
        "visits": visits,
        "time_per_stage": [(Stage(s).label, d) for s, d in per_stage.items()],
        "stale_after_days": setting.stale_after_days,
        "is_long_maybe": deal.is_open and deal.days_in_stage > setting.stale_after_days,
        "stages": Stage.choices,
        "stage_gates": [(label, GATE_DESCRIPTIONS[value]) for value, label in Stage.choices],
        "can_change": can_change_record(request.user, deal) and not deal.in_trash,
        "can_override": can_manage_team(request.user),
        "lose_form": LoseForm(),
        "quote_form": QuoteForm(),
        "history": history_entries(deal, limit=30),
    }
    return render(request, "pipeline/deal_detail.html", context)


def _act(request: HttpRequest, pk: int, action: Callable[[Deal], object], done: str):
    """Run one closing or conviction action; show the refusal as a message if it fails."""
    deal = _deal(request, pk, write=True)
    try:
        action(deal)
    except (VersionConflict, StageGateRefused) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done.format(title=deal.title))
    return _back(request, deal)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
def deal_conviction(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_update(
            actor=request.user,
            deal=deal,
            expected_version=_version(request),
            conviction_problem_acknowledged="problem_acknowledged" in request.POST,
            conviction_we_are_the_ones="we_are_the_ones" in request.POST,
        ),
        "Conviction saved.",
    )


@login_required
@require_POST
def deal_win(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_win(
            actor=request.user, deal=deal, expected_version=_version(request)
        ),
        "Won “{title}”. Its company is now a customer: time to say thank you.",
    )


def _lost_reason_kind(value: str) -> LostReason | None:
    """The reason picked from the list; an unknown one is refused, not ignored."""
    if not value:
        return None
    found = LostReason.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if found is None or len(value) > 12:
        raise ValidationError({"lost_reason_kind": "Pick a reason from the list."})
    return found


@login_required
@require_POST
def deal_lose(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_lose(
            actor=request.user,
            deal=deal,
            reason=request.POST.get("lost_reason", ""),
            expected_version=_version(request),
            reason_kind=_lost_reason_kind(request.POST.get("lost_reason_kind", "")),
        ),
        "“{title}” closed as lost.",
    )


@login_required
@require_POST
def deal_refer_out(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_refer_out(
            actor=request.user, deal=deal, note=request.POST.get("note", "")
        ),
        "“{title}” referred out.",
    )


@login_required
@require_POST
def deal_close_as_no(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_close_as_no(
            actor=request.user, deal=deal, reason=request.POST.get("reason", "")
        ),
        "“{title}” closed as a no. A fast no frees you for the customers who fit.",
    )


@login_required
@require_POST
def deal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda deal: services.deal_reopen(actor=request.user, deal=deal),
        "“{title}” is open again.",
    )


@login_required
@require_POST
def deal_trash(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk, write=True)
    services.deal_trash(actor=request.user, deal=deal)
    # The same message as for persons and companies: the name, and Undo (a restore POST).
    text = trashed_message(
        request,
        name=deal.title,
        restore_url=reverse("pipeline:deal_restore", args=[deal.pk]),
        record_url=reverse("pipeline:deal_detail", args=[deal.pk]),
    )
    messages.success(request, text)
    return redirect("pipeline:board")


@login_required
@require_POST
def deal_restore(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk, write=True, trash=True)
    services.deal_restore(actor=request.user, deal=deal)
    messages.success(request, f"“{deal.title}” restored.")
    return _back(request, deal)


@login_required
@require_POST
def quote_create(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal(request, pk, write=True)
    form = QuoteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field.replace('_', ' ').capitalize()}: {' '.join(errors)}")
        return redirect(reverse("pipeline:deal_detail", args=[deal.pk]) + "#quotes")
    return _act(
        request,
        pk,
        lambda d: services.quote_create(actor=request.user, deal=d, **form.cleaned_data),
        "Quote added as a draft; send it when it has left your hands.",
    )


@login_required
@require_POST
def quote_update(request: HttpRequest, pk: int) -> HttpResponse:
    quote = Quote.objects.filter(pk=pk).first()
    deal = _deal(request, quote.deal_id if quote else 0, write=True)
    quote = deal.quotes.get(pk=pk)
    action = request.POST.get("action")
    try:
        if action == "send":
            services.quote_send(actor=request.user, quote=quote)
        elif action in ("accept", "decline"):
            services.quote_set_answer(actor=request.user, quote=quote, accepted=action == "accept")
        else:
            raise ValidationError("Unknown quote action.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Quote {quote.get_status_display().lower()}.")
    return redirect(reverse("pipeline:deal_detail", args=[deal.pk]) + "#quotes")


# The deal lists' sortable columns and, on a phone, the same sorts as one menu.
SORT_LABELS = {"title": "Deal", "stage": "Stage", "days": "Days in stage", "revenue": "Revenue"}
CLOSED_SORT_LABELS = {"title": "Deal", "revenue": "Revenue", "closed": "Closed"}
SORT_MENU = {
    "stage": "Stage",
    "title": "Deal, A to Z",
    "-title": "Deal, Z to A",
    "close": "Expected close, soonest first",
    "-close": "Expected close, latest first",
    "days": "Longest in its stage first",
    "-days": "Newest in its stage first",
    "revenue": "Biggest revenue first",
    "-revenue": "Smallest revenue first",
    "closed": "Newest close first",
    "-closed": "Oldest close first",
}


def _owner_id(raw: str | None) -> int | None:
    """The owner a list is narrowed to: a user id as digits; anything else narrows nothing."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


def _filter_record(model, raw: str | None, user) -> Company | Person | None:
    """The company or person a list is narrowed to; an unknown or hidden one narrows nothing."""
    if not raw:
        return None
    try:
        return get_record_for_user(model.objects.all(), user=user, pk=int(raw))
    except (Http404, ValueError):
        return None


@login_required
@require_GET
def deal_list(request: HttpRequest, *, closed: bool = False) -> HttpResponse:
    """Open deals as a list (the board shows the first cards of each column), or the closed
    ones: won, lost and referred out, newest close first."""
    outcome = request.GET.get("outcome", "")
    if outcome not in (Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT):
        outcome = ""
    stage = request.GET.get("stage", "")
    if stage not in Stage.values:
        stage = ""
    # From a company's or a person's page: their deals only.
    company = _filter_record(Company, request.GET.get("company"), request.user)
    contact = _filter_record(Person, request.GET.get("contact"), request.user)
    for_record = {"company_id": company and company.pk, "contact_id": contact and contact.pk}
    search = clean_search(request.GET.get("q"))
    for_record["search"] = search
    sorts = deal_sorts(closed=closed)
    sort = request.GET.get("sort", "")
    sort = sort if sort in sorts else next(iter(sorts))
    owner_id = _owner_id(request.GET.get("owner"))
    tag = clean_search(request.GET.get("tag"))[:50]
    for_record.update(sort=sort, owner_id=owner_id, tag=tag)
    if closed:
        deals = deal_list_for_user(
            user=request.user, closed=True, outcome=outcome or None, **for_record
        )
    else:
        deals = deal_list_for_user(user=request.user, stage=stage, **for_record)
    # Open (or closed) deals are always a filtered list: counted exactly up to 10,000, "more
    # than" past it, never a COUNT of every deal on each page (core.counting).
    page = page_for(request, deals, default_size=PAGE_SIZE, count=list_count(deals, filtered=True))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "closed": closed,
        "page": page,
        "outcome": outcome,
        "stage": stage,
        "search": search,
        "query": query.urlencode(),
        "outcomes": [c for c in Outcome.choices if c[0] != Outcome.OPEN],
        "stages": Stage.choices,
        "sort": sort,
        "owner_id": owner_id,
        "tag": tag,
        "owners": User.objects.filter(is_active=True).order_by("full_name", "email"),
        "headers": sort_headers(sort, sorts, CLOSED_SORT_LABELS if closed else SORT_LABELS),
        "sort_choices": [(key, SORT_MENU[key]) for key in sorts],
        "for_record": company or contact,
        "for_filter": "company" if company else "contact" if contact else "",
        "for_url": (
            reverse("people:company_detail", args=[company.pk])
            if company
            else reverse("people:person_detail", args=[contact.pk])
            if contact
            else ""
        ),
    }
    context["can_write"] = can_write(request.user)
    return render(request, "pipeline/deal_list.html", context)
