"""Correct or delete an interaction from a timeline: the edit form checks the version the
user saw (a stale edit is refused and explained, the input kept); delete moves it to the
trash and the message carries Undo; the trash restores it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from attract.core.forms import apply_errors_to_form, show_version_conflict
from attract.core.redirects import safe_next
from attract.core.versions import VersionConflict
from attract.engagement import services
from attract.engagement.forms import InteractionEditForm
from attract.engagement.models import Interaction
from attract.engagement.selectors import interactions_visible_to


def _interaction(request: HttpRequest, pk: int) -> Interaction:
    """An interaction the user may see (trashed ones too), else 404."""
    rows = interactions_visible_to(request.user, include_trash=True)
    found = rows.select_related("person", "company", "deal", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404("No such interaction.")
    return found


def subject_url(interaction: Interaction) -> str:
    """The timeline the interaction is on: its person's, else its company's, else its deal's."""
    if interaction.person_id:
        return reverse("people:person_detail", args=[interaction.person_id]) + "#timeline"
    if interaction.company_id:
        return reverse("people:company_detail", args=[interaction.company_id]) + "#timeline"
    return reverse("pipeline:deal_detail", args=[interaction.deal_id]) + "#timeline"


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction(request, pk)
    back = safe_next(request) or subject_url(interaction)
    initial = {
        field: getattr(interaction, field)
        for field in ("channel", "direction", "summary", "outcome", "occurred_at", "version")
    }
    form = InteractionEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.interaction_edit(
                actor=request.user,
                interaction=interaction,
                expected_version=data.pop("version"),
                **data,
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
            status = 422
        except VersionConflict as conflict:
            show_version_conflict(form, conflict)
            status = 409
        else:
            messages.success(request, "Interaction saved.")
            return redirect(back)
    elif form.errors:
        status = 422
    context = {"form": form, "interaction": interaction, "back": back}
    return render(request, "engagement/interaction_form.html", context, status=status)


@login_required
@require_POST
def interaction_delete(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction(request, pk)
    back = safe_next(request) or subject_url(interaction)
    services.interaction_delete(actor=request.user, interaction=interaction)
    # A template, so that the summary is escaped and the Undo form carries its CSRF token.
    messages.success(
        request,
        render_to_string(
            "engagement/partials/_interaction_trashed.html",
            {"interaction": interaction, "next": back},
            request=request,
        ),
    )
    return redirect(back)


@login_required
@require_POST
def interaction_restore(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction(request, pk)
    services.interaction_restore(actor=request.user, interaction=interaction)
    messages.success(request, f"Restored: {interaction.summary}")
    return redirect(safe_next(request) or subject_url(interaction))
