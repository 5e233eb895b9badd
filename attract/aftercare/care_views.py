"""The Care page, care plans, and the care actions on a customer's page: thin views that
fetch through the access helper, call a service or selector, and render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from attract.aftercare import care_plan_services as plan_services
from attract.aftercare import care_selectors as selectors
from attract.aftercare import experience_services, promise_services
from attract.aftercare.care_forms import (
    CarePlanForm,
    CarePlanStepEditForm,
    CarePlanStepForm,
    ExpectationForm,
    ExperienceForm,
    PromiseForm,
    PromiseRecordForm,
    StepDoneForm,
)
from attract.aftercare.care_touch import care_touch as care_touch_service
from attract.aftercare.models import CarePlan, CarePlanStep, CareStep, DealExpectation, Promise
from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.money_display import locale_from_accept_language, money_format
from attract.core.permissions import can_view_record, can_write
from attract.core.versions import VersionConflict
from attract.people.models import Company, Person
from attract.pipeline.models import Deal

SUBJECTS = {
    "company": (Company, "people:company_detail"),
    "person": (Person, "people:person_detail"),
}


def _customer(request: HttpRequest, kind: str, pk: int, *, write: bool = False):
    if kind not in SUBJECTS:
        raise Http404
    model, url = SUBJECTS[kind]
    record = get_record_for_user(model.objects.all(), user=request.user, pk=pk, write=write)
    return record, reverse(url, args=[pk]) + "#care"


def _fail(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


@login_required
def care(request: HttpRequest) -> HttpResponse:
    """Customers at risk, most valuable first, each one click from a call, a note, a task;
    the steps due; the owner's personal touch; bad experiences not set right."""
    paginator = Paginator(selectors.at_risk_queryset(request.user), selectors.AT_RISK_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = _at_risk_rows(request, page.object_list)
    context = {
        "page": page,
        "rows": rows,
        "steps": _step_rows(selectors.steps_due(request.user)),
        "touch": selectors.personal_touch(request.user),
        "bad": selectors.unresolved_bad_experiences(request.user),
        "promises": selectors.promise_counts(request.user),
        "can_write": can_write(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "aftercare/care.html", context)


def _url_for(name: str):
    """One reverse for a whole table: the address of record `pk` by string replacement."""
    pattern = reverse(name, args=[987654321])
    return lambda pk: pattern.replace("987654321", str(pk))


def _at_risk_rows(request: HttpRequest, cares) -> list:
    """The at-risk rows with what each needs drawn beforehand (its page, its profit in the
    reader's locale, the touch form's address), so the table renders without a tag per cell."""
    rows = selectors._with_evidence(cares)
    locale = locale_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))
    company_url, person_url = _url_for("people:company_detail"), _url_for("people:person_detail")
    touch_url = _url_for("aftercare:care_touch")
    for row in rows:
        care = row.care
        row.url = company_url(care.company_id) if care.company_id else person_url(care.person_id)
        row.profit = money_format(care.profit, locale=locale)
        row.touch_url = touch_url(care.pk)
        row.done = ""
    return rows


def _step_rows(steps: list) -> list:
    """The steps due with their customer's page and the Done address drawn beforehand (one
    reverse each, not two per row)."""
    company_url, person_url = _url_for("people:company_detail"), _url_for("people:person_detail")
    done_url = _url_for("aftercare:step_done")
    for step in steps:
        care = step.care
        step.customer = care.customer
        step.customer_url = (
            company_url(care.company_id) if care.company_id else person_url(care.person_id)
        )
        step.done_url = done_url(step.pk)
    return steps


@login_required
@require_POST
def care_touch(request: HttpRequest, pk: int) -> HttpResponse:
    """Call, Note or Task on an at-risk row: logged in place (htmx answers the row itself,
    its evidence refreshed); without JavaScript, back to the Care page with a message."""
    cares = selectors.visible_cares(request.user).select_related(
        "company", "person", "plan", "owner"
    )
    care = cares.filter(pk=pk).first()
    if care is None:
        raise Http404
    _require_writer(request)
    try:
        done = care_touch_service(actor=request.user, care=care, act=request.POST.get("act", ""),
                                  text=request.POST.get("text", ""))  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        if not request.htmx:
            _fail(request, exc)
            return redirect(reverse("aftercare:care") + "#at-risk")
        done = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if not request.htmx:
        messages.success(request, done)
        return redirect(reverse("aftercare:care") + "#at-risk")
    care = cares.get(pk=pk)
    [row] = _at_risk_rows(request, [care])
    row.done = done
    return render(request, "aftercare/partials/_at_risk_row.html",
                  {"row": row, "can_write": True})  # fmt: skip


