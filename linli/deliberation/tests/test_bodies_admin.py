"""The admin site's body page: administrators see a body with its members inline (none can
be deleted: a member leaves); nobody else gets in."""

from linli.deliberation.tests.factories import body, dwellings, person


def test_an_admin_sees_the_members_inline_and_cannot_delete_them(client, world):
    home = dwellings(world.entrance_a, 1)[0]
    council = body(world, members=[person(world.alice, home, "钱议员")])
    client.force_login(world.ada)
    page = client.get(f"/admin/deliberation/body/{council.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "钱议员" in html and "members-0-DELETE" not in html


def test_a_dispatcher_does_not_get_into_the_admin_body_page(client, world):
    council = body(world)
    client.force_login(world.alice)
    page = client.get(f"/admin/deliberation/body/{council.pk}/change/")
    assert page.status_code == 302 and "/login/" in page["Location"]
