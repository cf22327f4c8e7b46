"""Forms of the notices pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.community.models import MAX_TEXT, NoticeKind
from linli.core.bounds import MAX_ID


class NoticeForm(forms.Form):
    area = forms.IntegerField(label=pgettext_lazy("notice", "To"), min_value=1, max_value=MAX_ID)
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=80)
    body = forms.CharField(label=_("Text"), max_length=MAX_TEXT, widget=forms.Textarea)
    care_tag = forms.IntegerField(label=_("Only for the care group"), required=False,
                                  min_value=1, max_value=MAX_ID)
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False)
    expires_at = forms.DateTimeField(label=_("Expires"), required=False)


class NoticeEditPublishedForm(forms.Form):
    pinned = forms.BooleanField(label=_("Pinned"), required=False)
    expires_at = forms.DateTimeField(label=_("Expires"), required=False)


class NoticeActionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
