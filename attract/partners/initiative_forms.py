"""Forms of the initiative and topic pages: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from attract.accounts.models import User
from attract.core.forms import version_field
from attract.partners.models import Initiative, InitiativeKind, OurRole, Partner, Topic
from attract.partners.selectors import visible_partners


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=InitiativeKind.choices, label="Kind")
    held_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(),
        help_text="One or more. Hold Ctrl (⌘) to choose several.",
    )
    our_role = forms.ChoiceField(choices=OurRole.choices, label="Our role")
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label="No topic"
    )
    audience = forms.IntegerField(
        min_value=0, max_value=100_000_000, initial=0, label="Audience reached",
        help_text="People who attended, read or received it.",
    )  # fmt: skip
    notes = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = version_field()

    def __init__(
        self, *args: Any, user: User, initiative: Initiative | None = None, **kwargs: Any
    ) -> None:
        if initiative is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "title": initiative.title,
                    "kind": initiative.kind,
                    "held_on": initiative.held_on,
                    "partners": list(initiative.partners.values_list("pk", flat=True)),
                    "our_role": initiative.our_role,
                    "topic": initiative.topic_id,
                    "audience": initiative.audience,
                    "notes": initiative.notes,
                    "version": initiative.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = (
            visible_partners(user).select_related("company", "person").order_by("id")
        )
        self.fields["partners"].widget.attrs["size"] = 6
        self.fields["topic"].queryset = Topic.objects.order_by("name", "id")

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["partners"] = list(data["partners"])
        return data


class InitiativePersonForm(forms.Form):
    person = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class TopicForm(forms.Form):
    name = forms.CharField(max_length=200)
    in_our_field = forms.BooleanField(required=False, initial=True, label="In our field")
    we_enjoy = forms.BooleanField(required=False, initial=True, label="We enjoy it")
    customers_want = forms.BooleanField(
        required=False, initial=True, label="Our perfect customers want to hear about it"
    )
    notes = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The angle, what to say, the articles that used it.",
    )  # fmt: skip
    version = version_field()

    def __init__(self, *args: Any, topic: Topic | None = None, **kwargs: Any) -> None:
        if topic is not None and not args:
            kwargs.setdefault(
                "initial",
                {f: getattr(topic, f) for f in ("name", "notes", "in_our_field", "we_enjoy",
                                                "customers_want", "version")},
            )  # fmt: skip
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    published_on = forms.DateField(
        required=False, label="Date", help_text="Today when left empty.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    where = forms.CharField(
        required=False, max_length=200, label="Where published",
        help_text="A newsletter, a blog, a magazine, a podcast…",
    )  # fmt: skip
    link = forms.URLField(required=False, max_length=500, label="Link", assume_scheme="https")
