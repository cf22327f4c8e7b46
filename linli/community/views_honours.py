"""The honours pages (the honours part fills this in); urls.py gathers `urlpatterns`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET


@login_required
@require_GET
def stub(request, **ids):
    raise Http404


urlpatterns = [
    path("boards/", stub, name="boards"),
    path("boards/<int:board_id>/", stub, name="board"),
    path("entries/<int:entry_id>/", stub, name="entry"),
]
