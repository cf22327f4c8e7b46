"""The meetings pages (stub: filled in by the meetings part). The URL names below are
the contract other parts link to; keep them."""

from django.http import Http404
from django.urls import path


def _stub(request, **kwargs):
    raise Http404


urlpatterns: list = [
    path("bodies/", _stub, name="bodies"),
    path("bodies/<int:body_id>/", _stub, name="body"),
    path("meetings/", _stub, name="meetings"),
    path("meetings/new/", _stub, name="meeting_new"),
    path("meetings/<int:meeting_id>/", _stub, name="meeting"),
]
