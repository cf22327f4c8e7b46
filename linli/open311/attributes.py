"""Answers to a category's extra questions, as POSTed: `attribute[code]=value`, and
`attribute[code][]=value` repeated for a multivaluelist. Each answer is checked against
the service definition; every problem is reported, so a client can fix them in one go."""

import re
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.open311.dates import parse_w3c, w3c
from linli.open311.models import Datatype, ServiceAttribute

MAX_STRING = 500
MAX_TEXT = 2000
_KEY = re.compile(r"^attribute\[([^\[\]]{1,50})\](\[\])?$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Answer = str | list[str]


def plain_text(value: str) -> str:
    """Text as the spec wants it: no HTML or code. Tags are dropped, not escaped."""
    return _CONTROL.sub("", strip_tags(value or "")).strip()


def answer_text(attribute: ServiceAttribute | None, answer: Answer) -> str:
    """An answer as people read it: a choice's name rather than its key."""
    values = answer if isinstance(answer, list) else [answer]
    names = {}
    if attribute is not None:
        names = {str(v.get("key")): str(v.get("name")) for v in attribute.values or []
                 if isinstance(v, dict)}
    return "、".join(names.get(str(v), str(v)) for v in values)


def attributes_parse(form: QueryDict) -> dict[str, list[str]]:
    given: dict[str, list[str]] = {}
    for key in form:
        match = _KEY.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(form.getlist(key))
    return given


def _choice(attribute: ServiceAttribute, values: list[str]) -> Answer:
    keys = {str(v["key"]) for v in attribute.values or []}
    wrong = [v for v in values if v not in keys]
    if wrong:
        raise ValidationFailed(_("attribute[%(code)s]: %(value)s is not one of the choices.")
                               % {"code": attribute.code, "value": wrong[0][:50]})
    if attribute.datatype == Datatype.MULTI:
        return list(dict.fromkeys(values))
    return values[0]


def _number(attribute: ServiceAttribute, value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationFailed(_("attribute[%(code)s] must be a number.")
                               % {"code": attribute.code})
    return value


def _words(attribute: ServiceAttribute, value: str) -> str:
    text = plain_text(value)
    longest = MAX_TEXT if attribute.datatype == Datatype.TEXT else MAX_STRING
    if attribute.datatype == Datatype.STRING and ("\n" in text or "\r" in text):
        raise ValidationFailed(_("attribute[%(code)s] is one line of text.")
                               % {"code": attribute.code})
    if len(text) > longest:
        raise ValidationFailed(_("attribute[%(code)s] is at most %(most)d characters.")
                               % {"code": attribute.code, "most": longest})
    return text


def _answer(attribute: ServiceAttribute, values: list[str]) -> Answer:
    if attribute.datatype != Datatype.MULTI and len(values) > 1:
        raise ValidationFailed(_("attribute[%(code)s] takes one value.")
                               % {"code": attribute.code})
    if attribute.datatype in (Datatype.SINGLE, Datatype.MULTI):
        return _choice(attribute, values)
    if attribute.datatype == Datatype.NUMBER:
        return _number(attribute, values[0])
    if attribute.datatype == Datatype.DATETIME:
        return w3c(parse_w3c(values[0], f"attribute[{attribute.code}]")) or ""
    return _words(attribute, values[0])


def attributes_clean(definition: list[ServiceAttribute],
                     given: dict[str, list[str]]) -> tuple[dict[str, Answer], list[str]]:
    """The answers to keep, and every problem found (empty when all is well)."""
    asked = {a.code: a for a in definition if a.variable}
    problems = [_("attribute[%(code)s] is not a question of this service.") % {"code": code}
                for code in given if code not in asked]
    answers: dict[str, Answer] = {}
    for attribute in asked.values():
        values = [v.strip() for v in given.get(attribute.code, []) if v.strip()]
        if not values:
            if attribute.required:
                problems.append(_("attribute[%(code)s] is required: %(question)s") % {
                    "code": attribute.code, "question": attribute.description})
            continue
        try:
            answers[attribute.code] = _answer(attribute, values)
        except ValidationFailed as error:
            problems.append(error.message)
    return answers, problems
