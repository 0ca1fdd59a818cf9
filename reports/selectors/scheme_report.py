"""The manager's scheme report: referrals, matches, visits, safeguarding, expenses,
complaints, volunteers and monitoring figures, and its CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.utils import timezone

from accounts.models import Membership, Role, Scheme, User
from complaints.models import Finding, Status
from complaints.selectors import complaint_counts
from expenses.models import COUNTED_STATUSES, Claim
from matches.models import ACTIVE_STATUSES, ClosureReason, Match, MatchStatus
from matches.selectors import caseload
from referrals.models import Gender, Referral, ReferralStatus
from reports.selectors.common import (
    HEADLINE_GOAL_PERCENT,
    Median,
    _round,
    day_start,
    days_between,
    hours_between,
    monitoring_rows,
    period_bounds,
    report_scope,
)
from safeguarding.models import Category, Concern, IncidentType, Kind
from visits.models import CancelledBy, Visit, VisitStatus
from volunteers.models import PIPELINE_STAGES, Stage, Volunteer, VolunteerGender

# --- The scheme report -------------------------------------------------------------------------


@dataclass
class Report:
    schemes: list[Scheme]
    scheme: Scheme | None
    start: date
    end: date
    produced_at: datetime
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def scheme_label(self) -> str:
        if self.scheme is not None:
            return self.scheme.name
        return "All your schemes: " + ", ".join(s.name for s in self.schemes)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["figures"][name]
        except KeyError:
            raise AttributeError(name) from None


def month_starts(start: date, end: date) -> list[date]:
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def referral_figures(ids: list[int], start: date, end: date) -> dict[str, Any]:
    """Referrals received, declined and withdrawn in the period, and the waiting list at its
    end: one query."""

    lo, hi = period_bounds(start, end)
    from_sw = Membership.objects.filter(
        user=OuterRef("referred_by"), scheme=OuterRef("scheme"), role=Role.SOCIAL_WORKER
    )
    in_period = Q(received_at__gte=lo, received_at__lt=hi)
    waiting = Q(status=ReferralStatus.WAITING, waiting_since__isnull=False)
    wait_days = days_between(Value(end), F("waiting_since"))
    row = (
        Referral.objects.filter(scheme_id__in=ids)
        .annotate(from_sw=Exists(from_sw))
        .aggregate(
            received=Count("pk", filter=in_period),
            received_sw=Count("pk", filter=in_period & Q(from_sw=True)),
            declined=Count(
                "pk",
                filter=Q(status=ReferralStatus.DECLINED, closed_at__gte=lo, closed_at__lt=hi),
            ),
            withdrawn=Count(
                "pk",
                filter=Q(status=ReferralStatus.WITHDRAWN, closed_at__gte=lo, closed_at__lt=hi),
            ),
            waiting=Count("pk", filter=waiting),
            waiting_median=Median(wait_days, filter=waiting),
            waiting_longest=Max(wait_days, filter=waiting),
        )
    )
    return {
        "received": row["received"],
        "by_source": [
            ("Social worker", row["received_sw"]),
            ("Entered by scheme staff", row["received"] - row["received_sw"]),
        ],
        "declined": row["declined"],
        "withdrawn": row["withdrawn"],
        "waiting": row["waiting"],
        "waiting_median_days": _round(row["waiting_median"]),
        "waiting_longest_days": row["waiting_longest"],
    }


def match_figures(ids: list[int], start: date, end: date) -> dict[str, Any]:
    """Matches started and ended in the period (ended ones by reason), and active now: one
    query, a conditional count per closure reason."""

    ended = Q(status=MatchStatus.CLOSED, ended_on__range=(start, end))
    row = Match.objects.filter(scheme_id__in=ids).aggregate(
        started=Count("pk", filter=Q(started_on__range=(start, end))),
        ended=Count("pk", filter=ended),
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        active_children=Count("child", filter=Q(status__in=ACTIVE_STATUSES), distinct=True),
        length_median=Median(
            days_between(F("ended_on"), F("started_on")),
            filter=ended & Q(started_on__isnull=False),
        ),
        **{
            f"reason_{value}": Count("pk", filter=ended & Q(closure_reason=value))
            for value in ClosureReason.values
        },
    )
    return {
        "started": row["started"],
        "ended": row["ended"],
        "ended_by_reason": [
            (label, row[f"reason_{value}"])
            for value, label in ClosureReason.choices
            if row[f"reason_{value}"]
        ],
        "active": row["active"],
        "active_children": row["active_children"],
        "length_median_days": _round(row["length_median"]),
    }


def visits_and_contact(
    ids: list[int], start: date, end: date
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The visit figures of the period (held, cancelled, cancelled by whom) and, for each
    month of it, the matches active in the month (started before its end and not ended
    before its start) and how many of them had a held visit or contact in it.

    One query and one scan of the period's visits (the dearest part of the report): the
    visits are grouped by match into counts and a bit mask of the months with a held visit
    (the month found with width_bucket against the month boundaries, with no time-zone
    conversion per row); the matches are then grouped by their first and last active month
    and that mask (about 2,000 groups for 20,000 matches) and spread over the months. The
    match of a visit is always in the visit's scheme (visits.services copies it).
    Replaces a query that probed the visits once per match and month (1.4 s at 20,000
    matches, make bench)."""

    lo, hi = period_bounds(start, end)
    months = month_starts(start, end)
    n = len(months)
    if n > 62:  # the mask is a bigint; the report form allows three years
        raise ValueError("A period of five years or less, please.")
    after = (months[-1] + timedelta(days=32)).replace(day=1)
    bounds = [*months[1:], after]  # the start of each month's successor
    by_who = "".join(
        f", COUNT(*) FILTER (WHERE in_period AND v.status = %s AND v.cancelled_by = %s) AS c{i}"
        for i in range(len(CancelledBy.values))
    )
    sums = "".join(f", SUM(c{i})" for i in range(len(CancelledBy.values)))
    sql = f"""
        WITH per_match AS (
            SELECT v.match_id,
                   bit_or(1::bigint << (width_bucket(v.starts_at, %s::timestamptz[])))
                       FILTER (WHERE v.status = %s) AS mask,
                   COUNT(*) FILTER (WHERE in_period AND v.status = %s) AS held,
                   COUNT(*) FILTER (WHERE in_period AND v.status = %s) AS cancelled
                   {by_who}
            FROM (
                SELECT v.*, (v.starts_at >= %s AND v.starts_at < %s) AS in_period
                FROM {Visit._meta.db_table} v
                WHERE v.scheme_id = ANY(%s) AND v.starts_at >= %s AND v.starts_at < %s
            ) v
            GROUP BY v.match_id
        ),
        grouped AS (
            SELECT width_bucket(mm.started_on, %s::date[]) AS first_month,
                   CASE WHEN mm.ended_on IS NULL THEN %s
                        ELSE width_bucket(mm.ended_on, %s::date[]) - 1 END AS last_month,
                   COALESCE(p.mask, 0) AS mask, COUNT(*) AS n
            FROM {Match._meta.db_table} mm LEFT JOIN per_match p ON p.match_id = mm.id
            WHERE mm.scheme_id = ANY(%s) AND mm.started_on IS NOT NULL
            GROUP BY 1, 2, 3
        ),
        by_month AS (
            SELECT i,
                   COALESCE(SUM(n) FILTER (WHERE i BETWEEN first_month AND last_month), 0),
                   COALESCE(SUM(n) FILTER (WHERE i BETWEEN first_month AND last_month
                                            AND mask & (1::bigint << i) <> 0), 0)
            FROM generate_series(0, %s) AS i LEFT JOIN grouped ON TRUE
            GROUP BY i
        ),
        figures AS (
            SELECT COALESCE(SUM(held), 0), COALESCE(SUM(cancelled), 0) {sums}
            FROM per_match
        )
        SELECT * FROM by_month CROSS JOIN figures ORDER BY i
    """  # noqa: S608 (table names come from the models, values are parameters)
    ids = list(ids)
    visit_bounds = [day_start(d) for d in bounds[:-1]]
    params: list[Any] = [visit_bounds, VisitStatus.HELD, VisitStatus.HELD, VisitStatus.CANCELLED]
    for value in CancelledBy.values:
        params += [VisitStatus.CANCELLED, value]
    params += [lo, hi, ids, day_start(months[0]), day_start(after)]
    params += [bounds, n - 1, months, ids, n - 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    held, cancelled, *cancelled_by = rows[0][3:]
    figures = {
        "held": int(held),
        "cancelled": int(cancelled),
        "cancelled_by": [
            (label, int(c or 0))
            for (_, label), c in zip(CancelledBy.choices, cancelled_by, strict=True)
        ],
    }
    contact = [
        {
            "month": months[i],
            "active": int(active),
            "with_contact": int(with_contact),
            "percent": round(100 * with_contact / active) if active else 0,
        }
        for i, active, with_contact, *_ in rows
    ]
    return figures, contact


def safeguarding_figures(ids: list[int], start: date, end: date) -> dict[str, Any]:
    """Concerns (by category, how fast acknowledged) and incidents (by type) raised in the
    period: one query, a conditional count per category and per incident type."""

    lo, hi = period_bounds(start, end)
    concern, incident = Q(kind=Kind.CONCERN), Q(kind=Kind.INCIDENT)
    raised = Concern.objects.filter(scheme_id__in=ids, created_at__gte=lo, created_at__lt=hi)
    row = raised.aggregate(
        total=Count("pk", filter=concern),
        acknowledged=Count("pk", filter=concern & Q(acknowledged_at__isnull=False)),
        in_time=Count("pk", filter=concern & Q(acknowledged_at__lte=F("acknowledge_by"))),
        median_hours=Median(
            hours_between(F("acknowledged_at"), F("created_at")),
            filter=concern & Q(acknowledged_at__isnull=False),
        ),
        longest_hours=Max(hours_between(F("acknowledged_at"), F("created_at")), filter=concern),
        incidents=Count("pk", filter=incident),
        **{f"cat_{v}": Count("pk", filter=concern & Q(category=v)) for v in Category.values},
        **{
            f"inc_{v}": Count("pk", filter=incident & Q(incident_type=v))
            for v in IncidentType.values
        },
    )
    return {
        "concerns": row["total"],
        "by_category": [
            (label, row[f"cat_{value}"]) for value, label in Category.choices if row[f"cat_{value}"]
        ],
        "acknowledged": row["acknowledged"],
        "acknowledged_in_time": row["in_time"],
        "ack_median_hours": _round(row["median_hours"]),
        "ack_longest_hours": _round(row["longest_hours"]),
        "incidents": row["incidents"],
        "incidents_by_type": [
            (label, row[f"inc_{value}"])
            for value, label in IncidentType.choices
            if row[f"inc_{value}"]
        ],
    }


def expense_figures(ids: list[int], start: date, end: date) -> dict[str, Any] | None:
    """Claims for visits in the period that were sent and not turned down."""
    lo, hi = period_bounds(start, end)
    row = Claim.objects.filter(
        scheme_id__in=ids,
        status__in=COUNTED_STATUSES,
        visit__starts_at__gte=lo,
        visit__starts_at__lt=hi,
    ).aggregate(
        claims=Count("pk"),
        total=Sum("total"),
        matches=Count("match", distinct=True),
        over_limit=Count("pk", filter=Q(over_limit=True)),
    )
    total = row["total"] or Decimal("0.00")
    return {
        "claims": row["claims"],
        "total": total,
        "matches": row["matches"],
        "per_match": (total / row["matches"]).quantize(Decimal("0.01"))
        if row["matches"]
        else Decimal("0.00"),
        "over_limit": row["over_limit"],
    }


def complaint_figures(user: User, schemes: list[Scheme], start: date, end: date) -> dict[str, Any]:
    """The complaints figures over all the report's schemes at once (two queries, however
    many schemes)."""

    c = complaint_counts(user, None, (start, end), today=end, scheme_ids=[s.pk for s in schemes])
    return {
        "received": c.received,
        "by_stage": [(Status(k).label, v) for k, v in c.by_stage.items() if v],
        "by_outcome": [(Finding(k).label, v) for k, v in c.by_outcome.items() if v],
        "responses_on_time": c.responses_on_time,
        "responses_late": c.responses_late,
    }


def volunteer_figures(ids: list[int], start: date, end: date) -> dict[str, Any]:
    """Volunteers in the pipeline now, approved in the period (and how long it took), and the
    gender of those approved in the period (for the monitoring): one query."""
    from django.db.models.functions import TruncDate

    tz = timezone.get_current_timezone()
    approved = Q(stage=Stage.APPROVED, approved_on__range=(start, end))
    # The monitoring counts everyone approved in the period, whatever their stage now.
    approved_any_stage = Q(approved_on__range=(start, end))
    genders = ["", *VolunteerGender.values]
    row = Volunteer.objects.filter(scheme_id__in=ids).aggregate(
        approved=Count("pk", filter=approved),
        median=Median(
            days_between(F("approved_on"), TruncDate("created_at", tzinfo=tz)), filter=approved
        ),
        approved_any_stage=Count("pk", filter=approved_any_stage),
        **{f"stage_{s}": Count("pk", filter=Q(stage=s)) for s in PIPELINE_STAGES},
        **{
            f"gender_{i}": Count("pk", filter=approved_any_stage & Q(gender=g))
            for i, g in enumerate(genders)
        },
    )
    stages = {s: row[f"stage_{s}"] for s in PIPELINE_STAGES}
    gender = {g: row[f"gender_{i}"] for i, g in enumerate(genders) if row[f"gender_{i}"]}
    other = row["approved_any_stage"] - sum(gender.values())
    if other:  # a value that is not among the choices (none is today)
        gender["other"] = other
    return {
        "pipeline": [(Stage(s).label, stages[s]) for s in PIPELINE_STAGES],
        "in_pipeline": sum(stages.values()),
        "approved": row["approved"],
        "approval_median_days": _round(row["median"]),
        "approved_by_gender": gender,
    }


def monitoring_figures(
    ids: list[int], start: date, end: date, volunteer_gender: dict[str, int] | None = None
) -> dict[str, Any]:
    """Equal-opportunities monitoring, counts only: children referred in the period and
    volunteers approved in it. Counts under five are suppressed.

    The children are counted in one query grouped by gender and ethnicity together: a child
    has one of each, so the distinct children of a gender are the sum over its groups. The
    volunteers' counts come from volunteer_figures (one query for both)."""

    lo, hi = period_bounds(start, end)
    groups = (
        Referral.objects.filter(scheme_id__in=ids, received_at__gte=lo, received_at__lt=hi)
        .values_list("child__gender", "child__ethnicity")
        .annotate(n=Count("child", distinct=True))
        .order_by()
    )
    child_gender: dict[str, int] = {}
    child_ethnicity: dict[str, int] = {}
    for gender, ethnicity, n in groups:
        child_gender[gender] = child_gender.get(gender, 0) + n
        child_ethnicity[ethnicity] = child_ethnicity.get(ethnicity, 0) + n
    if volunteer_gender is None:
        volunteer_gender = volunteer_figures(ids, start, end)["approved_by_gender"]
    return {
        "children_gender": monitoring_rows(child_gender, dict(Gender.choices)),
        "children_ethnicity": monitoring_rows(child_ethnicity, {}),
        "volunteers_gender": monitoring_rows(volunteer_gender, dict(VolunteerGender.choices)),
    }


def caseload_figures(user: User, ids: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "coordinator": row.coordinator.full_name,
            "scheme": row.scheme.name,
            "active": row.active,
            "capacity": row.capacity,
            "percent": row.percent,
            "over": row.over,
        }
        for row in caseload(user)
        if row.scheme.pk in ids
    ]


