"""An address under /api/ that matches no operation answers in the API's error shape, as
the schema documents every 404; a page address keeps the page."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/notifications/abc/read", "/api/no-such-thing"])
def test_an_unknown_api_address_is_a_json_404(client, path):
    client.force_login(get_user_model().objects.create_user(username="ann", password="x"))
    response = client.post(path) if path.endswith("/read") else client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_address_is_a_page_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
