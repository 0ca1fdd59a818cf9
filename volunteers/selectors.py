"""The one door to volunteers' records: every read a page, job or other app needs.

Coordinators and managers see every volunteer of their schemes. A volunteer sees only their
own record, through volunteer_for_user (their "My volunteering" page). Nobody else sees any:
forbidden and missing both raise Http404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Membership, Role, Scheme, User
from core import schemesettings
from volunteers import rules
from volunteers.models import (
    PIPELINE_STAGES,
    Reference,
    Stage,
    StageChange,
    SupportSession,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    VolunteerSchemeSettings,
    VolunteerStatus,
)


def _with_stage_since(qs: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    newest = StageChange.objects.filter(volunteer=OuterRef("pk")).order_by("-at", "-pk")
    return qs.annotate(stage_since=Subquery(newest.values("at")[:1]))


def days_in_stage(volunteer: Volunteer, now: Any = None) -> int:
    since = getattr(volunteer, "stage_since", None) or volunteer.created_at
    return ((now or timezone.now()) - since).days


def volunteers_visible_to(user: User) -> QuerySet[Volunteer]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return _with_stage_since(
        Volunteer.objects.filter(scheme_id__in=staff).select_related("scheme")
    ).order_by("last_name", "first_name")


def volunteer_get_for_user(*, user: User, public_id: str) -> Volunteer:
    volunteer = (
        volunteers_visible_to(user)
        .filter(public_id=public_id)
        .select_related(
            "interviewer", "team_signed_by", "service_signed_by", "user", "scheme__organisation"
        )
        .prefetch_related(*_RECORD_PREFETCHES)
        .first()
    )
    if volunteer is None:
        raise Http404("No such volunteer")
    return volunteer


def volunteer_sections(user: User, volunteer: Volunteer) -> set[str]:
    """The parts of the volunteer's page only some may see: "history" (the changes to the
    record and who has viewed it) for the scheme's managers."""
    return {"history"} if access.has_role(user, volunteer.scheme_id, [Role.MANAGER]) else set()


_RECORD_PREFETCHES = [
    Prefetch("references", queryset=Reference.objects.order_by("created_at")),
    Prefetch("training", queryset=TrainingRecord.objects.order_by("module", "-completed_on")),
    Prefetch("support_sessions", queryset=SupportSession.objects.order_by("-held_on")),
    Prefetch(
        "stage_changes", queryset=StageChange.objects.select_related("actor").order_by("-at", "-pk")
    ),
]


