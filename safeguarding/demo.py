"""Demo concerns and incidents in every state (idempotent: keyed by their description)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Scheme, User
from matches.models import ACTIVE_STATUSES, Match
from safeguarding import services
from safeguarding.models import ActionKind, Concern

DEMO = [
    # slug, kind, category/incident, text, state
    ("north", "concern", "emotional", "Said she feels nobody listens at her placement.", "new"),
    ("north", "concern", "online", "Showed me messages from an adult she met in a game.", "open"),
    ("north", "incident", "injury", "Fell at the trampoline park and grazed her knee.", "closed"),
    (
        "south",
        "concern",
        "bullying",
        "Upset about older children at school taking his lunch.",
        "open",
    ),
    ("south", "incident", "near_miss", "Nearly stepped into the road outside the cinema.", "new"),
]


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    made = 0
    for slug, kind, what, text, state in DEMO:
        if Concern.objects.filter(what_happened=text).exists():
            continue
        scheme = schemes[slug]
        match = (
            Match.objects.filter(scheme=scheme, status__in=ACTIVE_STATUSES)
            .select_related("child", "volunteer")
            .order_by("pk")
            .first()
        )
        if match is None:
            continue
        coordinator = users[f"coordinator.{slug}@example.org"]
        manager = users["service.manager@example.org"]
        concern = services.concern_raise(
            actor=match.volunteer, child=match.child, kind=kind,
            category=what if kind == "concern" else "",
            incident_type=what if kind == "incident" else "",
            what_happened=text, childs_words="", told_child="yes",
            occurred_at=timezone.now() - timedelta(days=3),
        )  # fmt: skip
        made += 1
        if state == "new":
            continue
        services.concern_acknowledge(actor=coordinator, concern=concern)
        services.concern_record(
            actor=coordinator, concern=concern, kind=ActionKind.SW_INFORMED,
            happened_at=timezone.now() - timedelta(days=2), detail="Phoned the social worker.",
        )  # fmt: skip
        if kind == "concern" and what == "online":
            services.concern_record(
                actor=coordinator, concern=concern, kind=ActionKind.REFERRAL_CSC,
                happened_at=timezone.now() - timedelta(days=2),
                detail="Referred to the multi-agency hub.", reference="MASH-2026-0412",
            )  # fmt: skip
        if state == "closed":
            services.concern_close(
                actor=manager, concern=concern, outcome="First aid given; carer told the same day."
            )
    made += _seed_allegation(schemes=schemes, users=users)
    stdout.write(f"Demo safeguarding: {made} concerns and incidents.")


# An allegation about an adult who is not one of our IVs, named by the coordinator for the LADO.
ALLEGATION = "Her carer says the football coach has been sending her private messages at night."


def _seed_allegation(*, schemes: dict[str, Scheme], users: dict[str, User]) -> int:
    if Concern.objects.filter(what_happened=ALLEGATION).exists():
        return 0
    match = (
        Match.objects.filter(scheme=schemes["north"], status__in=ACTIVE_STATUSES)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    if match is None:
        return 0
    services.concern_raise(
        actor=users["coordinator.north@example.org"], child=match.child, kind="concern",
        category="online", what_happened=ALLEGATION, told_child="not_possible",
        occurred_at=timezone.now() - timedelta(days=1), about_adult=True,
        about_adult_name="Dan Pearce, football coach at Northtown Juniors",
    )  # fmt: skip
    return 1
