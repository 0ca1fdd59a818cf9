"""Demo matches in every state of the lifecycle. Idempotent: a child that already has a match
is left as it is. The matches of iv.north and iv.south (introduction) come from seed_demo."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Role, Scheme, User
from matches import services
from matches.models import ClosureReason, Match, MatchStatus, TrialDecision
from referrals import services as child_services
from referrals.models import Child

# email, full name, scheme
EXTRA_IVS = [
    ("iv.north.4@example.org", "Nadia Begum", "north"),
    ("iv.north.5@example.org", "Rob Hughes", "north"),
    ("iv.north.6@example.org", "Ellie Marsh", "north"),
    ("iv.north.7@example.org", "Sam Ortiz", "north"),
    ("iv.south.3@example.org", "Kate Lowe", "south"),
]

# case, scheme, first, last, born, IV email, the state to reach
DEMO = [
    ("N-10901", "north", "Lucas", "Reid", date(2013, 4, 2), "iv.north.4@example.org", "trial"),
    ("N-10902", "north", "Poppy", "Shaw", date(2012, 7, 9), "iv.north.5@example.org",
     "trial_review"),
    ("N-10903", "north", "Ethan", "Cole", date(2011, 2, 20), "iv.north.6@example.org",
     "established"),
    ("N-10904", "north", "Ruby", "Lane", date(2008, 9, 30), "iv.north.7@example.org", "ending"),
    ("S-20901", "south", "Max", "Dale", date(2012, 12, 1), "iv.south.3@example.org", "paused"),
    ("N-10905", "north", "Alfie", "Ward", date(2010, 5, 5), "iv.north.3@example.org", "closed"),
    ("N-10906", "north", "Isla", "Frost", date(2014, 3, 3), "iv.north.2@example.org", "proposed"),
]  # fmt: skip


def _user(email: str, name: str, scheme: Scheme) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, scheme=scheme, role=Role.INDEPENDENT_VISITOR, is_active=True
    )
    return user


def _advance(match: Match, target: str, actor: User, today: date) -> Match:
    start = today - timedelta(days=200)
    match = services.match_start(
        actor=actor, match=match, started_on=start, attended="Coordinator, IV, child and carer",
        notes="A friendly first meeting at home.",
    )  # fmt: skip
    if target == "paused":
        return services.match_pause(actor=actor, match=match, reason="Placement review")
    match = services.match_start_trial(actor=actor, match=match)
    for i in range(4):
        match = services.match_record_trial_visit(
            actor=actor, match=match, on=start + timedelta(days=14 * (i + 1))
        )
    if target == "trial":
        return match
    match = services.match_trial_review(
        actor=actor, match=match, held_on=start + timedelta(days=70), decision=TrialDecision.GO,
        child_view="I like going bowling with her.", iv_view="We get on well.",
    )  # fmt: skip
    if target == "trial_review":
        return match
    match = services.match_establish(actor=actor, match=match)
    if target == "established":
        return match
    match = services.match_plan_ending(
        actor=actor, match=match, reason="Ruby turns 18 soon.",
        planned_end_on=today + timedelta(days=30),
    )  # fmt: skip
    if target == "ending":
        return match
    return services.match_close(
        actor=actor, match=match, ended_on=today - timedelta(days=10),
        reason=ClosureReason.IV_CIRCUMSTANCES, review_on=today - timedelta(days=5),
        child_view="I will miss him.", iv_view="Moving for work.", carer_view="Thank you.",
        sw_view="A good match.",
    )  # fmt: skip


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    today = timezone.localdate()
    people = dict(users)
    for email, name, slug in EXTRA_IVS:
        people[email] = _user(email, name, schemes[slug])
    made = 0
    for case, slug, first, last, born, iv_email, target in DEMO:
        scheme = schemes[slug]
        coordinator = people[f"coordinator.{slug}@example.org"]
        child = Child.objects.filter(scheme=scheme, case_number=case).first()
        if child is None:
            child = child_services.child_create(
                actor=coordinator, scheme=scheme, first_name=first, last_name=last,
                date_of_birth=born, case_number=case,
                social_worker=people[f"sw.{slug}@example.org"],
            )  # fmt: skip
        if Match.objects.filter(child=child).exists():
            continue
        volunteer = people[iv_email]
        if (
            target != MatchStatus.PROPOSED
            and Match.objects.filter(
                volunteer=volunteer, status__in=services.ACTIVE_STATUSES
            ).exists()
        ):
            continue  # this IV is matched elsewhere already
        match = services.match_create(actor=coordinator, child=child, volunteer=volunteer)
        if target != MatchStatus.PROPOSED:
            _advance(match, target, coordinator, today)
        made += 1
    stdout.write(f"Demo matches: {made} created.")
