"""Demo volunteers: the demo IVs approved (those with a match are "matched"), and applicants
at every stage of the pipeline in each scheme. Idempotent: records are found by email."""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Scheme, User
from volunteers import services
from volunteers.models import (
    InterviewOutcome,
    Reference,
    Stage,
    StageChange,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)

# email, scheme, status, area, interests, languages
APPROVED = [
    (
        "iv.north@example.org",
        "north",
        VolunteerStatus.MATCHED,
        "NE3",
        "Football, baking",
        "English",
    ),
    (
        "iv.south@example.org",
        "south",
        VolunteerStatus.MATCHED,
        "SO14",
        "Cinema, chess",
        "English, Polish",
    ),
    (
        "iv.north.2@example.org",
        "north",
        VolunteerStatus.AVAILABLE,
        "NE6",
        "Art, swimming",
        "English, Bengali",
    ),
    (
        "iv.north.3@example.org",
        "north",
        VolunteerStatus.AVAILABLE,
        "NE12",
        "Climbing, music",
        "English",
    ),
    (
        "iv.south.2@example.org",
        "south",
        VolunteerStatus.AVAILABLE,
        "SO15",
        "Reading, bowling",
        "English, German",
    ),
]

# first, last, stage, days at that stage; one of each per scheme
APPLICANTS = [
    ("Ruth", "Enquirer", Stage.ENQUIRY, 2),
    ("Omar", "Applied", Stage.APPLICATION, 6),
    ("Bea", "Interviewee", Stage.INTERVIEW, 11),
    ("Dev", "Checked", Stage.CHECKS, 23),
    ("Nora", "Trainee", Stage.TRAINING, 9),
    ("Sam", "Signoff", Stage.SIGN_OFF, 4),
    ("Lee", "Withdrawn", Stage.NOT_PROCEEDING, 30),
]


def _complete_checks(volunteer: Volunteer, on: date, interviewer: User) -> None:
    volunteer.interview_on = on
    volunteer.interviewer = interviewer
    volunteer.interview_outcome = InterviewOutcome.PROCEED
    volunteer.dbs_certificate_number = f"00{zlib.crc32(volunteer.email.encode()) % 10**10:010d}"
    volunteer.dbs_issued_on = on
    volunteer.dbs_barred_list_checked = True
    volunteer.dbs_update_service = True
    volunteer.dbs_status_checked_on = on
    volunteer.statutory_checks_on = on
    volunteer.identity_checked_on = on
    volunteer.no_connection_declared_on = on
    volunteer.code_of_conduct_accepted_on = on
    volunteer.save()
    Reference.objects.bulk_create(
        [
            Reference(
                volunteer=volunteer,
                referee_name=name,
                relationship=rel,
                requested_on=on - timedelta(days=20),
                received_on=on,
                satisfactory=True,
            )
            for name, rel in (
                ("Margaret Hill", "Employer"),
                ("Revd. Paul Carter", "Known 10 years"),
            )
        ]
    )
    TrainingRecord.objects.bulk_create(
        [TrainingRecord(volunteer=volunteer, module=m, completed_on=on) for m in TrainingModule]
    )


def _new(
    scheme: Scheme,
    *,
    first: str,
    last: str,
    email: str,
    stage: str,
    since: Any,
    actor: User,
    **fields: Any,
) -> Volunteer:
    volunteer = Volunteer.objects.create(
        scheme=scheme,
        reference=services._new_reference(),
        first_name=first,
        last_name=last,
        email=email,
        phone="07700 900" + str(zlib.crc32(email.encode()) % 1000).zfill(3),
        date_of_birth=date(1980, 5, 1),
        consent_to_checks=stage != Stage.ENQUIRY,
        consent_given_at=since if stage != Stage.ENQUIRY else None,
        stage=stage,
        created_by=actor,
        **fields,
    )
    StageChange.objects.create(volunteer=volunteer, to_status=stage, at=since, actor=actor)
    return volunteer


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    now = timezone.now()
    today = timezone.localdate()
    team = users["manager.north@example.org"]
    service = users["service.manager@example.org"]
    created = 0
    for email, slug, status, area, interests, languages in APPROVED:
        user = users[email]
        if Volunteer.objects.filter(user=user).exists():
            continue
        first, _, last = user.full_name.partition(" ")
        coordinator = users[f"coordinator.{slug}@example.org"]
        approved_on = today - timedelta(days=400)
        volunteer = _new(
            schemes[slug],
            first=first,
            last=last,
            email=email,
            stage=Stage.APPROVED,
            since=now - timedelta(days=400),
            actor=coordinator,
            user=user,
            status=status,
            area=area,
            interests=interests,
            languages=languages,
            available_weekends=True,
            available_evenings=slug == "north",
            team_signed_by=team,
            team_signed_on=approved_on - timedelta(days=3),
            service_signed_by=service,
            service_signed_on=approved_on,
            approved_on=approved_on,
            drives=email == "iv.north@example.org",
            insurer="Brightside Mutual",
            insurance_expires_on=today + timedelta(days=120),
        )
        _complete_checks(volunteer, today - timedelta(days=420), coordinator)
        services.support_session_record(
            actor=coordinator,
            volunteer=volunteer,
            kind="supervision",
            held_on=today - timedelta(days=40),
        )
        if email == "iv.north@example.org":
            services.approval_documents_make(volunteer=volunteer)
        created += 1
    for slug, scheme in schemes.items():
        coordinator = users[f"coordinator.{slug}@example.org"]
        for first, last, stage, days in APPLICANTS:
            email = f"{first.lower()}.{last.lower()}.{slug}@example.org"
            if Volunteer.objects.filter(email=email, scheme=scheme).exists():
                continue
            volunteer = _new(
                scheme,
                first=first,
                last=last,
                email=email,
                stage=stage,
                since=now - timedelta(days=days),
                actor=coordinator,
                area="NE1" if slug == "north" else "SO17",
                motivation="I grew up in care and want to give something back.",
                not_proceeding_reason="Withdrew: moved out of the area."
                if stage == Stage.NOT_PROCEEDING
                else "",
            )
            if stage in (Stage.TRAINING, Stage.SIGN_OFF):
                _complete_checks(volunteer, today - timedelta(days=days + 5), coordinator)
            elif stage == Stage.CHECKS:
                volunteer.interview_on = today - timedelta(days=days + 3)
                volunteer.interviewer = coordinator
                volunteer.interview_outcome = InterviewOutcome.PROCEED
                volunteer.dbs_certificate_number = "001987654321"
                volunteer.dbs_issued_on = today - timedelta(days=3)
                volunteer.save()
            elif stage == Stage.INTERVIEW:
                volunteer.interview_on = today + timedelta(days=5)
                volunteer.interviewer = coordinator
                volunteer.save()
            created += 1
    stdout.write(f"Demo volunteers: {created} created.")
