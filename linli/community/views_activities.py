"""The activities pages (filled in by the activities part); gathered by urls.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET


@login_required
@require_GET
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("", stub, name="home"),
    path("activities/", stub, name="activities"),
    path("activities/<int:activity_id>/", stub, name="activity"),
]
