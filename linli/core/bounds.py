"""Integer types for the API's parameters and bodies, bounded by what the database stores.

A number too large for its column used to reach the database and come back as a server
error (SQLite: "datatype mismatch", PostgreSQL: "out of range"). Bounding it in the schema
refuses it with the API's usual 400 before any code runs, and the OpenAPI document says so,
so clients and fuzzers know the range. Rules about sensible values (a rating is 1 to 5)
stay in the services; these bounds only say what fits.
"""

from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import Strict

MAX_ID = 2**63 - 1  # BigAutoField, the primary key of every table
MAX_PAGE = 1_000_000  # x the largest page size stays far inside a 64-bit OFFSET
MAX_PAGE_SIZE = 1_000  # larger asks were, and are, cut to the paginator's own maximum

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# IntegerField / PositiveIntegerField (PostgreSQL integer)
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
# PositiveSmallIntegerField (PostgreSQL smallint)
Int16 = Annotated[int, Field(ge=-(2**15), le=2**15 - 1)]
StrictInt32 = Annotated[Int32, Strict()]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]


class Pages(PageNumberPagination):
    """ninja's page-number pagination with the page and page size bounded."""

    class Input(Schema):
        page: Page = 1
        page_size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] | None = None
