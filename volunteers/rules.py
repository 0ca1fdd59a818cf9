"""What makes a volunteer safe to approve, to visit and to drive a child: plain functions over
a volunteer whose references, training and support sessions are already loaded (or loadable),
shared by selectors, services and pages so that every page gives the same reasons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import years_after
from volunteers.models import (
    InterviewOutcome,
    Stage,
    SupportKind,
    TrainingModule,
    Volunteer,
    VolunteerSchemeSettings,
    VolunteerStatus,
)

REFERENCES_NEEDED = 2


def latest_training(volunteer: Volunteer) -> dict[str, date]:
    latest: dict[str, date] = {}
    for record in volunteer.training.all():
        if record.module not in latest or record.completed_on > latest[record.module]:
            latest[record.module] = record.completed_on
    return latest


def missing_checks(volunteer: Volunteer) -> list[str]:
    """Every required check that is not yet done, in plain words. Approval needs none."""
    missing = []
    if not volunteer.consent_to_checks:
        missing.append("Consent to checks")
    if volunteer.interview_outcome != InterviewOutcome.PROCEED:
        missing.append("Interview with the outcome to proceed")
    if not volunteer.dbs_certificate_number or not volunteer.dbs_issued_on:
        missing.append("Enhanced DBS certificate number and issue date")
    if not volunteer.dbs_barred_list_checked:
        missing.append("Children's barred list check")
    if not volunteer.statutory_checks_on:
        missing.append("Statutory checks")
    good = [r for r in volunteer.references.all() if r.received_on is not None and r.satisfactory]
    if len(good) < REFERENCES_NEEDED:
        missing.append(f"Two satisfactory references ({len(good)} of {REFERENCES_NEEDED} received)")
    if not volunteer.no_connection_declared_on:
        missing.append("Declaration of no connection to the local authority")
    if not volunteer.identity_checked_on:
        missing.append("Identity check")
    done = latest_training(volunteer)
    for module in TrainingModule:
        if module.value not in done:
            missing.append(f"Training: {module.label}")
    if not volunteer.code_of_conduct_accepted_on:
        missing.append("Code of conduct accepted")
    return missing


def dbs_renewal_due(volunteer: Volunteer, config: VolunteerSchemeSettings) -> date | None:
    if volunteer.dbs_issued_on is None:
        return None
    return years_after(volunteer.dbs_issued_on, config.dbs_renewal_years)


def training_refreshers_due(
    volunteer: Volunteer, config: VolunteerSchemeSettings
) -> list[tuple[str, date]]:
    done = latest_training(volunteer)
    return [
        (TrainingModule(module).label, years_after(on, config.training_refresh_years))
        for module, on in sorted(done.items())
    ]


def compliance_problems(
    volunteer: Volunteer, config: VolunteerSchemeSettings, today: date
) -> list[str]:
    """Why this volunteer may not be matched or visit now (empty: they may)."""
    if volunteer.stage != Stage.APPROVED:
        return [f"Not approved yet: at the {volunteer.get_stage_display().lower()} stage."]
    problems = []
    if volunteer.status == VolunteerStatus.SUSPENDED:
        why = f": {volunteer.status_reason}" if volunteer.status_reason else "."
        problems.append(f"Suspended{why}")
    elif volunteer.status in (VolunteerStatus.PAUSED, VolunteerStatus.LEFT):
        problems.append(f"Status is {volunteer.get_status_display().lower()}.")
    renewal = dbs_renewal_due(volunteer, config)
    if renewal is None:
        problems.append("No enhanced DBS certificate recorded.")
    elif renewal <= today:
        problems.append(f"DBS renewal was due on {renewal:%-d %B %Y}.")
    for label, due in training_refreshers_due(volunteer, config):
        if due <= today:
            problems.append(f"{label} training refresher was due on {due:%-d %B %Y}.")
    for check in missing_checks(volunteer):
        if check.startswith("Training: "):
            problems.append(f"{check} not completed.")
    return problems


def transport_problems(volunteer: Volunteer, today: date) -> list[str]:
    """Why this volunteer may not drive a child (business insurance is required)."""
    problems = []
    if not volunteer.drives:
        problems.append("Has not said they will drive.")
    if not volunteer.insurer or volunteer.insurance_expires_on is None:
        problems.append("No business car insurance recorded.")
    elif volunteer.insurance_expires_on < today:
        problems.append(
            f"Business car insurance expired on {volunteer.insurance_expires_on:%-d %B %Y}."
        )
    return problems


@dataclass
class Due:
    what: str
    on: date | None
    overdue: bool


def what_is_due(volunteer: Volunteer, config: VolunteerSchemeSettings, today: date) -> list[Due]:
    items = []
    renewal = dbs_renewal_due(volunteer, config)
    items.append(Due("DBS renewal", renewal, renewal is None or renewal <= today))
    if volunteer.drives:
        expiry = volunteer.insurance_expires_on
        items.append(
            Due("Business car insurance renewal", expiry, expiry is None or expiry < today)
        )
    for label, due in training_refreshers_due(volunteer, config):
        items.append(Due(f"{label} training refresher", due, due <= today))
    supervisions = [
        s.held_on
        for s in volunteer.support_sessions.all()
        if s.kind == SupportKind.SUPERVISION and s.attended and s.held_on <= today
    ]
    if volunteer.stage == Stage.APPROVED:
        since = max(supervisions) if supervisions else volunteer.approved_on or today
        next_on = since + timedelta(weeks=config.supervision_interval_weeks)
        items.append(Due("Supervision", next_on, next_on < today))
    return sorted(items, key=lambda d: d.on or date.min)
