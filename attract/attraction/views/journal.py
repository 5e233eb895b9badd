"""Feeding the plan: the complaints journal, the traits exercise and private thank-you notes;
and learning from your own customers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attract.attraction import selectors, services
from attract.attraction.forms import ComplaintForm, ThankYouNoteForm, TraitForm
from attract.attraction.models import Complaint, Trait
from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form
from attract.core.permissions import can_manage_team, can_write
from attract.people.selectors import company_detail_queryset, person_detail_queryset


def _about(request: HttpRequest) -> dict:
    """The company or person a complaint is about, from ?company= / ?person= (checked)."""
    found = {}
    for field, queryset in (
        ("company", company_detail_queryset),
        ("person", person_detail_queryset),
    ):
        pk = request.GET.get(field) or request.POST.get(field)
        if pk:
            found[field] = get_record_for_user(queryset(), user=request.user, pk=pk)
    return found


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    about = _about(request)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_create(actor=request.user, text=form.cleaned_data["text"], **about)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            return redirect("attraction:journal")
    complaints = list(selectors.complaints_for(request.user)[:200])
    return render(
        request,
        "attraction/journal.html",
        {
            "form": form,
            "about": next(iter(about.values()), None),
            "about_field": next(iter(about), ""),
            "complaints": complaints,
            "can_write": can_write(request.user),
            "can_edit_plan": can_manage_team(request.user),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def complaint_turn(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = Complaint.objects.filter(pk=pk).first()
    if complaint is None:
        raise Http404
    try:
        services.complaint_turn_into_quality(
            actor=request.user,
            complaint=complaint,
            text=request.POST.get("text", ""),
            weight=request.POST.get("weight", 3),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("attraction:journal")


@login_required
def traits(request: HttpRequest) -> HttpResponse:
    form = TraitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trait_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            return redirect("attraction:traits")
    return render(
        request,
        "attraction/traits.html",
        {
            "form": form,
            "traits": list(selectors.traits()[:200]),
            "can_write": can_write(request.user),
            "can_edit_plan": can_manage_team(request.user),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def trait_add(request: HttpRequest, pk: int) -> HttpResponse:
    trait = Trait.objects.filter(pk=pk).first()
    if trait is None:
        raise Http404
    try:
        services.trait_add_to_plan(actor=request.user, trait=trait)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("attraction:traits")


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    form = ThankYouNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.thank_you_note_create(actor=request.user, **form.cleaned_data)
        return redirect("attraction:notes")
    return render(
        request,
        "attraction/notes.html",
        {
            "form": form,
            "notes": list(selectors.thank_you_notes_for(request.user)),
            "can_write": can_write(request.user),
        },
    )


@require_POST
@login_required
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the author's own notes are reachable; anyone else's is a 404.
    note = selectors.thank_you_notes_for(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404
    services.thank_you_note_delete(actor=request.user, note=note)
    return redirect("attraction:notes")


@login_required
def learning(request: HttpRequest) -> HttpResponse:
    return render(
        request, "attraction/learning.html", {"rows": selectors.learning_table(request.user)}
    )
