"""Answers to a category's questions, one datatype at a time."""

import pytest
from django.http import QueryDict

from linli.open311.attributes import attributes_clean, attributes_parse
from linli.open311.models import ServiceAttribute


def _question(datatype: str, **extra) -> ServiceAttribute:
    return ServiceAttribute(code="q", datatype=datatype, description="?", order=1, **extra)


def _clean(question: ServiceAttribute, *values: str):
    query = QueryDict(mutable=True)
    key = "attribute[q][]" if len(values) > 1 else "attribute[q]"
    query.setlist(key, list(values))
    return attributes_clean([question], attributes_parse(query))


@pytest.mark.parametrize(("datatype", "given", "kept"), [
    ("string", "二单元门口", "二单元门口"),
    ("string", "<i>门口</i>", "门口"),
    ("text", "第一行\n第二行", "第一行\n第二行"),
    ("number", "3.5", "3.5"),
    ("datetime", "2026-03-01T08:00:00Z", "2026-03-01T16:00:00+08:00"),
])
def test_good_answers_are_kept(datatype, given, kept):
    assert _clean(_question(datatype), given) == ({"q": kept}, [])


@pytest.mark.parametrize(("datatype", "given", "problem"), [
    ("string", "一\n二", "attribute[q] is one line of text."),
    ("string", "字" * 501, "attribute[q] is at most 500 characters."),
    ("text", "字" * 2001, "attribute[q] is at most 2000 characters."),
    ("number", "three", "attribute[q] must be a number."),
    ("number", "NaN", "attribute[q] must be a number."),
    ("datetime", "tomorrow", "attribute[q] must be a W3C date such as 2026-01-01T00:00:00Z "
                             "(with a timezone)."),
])
def test_bad_answers_are_problems(datatype, given, problem):
    assert _clean(_question(datatype), given) == ({}, [problem])


def test_a_multivaluelist_keeps_each_choice_once():
    question = _question("multivaluelist", values=[{"key": "a", "name": "A"},
                                                   {"key": "b", "name": "B"}])
    assert _clean(question, "b", "a", "b") == ({"q": ["b", "a"]}, [])
    assert _clean(question, "a", "z") == ({}, ["attribute[q]: z is not one of the choices."])


def test_an_informational_attribute_takes_no_answer():
    question = _question("string", variable=False, required=True)
    assert _clean(question, "x") == ({}, ["attribute[q] is not a question of this service."])
    assert attributes_clean([question], {}) == ({}, [])
