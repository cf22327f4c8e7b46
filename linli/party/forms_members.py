"""The forms of the members part's pages (hub, organisations, members, 双报到, posts,
service hours). The choices are filled by the view from selectors, so a form never offers
what the person may not use."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.party.models import MemberKind, OrgKind


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    area = forms.IntegerField(label=_("Area"))
    parent = forms.IntegerField(label=_("Parent organisation"), required=False)
    unit = forms.IntegerField(label=pgettext_lazy("co-building", "Unit"), required=False)


class PickForm(forms.Form):
    """One chosen row by id: a member, an organisation, a membership, a post."""

    member = forms.IntegerField(required=False)
    organisation = forms.IntegerField(required=False)
    membership = forms.IntegerField(required=False)
    representative = forms.CharField(max_length=64, required=False)


class MemberForm(forms.Form):
    resident = forms.IntegerField(label=_("Resident"), required=False)
    user = forms.CharField(label=_("User name"), max_length=150, required=False)
    community = forms.IntegerField(label=_("Community"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MemberKind.choices)
    employer = forms.CharField(label=_("Employer"), max_length=100, required=False)
    joined_party_on = forms.DateField(label=_("Joined the party on"), required=False)


class RegisterForm(forms.Form):
    employer = forms.CharField(label=_("Employer"), max_length=100)
    employer_org = forms.CharField(label=_("Party organisation at work"), max_length=100,
                                   required=False)
    posts = forms.MultipleChoiceField(label=_("Service posts"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=pgettext_lazy("party", "Note"), max_length=500,
                           required=False)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), p.name) for p in posts]


class ActForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False)
    expected_version = forms.IntegerField(required=False)


class PostForm(forms.Form):
    community = forms.IntegerField(label=_("Community"))
    name = forms.CharField(label=_("Post"), max_length=64)
    duties = forms.CharField(label=_("Duties"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    open_to_dual = forms.BooleanField(label=_("Open to in-service members"), required=False)
    places = forms.IntegerField(label=_("Places"), required=False, min_value=1,
                                max_value=999)
    task = forms.IntegerField(label=_("Volunteering task"), required=False)
    activity = forms.IntegerField(label=_("Activity"), required=False)


class ServiceForm(forms.Form):
    member = forms.IntegerField(label=_("Member"))
    served_on = forms.DateField(label=_("Date"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1)
    what = forms.CharField(label=_("What was done"), max_length=200)
    post = forms.IntegerField(label=_("Post"), required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
