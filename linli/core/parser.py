"""The API's request parser: a JSON body is a JSON object, sent as JSON, without control
characters; query strings and form fields are free of control characters too.

Without it, `"x"` as the body of a write whose fields are all optional did the write with
the defaults, any content type was read as JSON, and a NUL reached PostgreSQL, which
refuses it with a server error. Refusals are ApplicationErrors; ninja wraps what a parser
raises in a 400 HttpError, and linli.api answers with the error it wraps.
"""

import json
import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.params.models import _HttpRequest as _FormFieldRequest
from ninja.parser import Parser

from linli.core.errors import UnsupportedMediaType, ValidationFailed

# C0 controls and DEL, except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_json(request: HttpRequest) -> bool:
    media_type = (request.content_type or "").lower()
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    return (media_type == "application/json" or media_type.endswith("+json")) and (
        charset in ("utf-8", "utf8"))


def _text_check(value: Any, field: str = "") -> None:
    """Refuse a control character in any string of `value`, naming where it is."""
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            message = (_("%(field)s contains a control character.") % {"field": field}
                       if field else _("The request contains a control character."))
            raise ValidationFailed(message, code="control_characters",
                                   details=[{"field": field, "message": message}])
    elif isinstance(value, dict):
        for key, item in value.items():
            _text_check(key, field)
            _text_check(item, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _text_check(item, f"{field}.{index}" if field else str(index))


class LinliParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # ninja also parses each field of a multipart body with this method, through a bare
        # request of its own: the envelope was checked already, and a field may be a string.
        field_of_a_form = isinstance(request, _FormFieldRequest)
        if not field_of_a_form and not _is_json(request):
            raise UnsupportedMediaType(
                _("Send the body as JSON, with the header Content-Type: application/json."))
        data = json.loads(request.body)
        if not field_of_a_form and not isinstance(data, dict):
            raise ValidationFailed(_("The request body must be a JSON object."),
                                   code="not_an_object")
        _text_check(data)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _text_check({key: value for key, value in result.items()
                     if isinstance(value, (str, list))})
        return result
