"""The notices pages (the notices part fills this in); urls.py gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET


@login_required
@require_GET
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("notices/", stub, name="notices"),
    path("notices/<int:notice_id>/", stub, name="notice"),
]
