"""The results pages (stub: filled in by the results part). The URL names below are
the contract other parts link to; keep them."""

from django.http import Http404
from django.urls import path


def _stub(request, **kwargs):
    raise Http404


urlpatterns: list = [
    path("votes/<int:vote_id>/result/", _stub, name="vote_result"),
    path("votes/<int:vote_id>/receipt/", _stub, name="receipt"),
]
