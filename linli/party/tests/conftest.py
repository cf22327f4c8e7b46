"""Assertions read the English msgids; the UI's default language is Chinese."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(client):
    from linli.core.middleware import LANGUAGE_COOKIE

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the API
    client.cookies[LANGUAGE_COOKIE] = "en"  # the pages
    with translation.override("en"):
        yield
