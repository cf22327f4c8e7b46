from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username or phone"), max_length=64)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class OtpForm(forms.Form):
    code = forms.CharField(label=_("6-digit code"), min_length=6, max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=64)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366,
                              initial=90)
