"""The one door to matches. Staff of the scheme see all of its matches; the IV sees their own
(an object grant while the match is live); the child's social worker sees the match's status
and dates (a grant made when the match starts, and any live match of a child allocated to
them), never the visit reports.

Matching (suggestions_for_child, children_for_volunteer) is one query for the candidates and
one pass in Python: the score and its reasons are plain rules a coordinator can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts import access
from accounts.models import Membership, Role, Scheme, User
from core.audit import record_read
from core.schemesettings import settings_for
from matches.models import (
    ACTIVE_STATUSES,
    Match,
    MatchEvent,
    MatchReview,
    MatchSchemeSettings,
    MatchStatus,
    ReviewKind,
)
from referrals import selectors as referral_selectors
from referrals.models import Child, Placement, Referral, ReferralStatus
from referrals.selectors import waiting_list
from volunteers import rules
from volunteers.models import (
    PROFILE_FIELDS,
    Stage,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    VolunteerSchemeSettings,
)
from volunteers.selectors import volunteers_visible_to

# --- Access ---------------------------------------------------------------------------------


def matches_visible_to(user: User) -> QuerySet[Match]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    ivs = access.scheme_ids_with_role(user, [Role.INDEPENDENT_VISITOR])
    sws = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    condition = Q(pk__in=[])
    if staff:
        condition |= Q(scheme_id__in=staff)
    if ivs or sws:
        granted = get_objects_for_user(
            user, "matches.view_match", klass=Match, accept_global_perms=False
        ).values("pk")
        condition |= Q(scheme_id__in=ivs | sws, pk__in=granted)
    if sws:
        # A newly allocated social worker sees the child's live match too.
        children = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).values("pk")
        condition |= Q(scheme_id__in=sws, child_id__in=children, status__in=ACTIVE_STATUSES)
    return (
        Match.objects.filter(condition)
        .select_related("scheme", "child", "volunteer", "coordinator")
        .order_by("-created_at")
    )


def match_get_for_user(*, user: User, public_id: str) -> Match:
    match = matches_visible_to(user).filter(public_id=public_id).first()
    if match is None:
        raise Http404("No such match")
    return match


def match_get_for_staff(*, user: User, public_id: str) -> Match:
    match = match_get_for_user(user=user, public_id=public_id)
    if not access.is_staff_in(user, match.scheme_id):
        raise Http404("No such match")
    return match


def match_sections(user: User, match: Match) -> set[str]:
    """What of a match's page this person sees beyond its status and dates: "visit_card" (the
    link to the child's card, for whoever may open it) and, for the scheme's staff,
    "casework" (why it is paused, its steps, the ending at 18, its stages, reviews and
    history: match_casework)."""
    sections = set()
    if referral_selectors.may_see_visit_card(user, match.child):
        sections.add("visit_card")
    if access.is_staff_in(user, match.scheme_id):
        sections.add("casework")
    return sections


def match_casework(match: Match) -> dict[str, Any]:
    """The staff's part of a match's page (match_sections "casework")."""
    reviews = match_reviews(match)
    return {
        "events": match_events(match),
        "reviews": reviews,
        "next_review_on": next_review_on(match, reviews),
        "anniversary_due": anniversary_review_due(match, reviews),
        "care_leaver_allowed": settings_for(
            MatchSchemeSettings, match.scheme_id
        ).care_leaver_continuation,
        "today": timezone.localdate(),
    }


def active_match_for_volunteer(user: User) -> Match | None:
    return (
        matches_visible_to(user)
        .filter(volunteer=user, status__in=ACTIVE_STATUSES)
        .select_related("child", "scheme")
        .first()
    )


def matches_for_child(*, user: User, child: Any) -> list[Match]:
    return list(matches_visible_to(user).filter(child=child))


def staff_matches(user: User, *, status: str = "") -> QuerySet[Match]:
    """The match list: staff's schemes, newest first, with the date of the last held visit."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    qs = Match.objects.filter(scheme_id__in=staff).select_related(
        "scheme", "child", "volunteer", "coordinator"
    )
    if status in MatchStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at")


