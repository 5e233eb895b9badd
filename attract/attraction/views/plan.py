"""The plan page: three sides edited inline with htmx, the perfect number, the statement and
dated revisions. Every reader sees it; only the owner and admins get the edit controls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.attraction import selectors, services
from attract.attraction.forms import (
    ExpectationForm,
    PerfectNumberForm,
    QualityForm,
    QuestionForm,
    StatementForm,
)
from attract.attraction.models import (
    MAX_WEIGHT,
    MIN_WEIGHT,
    Expectation,
    PlanRevision,
    Quality,
    TickQuestion,
)
from attract.core.forms import (
    apply_errors_to_form,
    conflict_messages,
    posted_version,
    show_version_conflict,
)
from attract.core.permissions import can_manage_team
from attract.core.redirects import safe_next
from attract.core.versions import VersionConflict

# Each side is one partial; a change answers with the side it changed.
SIDES = {
    "qualities": "attraction/partials/_side_qualities.html",
    "questions": "attraction/partials/_side_questions.html",
    "expectations": "attraction/partials/_side_expectations.html",
    "number": "attraction/partials/_perfect_number.html",
    "statement": "attraction/partials/_statement.html",
}


def plan_context(request: HttpRequest, **forms: Form) -> dict[str, Any]:
    plan = services.plan_get()
    return {
        "plan": plan,
        "qualities": list(selectors.active_qualities(plan)),
        "questions": list(selectors.active_questions(plan)),
        "expectations": list(selectors.active_expectations(plan)),
        "perfect_now": selectors.perfect_customer_count(request.user),
        "statement": selectors.statement_for(plan),
        "can_edit": can_manage_team(request.user),
        "quality_form": forms.get("quality_form") or QualityForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "expectation_form": forms.get("expectation_form") or ExpectationForm(),
        "number_form": forms.get("number_form")
        or PerfectNumberForm(
            initial={"perfect_number": plan.perfect_number, "version": plan.version}
        ),
        "statement_form": forms.get("statement_form")
        or StatementForm(initial={"statement": plan.statement, "version": plan.version}),
        "row_error": forms.get("row_error"),
        "weights": range(MIN_WEIGHT, MAX_WEIGHT + 1),
    }


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    context = plan_context(request)
    context["revisions"] = list(selectors.revisions(context["plan"])[:20])
    return render(request, "attraction/plan.html", context)


def _answer(request: HttpRequest, side: str, **forms: Any) -> HttpResponse:
    """The changed side for htmx; the whole page otherwise (redirect when all went well).
    A change to side 1 also sends the statement composed from it, and any message (Undo after
    a removal) as a toast, out of band."""
    if request.htmx:
        context = plan_context(request, **forms)
        context["swap_extras"] = side == "qualities"
        # Side 1 sends its messages with the statement; the others on their own (Undo).
        context["swap_toasts"] = side != "qualities"
        return render(request, SIDES[side], context)
    if any(isinstance(f, Form) and f.errors for f in forms.values()) or forms.get("row_error"):
        context = plan_context(request, **forms)
        context["revisions"] = list(selectors.revisions(context["plan"])[:20])
        return render(request, "attraction/plan.html", context, status=422)
    return redirect("attraction:plan")


def _submit(request: HttpRequest, form: Form, action) -> Form:
    """Validate the form, run the service, and put its errors on the form's fields."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            return type(form)()
    return form


@require_POST
@login_required
def quality_add(request: HttpRequest) -> HttpResponse:
    form = _submit(
        request,
        QualityForm(request.POST),
        lambda data: services.quality_create(actor=request.user, **data),
    )
    return _answer(request, "qualities", quality_form=form)


def _conflict_row(pk: int, conflict: VersionConflict, request: HttpRequest) -> dict[str, Any]:
    """A row's stale edit: the explanation, and the user's input to show again in the row
    (the row's version is then the current one, so saving again is a choice)."""
    values = {name: request.POST.get(name, "") for name in ("text", "weight", "answer")}
    return {"pk": pk, "messages": conflict_messages(conflict), "values": values}


def _row(model, pk: int):
    record = model.objects.filter(pk=pk, removed_at__isnull=True).first()
    if record is None:
        raise Http404
    return record


