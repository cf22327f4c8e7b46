"""Forms of the bodies and meetings pages. They only parse input; every rule lives in
`services.meetings`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.bounds import MAX_ID
from linli.core.errors import ValidationFailed
from linli.deliberation.models import Attendees, BodyKind


def _id(label, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1, max_value=MAX_ID)


def first_error(form: forms.Form) -> ValidationFailed:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return ValidationFailed(f"{label}: {errors[0]}" if label else str(errors[0]),
                            code="invalid")


class BodyForm(forms.Form):
    area = _id(_("Place"))
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    term_start = forms.DateField(label=_("Term starts"))
    term_end = forms.DateField(label=_("Term ends"))
    quorum = forms.CharField(label=_("Quorum"), max_length=16, initial=">1/2")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class BodyEditForm(BodyForm):
    area = _id(_("Place"), required=False)


class MemberForm(forms.Form):
    resident = _id(_("Resident"), required=False)
    post = forms.CharField(label=_("Post"), max_length=32, required=False)
    joined_on = forms.DateField(label=_("Joined"), required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left"), required=False)


class MeetingForm(forms.Form):
    area = _id(_("Place"), required=False)
    body = _id(_("Body"), required=False)
    attendees = forms.ChoiceField(label=_("Quorum counted among"), required=False,
                                  choices=[("", "—"), *Attendees.choices])
    title = forms.CharField(label=_("Title"), max_length=80)
    starts_at = forms.DateTimeField(label=_("Starts"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Venue"), max_length=120)
    topics = forms.TypedMultipleChoiceField(label=_("Agenda"), required=False, coerce=int,
                                            choices=[])
    invite = forms.BooleanField(label=_("Send the invitations now"), required=False)

    def __init__(self, *args, topic_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(topic_choices)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=8)


class TickForm(forms.Form):
    member = _id(_("Member"), required=False)
    resident = _id(_("Resident"), required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=20000)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
