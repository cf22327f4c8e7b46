"""Co-building agreements and property-service ratings (the agreements part fills this
in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("agreements/", stub, name="agreements"),
    path("agreements/<int:agreement_id>/", stub, name="agreement"),
    path("property/", stub, name="property"),
    path("property/rate/", stub, name="property_rate"),
    path("property/supervision/<int:supervision_id>/", stub, name="supervision"),
]
