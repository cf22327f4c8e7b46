"""The services, venues and bookings pages (the services part fills this in); urls.py
gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path


@login_required
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("", stub, name="home"),  # the library's hub: services and venues to book
    path("services/new/", stub, name="service_new"),
    path("services/<int:service_id>/", stub, name="service"),
    path("bookings/", stub, name="bookings"),  # my household's bookings
    path("bookings/<int:booking_id>/", stub, name="booking"),
    path("desk/", stub, name="desk"),  # a provider's (or staff's) bookings to handle
]
