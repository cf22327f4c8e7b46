"""Contact households and their visits (the contacts part fills this in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("contacts/", stub, name="contacts"),
    path("contacts/rates/", stub, name="contact_rates"),
    path("contacts/<int:contact_id>/", stub, name="contact"),
    path("contacts/<int:contact_id>/visit/", stub, name="contact_visit"),
]
