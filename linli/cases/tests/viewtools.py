"""Helpers of the case page tests: logging in (in English, so assertions name the
messages by their msgids), reading responses, a small photo."""

import html
import io
import re

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

STALE = "This case changed since you opened it."


def jpeg(name: str = "leak.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def login_as(client, user):
    client.force_login(user)
    client.cookies["linli_language"] = "en"
    return client


def body(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def refused(response) -> tuple[int, str]:
    """The status and the reason of a refused page action (core/refused.html)."""
    found = re.search(r'id="refusal"[^>]*>(.*?)</p>', body(response), re.S)
    return response.status_code, html.unescape(found.group(1)) if found else ""
