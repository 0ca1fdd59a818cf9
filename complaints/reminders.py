"""Complaints' reminder: a stage deadline near or today.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from complaints.models import Complaint
from complaints.selectors import complaint_staff_to_notify
from core.schemesettings import settings_by_scheme
from core.working_days import working_days_between
from notifications.models import MonitoringSettings
from notifications.services import notify


def complaint_deadlines(today: date) -> int:
    """Complaint stages: a warning some working days before the deadline, and on the day."""
    complaints = list(Complaint.objects.filter(due_on__isnull=False, due_on__gte=today))
    config = settings_by_scheme(MonitoringSettings, {c.scheme_id for c in complaints})
    sent = 0
    for c in complaints:
        assert c.due_on is not None
        left = working_days_between(today, c.due_on)
        warn = config[c.scheme_id].complaint_warning_working_days
        if left == 0:
            kind, title = "due-today", "A complaint's stage deadline is today"
        elif left == warn:
            kind, title = "due-soon", f"A complaint's stage deadline is in {warn} working days"
        else:
            continue
        sent += notify(
            users=list(complaint_staff_to_notify(c)),
            title=title,
            url=reverse("complaints:detail", args=[c.public_id]),
            key=f"complaint-{kind}:{c.public_id}:{c.due_on.isoformat()}",
            scheme_id=c.scheme_id,
        )
    return sent
