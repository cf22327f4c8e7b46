"""The demo's activities: every state, a full one with a waiting list, one starting within
the hour that `resident` may check in to, attendance with points, a report with photos, a
care-group activity; notifying nobody."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from linli.accounts.models import User
from linli.community.models import Activity, ActivityPhoto, SignUp
from linli.notifications.models import Notification
from linli.points.models import Entry


@pytest.mark.django_db
def test_demo_activities(demo):
    by_title = {a.title: a for a in Activity.objects.all()}
    states = {a.state for a in by_title.values()}
    assert states == {"draft", "published", "reported", "cancelled"}
    flowers = by_title["插花培训"]
    assert flowers.taken == 3 and SignUp.objects.filter(activity=flowers,
                                                        state="waiting").count() == 1
    now = timezone.now()
    lecture = by_title["反诈讲座"]
    assert lecture.starts_at - now < timedelta(hours=1)
    resident = User.objects.get(username="resident")
    assert SignUp.objects.filter(activity=lecture, resident__user=resident).exists()
    drill = by_title["消防演练"]
    assert drill.state == "published" and drill.ends_at < now
    assert SignUp.objects.filter(activity=drill, checked_in_at__isnull=False).count() == 4
    assert Entry.objects.filter(source__startswith="community.activity:").exists()
    assert ActivityPhoto.objects.filter(activity=by_title["邻里节"]).count() == 2
    assert by_title["独居老人生日会"].care_tag is not None
    assert not Notification.objects.filter(link__startswith="/community/").exists()

    client = Client()
    client.force_login(resident)
    feast = by_title["百家宴"]
    page = client.get(f"/community/activities/{feast.pk}/")
    record = resident.resident_record
    assert f'id="signup-{record.pk}"' in page.text
    done = client.post(f"/community/activities/{feast.pk}/signups/", {"resident": record.pk})
    assert done.status_code == 302
    assert SignUp.objects.filter(activity=feast, resident=record, state="confirmed").exists()
