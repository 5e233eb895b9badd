"""Forms for the people pages. They parse what a person typed; the services hold the rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from attract.accounts.models import User
from attract.core.email_addresses import normalise_email
from attract.core.forms import version_field
from attract.core.permissions import can_view_record
from attract.core.phone_numbers import display_phone, normalise_phone
from attract.people.models import Company, Person, Relationship, UnreadableKind
from attract.people.selectors import company_list_for_user

# A suggestion for a company whose name is shared by another one ends in its number.
COMPANY_NUMBER = re.compile(r"^(?P<name>.*?)\s*#(?P<pk>\d+)$")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def tag_names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def company_label(company: Company, *, ambiguous: bool = False) -> str:
    return f"{company.name} #{company.pk}" if ambiguous else company.name


def _owner_field(current_owner: User | None) -> forms.ModelChoiceField:
    users = User.objects.filter(is_active=True)
    if current_owner is not None and not current_owner.is_active:
        # An edit must not silently drop a former colleague as owner.
        users = User.objects.filter(is_active=True) | User.objects.filter(pk=current_owner.pk)
    return forms.ModelChoiceField(
        queryset=users.order_by("full_name", "email"), required=False, empty_label="Nobody"
    )


class PersonForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    job_title = forms.CharField(max_length=150, required=False)
    company = forms.CharField(
        max_length=220,
        required=False,
        help_text="Start typing to pick a company; leave empty for none.",
    )
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line; the first is the main address.",
    )
    phones = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="One per line, with the country code, e.g. +44 20 7946 0958.",
    )
    unreadable = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Kept as written (not valid)",
        help_text="Numbers and addresses that could not be read, kept as they were written. "
        "Correct one here and it becomes a phone or an email on saving; delete a line to drop it.",
    )
    tags = forms.CharField(max_length=1600, required=False, help_text="Separate tags with commas.")
    is_private = forms.BooleanField(
        required=False, label="Private", help_text="Only the owner sees a private person."
    )
    do_not_email = forms.BooleanField(
        required=False,
        label="Do not e-mail",
        help_text="They asked not to be e-mailed: Attract will not send them mail.",
    )
    notes = forms.CharField(widget=forms.Textarea, max_length=20_000, required=False)
    version = version_field()

    def __init__(self, *args: Any, user: User, person: Person | None = None, **kwargs: Any):
        self.user = user
        self.person = person
        # A person may stay linked to a company that later became private to someone else:
        # the editor must not learn its name, and saving must not drop the link.
        self.hidden_company: Company | None = None
        if person is not None and person.company and not can_view_record(user, person.company):
            self.hidden_company = person.company
        if person is not None:
            kwargs.setdefault("initial", self.initial_for(person))
        super().__init__(*args, **kwargs)
        if self.hidden_company is not None:
            self.fields[
                "company"
            ].help_text = (
                "Linked to a private company you cannot see; it stays unless you choose another."
            )
        self.fields["owner"] = _owner_field(person.owner if person else None)
        self.order_fields(
            ["first_name", "last_name", "job_title", "company", "emails", "phones", "unreadable"]
        )
        if person is None or not person.unreadable.exists():
            del self.fields["unreadable"]  # only a person with such values needs the field
        # A <datalist> filled by htmx with at most 20 matches: a select of every company
        # would be far too heavy for a large team.
        self.fields["company"].widget.attrs.update(
            {
                "list": "company-suggestions",
                "autocomplete": "off",
                "hx-get": reverse("people:company_suggest"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#company-suggestions",
            }
        )

    def initial_for(self, person: Person) -> dict[str, Any]:
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "company": person.company.name if person.company and not self.hidden_company else "",
            "emails": "\n".join(e.email for e in person.emails.all()),
            "phones": "\n".join(display_phone(p.number) for p in person.phones.all()),
            "unreadable": "\n".join(v.text for v in person.unreadable.all()),
            "tags": ", ".join(t.name for t in person.tags.all()),
            "owner": person.owner_id,
            "is_private": person.is_private,
            "do_not_email": person.do_not_email,
            "notes": person.notes,
            "version": person.version,
        }

    def clean_company(self) -> Company | None:
        text = " ".join(self.cleaned_data["company"].split())
        if not text:
            return self.hidden_company
        current = self.person.company if self.person else None
        if current is not None and text in {current.name, company_label(current, ambiguous=True)}:
            return current  # unchanged, even when another company shares its name
        visible: QuerySet[Company] = company_list_for_user(user=self.user).prefetch_related(None)
        numbered = COMPANY_NUMBER.match(text)
        if numbered:
            match = visible.filter(pk=int(numbered["pk"])).first()
            if match is not None:
                return match
        matches = list(visible.filter(name__iexact=text)[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                f"Several companies are called “{text}”; pick one from the suggestions."
            )
        raise forms.ValidationError(
            f"There is no company called “{text}”. Add the company first, or leave this empty."
        )

    def _unreadable_arguments(self, arguments: dict[str, Any]) -> None:
        """Each kept line read again: one that now reads as an address or a number joins the
        person's emails or phones; the others stay kept, with the reason they still fail."""
        if "unreadable" not in self.fields:
            return
        kinds = {v.text: v.kind for v in self.person.unreadable.all()} if self.person else {}
        kept = []
        for text in lines(self.cleaned_data.get("unreadable", "")):
            kind = kinds.get(text) or (UnreadableKind.EMAIL if "@" in text else "phone")
            normalise = normalise_email if kind == UnreadableKind.EMAIL else normalise_phone
            try:
                normalise(text)
            except ValidationError as exc:
                kept.append((kind, text, " ".join(exc.messages)))
            else:
                arguments["emails" if kind == UnreadableKind.EMAIL else "phones"].append(text)
        arguments["unreadable"] = kept

    def service_arguments(self) -> dict[str, Any]:
        arguments = self._service_arguments()
        self._unreadable_arguments(arguments)
        return arguments

    def _service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "job_title": data["job_title"],
            "company": data["company"],
            "emails": lines(data["emails"]),
            "phones": lines(data["phones"]),
            "tags": tag_names(data["tags"]),
            "owner": data["owner"],
            "is_private": data["is_private"],
            "do_not_email": data["do_not_email"],
            "notes": data["notes"],
        }


