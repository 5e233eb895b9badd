"""Act on many from a list: the selection's form posts here (POST only), the change is made
as one step, and the message after it carries an Undo button."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from attract.core import bulk as core_bulk
from attract.core.models import BulkChange
from attract.core.redirects import safe_next

# The list each kind of record comes from, and where "export selected" leads.
KINDS = {
    "persons": ("people.person", "people:person_list", "transfer:export_persons"),
    "companies": ("people.company", "people:company_list", "transfer:export_companies"),
}


# What an action may need besides the ids, by the bulk form's field names (each kind's
# clean_argument reads the ones it needs and checks them).
ARGUMENTS = ("owner", "tag", "stage", "assignee", "days")


def _messages_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _done_message(request: HttpRequest, change: BulkChange, back: str) -> str:
    # A template, so that names are escaped and the Undo form carries its CSRF token.
    return render_to_string(
        "people/partials/_bulk_message.html", {"change": change, "next": back}, request=request
    )


def act_on_selection(
    request: HttpRequest, *, record_type: str, back: str, export_url: str
) -> HttpResponse:
    """The shared answer of every list's bulk form (people, companies, deals, tasks): export
    the selection, or apply the action through core.bulk and say so with an Undo."""
    ids = request.POST.getlist("ids")
    action = request.POST.get("action", "")
    if action == "export":
        # Export needs no change: the export page reads the ids (and checks each one).
        wanted = [i for i in ids if i.isascii() and i.isdigit() and len(i) < 10][:200]
        if not wanted:
            messages.error(request, "Select at least one record to export.")
            return redirect(back)
        separator = "&" if "?" in export_url else "?"
        return redirect(f"{export_url}{separator}{urlencode({'ids': ','.join(wanted)})}")
    if action == "email" and record_type == "people.person":
        # Writing to the selection: the composer reads the ids (and checks each one).
        wanted = [i for i in ids if i.isascii() and i.isdigit() and len(i) < 10][:500]
        if not wanted:
            messages.error(request, "Select at least one person to write to.")
            return redirect(back)
        return redirect(f"{reverse('mail:compose')}?{urlencode({'persons': ','.join(wanted)})}")
    arguments = {name: request.POST.get(name, "") for name in ARGUMENTS}
    try:
        change = core_bulk.bulk_apply(
            actor=request.user, record_type=record_type, ids=ids, action=action, **arguments
        )
    except ValidationError as error:  # bad input: said, nothing changed
        messages.error(request, _messages_text(error))
    else:  # (a record the user may not change is refused with 403, as on its own page)
        messages.success(request, _done_message(request, change, back))
    return redirect(back)


@login_required
@require_POST
def bulk_change(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        return redirect("people:person_list")
    record_type, list_name, export_name = KINDS[kind]
    back = safe_next(request) or reverse(list_name)
    return act_on_selection(
        request, record_type=record_type, back=back, export_url=reverse(export_name)
    )


@login_required
@require_POST
def bulk_change_undo(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(BulkChange, pk=pk)
    back = safe_next(request) or reverse("people:person_list")
    try:
        # Refused (403) unless the user made the change or manages the team.
        core_bulk.bulk_undo(actor=request.user, change=change)
    except ValidationError as error:
        messages.error(request, f"Could not undo: {_messages_text(error)}")
    else:
        count = len(change.record_ids)
        messages.success(request, f"Undone: {count} record{'s' if count != 1 else ''} as before.")
    return redirect(back)
