"""The Reports section: the dashboard, each report (chart first, its table one click below,
and as CSV), and pinning a report to the dashboard."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.core.permissions import can_manage_team
from attract.pipeline.models import LostReason
from attract.pipeline.selectors import deal_owner_choices
from attract.reports import dashboard as dashboard_cards
from attract.reports.charts import render_chart
from attract.reports.filters import parse_filters
from attract.reports.lost_reasons import lost_reason_create, lost_reason_update
from attract.reports.pins import pinned_names, report_pin_toggle
from attract.reports.registry import REPORTS, Report, report_named
from attract.reports.templatetags.report_values import format_value


def _report_or_404(name: str) -> Report:
    report = report_named(name)
    if report is None:
        raise Http404("No such report.")
    return report


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    cards = dashboard_cards.dashboard_for(user=request.user)
    for card in cards:
        card.svg = render_chart(card.chart)
    context = {"cards": cards, "reports": REPORTS.values()}
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def report(request: HttpRequest, name: str) -> HttpResponse:
    report = _report_or_404(name)
    context = {
        "report": report,
        "reports": REPORTS.values(),
        "owners": deal_owner_choices(),
        "query": request.GET,
        "pinned": name in pinned_names(user=request.user),
    }
    try:
        filters = parse_filters(request.GET)
    except ValidationError as exc:
        context["errors"] = exc.message_dict
        return render(request, "reports/report.html", context, status=400)
    figures = report.figures(user=request.user, filters=filters)
    charts = [(chart, render_chart(chart)) for chart in figures.charts]
    context.update(figures=figures, charts=charts, filters=filters, csv_query=filters.as_query())
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def report_csv(request: HttpRequest, name: str) -> HttpResponse:
    report = _report_or_404(name)
    try:
        filters = parse_filters(request.GET)
    except ValidationError as exc:
        text = " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    figures = report.figures(user=request.user, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{name}-{filters.start}-{filters.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, figures)
    return response


def write_csv(stream, figures) -> None:
    writer = csv.writer(stream)
    writer.writerow([c.label for c in figures.columns])
    for row in figures.rows:
        writer.writerow(
            ["" if row.get(c.key) is None else _csv_value(row.get(c.key)) for c in figures.columns]
        )


def _csv_value(value):
    text = str(value)
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@login_required
@require_POST
def pin(request: HttpRequest, name: str) -> HttpResponse:
    report = _report_or_404(name)
    try:
        pinned = report_pin_toggle(user=request.user, report=report.name)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"“{report.title}” is pinned to the dashboard."
            if pinned
            else f"“{report.title}” is no longer on the dashboard.",
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("reports:report", args=[name])
    return redirect(back or reverse("reports:report", args=[name]))


@login_required
@require_http_methods(["GET", "POST"])
def lost_reasons(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            reason = lost_reason_create(actor=request.user, name=request.POST.get("name"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"“{reason.name}” added.")
            return redirect("reports:lost_reasons")
    context = {
        "reasons": LostReason.objects.annotate(deal_count=Count("deals")),
        "can_edit": can_manage_team(request.user),
        "error": error,
    }
    return render(request, "reports/lost_reasons.html", context, status=422 if error else 200)


@login_required
@require_POST
def lost_reason_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage_team(request.user):
        raise PermissionDenied("Only the owner and admins edit the list of lost reasons.")
    reason = get_object_or_404(LostReason, pk=pk)
    try:
        lost_reason_update(
            actor=request.user,
            reason=reason,
            name=request.POST.get("name"),
            is_active="is_active" in request.POST,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Reason saved.")
    return redirect("reports:lost_reasons")


__all__ = ["format_value"]
