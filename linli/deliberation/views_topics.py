"""The topics pages (stub: filled in by the topics part). The URL names below are
the contract other parts link to; keep them."""

from django.http import Http404
from django.urls import path


def _stub(request, **kwargs):
    raise Http404


urlpatterns: list = [
    path("topics/", _stub, name="topics"),
    path("topics/new/", _stub, name="topic_new"),
    path("topics/<int:topic_id>/", _stub, name="topic"),
]
