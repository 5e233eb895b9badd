"""The pages that tell the truth about the pipeline: the forecast with the profit ranking,
the long maybes with their tough questions, the stage settings and the question bank."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.core.permissions import can_manage_team, can_write
from attract.pipeline import configuration
from attract.pipeline.calibration import forecast_calibration
from attract.pipeline.forecasting import decision_times, forecast_by_month, profit_ranking
from attract.pipeline.gates import GATE_DESCRIPTIONS, GATES
from attract.pipeline.models import StageSetting, ToughQuestion
from attract.pipeline.selectors import long_maybes_for_user, stage_settings, tough_questions

PAGE_SIZE = 50


@login_required
@require_GET
def forecast(request: HttpRequest) -> HttpResponse:
    calibration = forecast_calibration()
    context = {
        "forecast": forecast_by_month(user=request.user),
        "ranking": profit_ranking(user=request.user),
        "calibration": calibration,
        # The chart's numbers as a table, under its "Data" (screen readers, copying).
        "calibration_table": render_to_string(
            "pipeline/partials/_calibration_table.html", {"calibration": calibration}
        ),
    }
    return render(request, "pipeline/forecast.html", context)


@login_required
@require_GET
def long_maybes(request: HttpRequest) -> HttpResponse:
    settings = stage_settings()
    page = Paginator(
        long_maybes_for_user(user=request.user, settings=settings), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for deal in page.object_list:
        deal.stale_after_days = settings[deal.stage].stale_after_days
    context = {
        "page": page,
        "questions": list(tough_questions()),
        "times": decision_times(user=request.user),
        "can_write": can_write(request.user),
    }
    return render(request, "pipeline/long_maybes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stage_settings_page(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        stage = request.POST.get("stage", "")
        try:
            configuration.stage_setting_update(
                actor=request.user,
                stage=stage,
                probability=request.POST.get("probability", ""),
                stale_after_days=request.POST.get("stale_after_days", ""),
                # Only stages that have criteria show the switch; others keep theirs.
                enforce_entry_criteria=(
                    "enforce_entry_criteria" in request.POST if stage in GATES else None
                ),
            )
        except ValidationError as exc:
            errors = {f"{stage}-{k}": v for k, v in exc.message_dict.items()}
        else:
            messages.success(request, "Stage saved.")
            return redirect("pipeline:stage_settings")
    settings = stage_settings()
    rows = [
        {
            "setting": setting,
            "gate": GATE_DESCRIPTIONS[stage],
            "has_gate": stage in GATES,
            "probability_errors": errors.get(f"{stage}-probability", []),
            "stale_errors": errors.get(f"{stage}-stale_after_days", []),
            "posted": request.POST if request.POST.get("stage") == stage else None,
        }
        for stage, setting in settings.items()
    ]
    changes = StageSetting.history.select_related("history_user").order_by("-history_date")[:20]
    context = {"rows": rows, "can_edit": can_manage_team(request.user), "changes": changes}
    return render(request, "pipeline/stage_settings.html", context, status=422 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            configuration.tough_question_create(actor=request.user, text=request.POST.get("text"))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Question added.")
            return redirect("pipeline:questions")
    context = {
        "questions": tough_questions(include_retired=True),
        "error": error,
        "can_write": can_write(request.user),
    }
    return render(request, "pipeline/questions.html", context, status=422 if error else 200)


@login_required
@require_POST
def question_update(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    question = get_object_or_404(ToughQuestion, pk=pk)
    try:
        configuration.tough_question_update(
            actor=request.user,
            question=question,
            text=request.POST.get("text"),
            is_active="is_active" in request.POST,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Question saved.")
    return redirect("pipeline:questions")
