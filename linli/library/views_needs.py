"""The needs pages (the needs part fills this in); urls.py gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("needs/", stub, name="needs"),
    path("needs/new/", stub, name="need_new"),
    path("needs/<int:need_id>/", stub, name="need"),
]
