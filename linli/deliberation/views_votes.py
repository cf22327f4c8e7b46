"""The votes pages (stub: filled in by the votes part). The URL names below are
the contract other parts link to; keep them."""

from django.http import Http404
from django.urls import path


def _stub(request, **kwargs):
    raise Http404


urlpatterns: list = [
    path("votes/", _stub, name="votes"),
    path("votes/new/", _stub, name="vote_new"),
    path("votes/<int:vote_id>/", _stub, name="vote"),
]
