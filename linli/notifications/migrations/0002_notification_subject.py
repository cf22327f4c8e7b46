# A notification names what it is about by (model label, primary key) instead of a foreign
# key to cases.Case, so the inbox depends on no domain app. 0003 copies the case into the
# new fields, 0004 drops the foreign key.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='subject_type',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['subject_type', 'subject_id'], name='notification_subject'),
        ),
    ]
