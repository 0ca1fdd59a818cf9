"""The Notification model, moved here from core: the existing core_notification table is
adopted as it is (state only), with its rows, indexes and constraint."""

import core.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_alter_historicalmembership_role_and_more'),
        ('notifications', '0001_initial'),
        ('core', '0005_delete_notification'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.CharField(default=core.models.new_public_id, editable=False, max_length=24, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('url', models.CharField(blank=True, default='', max_length=500)),
                ('urgent', models.BooleanField(default=False)),
                ('key', models.CharField(max_length=200)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('scheme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.scheme')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'core_notification',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['user', 'read_at', '-created_at'], name='notification_inbox_idx'), models.Index(condition=models.Q(('emailed_at__isnull', True)), fields=['created_at'], name='notification_unsent_idx')],
                'constraints': [models.UniqueConstraint(fields=('user', 'key'), name='notification_once_per_key')],
            },
        ),
            ],
        ),
    ]