def match_events(match: Match) -> list[MatchEvent]:
    return list(match.events.select_related("actor").order_by("at", "pk"))


def match_reviews(match: Match) -> list[MatchReview]:
    return list(match.reviews.select_related("created_by").order_by("-held_on", "-created_at"))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def next_review_on(match: Match, reviews: list[MatchReview] | None = None) -> date | None:
    """The next regular review: the scheme's interval after the last review (or the trial
    review, or the start)."""
    if match.status not in ACTIVE_STATUSES or match.started_on is None:
        return None
    if match.status in (MatchStatus.INTRODUCTION, MatchStatus.TRIAL):
        return None  # the trial review comes first, after the fourth or fifth visit
    if reviews is None:
        reviews = match_reviews(match)
    since = max(
        [r.held_on for r in reviews] + [d for d in [match.trial_review_on, match.started_on] if d]
    )
    return add_months(
        since, settings_for(MatchSchemeSettings, match.scheme_id).review_interval_months
    )


def anniversary_review_due(match: Match, reviews: list[MatchReview]) -> date | None:
    if match.first_anniversary is None or match.status not in ACTIVE_STATUSES:
        return None
    if any(r.kind == ReviewKind.ANNIVERSARY for r in reviews):
        return None
    return match.first_anniversary


# --- Caseload -------------------------------------------------------------------------------


@dataclass
class CaseloadRow:
    coordinator: Any
    scheme: Scheme
    active: int
    capacity: int

    @property
    def percent(self) -> int:
        return round(100 * self.active / self.capacity) if self.capacity else 0

    @property
    def over(self) -> bool:
        return self.active > self.capacity


