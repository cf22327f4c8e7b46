"""Orders placed on exact days for the ledger's tests: issued, rectified, re-checked and
overdue through the real order workflow (`workflow.ORDERS`, `core.workflow.system_move`),
with the deadline set on the row so that each order falls in the month a test names."""

import io
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from PIL import Image

from linli.core.images import image_clean
from linli.core.workflow import system_move
from linli.inspections.models import Order
from linli.inspections.tests import factories
from linli.inspections.workflow import ORDERS

MARCH_NOW = "2026-03-20 12:00"  # "now" of the March tests: in the middle of the month


def at(text: str) -> datetime:
    """A local time, "2026-03-05 18:00"."""
    return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    return image_clean(buffer.getvalue(), "after.jpg")


def issued(world, *, due: str, issued: str = "2026-03-02 09:00", campaign=None, area=None,
           actor=None, name: str | None = None) -> Order:
    """An order issued at `issued` whose deadline is `due` (local times)."""
    c = campaign or factories.campaign(world, starts_on=date(2026, 3, 1), days=60)
    t = factories.target(world, area=area or world.building_a,
                         name=name or f"商铺{Order.objects.count() + 1}")
    inspection = factories.inspect(world, c, t, actor=actor or world.gina, now=at(issued))
    order = inspection.orders.get()
    Order.objects.filter(pk=order.pk).update(due_at=at(due))
    order.refresh_from_db()
    return order


def rectify(world, order: Order, when: str, actor=None) -> Order:
    with transaction.atomic():
        ORDERS.transition(actor=actor or world.gina, obj=order, action="rectify",
                          note="已更换软管", now=at(when), data={"after": [photo()]})
    return order


def sign_off(world, order: Order, when: str) -> Order:
    with transaction.atomic():
        ORDERS.transition(actor=world.alice, obj=order, action="sign_off", now=at(when))
    return order


def reject(world, order: Order, when: str) -> Order:
    with transaction.atomic():
        ORDERS.transition(actor=world.alice, obj=order, action="reject", now=at(when),
                          note="软管仍未更换")
    return order


def overdue(order: Order, when: str) -> Order:
    with transaction.atomic():
        system_move(order, "overdue", at(when))
    order.refresh_from_db()
    return order


def march(world) -> dict[str, Order]:
    """Seen on 20 March 2026 (`MARCH_NOW`), in grid A1 of one campaign:

    early  due 28 Mar, rectified 18 Mar (early: its deadline is still ahead)
    fixed  due  5 Mar, rectified 4 Mar
    closed due 10 Mar, rectified 9 Mar, signed off 11 Mar
    late   due 12 Mar, never rectified (overdue since 12 Mar)
    ahead  due 30 Mar, not rectified: not due yet
    april  due  5 Apr, rectified 19 Mar: due in April, not in March

    March: 4 due (early, fixed, closed, late), 3 of them rectified: 75.0 %.
    """
    c = factories.campaign(world, starts_on=date(2026, 3, 1), days=60)
    o = {name: issued(world, due=due, campaign=c) for name, due in (
        ("early", "2026-03-28 18:00"), ("fixed", "2026-03-05 18:00"),
        ("closed", "2026-03-10 18:00"), ("late", "2026-03-12 18:00"),
        ("ahead", "2026-03-30 18:00"), ("april", "2026-04-05 18:00"))}
    rectify(world, o["early"], "2026-03-18 10:00")
    rectify(world, o["fixed"], "2026-03-04 10:00")
    rectify(world, o["closed"], "2026-03-09 10:00")
    sign_off(world, o["closed"], "2026-03-11 10:00")
    overdue(o["late"], "2026-03-12 18:05")
    rectify(world, o["april"], "2026-03-19 10:00")
    for order in o.values():
        order.refresh_from_db()
    return o


def spread(world) -> dict[str, Order]:
    """One order (issued today) in grid A1 (by gina), one in grid A2 (by alice) and one in
    community B (by bob): who sees which is the ledger's scope."""
    from linli.orgs.tests.factories import make_area

    a2 = make_area("estate", "花楼二区", world.grid_a2)
    theirs = factories.campaign(world, areas=[world.community_b], actor=world.bob,
                                name="水塔燃气排查")
    return {
        "a1": factories.order(world),
        "a2": factories.order(world, target=factories.target(world, area=a2, name="二区商铺"),
                              actor=world.alice),
        "b": factories.order(world, campaign=theirs, actor=world.bob,
                             target=factories.target(world, area=world.estate_b,
                                                     name="水塔餐馆")),
    }


def filters_from(url: str):
    """The orders list's filters from a ledger link, read the way the orders page reads
    its query string (the names and spellings of `OrderFilters`)."""
    from dataclasses import fields
    from urllib.parse import parse_qs, urlsplit

    from linli.inspections.ledger import ORDERS_PATH
    from linli.inspections.selectors import OrderFilters

    parts = urlsplit(url)
    assert parts.path == ORDERS_PATH
    raw = parse_qs(parts.query)
    given: dict = {}
    for f in fields(OrderFilters):
        if f.name not in raw:
            continue
        values, kind = raw[f.name], str(f.type)
        if "list" in kind:
            given[f.name] = values
        elif "bool" in kind:
            assert values[0] in ("1", "0")
            given[f.name] = values[0] == "1"
        elif "date" in kind:
            given[f.name] = date.fromisoformat(values[0])
        elif "int" in kind:
            given[f.name] = int(values[0])
        else:
            given[f.name] = values[0]
    assert set(raw) == set(given), f"unknown filters in {url}"
    return OrderFilters(**given)


def figures_of(ledger) -> list:
    """Every linked figure of a ledger: (where, Figure)."""
    out = []
    rows = [("summary", ledger.summary)] + [("campaign", r) for r in ledger.by_campaign] + [
        ("topic", r) for r in ledger.by_topic]
    for where, row in rows:
        for name in ("found", "rectified", "overdue", "open", "signed_off"):
            out.append((f"{where} {row.label} {name}", getattr(row, name)))
        out += [(f"{where} {row.label} due", row.rate.due),
                (f"{where} {row.label} rate rectified", row.rate.rectified)]
    for grid in ledger.grids:
        for i, cell in enumerate([*grid.cells, grid.total]):
            out += [(f"grid {grid.label} {i} due", cell.due),
                    (f"grid {grid.label} {i} rectified", cell.rectified)]
    for i, cell in enumerate(ledger.month_totals):
        out += [(f"month {i} due", cell.due), (f"month {i} rectified", cell.rectified)]
    return out
