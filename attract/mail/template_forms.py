from __future__ import annotations

from django import forms

from attract.core.forms import version_field
from attract.mail.template_merge import MERGE_FIELDS

FIELDS_HELP = "Merge fields: " + ", ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS) + "."


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    subject = forms.CharField(max_length=300, help_text="One line; merge fields allowed.")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), max_length=20_000,
                           help_text=FIELDS_HELP)  # fmt: skip
    version = version_field()

    def service_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "subject", "body")}


class SignatureForm(forms.Form):
    signature = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2_000,
                                required=False, help_text="What {{ signature }} becomes in your letters.")  # fmt: skip


class ComposeForm(forms.Form):
    template = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14}), max_length=20_000,
                           label="Letter", help_text=FIELDS_HELP)  # fmt: skip
