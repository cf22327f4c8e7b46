from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_notification_subject_from_case'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='notification',
            name='case',
        ),
    ]