def headline(schemes: list[Scheme], active_children: int) -> dict[str, Any]:
    looked_after = sum(s.looked_after_children for s in schemes)
    percent = round(100 * active_children / looked_after, 1) if looked_after else None
    return {
        "children_with_iv": active_children,
        "looked_after": looked_after,
        "percent": percent,
        "goal": HEADLINE_GOAL_PERCENT,
        "met": percent is not None and percent >= HEADLINE_GOAL_PERCENT,
    }


def scheme_report(*, user: User, slug: str = "", start: date, end: date) -> Report:
    """Every figure of the manager report for one scheme (or all the person manages)."""
    schemes, scheme = report_scope(user=user, slug=slug)
    ids = [s.pk for s in schemes]
    report = Report(schemes, scheme, start, end, timezone.now())
    matches = match_figures(ids, start, end)
    visits, contact = visits_and_contact(ids, start, end)
    volunteers = volunteer_figures(ids, start, end)
    report.figures = {
        "referrals": referral_figures(ids, start, end),
        "matches": matches,
        "visits": visits,
        "contact": contact,
        "safeguarding": safeguarding_figures(ids, start, end),
        "expenses": expense_figures(ids, start, end),
        "complaints": complaint_figures(user, schemes, start, end),
        "volunteers": volunteers,
        "monitoring": monitoring_figures(
            ids, start, end, volunteer_gender=volunteers["approved_by_gender"]
        ),
        "caseloads": caseload_figures(user, ids),
        "headline": headline(schemes, matches["active_children"]),
    }
    return report


