from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PASTE = 2 * 1024 * 1024


class ShapeForm(forms.Form):
    geojson = forms.CharField(
        label=_("The shape as GeoJSON"), required=False, max_length=MAX_PASTE,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false",
                                     "placeholder": '{"type": "Polygon", "coordinates": …}'}))
    file = forms.FileField(label=_("Or a GeoJSON file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}))


class ShapeImportForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Under the area"), coerce=int)
    file = forms.FileField(label=_("GeoJSON or KML file"), widget=forms.ClearableFileInput(
        attrs={"accept": ".geojson,.json,.kml"}))

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [  # type: ignore[attr-defined]
            (a.pk, f"{'· ' * a.depth}{a.name}") for a in parents]
