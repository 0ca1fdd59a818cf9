"""The named people every test shares.

One organisation, schemes north and south. In north: a coordinator, a team manager, an IV
matched to Amy (the child), another IV with no match, Amy's social worker and another social
worker; the complaints manager of the organisation. In south: a coordinator, and Ben with his
own IV and social worker. Use `world` for the whole cast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from accounts.models import ManagerLevel, Membership, Organisation, Role, Scheme, User

PASSWORD = "correct-horse-battery-staple"

PERSONAS = [
    "coordinator",
    "other_coordinator",
    "manager",
    "iv",
    "other_iv",
    "social_worker",
    "other_social_worker",
    "complaints_manager",
    "dpo",
    "anonymous",
]


@dataclass
class World:
    organisation: Organisation
    north: Scheme
    south: Scheme
    people: dict[str, User]
    child: Any
    match: Any
    south_child: Any
    south_match: Any
    referral: Any
    notification: Any
    concern: Any

    def __getattr__(self, name: str) -> Any:
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)


def make_user(email: str, name: str) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name)


def join(user: User, scheme: Scheme, role: str, level: str = "") -> Membership:
    return Membership.objects.create(user=user, scheme=scheme, role=role, manager_level=level)


def build_world() -> World:
    from matches import services as match_services
    from referrals import services as child_services

    org = Organisation.objects.create(name="Brightside Visiting Trust")
    north = Scheme.objects.create(
        organisation=org,
        slug="north",
        name="North IV Scheme",
        local_authority="Northshire",
        out_of_hours_phone="0300 000 0001",
    )
    south = Scheme.objects.create(
        organisation=org, slug="south", name="South IV Scheme", local_authority="Southshire"
    )
    p = {
        "coordinator": make_user("coord@north.test", "Cora North"),
        "other_coordinator": make_user("coord@south.test", "Colin South"),
        "manager": make_user("manager@north.test", "Mona Manager"),
        "iv": make_user("iv@north.test", "Ivy Visitor"),
        "other_iv": make_user("iv2@north.test", "Otto Visitor"),
        "social_worker": make_user("sw@north.test", "Sam Worker"),
        "other_social_worker": make_user("sw2@north.test", "Sian Worker"),
        "complaints_manager": make_user("complaints@org.test", "Carla Complaints"),
        "dpo": make_user("dpo@org.test", "Dee Protection"),
        "south_iv": make_user("iv@south.test", "Sid Visitor"),
        "south_social_worker": make_user("sw@south.test", "Sue Worker"),
    }
    join(p["coordinator"], north, Role.COORDINATOR)
    join(p["other_coordinator"], south, Role.COORDINATOR)
    join(p["manager"], north, Role.MANAGER, ManagerLevel.TEAM)
    join(p["iv"], north, Role.INDEPENDENT_VISITOR)
    join(p["other_iv"], north, Role.INDEPENDENT_VISITOR)
    join(p["social_worker"], north, Role.SOCIAL_WORKER)
    join(p["other_social_worker"], north, Role.SOCIAL_WORKER)
    join(p["complaints_manager"], north, Role.COMPLAINTS_MANAGER)
    join(p["complaints_manager"], south, Role.COMPLAINTS_MANAGER)
    # The organisation's data protection officer: one membership reaches both schemes.
    join(p["dpo"], north, Role.DATA_PROTECTION_OFFICER)
    join(p["south_iv"], south, Role.INDEPENDENT_VISITOR)
    join(p["south_social_worker"], south, Role.SOCIAL_WORKER)

    coord = p["coordinator"]
    child = child_services.child_create(
        actor=coord,
        scheme=north,
        first_name="Amy",
        last_name="Atkins",
        date_of_birth=date(2014, 5, 17),
        case_number="N-1001",
        social_worker=p["social_worker"],
    )
    match = match_services.match_create(actor=coord, child=child, volunteer=p["iv"])
    match_services.match_start(actor=coord, match=match, started_on=date(2026, 1, 10))
    south_coord = p["other_coordinator"]
    south_child = child_services.child_create(
        actor=south_coord,
        scheme=south,
        first_name="Ben",
        last_name="Barker",
        date_of_birth=date(2012, 9, 2),
        case_number="S-2001",
        social_worker=p["south_social_worker"],
    )
    south_match = match_services.match_create(
        actor=south_coord, child=south_child, volunteer=p["south_iv"]
    )
    match_services.match_start(actor=south_coord, match=south_match, started_on=date(2026, 2, 1))

    # Cal: referred by his social worker, received by the scheme, not yet met.
    sw = p["social_worker"]
    cal = child_services.child_create(
        actor=sw,
        scheme=north,
        first_name="Cal",
        last_name="Carter",
        date_of_birth=date(2015, 3, 3),
        case_number="N-1002",
        social_worker=sw,
    )
    child_services.placement_change(
        actor=sw,
        child=cal,
        kind="foster",
        carer_name="Pat Foster",
        carer_phone="07700 900123",
        address="1 Elm Road, Northtown",
        started_on=date(2025, 6, 1),
    )
    referral = child_services.referral_create(
        actor=sw, child=cal, reason="infrequent_contact", reason_note="Sees mum twice a year."
    )
    referral = child_services.referral_submit(actor=sw, referral=referral)
    from core.models import Notification

    notification = Notification.objects.create(
        user=coord,
        title="A new referral has arrived",
        url=f"/referrals/{referral.public_id}/",
        key=f"test:{referral.public_id}",
    )
    # Ivy's worry about Amy, not yet acknowledged and not shared with Amy's social worker.
    from django.utils import timezone

    from safeguarding import services as safeguarding_services

    concern = safeguarding_services.concern_raise(
        actor=p["iv"], child=child, kind="concern", category="emotional",
        what_happened="Amy was very quiet and said she is scared at home.",
        childs_words="I don't want to go back tonight.", occurred_at=timezone.now(),
        told_child="yes",
    )  # fmt: skip
    return World(
        org, north, south, p, child, match, south_child, south_match, referral, notification,
        concern,
    )  # fmt: skip


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
