# Copies each notification's case into its subject with one UPDATE, and back on reverse.
# Its own migration, so on PostgreSQL the UPDATE commits before 0004 alters the table.

from django.db import migrations
from django.db.models import F

CASE = 'cases.case'


def case_to_subject(apps, schema_editor):
    Notification = apps.get_model('notifications', 'Notification')
    Notification.objects.filter(case__isnull=False).update(subject_type=CASE,
                                                           subject_id=F('case'))


def subject_to_case(apps, schema_editor):
    # Only cases that still exist: without the foreign key a case could have been deleted
    # since, and its id would now break the restored constraint.
    Notification = apps.get_model('notifications', 'Notification')
    Case = apps.get_model('cases', 'Case')
    Notification.objects.filter(subject_type=CASE,
                                subject_id__in=Case.objects.values('pk')).update(
        case=F('subject_id'))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_notification_subject'),
    ]

    operations = [
        migrations.RunPython(case_to_subject, subject_to_case, elidable=True),
    ]
