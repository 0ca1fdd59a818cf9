"""StageChange takes the one event shape (core.models.WorkflowEvent): the columns are renamed
in place, so every row is kept."""

import django.utils.timezone
from django.db import migrations, models

STAGES = [
    ("enquiry", "Enquiry call"),
    ("application", "Application"),
    ("interview", "Interview"),
    ("checks", "Checks"),
    ("training", "Training"),
    ("sign_off", "Sign-off"),
    ("approved", "Approved"),
    ("not_proceeding", "Not proceeding"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_historicalvolunteer_gender_volunteer_gender"),
    ]

    operations = [
        migrations.RenameField(
            model_name="stagechange", old_name="from_stage", new_name="from_status"
        ),
        migrations.RenameField(model_name="stagechange", old_name="to_stage", new_name="to_status"),
        migrations.RenameField(model_name="stagechange", old_name="by", new_name="actor"),
        migrations.RenameField(model_name="stagechange", old_name="reason", new_name="note"),
        migrations.AlterField(
            model_name="stagechange",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="stagechange",
            name="from_status",
            field=models.CharField(blank=True, choices=STAGES, default="", max_length=20),
        ),
        migrations.AlterField(
            model_name="stagechange",
            name="to_status",
            field=models.CharField(blank=True, choices=STAGES, default="", max_length=20),
        ),
        migrations.AlterField(
            model_name="stagechange",
            name="note",
            field=models.TextField(blank=True, default=""),
        ),
    ]
