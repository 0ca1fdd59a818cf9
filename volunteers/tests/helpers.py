"""Volunteers at each stage, for tests: written directly so that each test sets up fast."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import ManagerLevel, Membership, Role, Scheme, User
from tests.personas import make_user
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

_counter = iter(range(1, 10**6))


def make_volunteer(scheme: Scheme, stage: str = Stage.APPLICATION, **fields: Any) -> Volunteer:
    n = next(_counter)
    values: dict[str, Any] = {
        "first_name": f"Vol{n}",
        "last_name": "Tester",
        "email": f"vol{n}@example.org",
        "reference": f"IV-T{n:05d}",
        "consent_to_checks": True,
        "stage": stage,
    }
    values.update(fields)
    volunteer = Volunteer.objects.create(scheme=scheme, **values)
    StageChange.objects.create(
        volunteer=volunteer, from_status="", to_status=stage, at=timezone.now()
    )
    return volunteer


def complete_checks(volunteer: Volunteer, *, on: date | None = None) -> Volunteer:
    on = on or timezone.localdate() - timedelta(days=30)
    volunteer.interview_on = on
    volunteer.interview_outcome = InterviewOutcome.PROCEED
    volunteer.dbs_certificate_number = "001234567890"
    volunteer.dbs_issued_on = on
    volunteer.dbs_barred_list_checked = True
    volunteer.statutory_checks_on = on
    volunteer.identity_checked_on = on
    volunteer.no_connection_declared_on = on
    volunteer.code_of_conduct_accepted_on = on
    volunteer.save()
    for name in ("Rita Referee", "Rob Referee"):
        Reference.objects.create(
            volunteer=volunteer,
            referee_name=name,
            relationship="Employer",
            requested_on=on,
            received_on=on,
            satisfactory=True,
        )
    TrainingRecord.objects.bulk_create(
        [TrainingRecord(volunteer=volunteer, module=m, completed_on=on) for m in TrainingModule]
    )
    return volunteer


def ready_for_signoff(scheme: Scheme, **fields: Any) -> Volunteer:
    return complete_checks(make_volunteer(scheme, Stage.SIGN_OFF, **fields))


def approved(scheme: Scheme, status: str = VolunteerStatus.AVAILABLE, **fields: Any) -> Volunteer:
    signer_a = make_user(f"a{next(_counter)}@example.org", "Signer A")
    signer_b = make_user(f"b{next(_counter)}@example.org", "Signer B")
    volunteer = make_volunteer(
        scheme,
        Stage.APPROVED,
        status=status,
        team_signed_by=signer_a,
        team_signed_on=timezone.localdate(),
        service_signed_by=signer_b,
        service_signed_on=timezone.localdate(),
        approved_on=timezone.localdate(),
        **fields,
    )
    return complete_checks(volunteer)


def service_manager(scheme: Scheme, email: str = "service@north.test") -> User:
    user = make_user(email, "Sunita Service")
    Membership.objects.create(
        user=user, scheme=scheme, role=Role.MANAGER, manager_level=ManagerLevel.SERVICE
    )
    return user
