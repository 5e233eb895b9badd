"""Forms of care: they read the input's types; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from attract.accounts.models import User
from attract.aftercare.models import CarePlan, Doer, Feeling
from attract.aftercare.models.promises import Better
from attract.core.forms import version_field
from attract.engagement.models import Channel
from attract.people.models import CompanySize, Relationship, Tag


class CarePlanForm(forms.ModelForm):
    tag = forms.ModelChoiceField(Tag.objects.all(), required=False, empty_label="Any tag")
    relationship = forms.ChoiceField(
        choices=[("", "Any relationship"), *Relationship.choices], required=False
    )
    size = forms.ChoiceField(choices=[("", "Any size"), *CompanySize.choices], required=False)

    class Meta:
        model = CarePlan
        fields = ["name", "description", "tag", "relationship", "size", "min_fit", "rhythm_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only tags the user sees on a record (a tag only on someone else's private records
        # is theirs), and the plan's own.
        visible = Q(companies__is_private=False) | Q(persons__is_private=False)
        if user is not None:
            visible |= Q(companies__owner_id=user.pk) | Q(persons__owner_id=user.pk)
        if self.instance and self.instance.tag_id:
            visible |= Q(pk=self.instance.tag_id)
        self.fields["tag"].queryset = Tag.objects.filter(
            pk__in=Tag.objects.filter(visible).values("pk")
        ).order_by("name")


class CarePlanStepForm(forms.Form):
    title = forms.CharField(max_length=200)
    day = forms.IntegerField(initial=0, min_value=-100_000, max_value=100_000,
                             label="Day after the start")  # fmt: skip
    repeat_months = forms.IntegerField(initial=0, min_value=0, max_value=1000,
                                       label="Repeat every (months, 0: once)")  # fmt: skip
    doer = forms.ChoiceField(choices=Doer.choices, label="Who does it")
    user = forms.ModelChoiceField(User.objects.filter(is_active=True), required=False,
                                  label="Named user")  # fmt: skip
    channel = forms.ChoiceField(choices=Channel.choices)


class CarePlanStepEditForm(CarePlanStepForm):
    """A plan step changed against the version the user opened it on."""

    version = version_field()


class StepDoneForm(forms.Form):
    summary = forms.CharField(max_length=400, required=False, label="What came of it")
    channel = forms.ChoiceField(choices=Channel.choices, required=False)


class PromiseForm(forms.Form):
    what = forms.CharField(max_length=500, label="What we promised")
    due_on = forms.DateField(required=False, label="By when",
                             widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    metric = forms.CharField(max_length=100, required=False, label="Measured as")
    value = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    unit = forms.CharField(max_length=30, required=False)
    better = forms.ChoiceField(choices=Better.choices, initial=Better.LOWER, required=False)


class PromiseRecordForm(forms.Form):
    kept = forms.TypedChoiceField(choices=[("", "—"), ("yes", "Kept"), ("no", "Broken")],
                                  coerce=lambda v: v == "yes", required=False,
                                  empty_value=None)  # fmt: skip
    actual_value = forms.DecimalField(max_digits=12, decimal_places=2, required=False,
                                      label="Value reached")  # fmt: skip
    what_happened = forms.CharField(max_length=500, required=False)


class ExperienceForm(forms.Form):
    is_good = forms.TypedChoiceField(choices=[("no", "Bad"), ("yes", "Good")],
                                     coerce=lambda v: v == "yes", label="Good or bad")  # fmt: skip
    what = forms.CharField(max_length=500, label="What happened")
    feeling = forms.ChoiceField(choices=Feeling.choices, label="How it felt to them")
    happened_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    what_we_did = forms.CharField(max_length=500, required=False)
    set_right_on = forms.DateField(required=False, label="Set right on",
                                   widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    policy_broken = forms.CharField(max_length=200, required=False,
                                    label="Policy we broke to satisfy them")  # fmt: skip
    policy_cost = forms.DecimalField(max_digits=12, decimal_places=2, required=False,
                                     label="What it cost")  # fmt: skip


class ExpectationForm(forms.Form):
    their_words = forms.CharField(max_length=500, label="Their expectation, in their words")
    our_answer = forms.CharField(max_length=500, required=False,
                                 label="What we answered about the real experience")  # fmt: skip
    confirmed = forms.BooleanField(required=False, label="They confirmed it meets it")
    metric = forms.CharField(max_length=100, required=False, label="Measured as")
    value = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    unit = forms.CharField(max_length=30, required=False)
    due_in_days = forms.IntegerField(min_value=0, max_value=3650, initial=30,
                                     label="Due (days after the win)")  # fmt: skip


class PersonDateForm(forms.Form):
    label = forms.CharField(max_length=100)
    day = forms.IntegerField(min_value=1, max_value=31)
    month = forms.IntegerField(min_value=1, max_value=12)
    year = forms.IntegerField(min_value=1900, max_value=2200, required=False)
