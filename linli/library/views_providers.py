"""The providers pages (the providers part fills this in); urls.py gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("providers/", stub, name="providers"),
    path("providers/new/", stub, name="provider_new"),
    path("providers/<int:provider_id>/", stub, name="provider"),
    path("providers/<int:provider_id>/edit/", stub, name="provider_edit"),
    path("skills/", stub, name="offer_skills"),  # a resident lists their skills (consent)
]
