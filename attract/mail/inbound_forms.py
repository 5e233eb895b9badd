from __future__ import annotations

from django import forms

from attract.mail.models import MailboxSecurity


class MailboxForm(forms.Form):
    host = forms.CharField(
        max_length=253,
        label="IMAP server",
        help_text="Such as imap.gmail.com or outlook.office365.com.",
    )
    port = forms.IntegerField(min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(choices=MailboxSecurity.choices, initial=MailboxSecurity.TLS)
    username = forms.CharField(
        max_length=320, label="User name", help_text="Usually your e-mail address."
    )
    password = forms.CharField(
        max_length=1000,
        required=False,
        label="App password",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Make one for Attract at your mail provider. It is stored encrypted and never shown again; leave empty to keep the stored one.",
    )
    inbox_folder = forms.CharField(max_length=200, initial="INBOX", label="Inbox folder")
    sent_folder = forms.CharField(
        max_length=200,
        initial="Sent",
        required=False,
        label="Sent folder",
        help_text="Gmail: [Gmail]/Sent Mail; Outlook: Sent Items. Empty: read the inbox only.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MailImportForm(forms.Form):
    file = forms.FileField(label="An .eml message or an .mbox export")
