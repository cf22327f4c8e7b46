"""Stored files (photos of cases, visits, inspections) served through scoped views only,
never from a public /media/ URL: the view decides who may see the file, this answers with it."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file(file: FieldFile, content_type: str, *,
                 cache: str = "private") -> FileResponse:
    """The file for the one person allowed to see it: no shared caches, no type guessing.
    A file lost from storage is a 404, as a photo one may not see. `cache`: "private, no-
    store" where even the person's own browser should not keep it (a care visit)."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response
