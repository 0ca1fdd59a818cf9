"""The monitoring jobs. Each scans with set-based queries (never a query per record), tells
the right people through notifications.services.notify with a key naming the kind of reminder, the
record and the due date, and so sends each reminder once however often it runs.

Jobs that need visits and match reviews (lapsed contact, reports overdue, check-outs missing,
reviews due) live beside these once those apps provide their queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from accounts import access
from accounts.models import Role, User
from core.dates import years_after
from notifications.models import MonitoringSettings
from notifications.services import notify


def _settings(scheme_ids: set[int]) -> dict[int, MonitoringSettings]:
    found = {s.scheme_id: s for s in MonitoringSettings.objects.filter(scheme_id__in=scheme_ids)}
    return {sid: found.get(sid) or MonitoringSettings(scheme_id=sid) for sid in scheme_ids}


def _people(scheme_ids: set[int], roles: tuple[str, ...]) -> dict[int, list[User]]:
    return access.people_with_roles(scheme_ids, roles)


def escalate_unacknowledged_concerns(now: datetime) -> int:
    """A concern nobody acknowledged in time goes to the scheme's managers, urgently, once."""
    from safeguarding.selectors import overdue_unacknowledged
    from safeguarding.services import concern_mark_escalated

    concerns = list(overdue_unacknowledged(now))
    managers = _people({c.scheme_id for c in concerns}, (Role.MANAGER,))
    sent = 0
    for concern in concerns:
        # Claimed with a conditional update: a second job running at once skips it.
        if not concern_mark_escalated(concern_id=concern.pk):
            continue
        sent += notify(
            users=managers[concern.scheme_id],
            title="A safeguarding concern has not been acknowledged in time",
            url=reverse("safeguarding:detail", args=[concern.public_id]),
            key=f"concern-escalated:{concern.public_id}",
            scheme_id=concern.scheme_id,
            urgent=True,
        )
    return sent


def referrals_waiting_too_long(today: date) -> int:
    from referrals.models import Referral, ReferralStatus

    waiting = list(
        Referral.objects.filter(status=ReferralStatus.WAITING, waiting_since__isnull=False).only(
            "pk", "public_id", "scheme_id", "waiting_since"
        )
    )
    config = _settings({r.scheme_id for r in waiting})
    coordinators = _people({r.scheme_id for r in waiting}, (Role.COORDINATOR,))
    sent = 0
    for r in waiting:
        limit = config[r.scheme_id].referral_wait_limit_days
        assert r.waiting_since is not None
        if (today - r.waiting_since).days < limit:
            continue
        sent += notify(
            users=coordinators[r.scheme_id],
            title=f"A child has waited over {limit} days for a match",
            url=reverse("referrals:detail", args=[r.public_id]),
            key=f"referral-wait:{r.public_id}:{limit}",
            scheme_id=r.scheme_id,
        )
    return sent


def eighteenth_birthdays(today: date) -> int:
    """Matches end formally at 18: tell the coordinator, once, when it is near."""
    from matches.models import ACTIVE_STATUSES, Match

    # Candidates: children turning 18 within a year (the longest notice a scheme may set);
    # each scheme's own notice period is applied below.
    horizon = 366
    earliest = years_after(today, -18)
    matches = list(
        Match.objects.filter(
            status__in=ACTIVE_STATUSES,
            child__date_of_birth__gt=earliest,
            child__date_of_birth__lte=earliest + timedelta(days=horizon),
        ).select_related("child")
    )
    config = _settings({m.scheme_id for m in matches})
    coordinators = _people({m.scheme_id for m in matches}, (Role.COORDINATOR,))
    sent = 0
    for match in matches:
        birthday = years_after(match.child.date_of_birth, 18)
        if (birthday - today).days > config[match.scheme_id].birthday_notice_days:
            continue
        sent += notify(
            users=coordinators[match.scheme_id],
            title=f"A matched child turns 18 on {birthday:%d %B %Y}: plan the ending",
            url=reverse("matches:detail", args=[match.public_id]),
            key=f"turns-18:{match.public_id}",
            scheme_id=match.scheme_id,
        )
    return sent


