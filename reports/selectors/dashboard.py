"""The coordinator dashboard (the staff home page) and its charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.utils import timezone

from accounts import access
from accounts.models import User
from complaints.selectors import complaint_register
from expenses.models import ClaimStatus
from expenses.selectors import claim_queue
from matches.models import Match, MatchSchemeSettings, MatchStatus
from referrals.models import Referral, ReferralStatus
from reports.selectors.common import Median, _round, days_between
from safeguarding.selectors import unacknowledged_for
from visits.models import LONE_WORKING_KINDS, Visit, VisitStatus
from visits.selectors import lapsed_matches, report_queue
from volunteers.models import PIPELINE_STAGES, Stage, Volunteer

# --- The coordinator dashboard --------------------------------------------------------------


@dataclass
class Dashboard:
    todo: list[dict[str, Any]]
    concerns: list[Any]
    waiting: dict[str, Any]
    matches_by_state: list[dict[str, Any]]
    lapsed: int
    pipeline: list[dict[str, Any]]


def _reviews_due(ids: set[int], today: date) -> int:
    """Established matches whose regular review is due within two weeks: the scheme's
    interval after the last review (or the trial review, or the start), in one query."""
    from django.db.models import DateField
    from django.db.models.functions import Coalesce, Greatest

    interval = Coalesce(
        MatchSchemeSettings.objects.filter(scheme_id=OuterRef("scheme_id")).values(
            "review_interval_months"
        )[:1],
        Value(MatchSchemeSettings._meta.get_field("review_interval_months").default),
    )
    since = Greatest(
        Coalesce(Max("reviews__held_on"), F("trial_review_on"), F("started_on")),
        Coalesce(F("trial_review_on"), F("started_on")),
        output_field=DateField(),
    )
    due = Func(
        since,
        interval,
        template="(%(expressions)s * interval '1 month')::date",
        arg_joiner=" + ",
        output_field=DateField(),
    )
    return (
        Match.objects.filter(
            scheme_id__in=ids, status=MatchStatus.ESTABLISHED, started_on__isnull=False
        )
        .annotate(due_on=due)
        .filter(due_on__lte=today + timedelta(days=14))
        .count()
    )


def _missing_checkouts(ids: set[int], now: datetime) -> int:
    """Face-to-face visits that should have ended (in the last week) with no check-out."""

    return Visit.objects.filter(
        scheme_id__in=ids,
        status__in=[VisitStatus.PLANNED, VisitStatus.UNDER_WAY],
        kind__in=LONE_WORKING_KINDS,
        checked_out_at__isnull=True,
        expected_end__lt=now,
        expected_end__gte=now - timedelta(days=7),
    ).count()


def dashboard(user: User, *, now: datetime | None = None) -> Dashboard | None:
    """The coordinator's home page: what needs doing now, most urgent first, then the
    caseload at a glance. A fixed number of queries, whatever the number of records."""
    from django.urls import reverse

    ids = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    if not ids:
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    concerns = unacknowledged_for(user)
    claims = _claims_to_approve(user)
    complaints_due = (
        complaint_register(user=user).filter(due_on__lte=today + timedelta(days=5)).count()
    )
    todo = [
        {
            "label": "Safeguarding concerns to acknowledge",
            "count": len(concerns),
            "url": reverse("safeguarding:register") + "?state=new",
            "urgent": True,
        },
        {
            "label": "Visits with no check-out",
            "count": _missing_checkouts(ids, now),
            "url": reverse("visits:list"),
            "urgent": True,
        },
        {
            "label": "Visit reports to read",
            "count": report_queue(user).count(),
            "url": reverse("visits:report_queue"),
            "urgent": False,
        },
        {
            "label": "Match reviews due in the next two weeks",
            "count": _reviews_due(ids, today),
            "url": reverse("matches:list") + "?status=established",
            "urgent": False,
        },
    ]
    if claims is not None:
        todo.append(
            {
                "label": "Expense claims to approve",
                "count": claims,
                "url": reverse("expenses:queue"),
                "urgent": False,
            }
        )
    todo.append(
        {
            "label": "Complaint deadlines in the next five days",
            "count": complaints_due,
            "url": reverse("complaints:register"),
            "urgent": False,
        }
    )
    waiting = Referral.objects.filter(
        scheme_id__in=ids, status=ReferralStatus.WAITING, waiting_since__isnull=False
    ).aggregate(
        n=Count("pk"),
        median=Median(days_between(Value(today), F("waiting_since"))),
        longest=Max(days_between(Value(today), F("waiting_since"))),
        under_3=Count("pk", filter=Q(waiting_since__gt=today - timedelta(days=91))),
        under_6=Count(
            "pk",
            filter=Q(
                waiting_since__lte=today - timedelta(days=91),
                waiting_since__gt=today - timedelta(days=182),
            ),
        ),
        under_12=Count(
            "pk",
            filter=Q(
                waiting_since__lte=today - timedelta(days=182),
                waiting_since__gt=today - timedelta(days=365),
            ),
        ),
        over_12=Count("pk", filter=Q(waiting_since__lte=today - timedelta(days=365))),
    )
    waiting_url = reverse("referrals:waiting")
    waiting["buckets"] = [
        {"label": "Under 3 months", "count": waiting["under_3"], "url": waiting_url},
        {"label": "3 to 6 months", "count": waiting["under_6"],
         "url": f"{waiting_url}?waited_days=91"},
        {"label": "6 to 12 months", "count": waiting["under_12"],
         "url": f"{waiting_url}?waited_days=182"},
        {"label": "Over a year", "count": waiting["over_12"],
         "url": f"{waiting_url}?waited_days=365"},
    ]  # fmt: skip
    waiting["median"] = _round(waiting["median"], 0)
    waiting["url"] = waiting_url
    states = dict(
        Match.objects.filter(scheme_id__in=ids)
        .exclude(status=MatchStatus.CLOSED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    match_url = reverse("matches:list")
    by_state = [
        {"label": label, "count": states.get(value, 0), "url": f"{match_url}?status={value}"}
        for value, label in MatchStatus.choices
        if value != MatchStatus.CLOSED
    ]
    stages = dict(
        Volunteer.objects.filter(scheme_id__in=ids, stage__in=PIPELINE_STAGES)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    vol_url = reverse("volunteers:list")
    pipeline = [
        {"label": Stage(s).label, "count": stages.get(s, 0), "url": f"{vol_url}?stage={s}"}
        for s in PIPELINE_STAGES
    ]
    return Dashboard(
        todo=sorted(todo, key=lambda t: (not t["urgent"] or not t["count"], not t["count"])),
        concerns=concerns,
        waiting=waiting,
        matches_by_state=by_state,
        lapsed=len(lapsed_matches(today, scheme_ids=ids)),
        pipeline=pipeline,
    )


def _claims_to_approve(user: User) -> int | None:
    return claim_queue(user).filter(status=ClaimStatus.SUBMITTED).count()


def chart(
    rows: list[dict[str, Any]] | list[tuple[str, int]], *, width: int = 300
) -> dict[str, Any]:
    """Bars for a server-rendered SVG chart: each row with its bar length; the template
    prints the numbers as text next to each bar, so the chart reads without colour."""
    items: list[dict[str, Any]] = [
        r if isinstance(r, dict) else {"label": r[0], "count": r[1], "url": ""} for r in rows
    ]
    biggest = max([int(i["count"]) for i in items] + [1])
    bars = []
    for n, item in enumerate(items):
        bars.append(
            {
                **item,
                "y": n * 28,
                "width": max(1, round(width * int(item["count"]) / biggest))
                if item["count"]
                else 0,
            }
        )
    return {"bars": bars, "height": max(28, len(items) * 28), "width": width}


def dashboard_context(user: User) -> dict[str, Any]:
    """The dashboard and its charts, for the home page (empty for people without one)."""
    board = dashboard(user)
    if board is None:
        return {}
    return {
        "dashboard": board,
        "waiting_chart": chart(board.waiting["buckets"]),
        "matches_chart": chart(board.matches_by_state),
        "pipeline_chart": chart(board.pipeline),
    }
