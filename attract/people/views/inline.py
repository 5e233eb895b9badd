"""Edit in place: one view for every field of people/inline_fields.py, on the person and
company pages and in the cells of their lists.

GET shows the field (`?edit=1`: its editor), POST saves it through the record's service.
The page carries the version of the record it shows (a hidden input, `#<kind>-<pk>-version`)
and the editor sends it back, so a stale edit is refused, the typed value kept, and the
changes made since listed, as on the full form. The answer to a save also refreshes that
version (and, on a record's page, its header and change history) out of band, so the next
edit on the same page is made on the version the user now sees.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attract.core.access import get_record_for_user
from attract.core.forms import conflict_messages, posted_version
from attract.core.versions import VersionConflict
from attract.people.inline_fields import KINDS, InlineField, RecordKind, save_field
from attract.people.selectors import company_detail_queryset, person_detail_queryset
from attract.people.views.detail import detail_context, field_context

QUERYSETS = {"person": person_detail_queryset, "company": company_detail_queryset}
PLACES = ("detail", "row")


@login_required
@require_http_methods(["GET", "POST"])
def person_field(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _field(request, KINDS["person"], pk, name)


@login_required
@require_http_methods(["GET", "POST"])
def company_field(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _field(request, KINDS["company"], pk, name)


def _field(request: HttpRequest, kind: RecordKind, pk: int, name: str) -> HttpResponse:
    # 404 for a record the user may not see (as for one that does not exist), 403 for a
    # viewer: the editor itself is only for those who may change the record.
    record = get_record_for_user(QUERYSETS[kind.name](), user=request.user, pk=pk, write=True)
    field = kind.fields.get(name)
    if field is None:
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    place = data.get("place") if data.get("place") in PLACES else "detail"
    context = field_context(record, field, place=place, editable=True)
    if request.method == "GET":
        if data.get("edit"):
            return _editor(request, context, record, field, seen=posted_version(data))
        return _shown(request, context, page=False)
    version = posted_version(data)
    raw = str(data.get("value", ""))
    try:
        save_field(
            actor=request.user, record=record, field=field, raw=raw, expected_version=version
        )
    except VersionConflict as conflict:
        # The input stays; the version moves on to the current one, so that "Save" again is a
        # choice made having read what changed (as show_version_conflict does for a form).
        return _refused(request, context, raw, conflict_messages(conflict), record.version, True)
    except ValidationError as exc:
        return _refused(request, context, raw, exc.messages, version, False)
    if not request.htmx:
        messages.success(request, f"{field.label} saved.")
        return redirect(kind.detail_url, record.pk)
    # Read again: the page shows the stored value, tags and contact rows included.
    record = QUERYSETS[kind.name]().get(pk=record.pk)
    context = field_context(record, field, place=place, editable=True)
    context["saved"] = True
    return _shown(request, context, page=True)


def _editor(
    request: HttpRequest,
    context: dict[str, Any],
    record: Any,
    field: InlineField,
    *,
    seen: int | None,
) -> HttpResponse:
    """The editor starts from the stored value. When the record changed since the page was
    drawn, it says so and works on the current version: the user sees the current value
    in the input before typing over it."""
    context.update(
        value=field.start_value(record),
        version=record.version,
        changed_since=seen is not None and seen != record.version,
        choices=field.choices(record) if field.choices else None,
    )
    return render(request, "people/partials/_inline_editor.html", context)


def _refused(
    request: HttpRequest,
    context: dict[str, Any],
    raw: str,
    errors: list[str],
    version: int | None,
    conflict: bool,
) -> HttpResponse:
    if not request.htmx:
        for error in errors:
            messages.error(request, error)
        kind = KINDS[context["kind"]]
        return redirect(kind.detail_url, context["record"].pk)
    field: InlineField = context["field"]
    context.update(
        value=raw,
        version=version or "",
        errors=errors,
        conflict=conflict,
        choices=field.choices(context["record"]) if field.choices else None,
    )
    return render(request, "people/partials/_inline_editor.html", context)


def _shown(request: HttpRequest, context: dict[str, Any], *, page: bool) -> HttpResponse:
    """The field as shown, with the page's version of the record brought up to date (the
    value shown is the stored one, so the next edit is made on it); after a save on a
    record's page, its header and change history too, which show the same values."""
    context["refresh_version"] = True
    if page and context["place"] == "detail":
        context.update(detail_context(request, context["record"]))
        context["refresh_page"] = True
    return render(request, "people/partials/_inline_field.html", context)
