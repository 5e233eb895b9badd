"""Exports from the web: each list exactly as filtered on its page (the same query string
reaches the same selector), streamed row by row; people as vCards; the whole installation as
one zip for the owner."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from attract.core.permissions import can_view_record
from attract.core.search_text import clean_search
from attract.people.models import Company
from attract.people.selectors import (
    COMPANY_SORTS,
    PERSON_SORTS,
    company_list_for_user,
    person_list_for_user,
)
from attract.people.views import listing
from attract.pipeline.models import Outcome, Stage
from attract.pipeline.selectors import deal_list_for_user
from attract.transfer.archive import full_export
from attract.transfer.exporting import (
    company_rows,
    csv_lines,
    deal_rows,
    hide_private_companies,
    person_rows,
)
from attract.transfer.vcards import persons_vcards


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _csv_response(lines, name: str) -> StreamingHttpResponse:
    # The BOM makes Excel read the file as UTF-8 rather than the system's code page.
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.csv"'
    return response


def _with_bom(lines):
    yield "\ufeff"
    yield from lines


def _selected_ids(request: HttpRequest) -> list[int] | None:
    """The records chosen on a list ("Export selected"): ids=1,2,3; None when not given."""
    raw = request.GET.get("ids")
    if raw is None:
        return None
    parts = raw.split(",")[:200]
    return [int(part) for part in parts if part.isascii() and part.isdigit() and len(part) < 10]


def filtered_persons(request: HttpRequest):
    """The persons the people list shows for this query string (all pages), or those
    selected on it."""
    form = listing.filter_form(request)
    arguments = listing.selector_arguments(form, PERSON_SORTS)
    company_id = form.value("company")
    if company_id is not None:
        company = Company.objects.filter(pk=company_id).first()
        company_id = company.pk if company and can_view_record(request.user, company) else None
    ids = _selected_ids(request)
    if ids is None:
        return person_list_for_user(user=request.user, company_id=company_id, **arguments)
    # A selection is exported by name (the fit order is a list's view, not a queryset).
    arguments["sort"] = "name"
    persons = person_list_for_user(user=request.user, company_id=company_id, **arguments)
    return persons.filter(pk__in=ids)


def filtered_companies(request: HttpRequest):
    form = listing.filter_form(request)
    arguments = listing.selector_arguments(form, COMPANY_SORTS)
    ids = _selected_ids(request)
    if ids is None:
        return company_list_for_user(user=request.user, **arguments)
    arguments["sort"] = "name"
    return company_list_for_user(user=request.user, **arguments).filter(pk__in=ids)


def filtered_deals(request: HttpRequest):
    """The deals the open or closed deal list shows for this query string, or those selected
    on it."""
    search = clean_search(request.GET.get("q"))
    if request.GET.get("closed"):
        outcome = request.GET.get("outcome", "")
        if outcome not in (Outcome.WON, Outcome.LOST, Outcome.REFERRED_OUT):
            outcome = ""
        deals = deal_list_for_user(
            user=request.user, closed=True, outcome=outcome or None, search=search
        )
    else:
        stage = request.GET.get("stage", "")
        stage = stage if stage in Stage.values else ""
        deals = deal_list_for_user(user=request.user, stage=stage, search=search)
    ids = _selected_ids(request)
    if ids is not None:  # "Export selected" on a deal list: only those (each still checked)
        deals = deals.filter(pk__in=ids)
    return deals.prefetch_related("contact__emails")


@login_required
@require_GET
def export_persons(request: HttpRequest) -> StreamingHttpResponse:
    rows = person_rows(filtered_persons(request), user=request.user)
    return _csv_response(csv_lines(rows), "people")


@login_required
@require_GET
def export_companies(request: HttpRequest) -> StreamingHttpResponse:
    return _csv_response(csv_lines(company_rows(filtered_companies(request))), "companies")


@login_required
@require_GET
def export_deals(request: HttpRequest) -> StreamingHttpResponse:
    name = "closed-deals" if request.GET.get("closed") else "open-deals"
    return _csv_response(csv_lines(deal_rows(filtered_deals(request), user=request.user)), name)


@login_required
@require_GET
def export_persons_vcard(request: HttpRequest) -> StreamingHttpResponse:
    version = "4.0" if request.GET.get("version") == "4.0" else "3.0"
    persons = filtered_persons(request).iterator(chunk_size=2000)
    response = StreamingHttpResponse(
        persons_vcards(hide_private_companies(persons, request.user), version=version),
        content_type="text/vcard; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="people-{_stamp()}.vcf"'
    return response


@login_required
@require_GET
def export_all(request: HttpRequest) -> FileResponse:
    """Everything, for the owner of the installation only: it holds every private record."""
    if request.user.role != "owner":
        raise PermissionDenied("Only the owner of the installation may download everything.")
    handle, name = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        full_export(path, exporter=request.user)
        stream = open(path, "rb")  # noqa: SIM115 - FileResponse closes it when sent
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until it is sent
    return FileResponse(stream, as_attachment=True, filename=f"attract-{_stamp()}.zip")