# --- Plans ----------------------------------------------------------------------------------


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    form = CarePlanForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_write(request.user):
            raise PermissionDenied("Your role can read but not change records.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                plan = plan_services.care_plan_create(actor=request.user, **data)
            except ValidationError as exc:
                apply_errors_to_form(form, exc)
            else:
                messages.success(request, f"Plan “{plan.name}” made: now add its steps.")
                return redirect("aftercare:plan_detail", plan.pk)
    items = CarePlan.objects.prefetch_related("steps").select_related("tag")
    return render(request, "aftercare/plans.html", {"plans": items, "form": form,
                                                    "can_write": can_write(request.user)})  # fmt: skip


def _plan(pk: int) -> CarePlan:
    plan = CarePlan.all_objects.filter(pk=pk).select_related("tag").first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    form = CarePlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST":
        if not can_write(request.user):
            raise PermissionDenied("Your role can read but not change records.")
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in CarePlanForm.Meta.fields}
            try:
                plan_services.care_plan_update(
                    actor=request.user, plan=_plan(pk),
                    expected_version=_int(request.POST.get("version")), **data,
                )  # fmt: skip
            except (ValidationError, VersionConflict) as exc:
                if isinstance(exc, ValidationError):
                    apply_errors_to_form(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, "Plan saved.")
                return redirect("aftercare:plan_detail", pk)
    context = {
        "plan": plan,
        "form": form,
        "step_form": CarePlanStepForm(),
        "steps": plan.steps.filter(removed_at__isnull=True).select_related("user"),
        "customers": plan.customers.count(),
        "can_write": can_write(request.user),
    }
    return render(request, "aftercare/plan_detail.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require_writer(request: HttpRequest) -> None:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")


@login_required
@require_POST
def plan_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    plan = _plan(pk)
    form = CarePlanStepForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan_services.care_plan_step_add(actor=request.user, plan=plan, **data)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Step added; the plan's customers have it from today.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("aftercare:plan_detail", pk)