def volunteer_for_user(user: User) -> Volunteer | None:
    """The signed-in person's own volunteer record (their own view only), or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        Volunteer.objects.filter(user=user)
        .select_related("scheme")
        .prefetch_related(*_RECORD_PREFETCHES)
        .first()
    )


def reference_get(*, volunteer: Volunteer, public_id: str) -> Reference:
    for reference in volunteer.references.all():
        if reference.public_id == public_id:
            return reference
    raise Http404("No such reference")


def staff_schemes_for(user: User) -> list[Scheme]:
    seen: dict[int, Scheme] = {}
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES:
            seen.setdefault(m.scheme_id, m.scheme)
    return list(seen.values())


def staff_scheme_get(*, user: User, slug: str) -> Scheme:
    for scheme in staff_schemes_for(user):
        if scheme.slug == slug:
            return scheme
    raise Http404("No such scheme")


def managed_scheme_get(*, user: User, slug: str) -> Scheme:
    for m in access.memberships(user):
        if m.role == "manager" and m.scheme.slug == slug:
            return m.scheme
    raise Http404("No such scheme")


def scheme_for_application(slug: str) -> Scheme:
    scheme = Scheme.objects.filter(slug=slug).first()
    if scheme is None:
        raise Http404("No such scheme")
    return scheme


@dataclass
class Column:
    stage: Stage
    volunteers: list[Volunteer]

    @property
    def count(self) -> int:
        return len(self.volunteers)


def pipeline_board(user: User) -> list[Column]:
    """One column per stage before approval, names with days in stage: one query."""
    now = timezone.now()
    columns = {stage: Column(stage, []) for stage in PIPELINE_STAGES}
    for volunteer in (
        volunteers_visible_to(user)
        .filter(stage__in=PIPELINE_STAGES)
        .order_by("stage_since", "last_name")
    ):
        volunteer.days_in_stage = days_in_stage(volunteer, now)  # type: ignore[attr-defined]
        columns[Stage(volunteer.stage)].volunteers.append(volunteer)
    return list(columns.values())


def volunteers_filtered(
    qs: QuerySet[Volunteer], *, stage: str = "", status: str = "", query: str = ""
) -> QuerySet[Volunteer]:
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if status in VolunteerStatus.values:
        qs = qs.filter(status=status)
    for word in query.split():
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(reference__iexact=word)
            | Q(area__iexact=word)
        )
    return qs


def volunteers_available_for_matching(scheme: Scheme) -> QuerySet[Volunteer]:
    """Approved, available, DBS within the scheme's renewal period and every training module
    within its refresher period. Suspended, paused, left and non-compliant volunteers are not
    offered. For the matching issue."""
    config = schemesettings.settings_for(VolunteerSchemeSettings, scheme)
    today = timezone.localdate()
    dbs_cutoff = rules.years_after(today, -config.dbs_renewal_years)
    training_cutoff = rules.years_after(today, -config.training_refresh_years)
    return (
        Volunteer.objects.filter(
            scheme=scheme,
            stage=Stage.APPROVED,
            status=VolunteerStatus.AVAILABLE,
            dbs_issued_on__gt=dbs_cutoff,
            dbs_barred_list_checked=True,
        )
        .annotate(
            modules_in_date=Count(
                "training__module",
                filter=Q(training__completed_on__gt=training_cutoff),
                distinct=True,
            )
        )
        .filter(modules_in_date=len(TrainingModule))
        .select_related("user")
        .order_by("last_name", "first_name")
    )


def volunteer_can_visit(volunteer: Volunteer, today: date | None = None) -> tuple[bool, list[str]]:
    """Whether this volunteer may plan or make visits now, and if not, why. For the visits
    issue."""
    problems = rules.compliance_problems(
        volunteer,
        schemesettings.settings_for(VolunteerSchemeSettings, volunteer.scheme_id),
        today or timezone.localdate(),
    )
    return (not problems, problems)


def volunteer_can_be_matched(
    volunteer: Volunteer, today: date | None = None
) -> tuple[bool, list[str]]:
    ok, problems = volunteer_can_visit(volunteer, today)
    if ok and volunteer.status != VolunteerStatus.AVAILABLE:
        problems = [f"Status is {volunteer.get_status_display().lower()}."]
    return (not problems, problems)


def volunteer_can_transport(
    volunteer: Volunteer, today: date | None = None
) -> tuple[bool, list[str]]:
    _ok, problems = volunteer_can_visit(volunteer, today)
    problems = problems + rules.transport_problems(volunteer, today or timezone.localdate())
    return (not problems, problems)


def what_is_due(volunteer: Volunteer, today: date | None = None) -> list[rules.Due]:
    return rules.what_is_due(
        volunteer,
        schemesettings.settings_for(VolunteerSchemeSettings, volunteer.scheme_id),
        today or timezone.localdate(),
    )


def volunteer_history(volunteer: Volunteer, limit: int = 50) -> list[Any]:
    return list(volunteer.history.select_related("history_user").order_by("-history_date")[:limit])


def scheme_staff_users(scheme_id: int) -> QuerySet[Any]:
    staff = Membership.objects.filter(
        scheme_id=scheme_id, role__in=access.STAFF_ROLES, is_active=True
    ).values("user_id")
    return User.objects.filter(pk__in=staff, is_active=True).order_by("full_name")


def volunteer_document_get(*, user: User, public_id: str) -> Volunteer:
    """Staff of the scheme, or the volunteer themselves, may download the approval papers."""
    own = volunteer_for_user(user)
    if own is not None and own.public_id == public_id:
        return own
    return volunteer_get_for_user(user=user, public_id=public_id)
