"""Case photos, served only through a scoped view: never from a public /media/ URL."""

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from linli.cases import selectors


def _serve(file: FieldFile, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    # Only the person who may see the case gets it: no shared caches, no type guessing.
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def photo_file(request, photo_id: int):
    photo = selectors.photo_get(actor=request.user, photo_id=photo_id)
    return _serve(photo.image, photo.content_type)


@login_required
@require_GET
def photo_thumbnail(request, photo_id: int):
    photo = selectors.photo_get(actor=request.user, photo_id=photo_id)
    return _serve(photo.thumbnail, photo.content_type)
