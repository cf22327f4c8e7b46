from django import forms
from django.utils.translation import gettext_lazy as _


class AreaImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    # The button pressed: "check" (a dry run: problems by row, nothing written) or "import".
    # Without either (an old form), the safe one: check.
    mode = forms.ChoiceField(choices=[("check", "check"), ("import", "import")],
                             required=False)

    @property
    def check_only(self) -> bool:
        return self.cleaned_data.get("mode") != "import"
