"""Demo retention records: an unsuccessful applicant from long ago and a complaint closed more
than six years ago (both due for a decision), and a legal hold on one demo child (a police
request). Ends with the retention scan, so the "records due for destruction" page has rows
for manager.north@example.org, service.manager@example.org and dpo@example.org. Idempotent:
the applicant is found by reference, the complaint by complainant, the hold by child."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Scheme, User
from complaints import services
from complaints.models import Channel, Complaint, Finding, Relationship, Subject
from dataprotection.models import LegalHold
from dataprotection.requests_demo import seed_demo_requests
from dataprotection.services import holds, retention
from referrals.models import Child
from volunteers.models import Stage, StageChange, Volunteer

APPLICANT_REFERENCE = "IV-DEMO-OLD"
COMPLAINANT = "Lena Old (demo)"


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    north = schemes["north"]
    manager = users.get("manager.north@example.org") or next(iter(users.values()))
    today = timezone.localdate()
    long_ago = today - timedelta(days=2 * 365)

    if not Volunteer.objects.filter(reference=APPLICANT_REFERENCE).exists():
        applicant = Volunteer.objects.create(
            scheme=north,
            reference=APPLICANT_REFERENCE,
            first_name="Gareth",
            last_name="Long-Gone",
            email="gareth.longgone@example.net",
            stage=Stage.NOT_PROCEEDING,
            not_proceeding_reason="Withdrew after the interview.",
        )
        StageChange.objects.create(
            volunteer=applicant,
            from_status=Stage.INTERVIEW,
            to_status=Stage.NOT_PROCEEDING,
            at=timezone.make_aware(datetime.combine(long_ago, time(10))),
            actor=manager,
            note="Withdrew after the interview.",
        )

    if not Complaint.objects.filter(scheme=north, complainant_name=COMPLAINANT).exists():
        received = today - timedelta(days=7 * 365)
        complaint = services.complaint_receive(
            actor=manager,
            scheme=north,
            channel=Channel.LETTER,
            received_on=received,
            complainant_name=COMPLAINANT,
            complainant_relationship=Relationship.CARER,
            subject=Subject.SERVICE,
            subject_user=None,
            details="A visit was moved without telling the carer.",
            complainant_address="1 Old Lane, Northtown",
        )
        # Closed long ago (set directly: the procedure's dates are in the past).
        Complaint.objects.filter(pk=complaint.pk).update(
            status="closed",
            closed_on=received + timedelta(days=20),
            finding=Finding.UPHELD,
            due_on=None,
        )

    child = Child.objects.filter(scheme=north, merged_into__isnull=True).order_by("pk").first()
    if child is not None and not LegalHold.objects.filter(child=child).exists():
        holds.place_hold(
            actor=manager,
            child=child,
            reason_kind="police",
            reason="Northshire Police request, ref NP/2026/0412: keep all records.",
        )

    found = retention.scan_all(today)
    stdout.write(f"Retention: {found} records due for a destruction decision.")

    # Subject access: an open request for a north child (its bundle built), a released one.

    seed_demo_requests(schemes=schemes, users=users, stdout=stdout)
