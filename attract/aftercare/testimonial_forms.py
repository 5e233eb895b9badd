"""Forms of the testimonial and case-study pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from attract.aftercare.models import Consent
from attract.core.forms import version_field


class _ConsentForm(forms.Form):
    person = forms.TypedChoiceField(
        label="Who said it", required=False, coerce=int, empty_value=None
    )
    consent = forms.ChoiceField(
        label="Their consent to publish",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        help_text="Every publication and export shows only what they allowed.",
    )
    version = version_field()

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Nobody named")] + [
            (p.pk, p.full_name) for p in persons
        ]
        self.persons = {p.pk: p for p in persons}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("image", None)
        data.pop("remove_image", None)
        data["person"] = self.persons.get(data.get("person"))
        return data


class TestimonialForm(_ConsentForm):
    words = forms.CharField(
        label="Their words", max_length=5_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    said_on = forms.DateField(
        label="Said on", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    field_order = ["words", "person", "said_on", "consent"]


class CaseStudyForm(_ConsentForm):
    title = forms.CharField(max_length=200)
    pain = forms.CharField(
        label="Their pain, in their words",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    what_we_did = forms.CharField(
        label="What we did", max_length=5_000, widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.CharField(
        label="The result, in numbers",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="“Orders up 30% in six months”, “two days saved a week”.",
    )
    image = forms.FileField(
        label="A picture of the customer",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 20 MB; it is resized to 1600 px.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_image = forms.BooleanField(label="Remove the picture", required=False)
    field_order = ["title", "pain", "what_we_did", "result", "person", "consent", "image"]