def volunteer_renewals(today: date) -> int:
    """DBS renewal and car insurance expiry, at each of the scheme's notice points
    (60, 30 and 7 days by default): to the scheme's coordinators and the volunteer."""
    from volunteers.models import Stage, Volunteer
    from volunteers.rules import dbs_renewal_due
    from volunteers.selectors import settings_for

    volunteers = list(
        Volunteer.objects.filter(stage=Stage.APPROVED)
        .filter(Q(dbs_issued_on__isnull=False) | Q(insurance_expires_on__isnull=False))
        .select_related("user", "scheme")
    )
    config = _settings({v.scheme_id for v in volunteers})
    coordinators = _people({v.scheme_id for v in volunteers}, (Role.COORDINATOR,))
    volunteer_settings: dict[int, object] = {}
    sent = 0
    for v in volunteers:
        if v.scheme_id not in volunteer_settings:
            volunteer_settings[v.scheme_id] = settings_for(v)
        dues = [("DBS renewal", dbs_renewal_due(v, volunteer_settings[v.scheme_id]))]  # type: ignore[arg-type]
        if v.drives:
            dues.append(("Car insurance", v.insurance_expires_on))
        for label, due in dues:
            if due is None:
                continue
            left = (due - today).days
            # The nearest notice point still ahead: with 60, 30 and 7, at 25 days left the
            # 30-day reminder (sent once), at 5 days left the 7-day one.
            for point in sorted(config[v.scheme_id].renewal_days()):
                if 0 <= left <= point:
                    people = [*coordinators[v.scheme_id], *([v.user] if v.user else [])]
                    sent += notify(
                        users=people,
                        title=f"{label} for a volunteer is due on {due:%d %B %Y}",
                        url=reverse("volunteers:detail", args=[v.public_id]),
                        key=f"renewal:{label}:{v.public_id}:{due.isoformat()}:{point}",
                        scheme_id=v.scheme_id,
                    )
                    break
    return sent


def complaint_deadlines(today: date) -> int:
    """Complaint stages: a warning some working days before the deadline, and on the day."""
    from complaints.models import Complaint
    from complaints.selectors import complaint_staff_to_notify
    from core.working_days import working_days_between

    complaints = list(Complaint.objects.filter(due_on__isnull=False, due_on__gte=today))
    config = _settings({c.scheme_id for c in complaints})
    sent = 0
    for c in complaints:
        assert c.due_on is not None
        left = working_days_between(today, c.due_on)
        warn = config[c.scheme_id].complaint_warning_working_days
        if left == 0:
            kind, title = "due-today", "A complaint's stage deadline is today"
        elif left == warn:
            kind, title = "due-soon", f"A complaint's stage deadline is in {warn} working days"
        else:
            continue
        sent += notify(
            users=list(complaint_staff_to_notify(c)),
            title=title,
            url=reverse("complaints:detail", args=[c.public_id]),
            key=f"complaint-{kind}:{c.public_id}:{c.due_on.isoformat()}",
            scheme_id=c.scheme_id,
        )
    return sent


# --- Visits and contact ------------------------------------------------------------------


def overdue_checkouts(now: datetime) -> int:
    """Lone working: a visit with no check-out by its expected end plus the grace period is
    an urgent alert to the scheme's coordinators, once."""
    from visits.selectors import visits_overdue_checkout
    from visits.services import visit_overdue_alert_mark

    visits = list(visits_overdue_checkout(now))
    coordinators = _people({v.scheme_id for v in visits}, (Role.COORDINATOR,))
    sent = 0
    for visit in visits:
        if not visit_overdue_alert_mark(visit=visit, now=now):
            continue  # another run claimed it
        sent += notify(
            users=coordinators[visit.scheme_id],
            title="An IV has not checked out of a visit: check they are safe",
            url=reverse("visits:detail", args=[visit.public_id]),
            key=f"checkout-overdue:{visit.public_id}",
            scheme_id=visit.scheme_id,
            urgent=True,
        )
    return sent


def reports_overdue(today: date, days: int = 7) -> int:
    """A held visit with no report a week later: remind the IV (and tell the coordinator)."""
    from notifications.services import notify_bulk
    from visits.models import Visit, VisitStatus

    cutoff = timezone_start(today - timedelta(days=days))
    visits = list(
        Visit.objects.filter(status=VisitStatus.HELD, starts_at__lt=cutoff, report__isnull=True)
        .select_related("match")
        .only("pk", "public_id", "scheme_id", "match__volunteer_id")
    )
    coordinators = _people({v.scheme_id for v in visits}, (Role.COORDINATOR,))
    items = []
    for v in visits:
        url = reverse("visits:detail", args=[v.public_id])
        key = f"report-overdue:{v.public_id}"
        items.append(
            {
                "user_id": v.match.volunteer_id,
                "title": "Please write the report of your visit",
                "url": url,
                "key": key,
                "scheme_id": v.scheme_id,
            }
        )
        items += [
            {"user_id": c.pk, "title": "A visit report is more than a week late", "url": url,
             "key": key, "scheme_id": v.scheme_id}
            for c in coordinators[v.scheme_id]
        ]  # fmt: skip
    return notify_bulk(items)


