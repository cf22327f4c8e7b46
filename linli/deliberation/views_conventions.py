"""The hall (the app's home) and the conventions pages (stub: filled in by the conventions
part)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path


@login_required
def home(request):
    return render(request, "deliberation/hall.html", {})


def _stub(request, **kwargs):
    raise Http404


# The URL names are the contract other parts link to; keep them.
urlpatterns: list = [
    path("", home, name="home"),
    path("conventions/", _stub, name="conventions"),
    path("conventions/<int:convention_id>/", _stub, name="convention"),
]
