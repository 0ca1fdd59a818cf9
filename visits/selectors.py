"""The one door to visits and reports, already scoped to the person asking.

- Coordinators and managers see every visit and report of their schemes.
- An IV sees the visits of their own match (the `matches.view_match` grant) and their reports.
- A social worker sees the dates of their allocated children's visits held and cancelled,
  never a report (the child's confidential space) or a visit's details.
Forbidden and missing both raise Http404.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Role, User
from core.audit import record_read
from core.dates import day_start
from matches.models import ACTIVE_STATUSES, Match, MatchStatus
from matches.selectors import active_match_for_volunteer, matches_visible_to
from referrals.models import Child
from referrals.selectors import current_placement
from visits.constants import CHECK_IN_EARLIEST
from visits.models import (
    DEFAULT_CHECKOUT_GRACE,
    LONE_WORKING_KINDS,
    CalendarFeed,
    Platform,
    ReportNote,
    Visit,
    VisitReport,
    VisitStatus,
)


def _own_match_ids(user: User) -> list[int]:
    """The IV's own matches they are granted, read first as a short list: as a subquery of
    every visit query, the permission joins cost more to plan (6 ms at 230,000 visits) than
    the visit query takes to run."""

    return list(matches_visible_to(user).filter(volunteer=user).values_list("pk", flat=True))


def visits_visible_to(user: User) -> QuerySet[Visit]:
    """Visits with their full details: staff of the scheme and the IV of the match."""
    condition = access.staff_or_own(user, lambda: Q(match_id__in=_own_match_ids(user)))
    return (
        Visit.objects.filter(condition)
        .select_related("match", "match__child", "match__volunteer", "platform", "scheme")
        .order_by("-starts_at")
    )


def iv_child_for_planning(user: User, match: Match) -> Child:
    """The child of the IV's own match, for the plan-a-visit page (their name and age), with
    the read in the child's access log."""
    record_read(user, match.child, action="view_visit_plan")
    return match.child


def visit_get_for_user(
    *, user: User, public_id: str, purpose: Literal["view", "report"] = "view"
) -> Visit:
    """The one door to a visit: for `purpose="report"` (the page that writes its report) only
    the IV of its match. Forbidden and missing both raise Http404."""
    visit = visits_visible_to(user).filter(public_id=public_id).first()
    if visit is None or (purpose == "report" and visit.match.volunteer_id != user.pk):
        raise Http404("No such visit")
    # A visit's page shows the child: in the child's access log.
    record_read(user, visit.match.child, action="view_visit")
    return visit


def visit_dates_for_social_worker(user: User) -> QuerySet[Visit]:
    """Dates of visits held and cancelled for the social worker's allocated children: no
    place, activity or report (the view shows only date, status and who cancelled)."""
    from guardian.shortcuts import get_objects_for_user

    sws = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    if not sws:
        return Visit.objects.none()
    children = get_objects_for_user(
        user, "referrals.view_child", klass=Child, accept_global_perms=False
    ).values("pk")
    return (
        Visit.objects.filter(
            scheme_id__in=sws,
            match__child_id__in=children,
            status__in=[VisitStatus.HELD, VisitStatus.CANCELLED],
        )
        .select_related("match__child")
        .only(
            "public_id",
            "starts_at",
            "status",
            "kind",
            "cancelled_by",
            "match__child__first_name",
            "match__child__last_name",
            "match__child__public_id",
        )
        .order_by("-starts_at")
    )


def visit_sections(user: User, visit: Visit) -> set[str]:
    """The parts of the visit's page only some may see: "people" (who the visit was between,
    by name) for the scheme's staff; the IV knows."""
    return {"people"} if access.is_staff_in(user, visit.scheme_id) else set()


# --- The IV's home --------------------------------------------------------------------------


def iv_match(user: User) -> Match | None:
    """The IV's live match (with its child and scheme), or None: what the plan page needs,
    without the rest of the home screen."""

    if Role.INDEPENDENT_VISITOR not in access.roles_of(user):
        return None
    return active_match_for_volunteer(user)


