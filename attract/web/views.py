from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from attract.accounts.forms import OwnerSetupForm
from attract.accounts.selectors import installation_has_owner
from attract.accounts.services import owner_create
from attract.core.forms import apply_errors_to_form
from attract.engagement.today import today_for_user
from attract.partners.challenge import challenge_today_card
from attract.web.demo import demo_load


@login_required
def today(request: HttpRequest) -> HttpResponse:
    context = {
        "today": today_for_user(user=request.user),
        # The day's 21-day challenge, while one runs (issue 15): a small card, two queries.
        "challenge": challenge_today_card(request.user),
    }
    return render(request, "web/today.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for a load balancer: the app answers and the database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors' database work: the database may be what failed.
    return render(request, "500.html", {}, status=500)


def setup(request: HttpRequest) -> HttpResponse:
    """First run: create the owner account, optionally load sample data, and sign in."""
    if installation_has_owner():
        return redirect("web:today")
    form = OwnerSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            owner = owner_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            if form.cleaned_data["load_sample_data"]:
                demo_load(owner=owner, seed=1)
            login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Attract. Your account is ready.")
            return redirect("web:today")
    return render(request, "web/setup.html", {"form": form})
