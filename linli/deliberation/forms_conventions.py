"""Forms of the convention pages. They only parse input; every rule lives in
`services.conventions`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.bounds import MAX_ID
from linli.deliberation.services.conventions import MAX_NOTE, MAX_TEXT, MAX_TITLE


class ConventionForm(forms.Form):
    area = forms.TypedChoiceField(label=_("Place"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    text = forms.CharField(label=_("Text of the convention"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE, required=False)
    topic = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                               widget=forms.HiddenInput)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.pk, f"{a.name}（{a.get_kind_display()}）") for a in areas]


class VersionForm(forms.Form):
    text = forms.CharField(label=_("Full text of the new version"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label=_("What changed"), max_length=MAX_NOTE)


class VersionEditForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label=_("What changed"), max_length=MAX_NOTE, required=False)


def first_error(form: forms.Form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
