"""Merging two duplicate records: pick the duplicate, preview which values win, merge.

GET without `other` offers candidates (same name first, or a search); GET with `?other=<pk>`
shows the preview; POST performs the merge and goes to the kept record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attract.core.access import get_record_for_user
from attract.people import merging
from attract.people.models import Company, Person


def _merge_page(
    request: HttpRequest,
    pk: int,
    *,
    model: type[Person] | type[Company],
    preview: Callable[..., merging.MergePreview],
    merge: Callable[..., Any],
    names: tuple[str, ...],
    kind: str,
) -> HttpResponse:
    record = get_record_for_user(model.objects.all(), user=request.user, pk=pk, write=True)
    data = request.POST if request.method == "POST" else request.GET
    search = (request.GET.get("q") or "").strip()[:200]
    context: dict[str, Any] = {"record": record, "kind": kind, "search": search, "errors": []}
    other_pk = data.get("other")
    if other_pk:
        other = get_record_for_user(model.objects.all(), user=request.user, pk=other_pk, write=True)
        try:
            context["preview"] = preview(actor=request.user, keep=record, discard=other)
        except ValidationError as exc:
            context["errors"] = exc.messages
        if request.method == "POST" and "preview" in context:
            choices = {n: data[f"choice_{n}"] for n in names if data.get(f"choice_{n}")}
            try:
                merge(actor=request.user, keep=record, discard=other, choices=choices)
            except ValidationError as exc:
                context["errors"] = exc.messages
            else:
                messages.success(
                    request,
                    f"{other} (#{other.pk}) was merged into {record}; the duplicate is in the trash.",
                )
                return redirect(f"people:{kind}_detail", pk=record.pk)
    elif request.method == "POST":
        context["errors"] = ["Choose the duplicate to merge first."]
    if "preview" not in context:
        context["candidates"] = merging.merge_candidates(
            user=request.user, record=record, search=search
        )
    status = 400 if context["errors"] and request.method == "POST" else 200
    if request.htmx and "candidates" in context:
        # Typing in the search box replaces only the candidate table.
        context["merge_url"] = request.path
        return render(request, "people/partials/_merge_candidates.html", context)
    return render(request, "people/merge.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _merge_page(
        request,
        pk,
        model=Person,
        preview=merging.person_merge_preview,
        merge=merging.person_merge,
        names=merging.PERSON_MERGE_FIELDS,
        kind="person",
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _merge_page(
        request,
        pk,
        model=Company,
        preview=merging.company_merge_preview,
        merge=merging.company_merge,
        names=merging.COMPANY_MERGE_FIELDS,
        kind="company",
    )
