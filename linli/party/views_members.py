"""The hub, organisations, members, dual registrations, posts and service hours (the
members part fills this in); urls.py gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("", stub, name="home"),
    path("orgs/", stub, name="orgs"),
    path("orgs/import/", stub, name="org_import"),
    path("orgs/<int:organisation_id>/", stub, name="org"),
    path("members/", stub, name="members"),
    path("members/<int:party_member_id>/", stub, name="member"),
    path("me/", stub, name="me"),
    path("register/", stub, name="register"),
    path("registrations/", stub, name="registrations"),
    path("registrations/<int:registration_id>/", stub, name="registration"),
    path("posts/", stub, name="posts"),
    path("service/", stub, name="service"),
]
