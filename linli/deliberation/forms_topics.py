"""Forms of the topics pages. They only parse input; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.bounds import MAX_ID
from linli.deliberation.models import MAX_COMMENT, MAX_TEXT, Category, TopicState

FILTERS = ("state", "category", "area_id", "search")
EVERYTHING = ("", _("All"))


class TopicFilterForm(forms.Form):
    search = forms.CharField(label=_("Words in the title"), required=False, max_length=80)
    state = forms.MultipleChoiceField(label=_("State"), required=False,
                                      choices=TopicState.choices,
                                      widget=forms.CheckboxSelectMultiple)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[EVERYTHING, *Category.choices])
    area_id = forms.TypedChoiceField(label=_("Place"), required=False, coerce=int,
                                     empty_value=None, choices=[EVERYTHING])

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["area_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [EVERYTHING, *[(a.pk, a.name) for a in places]]

    def first_error(self) -> str:
        name, errors = next(iter(self.errors.items()))
        label = self.fields[name].label if name in self.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])


class TopicForm(forms.Form):
    area = forms.IntegerField(label=_("Place"), min_value=1, max_value=MAX_ID)
    title = forms.CharField(label=_("Title"), max_length=80)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=MAX_TEXT,
                                  widget=forms.Textarea)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=MAX_COMMENT)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TopicActionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    into = forms.IntegerField(label=_("Topic to merge into"), required=False, min_value=1,
                              max_value=MAX_ID)
    category = forms.IntegerField(label=_("Category of the case"), required=False,
                                  min_value=1, max_value=MAX_ID)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=MAX_TEXT)
    case = forms.IntegerField(label=_("Case number"), required=False, min_value=1,
                              max_value=MAX_ID)
    task = forms.IntegerField(label=_("Volunteering task number"), required=False,
                              min_value=1, max_value=MAX_ID)
    budget = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=0,
                                max_digits=12, decimal_places=2)


def first_invalid(form) -> str:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return f"{label}: {errors[0]}" if label else str(errors[0])