@login_required
def plan_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a plan step: what is still to come for the plan's customers follows, what was
    done stays; an edit made on an older version is refused with the input kept."""
    step = CarePlanStep.objects.filter(pk=pk, removed_at__isnull=True).select_related("plan")
    step = step.first()
    if step is None:
        raise Http404
    initial = {name: getattr(step, name) for name in ("title", "day", "repeat_months", "doer",
                                                      "channel")}  # fmt: skip
    form = CarePlanStepEditForm(
        request.POST or None, initial={**initial, "user": step.user_id, "version": step.version}
    )
    if request.method == "POST":
        _require_writer(request)
        if step.plan.in_trash:
            raise Http404
        if saved_against_version(form, lambda data: plan_services.care_plan_step_update(
            actor=request.user, step=step, expected_version=data.get("version"),
            **{k: v for k, v in data.items() if k != "version"},
        )):  # fmt: skip
            messages.success(request, f"“{step.title}” saved; what is to come follows.")
            return redirect(reverse("aftercare:plan_detail", args=[step.plan_id]) + "#steps")
    return render(request, "aftercare/plan_step_edit.html",
                  {"form": form, "step": step, "can_write": can_write(request.user)})  # fmt: skip


@login_required
@require_POST
def plan_step_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    step = CarePlanStep.objects.filter(pk=pk).first()
    if step is None:
        raise Http404
    plan_services.care_plan_step_remove(actor=request.user, step=step)
    messages.success(request, f"“{step.title}” taken off the plan; what was done stays.")
    return redirect("aftercare:plan_detail", step.plan_id)


@login_required
@require_POST
def plan_trash(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    plan = _plan(pk)
    plan_services.care_plan_trash(actor=request.user, plan=plan)
    messages.success(request, f"“{plan.name}” moved to the trash; its customers keep their steps.")
    return redirect("aftercare:plans")


@login_required
@require_POST
def plan_restore(request: HttpRequest, pk: int) -> HttpResponse:
    _require_writer(request)
    plan = _plan(pk)
    plan_services.care_plan_restore(actor=request.user, plan=plan)
    messages.success(request, f"“{plan.name}” restored.")
    return redirect("aftercare:plan_detail", pk)


# --- On a customer --------------------------------------------------------------------------


def _step_for(request: HttpRequest, pk: int) -> CareStep:
    step = CareStep.objects.select_related("care__company", "care__person").filter(pk=pk).first()
    if step is None or not can_view_record(request.user, step.care.customer):
        raise Http404
    _require_writer(request)
    return step


def _back_to(request: HttpRequest, customer) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "care":
        return redirect("aftercare:care")
    kind = "company" if isinstance(customer, Company) else "person"
    return redirect(reverse(SUBJECTS[kind][1], args=[customer.pk]) + "#care")


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step_for(request, pk)
    form = StepDoneForm(request.POST)
    if form.is_valid():
        try:
            plan_services.care_step_done(
                actor=request.user, step=step, summary=form.cleaned_data["summary"],
                channel=form.cleaned_data["channel"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, f"“{step.title}” done and logged on the timeline.")
    else:
        messages.error(request, "Say in a few words what came of it.")
    return _back_to(request, step.care.customer)


@login_required
@require_POST
def promise_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    customer, _ = _customer(request, kind, pk, write=True)
    form = PromiseForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["better"] = data["better"] or "lower"
        try:
            promise_services.promise_create(actor=request.user, **{kind: customer}, **data)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Promise recorded.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to(request, customer)


@login_required
@require_POST
def promise_record(request: HttpRequest, pk: int) -> HttpResponse:
    promise = Promise.objects.select_related("company", "person").filter(pk=pk).first()
    if promise is None or not can_view_record(request.user, promise.customer):
        raise Http404
    _require_writer(request)
    form = PromiseRecordForm(request.POST)
    if form.is_valid():
        try:
            promise = promise_services.promise_record(
                actor=request.user, promise=promise, **form.cleaned_data
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request, f"Promise recorded as {promise.get_outcome_display().lower()}."
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to(request, promise.customer)


@login_required
@require_POST
def experience_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    customer, _ = _customer(request, kind, pk, write=True)
    form = ExperienceForm(request.POST)
    if form.is_valid():
        try:
            _, note = experience_services.experience_record(
                actor=request.user, **{kind: customer}, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Experience recorded." + (f" {note}" if note else ""))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to(request, customer)


@login_required
@require_POST
def expectation_add(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_record_for_user(Deal.objects.all(), user=request.user, pk=pk, write=True)
    form = ExpectationForm(request.POST)
    if form.is_valid():
        try:
            promise_services.deal_expectation_add(actor=request.user, deal=deal,
                                                  **form.cleaned_data)  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Expectation recorded: it becomes a promise when won.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("pipeline:deal_detail", args=[pk]) + "#expectations")


@login_required
@require_POST
def expectation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    expectation = DealExpectation.objects.select_related("deal").filter(pk=pk).first()
    if expectation is None or not can_view_record(request.user, expectation.deal):
        raise Http404
    _require_writer(request)
    try:
        promise_services.deal_expectation_delete(actor=request.user, expectation=expectation)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("pipeline:deal_detail", args=[expectation.deal_id]) + "#expectations")


@login_required
@require_POST
def person_date_add(request: HttpRequest, pk: int) -> HttpResponse:
    from attract.aftercare.care_forms import PersonDateForm
    from attract.aftercare.customer_dates import person_date_add as add

    person, _ = _customer(request, "person", pk, write=True)
    form = PersonDateForm(request.POST)
    if form.is_valid():
        try:
            add(actor=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Date added: it shows on Today and in your calendar.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to(request, person)


@login_required
@require_POST
def person_date_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from attract.aftercare.customer_dates import person_date_remove as remove
    from attract.aftercare.models import PersonDate

    record = PersonDate.objects.select_related("person").filter(pk=pk).first()
    if record is None or not can_view_record(request.user, record.person):
        raise Http404
    _require_writer(request)
    remove(actor=request.user, record=record)
    return _back_to(request, record.person)