@require_http_methods(["GET", "POST"])
@login_required
def quality_change(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        # A quality's own address (the trash links to it) is its line on the plan.
        return redirect(f"{reverse('attraction:plan')}#quality-{pk}")
    quality = _row(Quality, pk)
    try:
        services.quality_update(
            actor=request.user,
            quality=quality,
            expected_version=posted_version(request.POST),
            text=request.POST.get("text", quality.text),
            weight=request.POST.get("weight", quality.weight),
        )
    except VersionConflict as conflict:
        return _answer(request, "qualities", row_error=_conflict_row(pk, conflict, request))
    except ValidationError as exc:
        return _answer(request, "qualities", row_error={"pk": pk, "messages": exc.messages})
    return _answer(request, "qualities")


@require_POST
@login_required
def quality_remove(request: HttpRequest, pk: int) -> HttpResponse:
    quality = services.quality_remove(actor=request.user, quality=_row(Quality, pk))
    # The same message as a trashed person's: the name, and Undo (a restore POST; htmx swaps
    # side 1 back in place, a plain post comes back to the plan).
    text = render_to_string(
        "attraction/partials/_quality_removed.html", {"quality": quality}, request=request
    )
    messages.success(request, text)
    return _answer(request, "qualities")


@require_POST
@login_required
def quality_restore(request: HttpRequest, pk: int) -> HttpResponse:
    quality = Quality.objects.filter(pk=pk).first()
    if quality is None:
        raise Http404
    services.quality_restore(actor=request.user, quality=quality)
    messages.success(request, f"“{quality.text}” is back on the plan.")
    if not request.htmx and safe_next(request):
        return redirect(safe_next(request))
    return _answer(request, "qualities")


@require_POST
@login_required
def question_add(request: HttpRequest) -> HttpResponse:
    form = _submit(
        request,
        QuestionForm(request.POST),
        lambda data: services.question_create(actor=request.user, **data),
    )
    return _answer(request, "questions", question_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def question_change(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        # A question's own address (the trash links to it) is side 2 of the plan.
        return redirect(f"{reverse('attraction:plan')}#side-2")
    question = _row(TickQuestion, pk)
    try:
        services.question_update(
            actor=request.user,
            question=question,
            expected_version=posted_version(request.POST),
            text=request.POST.get("text", question.text),
            answer=request.POST.get("answer", question.answer),
        )
    except VersionConflict as conflict:
        return _answer(request, "questions", row_error=_conflict_row(pk, conflict, request))
    except ValidationError as exc:
        return _answer(request, "questions", row_error={"pk": pk, "messages": exc.messages})
    return _answer(request, "questions")


@require_POST
@login_required
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    question = services.question_remove(actor=request.user, question=_row(TickQuestion, pk))
    _removed_message(request, question.text, "attraction:question_restore", pk, "side-2")
    return _answer(request, "questions")


@require_POST
@login_required
def question_restore(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(TickQuestion, pk=pk)
    services.question_restore(actor=request.user, question=question)
    return _restored(request, question.text, "questions")


@require_POST
@login_required
def expectation_add(request: HttpRequest) -> HttpResponse:
    form = _submit(
        request,
        ExpectationForm(request.POST),
        lambda data: services.expectation_create(actor=request.user, **data),
    )
    return _answer(request, "expectations", expectation_form=form)


@require_POST
@login_required
def expectation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.expectation_remove(actor=request.user, expectation=_row(Expectation, pk))
    _removed_message(request, item.text, "attraction:expectation_restore", pk, "side-3")
    return _answer(request, "expectations")


@require_GET
@login_required
def expectation_line(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's own address (the trash links to it): side 3 of the plan."""
    return redirect(f"{reverse('attraction:plan')}#side-3")


@require_POST
@login_required
def expectation_restore(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Expectation, pk=pk)
    services.expectation_restore(actor=request.user, expectation=item)
    return _restored(request, item.text, "expectations")


def _removed_message(request: HttpRequest, text: str, restore: str, pk: int, side: str) -> None:
    """The message after taking a line of side 2 or 3 off the plan: its words, and Undo."""
    context = {"text": text, "restore_url": reverse(restore, args=[pk]), "side": side}
    messages.success(
        request,
        render_to_string("attraction/partials/_line_removed.html", context, request=request),
    )


def _restored(request: HttpRequest, text: str, side: str) -> HttpResponse:
    messages.success(request, f"“{text}” is back on the plan.")
    if not request.htmx and safe_next(request):
        return redirect(safe_next(request))
    return _answer(request, side)


@require_POST
@login_required
def perfect_number(request: HttpRequest) -> HttpResponse:
    form: PerfectNumberForm | None = PerfectNumberForm(request.POST)
    if form.is_valid():
        try:
            services.plan_update(
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                perfect_number=form.cleaned_data["perfect_number"],
            )
        except VersionConflict as conflict:
            show_version_conflict(form, conflict)
        else:
            form = None
    return _answer(request, "number", number_form=form)


@require_POST
@login_required
def statement(request: HttpRequest) -> HttpResponse:
    form: StatementForm | None = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.plan_update(
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                statement=form.cleaned_data["statement"],
            )
        except VersionConflict as conflict:
            show_version_conflict(form, conflict)
        else:
            form = None
    return _answer(request, "statement", statement_form=form)


@require_POST
@login_required
def revision_create(request: HttpRequest) -> HttpResponse:
    services.plan_revision_create(actor=request.user, note=request.POST.get("note", ""))
    return redirect("attraction:plan")


@login_required
def revision_compare(request: HttpRequest) -> HttpResponse:
    """Two revisions side by side (or a revision against the plan as it stands now)."""
    plan = services.plan_get()
    found = {r.pk: r for r in PlanRevision.objects.filter(plan=plan)}

    def pick(name: str) -> tuple[str, dict]:
        value = request.GET.get(name, "current")
        if value == "current":
            return "The plan now", services.plan_snapshot(plan)
        try:
            revision = found[int(value)]
        except (KeyError, ValueError):
            raise Http404 from None
        return f"{revision.created_at:%d %b %Y}{' · ' + revision.note if revision.note else ''}", (
            revision.snapshot
        )

    old_label, old = pick("old")
    new_label, new = pick("new")
    return render(
        request,
        "attraction/compare.html",
        {
            "old_label": old_label,
            "new_label": new_label,
            "old": old,
            "new": new,
            "diff": selectors.revision_compare(old, new),
        },
    )