def iv_home(user: User, now: datetime | None = None) -> dict[str, Any] | None:
    """Everything the IV home screen shows, in a fixed number of queries: the child's first
    name and age, the visit under way, the next visit, reports to write, the visit card."""

    if Role.INDEPENDENT_VISITOR not in access.roles_of(user):
        return None
    match = iv_match(user)
    if match is None:
        # A paused match (the IV suspended, or a coordinator's pause) shows nothing of the
        # child: only that visits are on hold and whom to ask.
        on_hold = Match.objects.filter(volunteer=user, status=MatchStatus.PAUSED).exists()
        return {"match": None, "on_hold": on_hold}
    now = now or timezone.now()
    child = match.child
    # The home screen shows the child's visit card: in the access log like the card's page.
    record_read(user, child, action="view_visit_card")
    visits = Visit.objects.filter(match=match).select_related("platform")
    under_way = visits.filter(status=VisitStatus.UNDER_WAY).order_by("starts_at").first()
    next_visit = (
        visits.filter(status=VisitStatus.PLANNED, expected_end__gte=now)
        .order_by("starts_at")
        .first()
    )
    to_write = list(
        visits.filter(status=VisitStatus.HELD, report__isnull=True).order_by("-starts_at")[:10]
    )
    # Planned visits whose time has passed without a check-in: the IV should record them.
    missed = list(
        visits.filter(status=VisitStatus.PLANNED, expected_end__lt=now).order_by("-starts_at")[:5]
    )
    return {
        "match": match,
        "child": child,
        "age": child.age_on(timezone.localdate(now)),
        "placement": current_placement(child),
        "scheme": match.scheme,
        "under_way": under_way,
        "next_visit": next_visit,
        "can_check_in": bool(
            next_visit
            and next_visit.is_lone_working
            and now >= next_visit.starts_at - CHECK_IN_EARLIEST
        ),
        "reports_to_write": to_write,
        "missed": missed,
    }


# --- Overdue check-outs (lone working) -----------------------------------------------------


def visits_overdue_checkout(now: datetime) -> QuerySet[Visit]:
    """Face-to-face visits with no check-out by their expected end plus the scheme's grace
    period, not yet alerted: planned ones the IV never checked in to count too, because the
    IV may be out with the child without having tapped. For the monitoring job (it claims
    each with visits.services.visit_overdue_alert_mark before telling the coordinator)."""
    grace = Coalesce(
        F("scheme__visit_settings__checkout_grace"),
        Value(DEFAULT_CHECKOUT_GRACE, output_field=DurationField()),
        output_field=DurationField(),
    )
    return (
        Visit.objects.filter(
            status__in=[VisitStatus.PLANNED, VisitStatus.UNDER_WAY],
            kind__in=LONE_WORKING_KINDS,
            checked_out_at__isnull=True,
            overdue_alerted_at__isnull=True,
            # Cheap bound first, served by visit_open_end_idx: no grace is longer than a day.
            expected_end__lt=now,
        )
        .annotate(
            alert_after=ExpressionWrapper(F("expected_end") + grace, output_field=DateTimeField())
        )
        .filter(alert_after__lt=now)
        .select_related("match", "match__volunteer", "scheme")
        .order_by("expected_end")
    )


# --- Reports ------------------------------------------------------------------------------


def reports_visible_to(user: User) -> QuerySet[VisitReport]:
    condition = access.staff_or_own(
        user, lambda: Q(author=user, visit__match_id__in=_own_match_ids(user))
    )
    return (
        VisitReport.objects.filter(condition)
        .select_related(
            "visit", "visit__match", "visit__match__child", "author", "acknowledged_by", "scheme"
        )
        .order_by("-submitted_at")
    )


def report_get_for_user(
    *, user: User, public_id: str, purpose: Literal["view", "acknowledge"] = "view"
) -> VisitReport:
    """The one door to a report: for `purpose="acknowledge"` only the scheme's staff.
    Forbidden and missing both raise Http404."""
    # The report's visit id first, so that PostgreSQL joins the visit by that id. Left to
    # itself it may merge-join reports with every visit in id order: a newly sent report's
    # visit is always past the highest visit id in its statistics, which makes that look
    # cheap while it reads the whole visits index (tens of milliseconds at 230,000 visits).
    visit_id = (
        VisitReport.objects.filter(public_id=public_id).values_list("visit_id", flat=True).first()
    )
    report = (
        reports_visible_to(user).filter(public_id=public_id, visit_id=visit_id).first()
        if visit_id is not None
        else None
    )
    if report is None or (
        purpose == "acknowledge" and not access.is_staff_in(user, report.scheme_id)
    ):
        raise Http404("No such report")
    return report


