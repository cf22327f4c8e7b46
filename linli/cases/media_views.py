"""Case photos, served only through a scoped view: never from a public /media/ URL."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from linli.cases import selectors
from linli.core.media import private_file


@login_required
@require_GET
def photo_file(request, photo_id: int):
    photo = selectors.photo_get(actor=request.user, photo_id=photo_id)
    return private_file(photo.image, photo.content_type)


@login_required
@require_GET
def photo_thumbnail(request, photo_id: int):
    photo = selectors.photo_get(actor=request.user, photo_id=photo_id)
    return private_file(photo.thumbnail, photo.content_type)
