"""Partner pages: the list, one partner (their definition beside our plan, the alliance's
steps, referrals both ways), the forms, and "refer to a partner" from a deal or a person.
Each view fetches through one access helper, calls a service or a selector, and renders."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, posted_version, saved_against_version
from attract.core.history import history_entries
from attract.core.paging import page_for
from attract.core.permissions import can_change_record, can_write, visible_or_none, visible_to
from attract.core.search_text import clean_search, search_key
from attract.core.versions import VersionConflict
from attract.partners import selectors, services
from attract.partners.forms import LineForm, NewPartnerForm, PartnerForm, ReferralForm, StepForm
from attract.partners.initiative_selectors import partner_initiatives
from attract.partners.matching import partner_suggestions, prospect_of
from attract.partners.models import DefinitionLine, Mark, Partner, Step
from attract.people.models import Company, Person
from attract.people.views.trash import trashed_message
from attract.pipeline.models import Deal

SORT_LABELS = {"name": "Name", "referred_out": "Referred out", "referred_in": "Referred in"}
CANDIDATES = 20


def _partner(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False) -> Partner:
    queryset = selectors.visible_partners(request.user, include_trash=trash or not write)
    return get_record_for_user(queryset, user=request.user, pk=pk, write=write)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def partner_list(request: HttpRequest) -> HttpResponse:
    search = clean_search(request.GET.get("q"))
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.PARTNER_SORTS else "name"
    queryset = selectors.partner_list_for_user(user=request.user, search=search, sort=sort)
    page = page_for(request, queryset, default_size=50)
    headers = {
        key: {"key": f"-{key}" if sort == key and f"-{key}" in selectors.PARTNER_SORTS else key,
              "label": label,
              "aria_sort": "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"}
        for key, label in SORT_LABELS.items()
    }  # fmt: skip
    context = {
        "page": page,
        "partners": page.object_list,
        "search": search,
        "sort": sort,
        "headers": headers,
        "can_write": can_write(request.user),
    }
    htmx = getattr(request, "htmx", None)
    partial = htmx and not htmx.history_restore_request
    template = "partners/partials/_partner_table.html" if partial else "partners/partner_list.html"
    return render(request, template, context)


@login_required
@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_record_for_user(
        selectors.partner_detail_queryset(request.user), user=request.user, pk=pk
    )
    selectors.attach_referral_figures([partner])
    can_change = can_change_record(request.user, partner) and not partner.in_trash
    # The latest referrals a page at a time (?referrals=2 for the next twenty): the figures
    # above already count them all, so no COUNT is needed to know whether there are more.
    total = partner.in_count + partner.out_count
    size = selectors.REFERRALS_A_PAGE
    last_page = max(1, -(-total // size))
    asked = request.GET.get("referrals", "")
    number = min(int(asked), last_page) if asked.isdigit() and int(asked) > 0 else 1
    context = {
        "partner": partner,
        "lines": selectors.partner_lines(partner),
        "plan": selectors.our_plan_sides(),
        "standing": selectors.alliance_standing(partner),
        "referrals": selectors.partner_referrals(
            partner, user=request.user, offset=(number - 1) * size
        ),
        "referral_pages": {
            "number": number,
            "first": (number - 1) * size + 1,
            "last": min(number * size, total),
            "total": total,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < last_page else None,
        },
        "initiatives": partner_initiatives(request.user, partner),
        "can_change": can_change,
        "line_form": LineForm(),
        "step_form": StepForm(),
        "marks": Mark.choices,
        "history": history_entries(partner),
    }
    return render(request, "partners/partner_detail.html", context)


def _candidates(request: HttpRequest, text: str) -> tuple[list[Company], list[Person]]:
    """Companies and persons the user can see whose name holds what was typed, that are not
    partners yet: the first step of making one a partner."""
    key = search_key(text)
    if not key:
        return [], []
    taken_companies = Partner.all_objects.filter(company__isnull=False).values("company_id")
    taken_persons = Partner.all_objects.filter(person__isnull=False).values("person_id")
    companies = visible_to(Company.objects, request.user).filter(search_name__contains=key)
    persons = visible_to(Person.objects, request.user).filter(search_name__contains=key)
    return (
        list(companies.exclude(pk__in=taken_companies).order_by("search_name", "id")[:CANDIDATES]),
        list(persons.exclude(pk__in=taken_persons).order_by("search_name", "id")[:CANDIDATES]),
    )


def _subject(request: HttpRequest, model: type, raw: str | None):
    if not raw:
        return None
    try:
        return get_record_for_user(model.objects.all(), user=request.user, pk=int(raw))
    except (ValueError, Http404):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    source = request.POST if request.method == "POST" else request.GET
    company = _subject(request, Company, source.get("company"))
    person = None if company else _subject(request, Person, source.get("person"))
    data = request.POST if request.method == "POST" else None
    form = NewPartnerForm(data, initial={"owner": request.user.pk})
    if request.method == "POST" and company is None and person is None:
        form.is_valid()
        form.add_error(None, "Choose the company or the person who is the partner.")
    elif request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                actor=request.user, company=company, person=person, **form.service_arguments()
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"{partner} is now a partner.")
            return redirect("partners:detail", pk=partner.pk)
    search = clean_search(request.GET.get("q"))
    companies, persons = _candidates(request, search) if not (company or person) else ([], [])
    context = {
        "form": form,
        "subject": company or person,
        "company": company,
        "person": person,
        "search": search,
        "companies": companies,
        "persons": persons,
    }
    return render(request, "partners/partner_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, partner=partner)
    if request.method == "POST" and saved_against_version(
        form,
        lambda cleaned: services.partner_update(
            actor=request.user,
            partner=partner,
            expected_version=cleaned["version"],
            **form.service_arguments(),
        ),
    ):
        messages.success(request, f"{partner} saved.")
        return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_edit.html", {"form": form, "partner": partner})


def _act(
    request: HttpRequest, partner: Partner, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except VersionConflict as conflict:
        messages.error(request, str(conflict))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("partners:detail", pk=partner.pk)


@login_required
@require_POST
def partner_trash(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk, write=True)
    services.partner_trash(actor=request.user, partner=partner)
    restore, page = (
        reverse(name, args=[partner.pk]) for name in ("partners:restore", "partners:detail")
    )
    messages.success(
        request, trashed_message(request, name=str(partner), restore_url=restore, record_url=page)
    )
    return redirect("partners:list")


@login_required
@require_POST
def partner_restore(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk, write=True, trash=True)
    return _act(
        request,
        partner,
        lambda: services.partner_restore(actor=request.user, partner=partner),
        f"{partner} restored.",
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk, write=True)
    kind = request.POST.get("kind", "")
    text = request.POST.get("text", "")[:300]
    return _act(
        request,
        partner,
        lambda: services.line_add(actor=request.user, partner=partner, kind=kind, text=text),
        "Line added to their definition.",
    )


def _line(request: HttpRequest, pk: int) -> DefinitionLine:
    line = DefinitionLine.objects.filter(pk=pk, removed_at__isnull=True).first()
    if line is None:
        raise Http404
    _partner(request, line.partner_id, write=True)  # 404 when the partner is not theirs to see
    return line


@login_required
@require_POST
def line_mark(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    mark = request.POST.get("mark", "")
    label = dict(Mark.choices).get(mark, "")
    return _act(
        request,
        line.partner,
        lambda: services.line_mark(
            actor=request.user, line=line, mark=mark, expected_version=posted_version(request.POST)
        ),
        f"“{line.text}” marked: {label.lower()}.",
    )


@login_required
@require_POST
def line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    return _act(
        request,
        line.partner,
        lambda: services.line_remove(actor=request.user, line=line),
        f"“{line.text}” removed.",
    )


@login_required
@require_POST
def step_record(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner(request, pk, write=True)
    form = StepForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("partners:detail", pk=partner.pk)
    data = form.cleaned_data
    label = dict(Step.choices)[data["step"]]
    return _act(
        request,
        partner,
        lambda: services.step_record(actor=request.user, partner=partner, **data),
        f"Step recorded: {label.lower()}.",
    )


REFERRAL_SUBJECTS = {"deal": Deal, "person": Person, "company": Company}


@login_required
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Refer a deal, person or company to a partner (out), or record that a partner sent it
    to us (in)."""
    model = REFERRAL_SUBJECTS.get(kind)
    if model is None:
        raise Http404
    subject = get_record_for_user(model.objects.all(), user=request.user, pk=pk, write=True)
    partners = selectors.partner_choices(request.user)
    data = request.POST if request.method == "POST" else None
    direction = request.GET.get("direction", "out")
    chosen_id = request.GET.get("partner", "")
    initial = {"direction": direction, "partner": chosen_id if chosen_id.isdigit() else ""}
    form = ReferralForm(data, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = (
            selectors.visible_partners(request.user)
            .select_related("company", "person")
            .filter(pk=form.cleaned_data["partner"])
            .first()
        )
        arguments = {k: v for k, v in form.cleaned_data.items() if k != "partner"}
        try:
            if chosen is None:
                raise ValidationError({"partner": "Choose one of your partners."})
            services.referral_create(
                actor=request.user, partner=chosen, **{kind: subject}, **arguments
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral recorded with {chosen}.")
            return redirect("partners:detail", pk=chosen.pk)
    back = reverse(
        {"deal": "pipeline:deal_detail", "person": "people:person_detail"}.get(
            kind, "people:company_detail"
        ),
        args=[subject.pk],
    )
    # Whose own definition fits the prospect best, with the reasons; only a company or person
    # the user may see is compared (their industry, town, qualities are in the reasons).
    company = visible_or_none(request.user, subject if kind == "company" else subject.company)
    person = {"person": subject, "deal": getattr(subject, "contact", None)}.get(kind)
    person = visible_or_none(request.user, person)
    deal = subject if kind == "deal" else None
    prospect = prospect_of(company=company, person=person, deal=deal)
    compared = not prospect.is_empty and direction == "out"
    suggestions = (
        partner_suggestions(user=request.user, company=company, person=person, prospect=prospect)
        if compared
        else []
    )
    context = {
        "form": form,
        "subject": subject,
        "kind": kind,
        "back": back,
        "has_partners": bool(partners),
        "compared": compared,
        "suggestions": suggestions,
    }
    return render(request, "partners/refer.html", context)
