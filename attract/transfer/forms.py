from __future__ import annotations

from django import forms

from attract.transfer.reading import ENCODINGS

KIND_CHOICES = [
    ("persons", "People (CSV or vCard)"),
    ("companies", "Companies (CSV)"),
    ("deals", "Deals (CSV)"),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=KIND_CHOICES, initial="persons")
    file = forms.FileField(
        label="CSV or vCard file",
        help_text="A CSV file (comma, semicolon or tab separated, any common encoding), "
        "or a vCard file (.vcf) of people.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.vcf,.vcard,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        choices=[("", "Detect it"), *ENCODINGS],
        required=False,
        help_text="Leave on “Detect it”; the next page shows the names as they will be stored, "
        "and lets you choose again.",
    )
    users_file = forms.FileField(
        label="Users file (optional)",
        required=False,
        help_text="For an owner column of user ids (Salesforce's OwnerId): the other CRM's "
        "users export (User.csv, with Id, Name and Email).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )


class RetentionForm(forms.Form):
    upload_retention_days = forms.IntegerField(
        label="Keep uploaded files for (days)",
        min_value=1,
        max_value=3650,
        help_text="After this many days an uploaded file is removed from the server. The "
        "imported records, the import's report and its undo stay.",
    )
