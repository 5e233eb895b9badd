"""Compose, preview and send; a send's progress page; the public unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from attract.core.forms import apply_errors_to_form
from attract.core.permissions import can_write
from attract.mail import send_services
from attract.mail.compose_sources import compose_target
from attract.mail.models import MailSend, MailTemplate
from attract.mail.send_tasks import send_enqueue
from attract.mail.send_unsubscribe import unsubscribe_address, unsubscribe_record
from attract.mail.template_forms import ComposeForm


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not send e-mail.")
    try:
        target = compose_target(request.user, request.GET)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    templates = list(MailTemplate.objects.order_by("name", "id")[:500])
    initial = {}
    chosen = request.GET.get("template") or ""
    if not chosen and target.starter:
        chosen = next((str(t.pk) for t in templates if t.starter_key == target.starter), "")
    picked = next((t for t in templates if str(t.pk) == chosen), None)
    if picked is not None:
        initial = {"template": str(picked.pk), "subject": picked.subject, "body": picked.body}
    form = ComposeForm(request.POST or None, initial=initial)
    preview = None
    first = target.persons[0] if target.persons else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = next((t for t in templates if str(t.pk) == data["template"]), None)
        try:
            if request.POST.get("action") == "send":
                return _send(request, form, target, template)
            if first is not None:
                preview = send_services.compose_preview(
                    actor=request.user, person=first, subject=data["subject"],
                    body=data["body"], deal=target.deal,
                )  # fmt: skip
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        except send_services.MailServerError as exc:
            form.add_error(None, str(exc))
    context = {
        "form": form,
        "target": target,
        "preview": preview,
        "preview_person": first,
        "templates": templates,
        "nav_current": "mail",
    }
    return render(request, "mail/compose.html", context)


def _send(request: HttpRequest, form: ComposeForm, target, template) -> HttpResponse:
    data = form.cleaned_data
    send = send_services.send_prepare(
        actor=request.user, persons=target.persons, subject=data["subject"], body=data["body"],
        base_url=base_url(request), template=template, deal=target.deal,
    )  # fmt: skip
    if send.total == 1 and not send.bulk:
        # One letter: sent now, so the user learns at once whether the server took it.
        send = send_services.send_run(send)
        row = send.recipients.get()
        if row.status != "sent":
            raise ValidationError(row.reason)
        messages.success(request, f"Sent to {row.address}.")
        return redirect(target.back_url)
    send_enqueue(send)
    messages.success(request, "Sending in the background; this page shows how far it got.")
    return redirect("mail:send_detail", pk=send.pk)


def _send_for(request: HttpRequest, pk: int) -> MailSend:
    send = MailSend.objects.select_related("sender").filter(pk=pk).first()
    # A send is its sender's (and the owners'/admins') to follow.
    if send is None or (
        send.sender_id != request.user.pk and request.user.role not in {"owner", "admin"}
    ):
        raise Http404
    return send


@login_required
@require_GET
def send_detail(request: HttpRequest, pk: int) -> HttpResponse:
    send = _send_for(request, pk)
    progress = send_services.send_progress(send)
    problems = list(
        send.recipients.exclude(status__in=["sent", "pending", "sending"])
        .select_related("person")
        .order_by("id")[:200]
    )
    context = {"send": send, "progress": progress, "problems": problems, "nav_current": "mail"}
    template = "mail/partials/_send_progress.html" if request.htmx else "mail/send_detail.html"
    return render(request, template, context)


@csrf_exempt  # the signed token is the permission; mail clients' one-click POST has no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    address = unsubscribe_address(token)
    if address is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        unsubscribe_record(address)
        done = True
    return render(request, "mail/unsubscribe.html", {"address": address, "done": done})
