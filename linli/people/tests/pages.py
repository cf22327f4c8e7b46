"""Helpers for the page and API tests."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.people.models import AccessLog, CarePlan, Consent, Resident, ResidentTag, Visit


def as_user(client, user):
    """Log in, in English: the assertions name messages by their msgids."""
    client.force_login(user)
    client.cookies["linli_language"] = "en"
    return client


def html(response) -> str:
    """The body as a person would read it: JSON with its \\u escapes decoded."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def jpeg(name: str = "visit.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def registry_state() -> tuple:
    """What a refused write must leave untouched."""
    return (tuple(Resident.objects.order_by("pk").values_list(
                "pk", "name", "id_number_hash", "phone_hash", "moved_out", "relation")),
            Consent.objects.count(), ResidentTag.objects.count(),
            tuple(CarePlan.objects.values_list("pk", "grid_worker_id", "next_visit_due")),
            Visit.objects.count())


def access_rows() -> list[tuple]:
    return list(AccessLog.objects.order_by("id").values_list("actor_label", "field", "outcome"))
