"""Forms every app's pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SpreadsheetImportForm(forms.Form):
    """An import page's upload: the file, and which button was pressed — "check" (a dry
    run: every problem by row, nothing written) or "import". Without either (an old form, a
    script), the safe one: check. An app whose import also reads .csv overrides `file`."""

    file = forms.FileField(label=_("Spreadsheet (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    mode = forms.ChoiceField(choices=[("check", "check"), ("import", "import")],
                             required=False)

    @property
    def check_only(self) -> bool:
        return self.cleaned_data.get("mode") != "import"
