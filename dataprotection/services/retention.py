"""Retention: how long each type of record is kept, what has passed its date, and the daily
scan that lists it for a manager's decision (dataprotection.services.destruction carries it out).

Every type has a default from English regulations and guidance (DEFAULTS); a scheme may change
the period (RetentionRule), never below the statutory minimum of a child's case record.

The scan is set-based: a handful of queries per type and scheme, whatever the number of
records (it runs on 50,000 children). A coarse date filter in SQL keeps the rows read to
those close to or past their date; the exact anniversary (29 February, months) is worked out
in Python on that small set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, DateTimeField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts import access
from accounts.models import Membership, Role, Scheme, User
from complaints.models import Complaint, Status
from dataprotection.models import (
    DestructionAction,
    DueRecord,
    DueStatus,
    LegalHold,
    RecordType,
    RetentionRule,
)
from expenses.models import Claim
from notifications.services import notify
from referrals.models import Child
from safeguarding.models import Concern
from volunteers.models import Stage, StageChange, Volunteer

# The anonymised volunteer's email (and their account's) ends with this: a reserved name that
# no real address can have, so "already anonymised" needs no extra column.
ANONYMISED_EMAIL_SUFFIX = "@invalid"
RETIREMENT_AGE = 67
LONG_AGO = datetime(1900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Default:
    years: int
    months: int
    starts: str  # what the clock starts from
    basis: str  # the regulation or guidance
    action: str  # DestructionAction: destroyed or anonymised
    min_years: int = 0  # a scheme may not set a shorter period (statutory)


DEFAULTS: dict[str, Default] = {
    RecordType.CHILD_CASE: Default(
        75,
        0,
        "the child's date of birth",
        "The Care Planning, Placement and Case Review (England) Regulations 2010, regulation "
        "50: a looked-after child's case record is kept until the 75th anniversary of their "
        "birth.",
        DestructionAction.DESTROYED,
        min_years=75,
    ),
    RecordType.CHILD_DIED: Default(
        15,
        0,
        "the date the child died (a child who died before 18)",
        "The Care Planning, Placement and Case Review (England) Regulations 2010, regulation "
        "50: when the child dies before 18, the record is kept for 15 years from their death.",
        DestructionAction.DESTROYED,
        min_years=15,
    ),
    RecordType.VOLUNTEER: Default(
        6,
        0,
        "the date the volunteer left",
        "Limitation Act 1980 (six years for a claim) and the UK GDPR storage limitation "
        "principle: kept for the period set, then anonymised.",
        DestructionAction.ANONYMISED,
    ),
    RecordType.ALLEGATION: Default(
        10,
        0,
        "the date of the newest safeguarding allegation about the volunteer",
        "Keeping Children Safe in Education and Working Together to Safeguard Children: a "
        "record of an allegation is kept until the person's normal retirement age (67) or for "
        "10 years from the allegation, whichever is longer (and never less than a volunteer's "
        "normal period after leaving).",
        DestructionAction.ANONYMISED,
    ),
    RecordType.APPLICANT: Default(
        1,
        0,
        "the date the application stopped (not proceeding)",
        "UK GDPR storage limitation principle and the Equality Act 2010 claim period: an "
        "unsuccessful applicant's details are kept for 12 months.",
        DestructionAction.ANONYMISED,
    ),
    RecordType.EXPENSE: Default(
        7,
        0,
        "the date the claim was paid (or decided, or made)",
        "Finance records: HMRC and the Companies Act 2006 keep accounting records for six "
        "years after the end of the financial year, so seven years from the claim.",
        DestructionAction.DESTROYED,
    ),
    RecordType.COMPLAINT: Default(
        6,
        0,
        "the date the complaint was closed",
        "Limitation Act 1980 (six years) and the Children Act 1989 Representations Procedure "
        "(England) Regulations 2006: kept for six years after closure.",
        DestructionAction.DESTROYED,
    ),
}

# The types a volunteer's record can be due under.
VOLUNTEER_TYPES = (RecordType.VOLUNTEER, RecordType.ALLEGATION, RecordType.APPLICANT)


@dataclass(frozen=True)
class Period:
    years: int
    months: int
    changed: bool  # the scheme set its own period

    @property
    def delta(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months)

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} year{'s' if self.years != 1 else ''}")
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        return " and ".join(parts) or "0 months"


def action_for(record_type: str) -> str:
    return DEFAULTS[record_type].action


def rules_for(scheme: Any) -> dict[str, Period]:
    """Every type's period in the scheme (one query)."""
    scheme_id = scheme if isinstance(scheme, int) else scheme.pk
    own = {r.record_type: r for r in RetentionRule.objects.filter(scheme_id=scheme_id)}
    periods = {}
    for record_type, default in DEFAULTS.items():
        rule = own.get(record_type)
        periods[record_type] = (
            Period(rule.years, rule.months, True)
            if rule is not None
            else Period(default.years, default.months, False)
        )
    return periods


