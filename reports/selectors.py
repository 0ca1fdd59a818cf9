"""Every figure the dashboard and the manager reports show, already scoped to the person.

Each figure is one aggregate query (Count, Sum, percentile_cont) over the schemes the person
may see: the coordinator dashboard over their staff schemes, a report over the schemes they
manage. Nobody sees a figure from a scheme they do not belong to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Membership, Role, Scheme
from complaints.models import Finding, Status
from complaints.selectors import complaint_counts, complaint_register
from expenses.models import COUNTED_STATUSES, Claim, ClaimStatus
from expenses.selectors import claim_queue
from matches.models import ACTIVE_STATUSES, ClosureReason, Match, MatchSchemeSettings, MatchStatus
from matches.selectors import caseload, match_get_for_staff
from referrals.models import Child, Gender, Referral, ReferralStatus
from reports.models import LacSummary, ReportExport
from safeguarding.models import Category, Concern, IncidentType, Kind
from safeguarding.selectors import unacknowledged_for
from visits.models import LONE_WORKING_KINDS, CancelledBy, Visit, VisitStatus
from visits.selectors import lapsed_matches, report_queue
from volunteers.models import PIPELINE_STAGES, Stage, Volunteer, VolunteerGender

# Equal-opportunities counts below this are shown as "fewer than 5", so that nobody can be
# recognised from a small group.
SUPPRESS_BELOW = 5
# The campaign's goal: one in ten looked-after children has an IV.
HEADLINE_GOAL_PERCENT = 10


class Median(Aggregate):
    """PostgreSQL's continuous median (percentile_cont(0.5)) of an expression."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def days_between(later: Any, earlier: Any) -> Func:
    """date - date in PostgreSQL: whole days, as an integer."""
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ",
                output_field=IntegerField())  # fmt: skip


def hours_between(later: Any, earlier: Any) -> Func:
    return Func(
        later,
        earlier,
        template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time: the period includes its end."""
    return day_start(start), day_start(end + timedelta(days=1))


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


# --- Who sees which scheme ------------------------------------------------------------------


def report_schemes(user: Any) -> list[Scheme]:
    """Schemes whose reports this person may see: those where they are a manager."""
    seen: dict[int, Scheme] = {}
    for m in access.memberships(user):
        if m.role == Role.MANAGER:
            seen.setdefault(m.scheme_id, m.scheme)
    return sorted(seen.values(), key=lambda s: s.name)


def can_see_reports(user: Any) -> bool:
    return bool(report_schemes(user))


def report_scope(*, user: Any, slug: str = "") -> tuple[list[Scheme], Scheme | None]:
    """The schemes a report covers: one the person manages (by slug), or all of them.
    Any other slug is 404, as if the scheme did not exist."""
    schemes = report_schemes(user)
    if not schemes:
        raise Http404("No reports")
    if not slug or slug == "all":
        return schemes, None
    for scheme in schemes:
        if scheme.slug == slug:
            return [scheme], scheme
    raise Http404("No such scheme")


# --- Small-number suppression ---------------------------------------------------------------


def suppressed(n: int) -> str:
    """A count safe to publish: 1 to 4 become "fewer than 5" (0 stays 0: nobody is shown)."""
    return "fewer than 5" if 0 < n < SUPPRESS_BELOW else str(n)


def monitoring_rows(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append({"label": labels.get(key, key) or "Not recorded", "count": suppressed(n)})
    return rows


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


def complaint_figures(user: Any, schemes: list[Scheme], start: date, end: date) -> dict[str, Any]:
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


def caseload_figures(user: Any, ids: list[int]) -> list[dict[str, Any]]:
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


def scheme_report(*, user: Any, slug: str = "", start: date, end: date) -> Report:
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


def dashboard(user: Any, *, now: datetime | None = None) -> Dashboard | None:
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


def _claims_to_approve(user: Any) -> int | None:
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


# --- Exports ----------------------------------------------------------------------------------


def exports_of(user: Any, limit: int = 10) -> list[ReportExport]:
    return list(
        ReportExport.objects.filter(requested_by=user)
        .select_related("scheme")
        .order_by("-created_at")[:limit]
    )


def export_get_for_user(*, user: Any, public_id: str) -> ReportExport:
    """Only the person who asked for an export may see it or download it: 404 for anyone
    else, as if it did not exist."""
    found = (
        ReportExport.objects.filter(public_id=public_id, requested_by=user)
        .select_related("scheme")
        .first()
    )
    if found is None or not getattr(user, "is_active", False):
        raise Http404("No such export")
    return found


# --- The looked-after review summary ---------------------------------------------------------


def lac_match_get(*, user: Any, public_id: str) -> Any:
    return match_get_for_staff(user=user, public_id=public_id)


def lac_visits(match: Any, start: date, end: date) -> dict[str, Any]:
    """How often they met in the period, and what they did (from the IV's reports)."""

    lo, hi = period_bounds(start, end)
    visits = Visit.objects.filter(match=match, starts_at__gte=lo, starts_at__lt=hi)
    row = visits.aggregate(
        held=Count("pk", filter=Q(status=VisitStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=VisitStatus.CANCELLED)),
    )
    activities = list(
        visits.filter(status=VisitStatus.HELD)
        .exclude(activity="")
        .values_list("activity", flat=True)
        .order_by("-starts_at")[:12]
    )
    return {**row, "activities": activities}


def lac_summaries(match: Any) -> QuerySet[LacSummary]:
    return LacSummary.objects.filter(match=match).order_by("-review_on", "-created_at")


def lac_summary_get(*, match: Any, public_id: str) -> LacSummary:
    found = lac_summaries(match).filter(public_id=public_id).first()
    if found is None:
        raise Http404("No such summary")
    return found


def dashboard_context(user: Any) -> dict[str, Any]:
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


# --- The caseload export ----------------------------------------------------------------------


def caseload_export_rows(scheme_ids: list[int], limit: int | None = None) -> list[dict[str, Any]]:
    """Every child of the schemes with their active match (IV, coordinator, state, since
    when) and the date of the match's last held visit, as plain rows, by scheme and surname:
    one query. The active match is a join (a child has at most one:
    match_one_active_per_child), the last visit a subquery on visit_match_start_idx."""
    from django.db.models import FilteredRelation, Subquery

    last_visit = (
        Visit.objects.filter(match_id=OuterRef("active__pk"), status=VisitStatus.HELD)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        Child.objects.filter(scheme_id__in=scheme_ids)
        .annotate(
            active=FilteredRelation("matches", condition=Q(matches__status__in=ACTIVE_STATUSES)),
            last_visit_at=Subquery(last_visit),
        )
        .values(
            "case_number", "first_name", "last_name", "date_of_birth", "scheme__name",
            "social_worker__full_name", "active__status", "active__started_on",
            "active__volunteer__full_name", "active__coordinator__full_name", "last_visit_at",
        )
        .order_by("scheme__name", "last_name", "first_name", "pk")
    )  # fmt: skip
    return list(rows[:limit] if limit is not None else rows)
