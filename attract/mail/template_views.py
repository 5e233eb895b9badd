"""The business's letter templates: list, write, edit against the version seen, history,
trash with Undo; and each user's signature."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attract.core.access import get_record_for_user
from attract.core.forms import apply_errors_to_form, saved_against_version
from attract.core.history import history_entries
from attract.core.permissions import can_write
from attract.core.redirects import safe_next
from attract.mail import template_services as services
from attract.mail.models import MailTemplate
from attract.mail.template_forms import SignatureForm, TemplateForm
from attract.mail.template_merge import MERGE_FIELDS
from attract.people.views.trash import trashed_message


def _template(request: HttpRequest, pk: int, *, write: bool = False, trash: bool = False):
    manager = MailTemplate.all_objects if trash or not write else MailTemplate.objects
    return get_record_for_user(manager.all(), user=request.user, pk=pk, write=write)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = list(MailTemplate.objects.select_related("updated_by").order_by("name", "id")[:500])
    context = {
        "templates": templates,
        "signature_form": SignatureForm(initial={"signature": services.signature_of(request.user)}),
        "can_write": can_write(request.user),
        "nav_current": "mail",
    }
    return render(request, "mail/template_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, f"“{template.name}” saved.")
            return redirect("mail:template_detail", pk=template.pk)
    return render(request, "mail/template_form.html",
                  {"form": form, "record": None, "fields": MERGE_FIELDS, "nav_current": "mail"})  # fmt: skip


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    context = {
        "template": template,
        "history": history_entries(template),
        "can_change": can_write(request.user) and not template.in_trash,
        "can_write": can_write(request.user),
        "nav_current": "mail",
    }
    return render(request, "mail/template_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, write=True)
    form = TemplateForm(
        request.POST or None,
        initial={
            "name": template.name,
            "subject": template.subject,
            "body": template.body,
            "version": template.version,
        },  # fmt: skip
    )
    if request.method == "POST" and saved_against_version(
        form,
        lambda data: services.template_update(
            actor=request.user,
            template=template,
            expected_version=data.get("version"),
            **form.service_fields(),
        ),  # fmt: skip
    ):
        messages.success(request, f"“{template.name}” saved.")
        return redirect("mail:template_detail", pk=template.pk)
    return render(request, "mail/template_form.html",
                  {"form": form, "record": template, "fields": MERGE_FIELDS, "nav_current": "mail"})  # fmt: skip


@login_required
@require_POST
def template_trash(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, write=True)
    services.template_trash(actor=request.user, template=template)
    messages.success(
        request,
        trashed_message(
            request,
            name=template.name,
            restore_url=reverse("mail:template_restore", args=[template.pk]),
            record_url=reverse("mail:template_detail", args=[template.pk]),
        ),
    )
    return redirect("mail:templates")


@login_required
@require_POST
def template_restore(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, write=True, trash=True)
    try:
        services.template_restore(actor=request.user, template=template)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{template.name}” restored.")
    return redirect(safe_next(request) or reverse("mail:template_detail", args=[template.pk]))


@login_required
@require_POST
def signature_save(request: HttpRequest) -> HttpResponse:
    form = SignatureForm(request.POST)
    if form.is_valid():
        try:
            services.signature_set(actor=request.user, signature=form.cleaned_data["signature"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your signature is saved.")
    else:
        messages.error(request, "Keep the signature under 2,000 characters.")
    return redirect("mail:templates")
