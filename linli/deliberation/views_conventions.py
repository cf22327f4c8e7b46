"""The hall (the app's home) and the conventions pages (stub: filled in by the conventions
part)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def home(request):
    return render(request, "deliberation/hall.html", {})


urlpatterns: list = [path("", home, name="home")]
