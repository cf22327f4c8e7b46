"""The WSGI application bench/intake.py serves: the production one (`linli.wsgi`, same
settings, middleware and warm-up) plus one bare django-ninja endpoint, `POST /bench/bare`,
to measure what the framework itself costs in the same server processes.

The bare endpoint does what any token-authenticated create must: the same token
authentication (`TokenAuth`), routing, validation of the fields a report sends, and ONE
row inserted through the ORM into `bench_bare`, a table as wide as `cases_case` (the
benchmark creates it with `CREATE TABLE ... (LIKE cases_case ...)`). Everything else a
report does (scope, routing to a unit, event, audit, idempotency key, queued notice) is
the difference the intake benchmark's `ratio_bare` shows.

    granian --interface wsgi ... bench._serve:application
"""

from functools import cache

from linli.wsgi import application  # first: it sets Django up (the models need it)

# isort: split

from django.conf import settings
from django.db import models
from django.urls import path
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema, Status

import linli.urls
from linli.accounts.api_auth import TokenAuth
from linli.cases.models import Case
from linli.core.bounds import Id

__all__ = ["application"]


def _column(field: models.Field) -> models.Field:
    # A relation becomes its integer column: the insert sends the same values, without the
    # related models (the bare endpoint never loads them).
    if field.is_relation:
        return models.BigIntegerField(db_column=field.column, null=field.null)
    return field.clone()


def _bare_model() -> type[models.Model]:
    fields = {f.attname: _column(f) for f in Case._meta.concrete_fields}
    meta = type("Meta", (), {"app_label": "bench", "db_table": "bench_bare",
                             "managed": False})
    return type("BareRow", (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


BareRow = _bare_model()


@cache
def _template() -> dict:
    """The newest case's values, read once per process: a realistic row to copy."""
    names = [f.attname for f in Case._meta.concrete_fields if not f.primary_key]
    return Case.objects.order_by("-id").values(*names)[0]


class BareIn(Schema):
    category: str = Field(max_length=16)
    area_id: Id
    title: str = ""
    description: str


class BareOut(Schema):
    id: int


bare_api = NinjaAPI(title="bench bare", urls_namespace="bench_bare", auth=TokenAuth(),
                    docs_url=None)


@bare_api.post("/bare", response={201: BareOut})
def bare_create(request, payload: BareIn):
    row = BareRow.objects.create(**{**_template(), "title": payload.title,
                                    "description": payload.description,
                                    "reported_at": timezone.now()})
    return Status(201, {"id": row.pk})


# Django reads ROOT_URLCONF on every request: this module's patterns serve from now on.
urlpatterns = [*linli.urls.urlpatterns, path("bench/", bare_api.urls)]
handler404 = linli.urls.handler404
settings.ROOT_URLCONF = __name__