def report_csv_rows(report: Report) -> list[list[Any]]:
    """The report as rows of (section, figure, value) for the CSV export."""
    f = report.figures
    rows: list[list[Any]] = [
        ["Scheme", "", report.scheme_label],
        ["Period", "", f"{report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}"],
        ["Produced", "", timezone.localtime(report.produced_at).strftime("%Y-%m-%d %H:%M")],
        ["Protective marking", "", "OFFICIAL-SENSITIVE"],
    ]
    h = f["headline"]
    rows += [
        ["Headline", "Children with an IV now", h["children_with_iv"]],
        ["Headline", "Looked-after children in the local authority", h["looked_after"]],
        ["Headline", "Share with an IV (%)", h["percent"] if h["percent"] is not None else ""],
        ["Headline", "Goal (%)", h["goal"]],
    ]
    r = f["referrals"]
    rows += [["Referrals", "Received", r["received"]]]
    rows += [["Referrals", f"Received from: {label}", n] for label, n in r["by_source"]]
    rows += [
        ["Referrals", "Declined", r["declined"]],
        ["Referrals", "Withdrawn", r["withdrawn"]],
        ["Waiting list", "Children waiting at the end of the period", r["waiting"]],
        ["Waiting list", "Median wait (days)", r["waiting_median_days"] or ""],
        ["Waiting list", "Longest wait (days)", r["waiting_longest_days"] or ""],
    ]
    m = f["matches"]
    rows += [
        ["Matches", "Started", m["started"]],
        ["Matches", "Ended", m["ended"]],
        *[["Matches", f"Ended: {label}", n] for label, n in m["ended_by_reason"]],
        ["Matches", "Active now", m["active"]],
        ["Matches", "Median length of ended matches (days)", m["length_median_days"] or ""],
    ]
    v = f["visits"]
    rows += [["Visits", "Held", v["held"]], ["Visits", "Cancelled", v["cancelled"]]]
    rows += [["Visits", f"Cancelled by: {label}", n] for label, n in v["cancelled_by"]]
    rows += [
        ["Contact", f"{c['month']:%B %Y}: matches with contact", f"{c['with_contact']} of "
         f"{c['active']} ({c['percent']}%)"]
        for c in f["contact"]
    ]  # fmt: skip
    s = f["safeguarding"]
    rows += [["Safeguarding", "Concerns raised", s["concerns"]]]
    rows += [["Safeguarding", f"Category: {label}", n] for label, n in s["by_category"]]
    rows += [
        ["Safeguarding", "Acknowledged in time", s["acknowledged_in_time"]],
        ["Safeguarding", "Median hours to acknowledge", s["ack_median_hours"] or ""],
        ["Safeguarding", "Incidents", s["incidents"]],
        *[["Safeguarding", f"Incident: {label}", n] for label, n in s["incidents_by_type"]],
    ]
    e = f["expenses"]
    if e is not None:
        rows += [
            ["Expenses", "Claims", e["claims"]],
            ["Expenses", "Total (£)", e["total"]],
            ["Expenses", "Per match (£)", e["per_match"]],
            ["Expenses", "Over the limit", e["over_limit"]],
        ]
    c = f["complaints"]
    rows += [["Complaints", "Received", c["received"]]]
    rows += [["Complaints", f"Now at: {label}", n] for label, n in c["by_stage"]]
    rows += [["Complaints", f"Outcome: {label}", n] for label, n in c["by_outcome"]]
    rows += [
        ["Complaints", "Responses on time", c["responses_on_time"]],
        ["Complaints", "Responses late", c["responses_late"]],
    ]
    vol = f["volunteers"]
    rows += [["Volunteers", f"In pipeline: {label}", n] for label, n in vol["pipeline"]]
    rows += [
        ["Volunteers", "Approved", vol["approved"]],
        ["Volunteers", "Median days to approval", vol["approval_median_days"] or ""],
    ]
    mon = f["monitoring"]
    for key, title in [
        ("children_gender", "Children by gender"),
        ("children_ethnicity", "Children by ethnicity"),
        ("volunteers_gender", "Volunteers by gender"),
    ]:
        rows += [["Monitoring", f"{title}: {r['label']}", r["count"]] for r in mon[key]]
    rows += [
        ["Caseloads", f"{row['coordinator']} ({row['scheme']})", f"{row['active']} of "
         f"{row['capacity']}"]
        for row in f["caseloads"]
    ]  # fmt: skip
    return rows