def rule_for(scheme: Any, record_type: str) -> Period:
    return rules_for(scheme)[record_type]


def basis(record_type: str) -> str:
    return DEFAULTS[record_type].basis


# --- What is due -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    record_type: str
    object_pk: int
    label: str
    due_on: date


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _coarse_cutoff(today: date, delta: relativedelta) -> date:
    # A day of slack for 29 February; the exact date is checked in Python.
    return today - delta + timedelta(days=1)


def held_ids(scheme_id: int) -> tuple[set[int], set[int], set[int]]:
    """Children, volunteers and volunteers' accounts under an active hold (two queries)."""

    rows = list(
        LegalHold.objects.filter(scheme_id=scheme_id, lifted_at__isnull=True).values_list(
            "child_id", "volunteer_id"
        )
    )
    children = {c for c, _v in rows if c is not None}
    volunteers = {v for _c, v in rows if v is not None}
    users = set(
        Volunteer.objects.filter(pk__in=volunteers, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return children, volunteers, users


def _children_due(
    scheme_id: int, today: date, periods: dict[str, Period], held: set[int], only: Any
) -> list[Due]:
    base = Child.objects.filter(scheme_id=scheme_id, merged_into__isnull=True).exclude(pk__in=held)
    if only is not None:
        base = base.filter(pk__in=only)
    case = periods[RecordType.CHILD_CASE].delta
    died = periods[RecordType.CHILD_DIED].delta
    fields = ("pk", "first_name", "last_name", "date_of_birth", "died_on", "case_number")
    rows = list(
        base.filter(died_on__isnull=True, date_of_birth__lte=_coarse_cutoff(today, case))
        .values_list(*fields)
        .iterator(chunk_size=2000)
    )
    # Children who died: few; their type depends on their age at death.
    rows += list(base.filter(died_on__isnull=False).values_list(*fields))
    found = []
    for pk, first, last, born, died_on, case_number in rows:
        case_text = f", case {case_number}" if case_number else ""
        label = f"{first} {last} (born {born:%-d %b %Y}{case_text})"
        if died_on is not None and died_on < born + relativedelta(years=18):
            due_on, kind = died_on + died, RecordType.CHILD_DIED
        else:
            due_on, kind = born + case, RecordType.CHILD_CASE
        if due_on <= today:
            found.append(Due(kind, pk, label, due_on))
    return found


def _volunteers_due(
    scheme_id: int, today: date, periods: dict[str, Period], held: set[int], only: Any
) -> list[Due]:
    HistoricalVolunteer: Any = Volunteer.history.model  # type: ignore[attr-defined]

    base = (
        Volunteer.objects.filter(scheme_id=scheme_id)
        .exclude(pk__in=held)
        .exclude(email__endswith=ANONYMISED_EMAIL_SUFFIX)
    )
    if only is not None:
        base = base.filter(pk__in=only)
    # When the volunteer left: the first history row with status "left" after the newest row
    # with another status (a volunteer who came back and left again counts from the last time).
    last_other = (
        HistoricalVolunteer.objects.filter(id=OuterRef("id"))
        .exclude(status="left")
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    left_at = (
        HistoricalVolunteer.objects.filter(
            id=OuterRef("pk"), status="left", history_date__gt=OuterRef("last_other")
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )
    allegation_at = (
        Concern.objects.filter(about_volunteer_id=OuterRef("user_id"))
        .values("about_volunteer_id")
        .annotate(newest=Max("created_at"))
        .values("newest")[:1]
    )
    stopped_at = (
        StageChange.objects.filter(volunteer_id=OuterRef("pk"), to_status=Stage.NOT_PROCEEDING)
        .order_by("-at")
        .values("at")[:1]
    )
    found = []
    left = (
        base.filter(stage=Stage.APPROVED, status="left")
        .annotate(
            last_other=Coalesce(Subquery(last_other), Value(LONG_AGO, output_field=DateTimeField()))
        )
        .annotate(left_at=Subquery(left_at), allegation_at=Subquery(allegation_at))
    )
    normal = periods[RecordType.VOLUNTEER].delta
    allegation = periods[RecordType.ALLEGATION].delta
    for v in left.only("pk", "first_name", "last_name", "reference", "date_of_birth", "updated_at"):
        left_on = _day(v.left_at) or _day(v.updated_at)  # type: ignore[attr-defined]
        assert left_on is not None
        label = f"{v.first_name} {v.last_name} ({v.reference})"
        alleged_on = _day(v.allegation_at)  # type: ignore[attr-defined]
        if alleged_on is None:
            due_on, kind = left_on + normal, RecordType.VOLUNTEER
        else:
            candidates = [alleged_on + allegation, left_on + normal]
            if v.date_of_birth is not None:
                candidates.append(v.date_of_birth + relativedelta(years=RETIREMENT_AGE))
            due_on, kind = max(candidates), RecordType.ALLEGATION
        if due_on <= today:
            found.append(Due(kind, v.pk, label, due_on))
    applicant = periods[RecordType.APPLICANT].delta
    stopped = base.filter(stage=Stage.NOT_PROCEEDING).annotate(stopped_at=Subquery(stopped_at))
    for a in stopped.only("pk", "first_name", "last_name", "reference", "updated_at"):
        stopped_on = _day(a.stopped_at) or _day(a.updated_at)
        assert stopped_on is not None
        due_on = stopped_on + applicant
        if due_on <= today:
            label = f"{a.first_name} {a.last_name} ({a.reference})"
            found.append(Due(RecordType.APPLICANT, a.pk, label, due_on))
    return found


def _claims_due(
    scheme_id: int,
    today: date,
    period: Period,
    held_children: set[int],
    held_users: set[int],
    only: Any,
) -> list[Due]:
    claims = (
        Claim.objects.filter(scheme_id=scheme_id)
        .exclude(match__child_id__in=held_children)
        .exclude(volunteer_id__in=held_users)
        .annotate(
            clock=Coalesce(
                "paid_on",
                Cast("decided_at", DateField()),
                Cast("submitted_at", DateField()),
                Cast("created_at", DateField()),
            )
        )
        .filter(clock__lte=_coarse_cutoff(today, period.delta))
    )
    if only is not None:
        claims = claims.filter(pk__in=only)
    found = []
    for pk, clock, total in claims.values_list("pk", "clock", "total").iterator(chunk_size=2000):
        due_on = clock + period.delta
        if due_on <= today:
            found.append(Due(RecordType.EXPENSE, pk, f"Claim for £{total} ({clock:%b %Y})", due_on))
    return found


def _complaints_due(
    scheme_id: int, today: date, period: Period, held_users: set[int], only: Any
) -> list[Due]:
    complaints = Complaint.objects.filter(
        scheme_id=scheme_id,
        status=Status.CLOSED,
        closed_on__lte=_coarse_cutoff(today, period.delta),
    ).exclude(subject_user_id__in=held_users)
    if only is not None:
        complaints = complaints.filter(pk__in=only)
    found = []
    for pk, reference, closed_on in complaints.values_list("pk", "reference", "closed_on"):
        due_on = closed_on + period.delta
        if due_on <= today:
            found.append(Due(RecordType.COMPLAINT, pk, f"Complaint {reference}", due_on))
    return found


def due_records(
    scheme: Any, today: date, *, record_type: str | None = None, only: Any = None
) -> list[Due]:
    """What in the scheme has passed its retention date on `today` and is under no active
    legal hold. `record_type` and `only` (object pks) narrow it, for the re-check at the
    moment of destruction."""
    scheme_id = scheme if isinstance(scheme, int) else scheme.pk
    periods = rules_for(scheme_id)
    held_children, held_volunteers, held_users = held_ids(scheme_id)
    wanted = {record_type} if record_type else set(DEFAULTS)
    found: list[Due] = []
    if wanted & {RecordType.CHILD_CASE, RecordType.CHILD_DIED}:
        found += _children_due(scheme_id, today, periods, held_children, only)
    if wanted & set(VOLUNTEER_TYPES):
        found += _volunteers_due(scheme_id, today, periods, held_volunteers, only)
    if RecordType.EXPENSE in wanted:
        found += _claims_due(
            scheme_id, today, periods[RecordType.EXPENSE], held_children, held_users, only
        )
    if RecordType.COMPLAINT in wanted:
        found += _complaints_due(scheme_id, today, periods[RecordType.COMPLAINT], held_users, only)
    return [d for d in found if d.record_type in wanted]


# --- The daily scan --------------------------------------------------------------------------


def _tell(scheme: Any, new: int, today: date) -> None:
    people = access.users_with_roles(scheme.pk, [Role.MANAGER])
    dpos = [
        m.user
        for m in Membership.objects.filter(
            scheme__organisation_id=scheme.organisation_id,
            role=Role.DATA_PROTECTION_OFFICER,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]
    from django.urls import reverse

    notify(
        users=people + dpos,
        title=(
            f"{new} record{'s are' if new != 1 else ' is'} due for a destruction decision "
            f"in {scheme.name}"
        ),
        url=reverse("dataprotection:due"),
        key=f"dataprotection:due:{scheme.pk}:{today.isoformat()}",
        scheme=scheme,
    )


def scan_scheme(scheme: Any, today: date) -> tuple[int, int]:
    """List what is due in one scheme; returns (due now, newly listed)."""
    found = due_records(scheme, today)
    with transaction.atomic():
        existing = {
            (r, pk): (rid, due_on)
            for rid, r, pk, due_on in DueRecord.objects.filter(scheme=scheme).values_list(
                "pk", "record_type", "object_pk", "due_on"
            )
        }
        keys = {(d.record_type, d.object_pk) for d in found}
        gone = [rid for key, (rid, _d) in existing.items() if key not in keys]
        DueRecord.objects.filter(pk__in=gone).delete()
        new = [
            DueRecord(
                scheme=scheme,
                record_type=d.record_type,
                object_pk=d.object_pk,
                label=d.label[:300],
                due_on=d.due_on,
            )
            for d in found
            if (d.record_type, d.object_pk) not in existing
        ]
        # ignore_conflicts: two scans at once list a record once (the unique constraint).
        DueRecord.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
        moved = [
            DueRecord(pk=existing[(d.record_type, d.object_pk)][0], due_on=d.due_on)
            for d in found
            if (d.record_type, d.object_pk) in existing
            and existing[(d.record_type, d.object_pk)][1] != d.due_on
        ]
        if moved:
            DueRecord.objects.bulk_update(moved, ["due_on"], batch_size=2000)
        if new:
            _tell(scheme, len(new), today)
    return len(found), len(new)


def scan_all(today: date) -> int:
    """The daily job: every scheme's records past their date, listed once for a decision."""

    total = 0
    for scheme in Scheme.objects.order_by("pk"):
        count, _new = scan_scheme(scheme, today)
        total += count
    return total


def pending_count(scheme_ids: Any) -> int:
    return DueRecord.objects.filter(scheme_id__in=scheme_ids, status=DueStatus.PENDING).count()


# --- Changing a scheme's period --------------------------------------------------------------


@transaction.atomic
def rule_set(*, actor: User, scheme: Any, record_type: str, years: int, months: int) -> Period:
    """Change how long one type of record is kept in the scheme (the history of the rule
    keeps every change). Refused: zero, 12 months or more in the months, and less than the
    statutory minimum for a child's case record."""

    if scheme.pk not in access.data_protection_scheme_ids(actor):
        raise ValidationError(
            "Only the scheme's managers and the data protection officer can change this."
        )
    if record_type not in DEFAULTS:
        raise ValidationError("Choose a type of record.")
    errors: dict[str, str] = {}
    if years < 0:
        errors["years"] = "Enter 0 or more years."
    if not 0 <= months <= 11:
        errors["months"] = "Enter between 0 and 11 months (12 months is a year)."
    if not errors and years == 0 and months == 0:
        errors["years"] = "Records must be kept for at least 1 month."
    minimum = DEFAULTS[record_type].min_years
    if not errors and (years, months) < (minimum, 0):
        errors["years"] = (
            f"The law requires this record to be kept for at least {minimum} years; "
            "a scheme may keep it longer, never shorter."
        )
    if errors:
        raise ValidationError(errors)
    rule = RetentionRule.objects.filter(scheme=scheme, record_type=record_type).first()
    if rule is None:
        rule = RetentionRule(scheme=scheme, record_type=record_type, created_by=actor)
    rule.years, rule.months = years, months
    rule.full_clean()
    rule._history_user = actor  # type: ignore[attr-defined]
    rule.save()
    return Period(years, months, True)