def timezone_start(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


LAPSED_AFTER_DAYS = 42  # six weeks, the brief's default


def lapsed_matches(today: date, *, scheme_ids: set[int] | None = None) -> list[dict[str, object]]:
    """Active matches with no held visit or contact in six weeks, in one query: each with
    the days since the last contact (or since the match started) and the next planned visit."""
    from django.db.models import Max, Min, Q

    from matches.models import ACTIVE_STATUSES, Match, MatchStatus
    from visits.models import VisitStatus

    cutoff = timezone_start(today - timedelta(days=LAPSED_AFTER_DAYS))
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


def lapsed_contact(today: date) -> int:
    """Tell coordinators once per match and lapse (the key carries the last contact)."""
    from notifications.services import notify_bulk

    rows = lapsed_matches(today)
    coordinators = _people({r["scheme_id"] for r in rows}, (Role.COORDINATOR,))  # type: ignore[misc]
    items = []
    for r in rows:
        last = r["last_contact"].date().isoformat() if r["last_contact"] else "none"  # type: ignore[attr-defined]
        for c in coordinators[r["scheme_id"]]:  # type: ignore[index]
            items.append(
                {
                    "user_id": c.pk,
                    "title": "A match has had no contact for over six weeks",
                    "url": reverse("matches:detail", args=[r["public_id"]]),
                    "key": f"lapsed:{r['public_id']}:{last}",
                    "scheme_id": r["scheme_id"],
                }
            )
    return notify_bulk(items)


def weekly_lapsed_report(today: date) -> int:
    """Every Monday: each coordinator and manager is told how many matches in their scheme
    have lapsed contact, with a link to the list (behind sign-in)."""
    from notifications.services import notify_bulk

    rows = lapsed_matches(today)
    per_scheme: dict[int, int] = defaultdict(int)
    for r in rows:
        per_scheme[r["scheme_id"]] += 1  # type: ignore[index]
    from accounts.models import Membership

    people = Membership.objects.filter(
        role__in=[Role.COORDINATOR, Role.MANAGER], is_active=True, user__is_active=True
    ).values_list("user_id", "scheme_id")
    week = today.isocalendar()
    items = [
        {
            "user_id": user_id,
            "title": f"Weekly report: {per_scheme.get(scheme_id, 0)} matches with lapsed contact",
            "url": reverse("notifications:lapsed"),
            "key": f"weekly-lapsed:{scheme_id}:{week.year}-W{week.week:02d}",
            "scheme_id": scheme_id,
        }
        for user_id, scheme_id in people
    ]
    return notify_bulk(items)


# --- Match reviews and volunteer support ------------------------------------------------


def reviews_due(today: date, notice_days: int = 14) -> int:
    """Trial reviews (after the fourth trial visit), regular reviews (the scheme's interval
    after the last review) and the first-anniversary review, each told once to the match's
    coordinator (or the scheme's coordinators), in three queries whatever the caseload."""
    from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef

    from matches.models import Match, MatchReview, MatchStatus, ReviewKind
    from matches.selectors import add_months
    from matches.services import scheme_settings
    from notifications.services import notify_bulk

    matches = list(
        Match.objects.filter(
            status__in=[MatchStatus.TRIAL, MatchStatus.TRIAL_REVIEW, MatchStatus.ESTABLISHED],
            started_on__isnull=False,
        )
        .annotate(
            trial_visits=Func(
                F("trial_visit_dates"), function="CARDINALITY", output_field=IntegerField()
            ),
            last_review=Max("reviews__held_on"),
            had_anniversary=Exists(
                MatchReview.objects.filter(match=OuterRef("pk"), kind=ReviewKind.ANNIVERSARY)
            ),
        )
        .only("pk", "public_id", "scheme_id", "status", "started_on", "trial_review_on",
              "coordinator_id")
    )  # fmt: skip
    scheme_ids = {m.scheme_id for m in matches}
    intervals = {sid: scheme_settings(sid).review_interval_months for sid in scheme_ids}
    coordinators = _people(scheme_ids, (Role.COORDINATOR,))
    horizon = today + timedelta(days=notice_days)
    items = []
    for m in matches:
        due: list[tuple[str, str]] = []
        if m.status == MatchStatus.TRIAL and m.trial_visits >= 4:  # type: ignore[attr-defined]
            due.append(("trial-review", "A match is ready for its trial review"))
        if m.status == MatchStatus.ESTABLISHED:
            assert m.started_on is not None
            since = max(d for d in (m.last_review, m.trial_review_on, m.started_on) if d)  # type: ignore[attr-defined]
            next_review = add_months(since, intervals[m.scheme_id])
            if next_review <= horizon:
                due.append((f"review-{next_review.isoformat()}", "A match review is due"))
            anniversary = add_months(m.started_on, 12)
            if not m.had_anniversary and anniversary <= horizon:  # type: ignore[attr-defined]
                due.append(("anniversary", "A match's first-anniversary review is due"))
        if not due:
            continue
        people = [c.pk for c in coordinators[m.scheme_id]]
        if m.coordinator_id:
            people = [m.coordinator_id]
        url = reverse("matches:detail", args=[m.public_id])
        for kind, title in due:
            items += [
                {"user_id": uid, "title": title, "url": url,
                 "key": f"{kind}:{m.public_id}", "scheme_id": m.scheme_id}
                for uid in people
            ]  # fmt: skip
    return notify_bulk(items)


def supervision_overdue(today: date) -> int:
    """Approved volunteers whose last supervision is older than the scheme's interval."""
    from django.db.models import Max, Q

    from notifications.services import notify_bulk
    from volunteers.models import Stage, SupportKind, Volunteer, VolunteerSchemeSettings

    volunteers = list(
        Volunteer.objects.filter(stage=Stage.APPROVED)
        .exclude(status__in=["left"])
        .annotate(
            last_supervision=Max(
                "support_sessions__held_on",
                filter=Q(
                    support_sessions__kind=SupportKind.SUPERVISION, support_sessions__attended=True
                ),
            )
        )
        .only("pk", "public_id", "scheme_id", "approved_on", "user_id")
    )
    weeks = {
        s.scheme_id: s.supervision_interval_weeks
        for s in VolunteerSchemeSettings.objects.filter(
            scheme_id__in={v.scheme_id for v in volunteers}
        )
    }
    coordinators = _people({v.scheme_id for v in volunteers}, (Role.COORDINATOR,))
    items = []
    for v in volunteers:
        since = v.last_supervision or v.approved_on  # type: ignore[attr-defined]
        if since is None:
            continue
        due = since + timedelta(weeks=weeks.get(v.scheme_id, 12))
        if due > today:
            continue
        url = reverse("volunteers:detail", args=[v.public_id])
        items += [
            {"user_id": c.pk, "title": "A volunteer's supervision is overdue", "url": url,
             "key": f"supervision:{v.public_id}:{due.isoformat()}", "scheme_id": v.scheme_id}
            for c in coordinators[v.scheme_id]
        ]  # fmt: skip
    return notify_bulk(items)


def claims_waiting(today: date, after_days: int = 5) -> int:
    """Expense claims waiting for a decision for over `after_days` days: to the scheme's
    coordinators, or its managers when the claim is over a limit (only they may approve)."""
    from expenses.models import Claim, ClaimStatus
    from notifications.services import notify_bulk

    cutoff = timezone_start(today - timedelta(days=after_days))
    claims = list(
        Claim.objects.filter(status=ClaimStatus.SUBMITTED, submitted_at__lt=cutoff).only(
            "pk", "public_id", "scheme_id", "over_limit", "submitted_at"
        )
    )
    scheme_ids = {c.scheme_id for c in claims}
    coordinators = _people(scheme_ids, (Role.COORDINATOR,))
    managers = _people(scheme_ids, (Role.MANAGER,))
    items = []
    for c in claims:
        people = managers[c.scheme_id] if c.over_limit else coordinators[c.scheme_id]
        assert c.submitted_at is not None
        items += [
            {"user_id": p.pk, "title": "An expense claim is waiting for a decision",
             "url": reverse("expenses:detail", args=[c.public_id]),
             "key": f"claim-waiting:{c.public_id}:{c.submitted_at.date().isoformat()}",
             "scheme_id": c.scheme_id}
            for p in people
        ]  # fmt: skip
    return notify_bulk(items)
