"""Every API schema has a name of its own. django-ninja files schemas in the OpenAPI
document by class name, so two classes named alike (cases' `DecisionIn`, a meeting's
`DecisionIn`) make one operation document the other's body, and clients send the wrong
fields. The apps' schema classes are walked after the API is built."""

from collections import defaultdict

from ninja import Schema

from linli.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    api.get_openapi_schema()  # every router imported
    found = defaultdict(set)
    for cls in _subclasses(Schema):
        module = cls.__module__
        if module.startswith("linli.") and ".tests." not in module:
            found[cls.__name__].add(f"{module}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in found.items() if len(where) > 1}
    assert shared == {}
