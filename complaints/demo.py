"""Demo complaints: one at every stage and step, one closed, and one about a coordinator
(seen by the managers and the complaints manager, never by the coordinators). Idempotent:
each demo complaint is recognised by its complainant's name and scheme."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import Scheme, User
from complaints import services
from complaints.models import Channel, Complaint, Finding, Relationship, Subject
from core.working_days import add_working_days, is_working_day

# name, scheme, relationship, subject, subject user email, how far to take it
DEMO = [
    ("Karen Lloyd", "north", Relationship.CARER, Subject.SERVICE, None, "received"),
    ("Dev Patel", "north", Relationship.PARENT, Subject.IV, "iv.north@example.org", "acknowledged"),
    (
        "Ruth Ellis",
        "north",
        Relationship.IV,
        Subject.COORDINATOR,
        "coordinator.north@example.org",
        "extended",
    ),
    ("Jade M.", "north", Relationship.CHILD, Subject.SERVICE, None, "stage_1_responded"),
    ("Paul Grant", "north", Relationship.SOCIAL_WORKER, Subject.LOCAL_AUTHORITY, None, "stage_2"),
    ("Nadia Aziz", "south", Relationship.CARER, Subject.SERVICE, None, "stage_3"),
    ("Owen Hughes", "south", Relationship.OTHER, Subject.IV, "iv.south@example.org", "closed"),
]


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    made = 0
    for scheme in schemes.values():
        services.letter_templates_seed(scheme=scheme)
    for name, slug, relationship, subject, subject_email, goal in DEMO:
        scheme = schemes[slug]
        if Complaint.objects.filter(scheme=scheme, complainant_name=name).exists():
            continue
        manager = users.get("service.manager@example.org") or next(iter(users.values()))
        received = _back(
            today,
            {"received": 2, "closed": 80, "stage_3": 70}.get(goal, 12 if goal != "stage_2" else 30),
        )
        complaint = services.complaint_receive(
            actor=None if goal == "received" else manager,
            scheme=scheme,
            channel=Channel.PUBLIC_FORM if goal == "received" else Channel.PHONE,
            received_on=received,
            complainant_name=name,
            complainant_relationship=relationship,
            subject=subject,
            subject_user=users.get(subject_email) if subject_email else None,
            details="Visits were cancelled three times without notice, and nobody explained why.",
            desired_outcome="An apology and a clear plan for the next visits.",
            complainant_email=f"{name.split()[0].lower()}@example.net",
        )
        made += 1
        if goal == "received":
            continue
        services.complaint_acknowledge(
            actor=manager,
            complaint=complaint,
            handler=manager,
            on=min(today, add_working_days(received, 1)),
        )
        if goal == "acknowledged":
            continue
        if goal == "extended":
            services.complaint_extend(
                actor=manager, complaint=complaint, reason="The IV is away until next week."
            )
            continue
        responded = min(today, add_working_days(received, 8))
        services.complaint_respond(
            actor=manager,
            complaint=complaint,
            outcome=Finding.PARTLY_UPHELD,
            response=(
                "We agree the cancellations were not explained; we have changed how we tell carers."
            ),
            on=responded,
        )
        if goal == "stage_1_responded":
            continue
        asked = min(today, add_working_days(responded, 2))
        services.complaint_escalate(
            actor=manager,
            complaint=complaint,
            on=asked,
            investigating_officer="Alex Moore",
            independent_person="Pat Quinn",
        )
        if goal == "stage_2":
            continue
        responded = min(today, add_working_days(asked, 20))
        services.complaint_respond(
            actor=manager,
            complaint=complaint,
            outcome=Finding.NOT_UPHELD,
            response="The investigation found the visits were cancelled by the child's choice.",
            on=responded,
        )
        if goal == "closed":
            services.complaint_close(
                actor=manager,
                complaint=complaint,
                finding=Finding.NOT_UPHELD,
                lessons_learned="Record the child's reasons when they cancel a visit.",
                on=responded,
            )
            continue
        services.complaint_escalate(
            actor=manager,
            complaint=complaint,
            on=min(today, add_working_days(responded, 3)),
            reason="The complainant asked for a review panel.",
        )
    stdout.write(f"Complaints: {made} demo complaints added.")


def _back(today: date, working_days: int) -> date:
    """The date `working_days` working days before today."""
    from datetime import timedelta

    day = today
    counted = 0
    while counted < working_days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
