"""Pages for receiving: your mailbox (connect, test, sync now, its errors), importing a mail
file, and the addresses that match no person yet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from attract.core.forms import apply_errors_to_form
from attract.core.paging import page_for
from attract.core.permissions import can_write
from attract.mail import inbound_selectors, mailbox_services
from attract.mail.inbound_files import mail_import
from attract.mail.inbound_forms import MailboxForm, MailImportForm
from attract.mail.inbound_scheduled import mail_sync_one
from attract.mail.mailbox_imap import MailboxError
from attract.mail.mailbox_sync import mailbox_test

PAGE_SIZE = 50


def _settings_page(request: HttpRequest, form: MailboxForm | None = None, status: int = 200):
    mailbox = inbound_selectors.mailbox_for(user=request.user)
    if form is None:
        initial = {}
        if mailbox:
            initial = {
                f: getattr(mailbox, f)
                for f in (
                    "host",
                    "port",
                    "security",
                    "username",
                    "inbox_folder",
                    "sent_folder",
                    "version",
                )
            }
        form = MailboxForm(initial=initial)
    context = {"mailbox": mailbox, "form": form, "can_write": can_write(request.user)}
    return render(request, "mail/mailbox_settings.html", context, status=status)


def _require_write(request: HttpRequest) -> None:
    if not can_write(request.user):
        raise PermissionDenied("Your role can read but not change records.")


@login_required
def mailbox_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    _require_write(request)
    form = MailboxForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            mailbox_services.mailbox_connect(actor=request.user, expected_version=version, **data)
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "The mailbox is saved. Test it, or sync now.")
            return redirect("mailbox:settings")
    return _settings_page(request, form, status=422)


def _own_mailbox(request: HttpRequest):
    _require_write(request)
    mailbox = inbound_selectors.mailbox_for(user=request.user)
    if mailbox is None:
        messages.error(request, "Connect a mailbox first.")
    return mailbox


@login_required
@require_POST
def mailbox_try(request: HttpRequest) -> HttpResponse:
    mailbox = _own_mailbox(request)
    if mailbox is not None:
        try:
            messages.success(request, mailbox_test(mailbox=mailbox))
        except MailboxError as exc:
            messages.error(request, str(exc))
    return redirect("mailbox:settings")


@login_required
@require_POST
def mailbox_sync_now(request: HttpRequest) -> HttpResponse:
    mailbox = _own_mailbox(request)
    if mailbox is not None:
        mail_sync_one.enqueue(mailbox.pk)
        messages.success(request, "A sync is queued: the worker reads your new mail in a moment.")
    return redirect("mailbox:settings")


@login_required
@require_POST
def mailbox_disconnect(request: HttpRequest) -> HttpResponse:
    _require_write(request)
    if mailbox_services.mailbox_disconnect(actor=request.user):
        messages.success(request, "The mailbox is disconnected and its password forgotten.")
    return redirect("mailbox:settings")


@login_required
def mail_file_import(request: HttpRequest) -> HttpResponse:
    form = MailImportForm()
    report, status = None, 200
    if request.method == "POST":
        _require_write(request)
        form = MailImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = mail_import(actor=request.user, stream=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_errors_to_form(form, exc)
                status = 422
        else:
            status = 422
    context = {"form": form, "report": report, "can_write": can_write(request.user)}
    return render(request, "mail/import.html", context, status=status)


@login_required
def unmatched_list(request: HttpRequest) -> HttpResponse:
    rows = inbound_selectors.unmatched_waiting_for(user=request.user, suspicious=False)
    suspicious = inbound_selectors.unmatched_waiting_for(user=request.user, suspicious=True)[:20]
    page = page_for(request, rows, default_size=PAGE_SIZE)
    context = {
        "page": page,
        "suspicious": list(suspicious),
        "can_write": can_write(request.user),
    }
    return render(request, "mail/unmatched.html", context)


@login_required
@require_POST
def _waiting(request: HttpRequest, pk: int):
    row = inbound_selectors.unmatched_waiting_for(user=request.user).filter(pk=pk).first()
    if row is None:
        raise Http404("No such address is waiting.")
    _require_write(request)
    return row


@login_required
@require_POST
def unmatched_add(request: HttpRequest, pk: int) -> HttpResponse:
    row = _waiting(request, pk)
    try:
        person = mailbox_services.unmatched_add_person(actor=request.user, unmatched=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mailbox:unmatched")
    messages.success(request, f"{person} is added, with the messages that waited for them.")
    if request.POST.get("next") == "person":
        return redirect(reverse("people:person_detail", args=[person.pk]))
    return redirect("mailbox:unmatched")


@login_required
@require_POST
def unmatched_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    row = _waiting(request, pk)
    mailbox_services.unmatched_dismiss(actor=request.user, unmatched=row)
    messages.success(request, f"{row.address} is off the list; its messages stay logged.")
    return redirect("mailbox:unmatched")