class CompanyForm(forms.ModelForm):
    website = forms.URLField(max_length=300, required=False, assume_scheme="https")
    tags = forms.CharField(max_length=1600, required=False, help_text="Separate tags with commas.")
    version = version_field()

    class Meta:
        model = Company
        fields = [
            "name",
            "website",
            "industry",
            "size",
            "relationship",
            "customer_since",
            "street",
            "postal_code",
            "city",
            "country",
            "owner",
            "is_private",
            "notes",
        ]
        labels = {"is_private": "Private"}
        widgets = {"customer_since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        company = self.instance if self.instance.pk else None
        self.fields["owner"] = _owner_field(company.owner if company else None)
        self.fields["website"].widget.attrs["placeholder"] = "https://"
        if company is not None:
            self.initial["tags"] = ", ".join(t.name for t in company.tags.all())
            self.initial["version"] = company.version

    def _post_clean(self) -> None:
        # The service validates the record; the form only parses input, and must not change
        # the instance it was given before the service has decided.
        pass

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = tag_names(data.pop("tags"))
        data.pop("version")
        return data


class ListFilterForm(forms.Form):
    """The search and filters of a list page; invalid values are ignored, never an error page."""

    q = forms.CharField(required=False, max_length=200)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    tag = forms.CharField(required=False, max_length=50)
    relationship = forms.ChoiceField(required=False, choices=[("", ""), *Relationship.choices])
    sort = forms.CharField(required=False, max_length=20)
    # Persons only: "everyone at this company", linked from a company page.
    company = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, owners: list[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "")] + [(u.pk, u.display_name) for u in owners]

    def value(self, name: str) -> Any:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None
