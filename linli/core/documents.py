"""PDF attachments checked before anything is stored: a size limit and the PDF signature,
so a renamed executable or a 200 MB scan is refused with the file's name. The pictures'
counterpart is `core.images` (it also strips their EXIF)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

MAX_PDF_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class CleanPdf:
    name: str      # as uploaded, at most 120 characters (its end, where the extension is)
    content: bytes


def pdfs_clean(files: Sequence, max_bytes: int = MAX_PDF_BYTES) -> list[CleanPdf]:
    """Every upload checked; the first that fails refuses them all."""
    checked = []
    for upload in files:
        name = str(getattr(upload, "name", "") or "attachment.pdf")[-120:]
        if upload.size > max_bytes:
            raise ValidationFailed(_("%(name)s is larger than 10 MB.") % {"name": name},
                                   code="file_too_large")
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise ValidationFailed(_("%(name)s is not a PDF document.") % {"name": name},
                                   code="file_type")
        checked.append(CleanPdf(name, content))
    return checked