def caseload(user: User) -> list[CaseloadRow]:
    """Active matches per coordinator of the staff's schemes against the capacity guide:
    one query whatever the number of coordinators (each count is a subquery served by
    match_coordinator_idx, the capacity one from the scheme's settings)."""
    from django.db.models.functions import Coalesce

    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    active = (
        Match.objects.filter(
            coordinator_id=OuterRef("user_id"),
            scheme_id=OuterRef("scheme_id"),
            status__in=ACTIVE_STATUSES,
        )
        .order_by()
        .values("coordinator_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    capacity = MatchSchemeSettings.objects.filter(scheme_id=OuterRef("scheme_id")).values(
        "coordinator_capacity"
    )[:1]
    members = (
        Membership.objects.filter(scheme_id__in=staff, role=Role.COORDINATOR, is_active=True)
        .select_related("user", "scheme")
        .annotate(
            active_matches=Coalesce(Subquery(active), 0),
            capacity=Coalesce(Subquery(capacity), 36),
        )
        .order_by("scheme__name", "user__full_name")
    )
    return [CaseloadRow(m.user, m.scheme, m.active_matches, m.capacity) for m in members]


# --- Matching -------------------------------------------------------------------------------

POSTCODE_DISTRICT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b")
COMMON_LANGUAGE = "english"


@lru_cache(maxsize=4096)
def _tokens(text: str) -> frozenset[str]:
    parts = re.split(r"[,;/\n]|\band\b", text.lower())
    return frozenset(p.strip(" .") for p in parts if p.strip(" ."))


def tokens(text: str) -> frozenset[str]:
    """Free-text lists ("Football, drawing and art") as lower-case words and phrases."""
    return _tokens(text or "")


def area_of(address: str) -> str:
    found = POSTCODE_DISTRICT.search((address or "").upper())
    return found.group(1) if found else ""


def _area_letters(district: str) -> str:
    return re.sub(r"[0-9].*$", "", district.upper())


@dataclass
class Suggestion:
    score: int
    reasons: list[str]
    exclusions: list[str] = field(default_factory=list)
    volunteer: dict[str, Any] | None = None
    child: Any = None


@dataclass
class ChildWishes:
    age: int
    gender: str
    gender_wish: str
    wanted: frozenset[str]
    interests: frozenset[str]
    languages: frozenset[str]
    area: str


def wishes_of(child: Any, address: str, today: date) -> ChildWishes:
    return ChildWishes(
        age=child.age_on(today),
        gender=child.gender,
        gender_wish=child.iv_gender_preference,
        wanted=tokens(child.shared_interests_wanted),
        interests=tokens(child.interests),
        languages=tokens(child.languages) - {COMMON_LANGUAGE},
        area=area_of(address),
    )


# Weights: the child's own wishes count most, then what makes visits practical.
W_GENDER_WISH = 40
W_WANTED_INTEREST = 15
W_INTEREST = 5
W_LANGUAGE = 12
W_SAME_AREA = 10
W_NEAR_AREA = 4
W_WEEKENDS = 5
W_EVENINGS = 3
W_DRIVES = 3


def score_pair(
    w: ChildWishes, v: dict[str, Any], today: date, *, score_excluded: bool = True
) -> Suggestion:
    """The score of one volunteer for one child, with every reason shown, or why not.
    With score_excluded=False an excluded volunteer gets only the reasons why not (score 0):
    the suggestions page lists them by name and exclusion only, and most volunteers of a
    scheme are excluded (already matched), so scoring them is wasted work."""
    exclusions: list[str] = []
    if v["has_active_match"] or v["status"] == "matched":
        exclusions.append("Already matched")
    if v["status"] == "suspended":
        exclusions.append("Suspended")
    elif v["status"] in ("paused", "left"):
        exclusions.append(f"Not available: {v['status']}")
    if not v["dbs_in_date"]:
        exclusions.append("DBS check expired or missing")
    if not v["training_in_date"]:
        exclusions.append("Training out of date")
    if v["drives"] and v["insurance_expires_on"] and v["insurance_expires_on"] < today:
        exclusions.append(f"Car insurance expired on {v['insurance_expires_on']:%-d %B %Y}")
    low, high = v["prefers_age_from"], v["prefers_age_to"]
    if (low is not None and w.age < low) or (high is not None and w.age > high):
        exclusions.append(
            f"Outside their age preference ({low or 0} to {high or 18}; the child is {w.age})"
        )
    wanted_gender = {"girl": "female", "boy": "male"}.get(v["prefers_child_gender"] or "")
    if wanted_gender and w.gender and w.gender != wanted_gender:
        exclusions.append(f"Prefers to visit a {v['prefers_child_gender']}")
    if exclusions and not score_excluded:
        return Suggestion(score=0, reasons=[], exclusions=exclusions, volunteer=v)

    score, reasons = 0, []
    if w.gender_wish in ("female", "male"):
        label = "a female IV" if w.gender_wish == "female" else "a male IV"
        if v["gender"] == w.gender_wish:
            score += W_GENDER_WISH
            reasons.append(f"Prefers {label}: yes")
        else:
            reasons.append(f"Prefers {label}: no")
    theirs = tokens(v["interests"])
    wanted = sorted(w.wanted & theirs)
    if wanted:
        score += W_WANTED_INTEREST * len(wanted)
        reasons.append(f"Interests the child wants to share: {', '.join(wanted)}")
    shared = sorted((w.interests & theirs) - set(wanted))
    if shared:
        score += W_INTEREST * len(shared)
        reasons.append(f"Shared interests: {', '.join(shared)}")
    spoken = sorted(w.languages & tokens(v["languages"]))
    if spoken:
        score += W_LANGUAGE * len(spoken)
        reasons.append(f"Speaks {', '.join(s.title() for s in spoken)}")
    area = (v["area"] or "").upper()
    if w.area and area == w.area:
        score += W_SAME_AREA
        reasons.append(f"Same area ({area})")
    elif w.area and area and _area_letters(area) == _area_letters(w.area):
        score += W_NEAR_AREA
        reasons.append(f"Nearby ({area})")
    if v["available_weekends"]:
        score += W_WEEKENDS
        reasons.append("Free at weekends")
    if v["available_evenings"]:
        score += W_EVENINGS
        reasons.append("Free in the evenings")
    if (
        v["drives"]
        and v["insurer"]
        and v["insurance_expires_on"]
        and v["insurance_expires_on"] >= today
    ):
        score += W_DRIVES
        reasons.append("Drives, insured")
    return Suggestion(score=score, reasons=reasons, exclusions=exclusions, volunteer=v)


VOLUNTEER_FIELDS = [
    "pk",
    "public_id",
    "first_name",
    "last_name",
    "user_id",
    "status",
    "gender",
    *PROFILE_FIELDS,
]


def candidate_volunteers(
    scheme_id: int, today: date, *, volunteer_pk: int | None = None
) -> list[dict[str, Any]]:
    """The approved volunteers of the scheme with a user account who have no active match, as
    plain rows with what the exclusions need: one query, no query per volunteer. With
    `volunteer_pk`, that one volunteer whether matched or not (the reverse view).

    Volunteers with an active match are left in the database (most of a scheme's approved
    volunteers are matched: 10,001 of 10,003 in the 50,000-child benchmark) and counted by
    matched_volunteer_count(); only the free ones are read, and only their training records
    are grouped. Whether the DBS check and the training are in date is worked out here."""
    from django.db import connection

    config = settings_for(VolunteerSchemeSettings, scheme_id)
    dbs_cutoff = rules.years_after(today, -config.dbs_renewal_years)
    training_cutoff = rules.years_after(today, -config.training_refresh_years)
    columns = ["id" if f == "pk" else f for f in VOLUNTEER_FIELDS]
    busy = f"""EXISTS (
        SELECT 1 FROM {Match._meta.db_table} m
        WHERE m.volunteer_id = v.user_id AND m.status = ANY(%s)
    )"""  # noqa: S608 (the table name comes from the model, values are parameters)
    which = "v.id = %s" if volunteer_pk is not None else f"NOT {busy}"
    sql = f"""
        WITH chosen AS MATERIALIZED (
            SELECT {", ".join(f"v.{c}" for c in columns)},
                   v.dbs_issued_on, v.dbs_barred_list_checked, {busy} AS has_active_match
            FROM {Volunteer._meta.db_table} v
            WHERE v.scheme_id = %s AND v.stage = %s AND v.user_id IS NOT NULL AND {which}
        )
        SELECT {", ".join(f"v.{c}" for c in columns)},
               COALESCE(t.n, 0) >= %s AS training_in_date,
               v.has_active_match,
               COALESCE(v.dbs_issued_on > %s AND v.dbs_barred_list_checked, FALSE) AS dbs_in_date
        FROM chosen v
        LEFT JOIN (
            SELECT t.volunteer_id, COUNT(DISTINCT t.module) AS n
            FROM {TrainingRecord._meta.db_table} t
            WHERE t.volunteer_id IN (SELECT id FROM chosen) AND t.completed_on > %s
            GROUP BY t.volunteer_id
        ) t ON t.volunteer_id = v.id
        ORDER BY v.last_name, v.first_name, v.id
    """  # noqa: S608 (table and column names come from the models, values are parameters)
    statuses = list(ACTIVE_STATUSES)
    params: list[Any] = [statuses, scheme_id, Stage.APPROVED]
    params.append(volunteer_pk if volunteer_pk is not None else statuses)
    params += [len(TrainingModule), dbs_cutoff, training_cutoff]
    names = [*VOLUNTEER_FIELDS, "training_in_date", "has_active_match", "dbs_in_date"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for v in rows:
        v["full_name"] = f"{v['first_name']} {v['last_name']}"
    return rows


def matched_volunteer_count(scheme_id: int) -> int:
    """How many approved volunteers of the scheme are already in an active match (one query):
    the suggestions page says how many, without listing them by name."""

    busy = Match.objects.filter(volunteer_id=OuterRef("user_id"), status__in=list(ACTIVE_STATUSES))
    return (
        Volunteer.objects.filter(scheme_id=scheme_id, stage=Stage.APPROVED, user__isnull=False)
        .filter(Exists(busy))
        .count()
    )


def _current_address(child_ref: Any) -> Subquery:
    return Subquery(
        Placement.objects.filter(child=child_ref, ended_on__isnull=True)
        .order_by("-started_on")
        .values("address")[:1]
    )


@dataclass
class Suggestions:
    ranked: list[Suggestion]
    excluded: list[Suggestion]
    # Approved volunteers already in an active match: counted, not listed one by one.
    already_matched: int = 0


def suggestions_for_child(child: Any, today: date | None = None) -> Suggestions:
    """Volunteers for a waiting child, best first; excluded ones listed apart with why, and
    how many are already matched. Queries: the child's address, the scheme's volunteer
    settings, the free candidates, the count of matched ones."""

    today = today or timezone.localdate()
    address = (
        Placement.objects.filter(child=child, ended_on__isnull=True)
        .values_list("address", flat=True)
        .first()
    )
    wishes = wishes_of(child, address or "", today)
    ranked: list[Suggestion] = []
    excluded: list[Suggestion] = []
    for v in candidate_volunteers(child.scheme_id, today):
        s = score_pair(wishes, v, today, score_excluded=False)
        (excluded if s.exclusions else ranked).append(s)
    ranked.sort(key=lambda s: -s.score)  # stable: ties stay in name order
    return Suggestions(ranked, excluded, matched_volunteer_count(child.scheme_id))


def children_for_volunteer(volunteer: Any, today: date | None = None) -> list[Suggestion]:
    """The reverse view: waiting children of the volunteer's scheme who would suit this
    volunteer, best first (children outside the volunteer's preferences are left out)."""

    today = today or timezone.localdate()
    rows = candidate_volunteers(volunteer.scheme_id, today, volunteer_pk=volunteer.pk)
    if not rows:
        return []
    v = rows[0]
    referrals = (
        Referral.objects.filter(scheme_id=volunteer.scheme_id, status=ReferralStatus.WAITING)
        .select_related("child")
        .annotate(address=_current_address(OuterRef("child_id")))
        .order_by("waiting_since", "pk")
    )
    out = []
    for referral in referrals:
        s = score_pair(wishes_of(referral.child, referral.address or "", today), v, today)
        s.child = referral.child
        s.volunteer = {**v, "referral": referral}
        out.append(s)
    out.sort(key=lambda s: (bool(s.exclusions), -s.score))
    return out


def waiting_referral_for_child(*, user: User, child_public_id: str) -> Any:
    """The waiting referral of a child of the staff member's schemes (404 otherwise); the
    suggestions page shows the child's record, so the read is in the child's access log."""
    referral = waiting_list(user).filter(child__public_id=child_public_id).first()
    if referral is None:
        raise Http404("No such waiting child")
    record_read(user, referral.child, action="view_suggestions")
    return referral


def volunteer_for_staff(*, user: User, public_id: str) -> Any:
    volunteer = volunteers_visible_to(user).filter(public_id=public_id).first()
    if volunteer is None:
        raise Http404("No such volunteer")
    return volunteer


def volunteer_candidate(*, scheme_id: int, public_id: str) -> Any:
    """The approved volunteer a coordinator proposes, as a model (for match_propose)."""

    volunteer = Volunteer.objects.filter(
        scheme_id=scheme_id, public_id=public_id, stage=Stage.APPROVED
    ).first()
    if volunteer is None:
        raise Http404("No such volunteer")
    return volunteer


def my_children_with_status(user: User) -> list[dict[str, Any]]:
    """A social worker's children, each with its latest referral and match in one line."""
    children = (
        referral_selectors.children_visible_to(user)
        .filter(social_worker=user)
        .prefetch_related(
            Prefetch("referrals", queryset=Referral.objects.order_by("-created_at")),
            Prefetch("matches", queryset=Match.objects.order_by("-created_at")),
        )
    )
    rows = []
    for child in children:
        referrals = list(child.referrals.all())
        matches = list(child.matches.all())
        rows.append(
            {
                "child": child,
                "referral": referrals[0] if referrals else None,
                "match": matches[0] if matches else None,
            }
        )
    return rows
