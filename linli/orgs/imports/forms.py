from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import SpreadsheetImportForm


class AreaImportForm(SpreadsheetImportForm):
    """The area tree's import reads .csv too."""

    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
