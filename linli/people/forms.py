"""Form parsing for the registry pages. Only the shape of the input: every rule (checksums,
scope, duplicates, legal basis) is the services' business."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.cases.models import Category
from linli.people.models import CareTag, Consent, Gender, Relation, Tenure, VisitKind

# A date input takes only ISO dates: the Chinese locale's first input format (2024/03/08)
# would leave the field empty in the browser.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SensitiveInput(forms.TextInput):
    """Never writes a value back into the page, not even the person's own input after an
    error: a page shows an ID number or phone in clear only through an audited reveal."""

    def format_value(self, value):
        return None


class ResidentForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=64)
    id_number = forms.CharField(label=_("ID number"), max_length=32, required=False,
                                widget=SensitiveInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            widget=SensitiveInput(attrs={"autocomplete": "off",
                                                         "inputmode": "tel"}))
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE,
                                 help_text=_("Filled in from the ID number if left empty."))
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—"), *Gender.choices])
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Relation.choices)
    tenure = forms.ChoiceField(label=_("Owner or tenant"), choices=Tenure.choices)
    moved_in = forms.DateField(label=_("Moved in"), required=False, widget=DATE)


class ResidentEditForm(ResidentForm):
    """The stored ID number and phone are never put back into the form: blank keeps them."""

    clear_id_number = forms.BooleanField(label=_("Remove the ID number"), required=False)
    clear_phone = forms.BooleanField(label=_("Remove the phone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = _("Leave empty to keep the stored number.")
        self.fields["phone"].help_text = _("Leave empty to keep the stored number.")
        self.fields["birth_date"].help_text = _("Leave empty to keep the stored date.")


class MoveOutForm(forms.Form):
    moved_out = forms.DateField(label=_("Moved out on"), required=False, widget=DATE)


class ConsentForm(forms.Form):
    basis = forms.ChoiceField(label=_("Legal basis"), choices=Consent.Basis.choices)
    reference = forms.CharField(label=_("Reference (document, form number)"), max_length=200,
                                required=False)


class TagForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("Care tag"), queryset=CareTag.objects.all())
    note = forms.CharField(label=_("Note (kept encrypted)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    grid_worker = forms.TypedChoiceField(label=_("Responsible grid worker"), coerce=int)
    visit_every_days = forms.IntegerField(label=_("Visit every (days)"), min_value=1,
                                          max_value=365, required=False)
    next_visit_due = forms.DateField(label=_("Next visit due"), required=False, widget=DATE)
    emergency_contact = forms.CharField(label=_("Emergency contact (kept encrypted)"),
                                        required=False, max_length=2000,
                                        widget=SensitiveInput(attrs={"autocomplete": "off"}))
    needs = forms.CharField(label=_("Needs (kept encrypted)"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, grid_workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["grid_worker"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(u.pk, str(u)) for u in grid_workers]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    findings = forms.CharField(label=_("Findings (kept encrypted)"), required=False,
                               max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
    raise_case = forms.BooleanField(label=_("Raise a case for the follow-up now"),
                                    required=False)
    # Posted as the category's code by the report form's picker (cases/_category_picker.html),
    # from the same leaves it lists (cases.selectors.leaf_categories).
    case_category = forms.ModelChoiceField(
        label=_("Case category"), required=False, to_field_name="code",
        queryset=Category.objects.filter(is_active=True).exclude(triage=""),
        error_messages={"invalid_choice": _("That category is no longer offered; choose "
                                            "another.")})
    case_description = forms.CharField(
        label=_("Case description (seen by the handling unit: no health details)"),
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
