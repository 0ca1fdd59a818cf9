"""The Notification model moved to the notifications app (its outbox); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_form_submission'),
    ]

    operations = [
        # State only: notifications.0002 takes the same table over under its own app.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
