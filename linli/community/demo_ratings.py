"""The demo's 最美楼栋: 花楼社区's score sheet, last month's rating published (every
building's cleanliness scored by hand, participation and cases computed from the month's
data) and this month's rating open for scoring. Real services, notifying nobody."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from linli.accounts.models import User
from linli.community import services
from linli.community.models import Criterion, Rating, Source
from linli.core.tasks import tasks_muted

SHEET = [("环境卫生", 40, Source.MANUAL), ("活动参与", 30, Source.PARTICIPATION),
         ("案件少", 30, Source.CASES)]


def demo_ratings(demo) -> None:
    community = demo.tree.communities[0]
    dispatcher = User.objects.get(username="dispatcher")
    now = timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    with tasks_muted():
        for name, most, source in SHEET:
            services.criterion_create(actor=dispatcher, community=community, name=name,
                                      max_score=most, source=source)
        clean = Criterion.objects.get(community=community, source=Source.MANUAL)
        last = services.rating_create(actor=dispatcher, community=community,
                                      month=last_month, now=now)
        buildings = sorted({s.building for s in last.scores.select_related("building")},
                           key=lambda b: (b.name, b.pk))
        for n, building in enumerate(buildings):
            score = Decimal(40) - Decimal((n * 7) % 16) - Decimal("0.5") * (n % 3)
            services.score_set(actor=dispatcher, rating=last, building=building,
                               criterion=clean, score=score)
        published_at = min(now, timezone.make_aware(
            datetime.combine(this_month, time.min))
            + timedelta(days=2, hours=10))
        services.rating_publish(actor=dispatcher, rating=last, now=published_at)
        Rating.objects.filter(pk=last.pk).update(created_at=published_at - timedelta(days=1))
        services.rating_create(actor=dispatcher, community=community, month=this_month,
                               now=now)
