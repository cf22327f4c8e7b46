"""Forms of the services pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.bounds import MAX_ID
from linli.library.models import Price, ServiceKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def first_invalid(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return str(_("Check the form."))


class SlotBookForm(forms.Form):
    slot = forms.IntegerField(min_value=1, max_value=MAX_ID)
    resident = forms.IntegerField(min_value=1, max_value=MAX_ID)
    note = forms.CharField(label=_("Note for the provider"), max_length=500, required=False)


class RoomBookForm(forms.Form):
    room = forms.IntegerField(min_value=1, max_value=MAX_ID)
    resident = forms.IntegerField(min_value=1, max_value=MAX_ID)
    day = forms.DateField(label=_("Date"))
    start = forms.TimeField(label=pgettext_lazy("time of day", "From"))
    end = forms.TimeField(label=pgettext_lazy("time of day", "To"))
    note = forms.CharField(label=_("Note for the provider"), max_length=500, required=False)


class BookingActionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=2000, required=False)
    rating = forms.IntegerField(label=_("Stars"), min_value=1, max_value=5, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class ServiceForm(forms.Form):
    provider = forms.IntegerField(label=_("Provider"), min_value=1, max_value=MAX_ID)
    area = forms.IntegerField(label=_("Who may book"), min_value=1, max_value=MAX_ID)
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea)
    place = forms.CharField(label=_("Where"), max_length=120, required=False)
    price = forms.ChoiceField(label=_("Price"), choices=Price.choices)
    price_yuan = forms.DecimalField(label=_("Price (yuan)"), max_digits=8, decimal_places=2,
                                    required=False)
    price_points = forms.IntegerField(label=_("Price (points)"), min_value=1,
                                      max_value=100000, required=False)
    capacity = forms.IntegerField(label=_("Places per slot"), min_value=1, max_value=500)
    care_tag = forms.IntegerField(label=_("Only for the care group"), min_value=1,
                                  max_value=MAX_ID, required=False)
    needs_confirmation = forms.BooleanField(required=False)
    is_venue = forms.BooleanField(required=False)


class SlotsForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), input_formats=DATETIME_FORMATS)
    ends_at = forms.TimeField(label=_("Ends"))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500,
                                  required=False)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=12, required=False)


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)


class HoursForm(forms.Form):
    weekday = forms.IntegerField(label=_("Weekday"), min_value=0, max_value=6)
    opens = forms.TimeField(label=_("Opens"), required=False)
    closes = forms.TimeField(label=_("Closes"), required=False)
