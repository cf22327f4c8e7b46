"""Joint committees, joint meetings and resolutions (the meetings part fills this in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("joint/", stub, name="joint"),
    path("meetings/", stub, name="meetings"),
    path("meetings/<int:joint_meeting_id>/", stub, name="meeting"),
    path("resolutions/", stub, name="resolutions"),
    path("resolutions/solved/", stub, name="solved"),
    path("resolutions/<int:resolution_id>/", stub, name="resolution"),
]
