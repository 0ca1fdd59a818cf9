"""The one door to complaints: every read a page, job or report needs, scoped to the user.

Who sees a complaint (docs/decisions/0003-complaints-about-coordinators.md):
- managers and complaints managers of its scheme see every complaint of the scheme;
- coordinators of its scheme see every complaint except those about a member of staff (a
  coordinator, any coordinator, not only the one named; or another member of staff);
- nobody ever sees a complaint about themselves, whatever their other roles;
- IVs, social workers and everyone else see none.
Forbidden and missing both raise Http404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import Membership, Role, Scheme, User
from complaints.letters import DEFAULT_BODIES
from complaints.models import (
    OPEN_STATUSES,
    STAFF_SUBJECTS,
    Complaint,
    ComplaintStage,
    Finding,
    LetterKind,
    LetterTemplate,
    Status,
)
from core.audit import record_read

if TYPE_CHECKING:
    # Named only in the answers' types: a complaint's events and letters are read through it.
    from complaints.models import ComplaintEvent, ComplaintLetter

SEE_ALL_ROLES = (Role.MANAGER, Role.COMPLAINTS_MANAGER)
COMPLAINT_ROLES = (Role.COORDINATOR, Role.MANAGER, Role.COMPLAINTS_MANAGER)


def visibility_q(user: User) -> Q:
    """The complaints `user` may see, as a filter (empty-handed users match nothing)."""
    see_all = access.scheme_ids_with_role(user, SEE_ALL_ROLES)
    coordinator_only = access.scheme_ids_with_role(user, [Role.COORDINATOR]) - see_all
    if not see_all and not coordinator_only:
        return Q(pk__in=[])
    condition = Q(scheme_id__in=see_all) | (
        Q(scheme_id__in=coordinator_only) & ~Q(subject__in=STAFF_SUBJECTS)
    )
    # Never one's own complaint, whatever else one is (a coordinator who is also a manager).
    return condition & ~Q(subject_user=user)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(visibility_q(user)).select_related("scheme")


def can_see_complaints(user: User) -> bool:
    return bool(access.scheme_ids_with_role(user, COMPLAINT_ROLES))


def complaint_schemes(user: User) -> list[Scheme]:
    """Schemes where the person may record complaints and see the register."""
    ids = access.scheme_ids_with_role(user, COMPLAINT_ROLES)
    return sorted(
        {m.scheme for m in access.memberships(user) if m.scheme_id in ids}, key=lambda s: s.name
    )


def managed_schemes(user: User) -> list[Scheme]:
    """Schemes where the person runs the procedure and edits the letters."""
    ids = access.scheme_ids_with_role(user, SEE_ALL_ROLES)
    return sorted(
        {m.scheme for m in access.memberships(user) if m.scheme_id in ids}, key=lambda s: s.name
    )


def complaint_get_for_user(
    *, user: User, public_id: str, purpose: Literal["view", "manage"] = "view"
) -> Complaint:
    """The one door to a complaint: for `purpose="manage"` (the steps of the procedure) only
    the scheme's managers and complaints managers. Forbidden and missing both raise Http404.
    The read is in the access log."""
    complaint = _complaint_visible(user, public_id)
    if purpose == "manage" and not complaint_can_manage(user=user, complaint=complaint):
        raise Http404("No such complaint")
    record_read(user, complaint, action=purpose)
    return complaint


def _complaint_visible(user: User, public_id: str) -> Complaint:
    complaint = (
        complaints_visible_to(user)
        .select_related("subject_user")
        .filter(public_id=public_id)
        .first()
    )
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


def complaint_can_manage(*, user: User, complaint: Complaint) -> bool:
    """Managers and complaints managers run the stages; coordinators record and read."""
    return access.has_role(user, complaint.scheme_id, SEE_ALL_ROLES)


def complaint_sections(user: User, complaint: Complaint) -> set[str]:
    """The parts of the complaint's page only some may see: "access_log" (who has viewed it)
    for those who run its procedure (complaint_can_manage)."""
    return {"access_log"} if complaint_can_manage(user=user, complaint=complaint) else set()


def complaint_stages(complaint: Complaint) -> list[ComplaintStage]:
    return list(complaint.stages.select_related("handler").order_by("number"))


def complaint_events(complaint: Complaint) -> list[ComplaintEvent]:
    return list(complaint.events.select_related("actor").order_by("at", "pk"))


def complaint_letters(complaint: Complaint) -> list[ComplaintLetter]:
    return list(complaint.letters.order_by("created_at"))


def letter_get_for_user(*, user: User, complaint_id: str, letter_id: str) -> ComplaintLetter:
    # The download is logged by the view once the password is confirmed ("download_letter").
    complaint = _complaint_visible(user, complaint_id)
    letter = complaint.letters.filter(public_id=letter_id).first()
    if letter is None:
        raise Http404("No such letter")
    letter.complaint = complaint
    return letter


def complaint_register(*, user: User, scheme: Scheme | None = None) -> QuerySet[Complaint]:
    """Open complaints, the nearest deadline first, then those waiting for the complainant."""
    qs = complaints_visible_to(user).filter(status__in=OPEN_STATUSES)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs.order_by(F("due_on").asc(nulls_last=True), "received_on", "reference")


def stage_handler_choices(complaint: Complaint) -> QuerySet[User]:
    """The managers who may run a stage: never the person the complaint is about."""
    people = staff_choices(complaint.scheme, [Role.MANAGER])
    if complaint.subject_user_id is not None:
        people = people.exclude(pk=complaint.subject_user_id)
    return people


def staff_choices(scheme: Scheme, roles: tuple[str, ...] | list[str]) -> QuerySet[User]:
    members = Membership.objects.filter(scheme=scheme, role__in=roles, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "full_name"
    )


def complaint_staff_to_notify(complaint: Complaint) -> QuerySet[User]:
    """Who may be told about this complaint (for reminders and notifications): the same rule
    as seeing it, so a coordinator is never told about a complaint about a member of staff,
    and nobody about a complaint about themselves."""
    roles: tuple[str, ...] = SEE_ALL_ROLES if complaint.is_about_staff else COMPLAINT_ROLES
    people = staff_choices(complaint.scheme, roles)
    if complaint.subject_user_id is not None:
        people = people.exclude(pk=complaint.subject_user_id)
    return people


def letter_templates_for(*, user: User, scheme_slug: str) -> tuple[Scheme, list[dict[str, Any]]]:
    """A scheme's letter wording (stored, or the default), for its managers."""

    scheme = next((s for s in managed_schemes(user) if s.slug == scheme_slug), None)
    if scheme is None:
        raise Http404("No such scheme")
    stored = {t.kind: t for t in LetterTemplate.objects.filter(scheme=scheme)}
    rows = []
    for kind in LetterKind:
        template = stored.get(kind.value)
        rows.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "body": template.body if template else DEFAULT_BODIES[kind],
                "updated_at": template.updated_at if template else None,
            }
        )
    return scheme, rows


