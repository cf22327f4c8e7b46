"""The demo's 最美楼栋: 花楼社区's sheet, last month's rating published with every
building scored, this month's open; residents see the published ranking; nobody is
notified."""

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.community.models import Criterion, Rating, RatingState, Score, Source
from linli.community.selectors_ratings import ranking, rating_list
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_ratings_publish_last_month_and_open_this_month(demo):
    community_ratings = Rating.objects.order_by("month")
    last, current = list(community_ratings)
    this_month = timezone.localdate().replace(day=1)
    assert (current.month, current.state) == (this_month, RatingState.OPEN)
    assert last.state == RatingState.PUBLISHED and last.month < this_month
    assert last.community.name == "花楼社区"
    assert Criterion.objects.filter(community=last.community).count() == 3
    manual = Score.objects.filter(rating=last, criterion__source=Source.MANUAL)
    assert manual.exists() and not manual.filter(score=0).exists()
    computed = Score.objects.filter(rating=last).exclude(criterion__source=Source.MANUAL)
    assert computed.exists() and not computed.filter(figure="").exists()
    rows = ranking(last)
    assert rows[0].top and rows[0].total >= rows[-1].total
    resident = User.objects.get(username="resident")
    assert list(rating_list(actor=resident)) == [last]
    dispatcher = User.objects.get(username="dispatcher")
    assert set(rating_list(actor=dispatcher)) == {last, current}
    assert not Notification.objects.exists()