def report_sections(user: User, report: VisitReport) -> set[str]:
    """The parts of the report's page only some may see: "people" (the IV and the child, by
    name) for the scheme's staff; "author" (the button for a worry about the child, and the
    phone's note that its draft was sent) for the IV who wrote it."""
    sections = {"people"} if access.is_staff_in(user, report.scheme_id) else set()
    if report.author_id == user.pk:
        sections.add("author")
    return sections


def report_for_visit(visit: Visit) -> VisitReport | None:
    return VisitReport.objects.filter(visit=visit).first()


def report_notes(report: VisitReport) -> list[ReportNote]:
    return list(report.notes.select_related("author").order_by("created_at", "pk"))


def report_queue(user: User) -> QuerySet[VisitReport]:
    """Reports waiting for a coordinator to read and acknowledge, oldest first."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        VisitReport.objects.filter(scheme_id__in=staff, acknowledged_at__isnull=True)
        .select_related("visit", "visit__match__child", "author", "scheme")
        .order_by("submitted_at", "pk")
    )


# --- Platforms and calendar ---------------------------------------------------------------


def platforms_for_scheme(scheme_id: int, *, active_only: bool = True) -> QuerySet[Platform]:
    qs = Platform.objects.filter(scheme_id=scheme_id)
    return qs.filter(is_active=True) if active_only else qs


def platforms_visible_to(user: User) -> QuerySet[Platform]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return Platform.objects.filter(scheme_id__in=staff).select_related("scheme")


def platform_get_for_user(*, user: User, public_id: str) -> Platform:
    platform = platforms_visible_to(user).filter(public_id=public_id).first()
    if platform is None:
        raise Http404("No such platform")
    return platform


def calendar_feed_for(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_visits(token: str) -> list[Visit] | None:
    """The planned and under-way visits of a live feed's IV, or None for an unknown or
    revoked address. The feed has no session: the token is the key, so scope by its IV."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    # Tied to a live IV role and a live match the IV is granted: a role that ended, a match
    # paused (a suspension) or closed answer as an unknown address, whatever else the person
    # still is. The services also revoke the address when either ends.
    ivs = access.scheme_ids_with_role(feed.user, [Role.INDEPENDENT_VISITOR])
    match_ids = _own_match_ids(feed.user) if ivs else []
    if not match_ids:
        return None
    since = timezone.now() - timedelta(days=31)
    return list(
        Visit.objects.filter(
            scheme_id__in=ivs,
            match_id__in=match_ids,
            match__volunteer=feed.user,
            match__status__in=[s for s in ACTIVE_STATUSES if s != MatchStatus.PAUSED],
            status__in=[VisitStatus.PLANNED, VisitStatus.UNDER_WAY],
            starts_at__gte=since,
        )
        .select_related("match__child", "platform")
        .order_by("starts_at")
    )


LAPSED_AFTER_DAYS = 42  # six weeks, the brief's default


def lapsed_matches(today: date, *, scheme_ids: set[int] | None = None) -> list[dict[str, object]]:
    """Active matches with no held visit or contact in six weeks, in one query: each with
    the days since the last contact (or since the match started) and the next planned visit."""
    cutoff = day_start(today - timedelta(days=LAPSED_AFTER_DAYS))
    qs = (
        Match.objects.filter(status__in=ACTIVE_STATUSES)
        .exclude(status=MatchStatus.PAUSED)
        .annotate(
            last_contact=Max("visits__starts_at", filter=Q(visits__status=VisitStatus.HELD)),
            next_planned=Min(
                "visits__starts_at",
                filter=Q(visits__status=VisitStatus.PLANNED, visits__starts_at__gte=cutoff),
            ),
        )
        .filter(
            Q(last_contact__lt=cutoff)
            | Q(last_contact__isnull=True, started_on__lt=today - timedelta(days=LAPSED_AFTER_DAYS))
        )
        .values(
            "pk", "public_id", "scheme_id", "started_on", "last_contact", "next_planned",
            "child__first_name", "volunteer__full_name",
        )
        .order_by("last_contact")
    )  # fmt: skip
    if scheme_ids is not None:
        qs = qs.filter(scheme_id__in=scheme_ids)
    rows = []
    for m in qs:
        since = m["last_contact"].date() if m["last_contact"] else m["started_on"]
        rows.append({**m, "days": (today - since).days if since else None})
    return rows


def last_visit_on(match: Match) -> date | None:
    """The date of the last visit held (dates only: the social worker never sees reports)."""
    last = Visit.objects.filter(match=match, status=VisitStatus.HELD).aggregate(
        last=Max("starts_at")
    )["last"]
    return timezone.localtime(last).date() if last else None