def scheme_for_public_form(slug: str) -> Scheme:
    scheme = Scheme.objects.filter(slug=slug).first()
    if scheme is None:
        raise Http404("No such scheme")
    return scheme


@dataclass
class ComplaintCounts:
    received: int = 0
    open: int = 0
    overdue: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    responses_on_time: int = 0
    responses_late: int = 0
    stages_by_number: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def stage_rows(self) -> list[tuple[str, int]]:
        return [(Status(k).label, v) for k, v in self.by_stage.items()]

    @property
    def outcome_rows(self) -> list[tuple[str, int]]:
        return [(Finding(k).label, v) for k, v in self.by_outcome.items()]


def complaint_counts(
    user: User,
    scheme: Scheme | None,
    period: tuple[date, date],
    *,
    today: date | None = None,
    scheme_ids: list[int] | None = None,
) -> ComplaintCounts:
    """Counts for the register and the reports issue, over what `user` may see (of one
    scheme, of the schemes in `scheme_ids`, or of all).

    - received: complaints received in the period; by_stage: where those are now;
    - by_outcome: complaints closed in the period, by finding;
    - timeliness: stage responses sent in the period, on time or late;
    - open and overdue: now (not limited to the period).
    Two queries, whatever the number of complaints or schemes: the complaints grouped by
    status and finding with a conditional count for each figure, then the responses.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    start, end = period
    qs = complaints_visible_to(user).select_related(None)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    if scheme_ids is not None:
        qs = qs.filter(scheme_id__in=scheme_ids)
    counts = ComplaintCounts()
    received = Q(received_on__range=(start, end))
    closed = Q(status=Status.CLOSED, closed_on__range=(start, end))
    open_now = Q(status__in=OPEN_STATUSES)
    groups = (
        qs.values_list("status", "finding")
        .annotate(
            n_received=Count("pk", filter=received),
            n_closed=Count("pk", filter=closed),
            n_open=Count("pk", filter=open_now),
            n_overdue=Count("pk", filter=open_now & Q(due_on__lt=today)),
        )
        .order_by()
    )
    by_stage = dict.fromkeys(Status.values, 0)
    by_outcome = dict.fromkeys(Finding.values, 0)
    for status, finding, n_received, n_closed, n_open, n_overdue in groups:
        if status in by_stage:
            by_stage[status] += n_received
        if finding in by_outcome:
            by_outcome[finding] += n_closed
        counts.open += n_open
        counts.overdue += n_overdue
    counts.by_stage, counts.by_outcome = by_stage, by_outcome
    counts.received = sum(by_stage.values())
    per_stage = (
        ComplaintStage.objects.filter(complaint__in=qs, responded_on__range=(start, end))
        .values("number")
        .annotate(
            n_on_time=Count("pk", filter=Q(responded_on__lte=F("due_on"))),
            n_late=Count("pk", filter=Q(responded_on__gt=F("due_on"))),
        )
        .order_by("number")
    )
    for r in per_stage:
        counts.stages_by_number[r["number"]] = {"on_time": r["n_on_time"], "late": r["n_late"]}
        counts.responses_on_time += r["n_on_time"]
        counts.responses_late += r["n_late"]
    return counts
