"""The API's error answers, written once into the OpenAPI document for every operation.

Every refusal is `{"code", "message", "details"?}` (see linli/api.py's handlers); clients and
fuzzers should find each status an operation can answer in the schema, so the schema lists
them for every operation here instead of on each endpoint.
"""

import copy
from typing import Any

from ninja import NinjaAPI, Schema

ERROR_ANSWERS: dict[int, str] = {
    400: "Bad input: a missing or invalid field, a body that does not parse, a refused "
         "value. `details` lists the fields when there are any.",
    401: "Not signed in: no session and no valid API token (`unauthenticated`, "
         "`bad_token`, `token_expired`, ...).",
    403: "The object is visible but this action is not allowed to this user, or a "
         "signed-in browser write came without its CSRF token (`csrf_failed`).",
    404: "The object does not exist or is outside what this user may see.",
    409: "A conflict: the object changed since it was read (stale version), the action "
         "was already taken, or the same idempotency key came with a different request.",
    413: "The request body or an uploaded file is too large.",
    415: "The body's content type is not accepted (JSON bodies need application/json).",
    429: "Too many requests or failed attempts: wait and try again.",
}


class Error(Schema):
    """Every error answer of the API."""

    code: str
    message: str
    details: Any = None


def _error_component() -> dict:
    schema = Error.model_json_schema()
    # `details` is absent when there is nothing to add; it is never sent as null.
    schema["properties"]["details"] = {"title": "Details",
                                       "description": "What went wrong, field by field"}
    return schema


# The name each error answer has in components/responses: every operation refers to it
# instead of repeating it (the document is half the size, and the docs page draws faster).
ANSWER_NAMES = {400: "BadInput", 401: "Unauthenticated", 403: "Forbidden", 404: "NotFound",
                409: "Conflict", 413: "TooLarge", 415: "UnsupportedMediaType",
                429: "TooManyRequests"}


def add_error_answers(schema: dict) -> dict:
    """Add every error answer an operation does not declare itself, as a reference to the
    shared answer. A public operation (no `security`) gets no 401 unless it declares one
    (a failed login answers 401)."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = _error_component()
    ref = {"$ref": "#/components/schemas/Error"}
    shared = components.setdefault("responses", {})
    for status, description in ERROR_ANSWERS.items():
        shared[ANSWER_NAMES[status]] = {
            "description": description, "content": {"application/json": {"schema": ref}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status in ERROR_ANSWERS:
                if status == 401 and not operation.get("security"):
                    continue
                responses.setdefault(
                    status, {"$ref": f"#/components/responses/{ANSWER_NAMES[status]}"})
    return schema


class LinliAPI(NinjaAPI):
    """NinjaAPI whose schema documents the error answers of every operation.

    The schema is built once per process and path prefix: the routes are fixed at start-up
    and building it costs most of a second (a megabyte over every app's operations), which
    every visit to /api/docs would otherwise pay again. Callers get their own copy."""

    def get_openapi_schema(self, **kwargs: Any):
        key = repr(sorted(kwargs.items()))
        built = self.__dict__.setdefault("_built_schemas", {})
        if key not in built:
            built[key] = add_error_answers(super().get_openapi_schema(**kwargs))
        return copy.deepcopy(built[key])
