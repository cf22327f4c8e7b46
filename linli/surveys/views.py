"""The survey pages (the surveys part fills this in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("", stub, name="home"),
    path("new/", stub, name="survey_new"),
    path("<int:survey_id>/", stub, name="survey"),
    path("<int:survey_id>/answer/", stub, name="answer"),
    path("<int:survey_id>/report/", stub, name="report"),
]
