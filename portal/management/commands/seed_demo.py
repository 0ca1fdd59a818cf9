"""Demo data for a first look and for every feature's manual check.

Idempotent: running it twice changes nothing the second time. Refuses to run with DEBUG off
unless given --force, because it creates accounts with a published password.

`--scale N` adds N children with proportional volunteers and matches, written with bulk
inserts, for the benchmarks.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission

from accounts.demo import DEMO_PASSWORD
from accounts.models import ManagerLevel, Membership, Organisation, Role, Scheme, User
from matches import services as match_services
from matches.models import Match, MatchStatus
from referrals import services as child_services
from referrals.models import Child
from visits.models import Visit
from volunteers.models import (
    Stage,
    TrainingModule,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)

ORGANISATION = "Brightside Visiting Trust"
SCHEMES = {
    "north": ("North IV Scheme", "Northshire County Council", 640, "0300 123 4001"),
    "south": ("South IV Scheme", "Southshire City Council", 910, "0300 123 4002"),
}

# email, full name, [(scheme slug, role, manager level)]
DEMO_USERS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("coordinator.north@example.org", "Priya Shah", [("north", Role.COORDINATOR, "")]),
    ("coordinator.south@example.org", "Tom Okafor", [("south", Role.COORDINATOR, "")]),
    ("manager.north@example.org", "Helen Price", [("north", Role.MANAGER, ManagerLevel.TEAM)]),
    (
        "service.manager@example.org",
        "David Evans",
        [
            ("north", Role.MANAGER, ManagerLevel.SERVICE),
            ("south", Role.MANAGER, ManagerLevel.SERVICE),
        ],
    ),
    ("iv.north@example.org", "Sarah Whitfield", [("north", Role.INDEPENDENT_VISITOR, "")]),
    ("iv.south@example.org", "Marek Nowak", [("south", Role.INDEPENDENT_VISITOR, "")]),
    ("sw.north@example.org", "Grace Adeyemi", [("north", Role.SOCIAL_WORKER, "")]),
    ("sw.south@example.org", "James Bell", [("south", Role.SOCIAL_WORKER, "")]),
    (
        "complaints@example.org",
        "Fiona Clarke",
        [("north", Role.COMPLAINTS_MANAGER, ""), ("south", Role.COMPLAINTS_MANAGER, "")],
    ),
    # The organisation's data protection officer (one membership reaches both schemes).
    ("dpo@example.org", "Nadia Karim", [("north", Role.DATA_PROTECTION_OFFICER, "")]),
    # More volunteers, so matching has someone to suggest.
    ("iv.north.2@example.org", "Aisha Rahman", [("north", Role.INDEPENDENT_VISITOR, "")]),
    ("iv.north.3@example.org", "Chris Doyle", [("north", Role.INDEPENDENT_VISITOR, "")]),
    ("iv.south.2@example.org", "Lena Fischer", [("south", Role.INDEPENDENT_VISITOR, "")]),
]

# case number, scheme, first, last, date of birth, social worker, IV of an active match
DEMO_CHILDREN = [
    (
        "N-10231",
        "north",
        "Jade",
        "Morrison",
        date(2013, 3, 14),
        "sw.north@example.org",
        "iv.north@example.org",
    ),
    ("N-10388", "north", "Kyle", "Bennett", date(2011, 8, 2), "sw.north@example.org", None),
    ("N-10402", "north", "Amira", "Hussain", date(2015, 11, 21), "sw.north@example.org", None),
    ("N-10457", "north", "Tyler", "Greene", date(2010, 1, 9), None, None),
    (
        "S-20117",
        "south",
        "Oliver",
        "Kowalski",
        date(2012, 6, 30),
        "sw.south@example.org",
        "iv.south@example.org",
    ),
    ("S-20145", "south", "Chloe", "Adams", date(2014, 2, 17), "sw.south@example.org", None),
    ("S-20190", "south", "Reece", "Thompson", date(2009, 10, 5), "sw.south@example.org", None),
]

# What an IV needs to know on a visit, and the child's own words, for the named demo children.
DEMO_PROFILES: dict[str, dict[str, Any]] = {
    "N-10231": {
        "gender": "female",
        "legal_status": "s31",
        "interests": "Climbing, drawing manga, cats",
        "wishes_in_own_words": "Someone fun who will take me climbing and not tell me off.",
        "iv_gender_preference": "female",
        "shared_interests_wanted": "climbing, drawing",
        "allergies": "Peanuts and tree nuts: carries an EpiPen (in her bag)",
        "medical_conditions": "Mild asthma: blue inhaler in her bag (she uses it herself).",
        "places_to_avoid": "Northtown bus station (past associations)",
        "people_to_avoid": "Birth father: no contact of any kind",
        "cultural_restrictions": "None",
        "photo_consent": "ask",
        "risk_information": "May go quiet and walk off when upset; give her space, stay in sight.",
        "consent_to_share": True,
    },
    "S-20117": {
        "gender": "male",
        "legal_status": "s20",
        "languages": "Polish, English",
        "interests": "Football (Southtown FC), gaming, cooking",
        "wishes_in_own_words": "A man who speaks Polish and likes football.",
        "iv_gender_preference": "male",
        "shared_interests_wanted": "football",
        "diet": "Halal not needed; no pork by choice",
        "places_to_avoid": "None known",
        "people_to_avoid": "Older cousin (K.): not to be contacted",
        "photo_consent": "yes",
        "consent_to_share": True,
    },
}

FIRST_NAMES = [
    "Olivia",
    "Noah",
    "Amelia",
    "Leo",
    "Isla",
    "Oscar",
    "Ava",
    "Arthur",
    "Mia",
    "Muhammad",
    "Freya",
    "Harry",
    "Lily",
    "Jack",
    "Ivy",
    "George",
    "Sophia",
    "Theo",
    "Grace",
    "Finley",
    "Zara",
    "Kai",
    "Ella",
    "Yusuf",
    "Maya",
    "Jayden",
    "Aaliyah",
    "Reuben",
    "Niamh",
    "Tomasz",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Ahmed",
    "Lewis",
    "Clarke",
    "Jackson",
    "Wood",
    "Nowak",
    "Okafor",
    "Murphy",
]


def pick_in_scheme(rng: random.Random, count: int, k: int, slot: int) -> int:
    """A random index below `count` that is congruent to `slot` mod k: people are placed in
    scheme i % k, so this picks someone of scheme `slot`."""
    return rng.randrange((count - 1 - slot) // k + 1) * k + slot


class Command(BaseCommand):
    help = "Create the demo schemes, users and records (idempotent); --scale N for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--scale", type=int, default=0, help="Also add N children with volunteers and matches."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it refuses to run "
                "with DEBUG off. Use --force only on a throwaway database."
            )
        with transaction.atomic():
            schemes, users = self.seed_core()
            self.seed_children(schemes, users)
            self.seed_apps(schemes, users)
        if options["scale"]:
            started = time.monotonic()
            made = self.seed_scale(schemes, options["scale"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Scale data: {made} children added in {time.monotonic() - started:.1f}s."
                )
            )

    # --- The named demo records ------------------------------------------------------------

    def seed_core(self) -> tuple[dict[str, Scheme], dict[str, User]]:
        org, _ = Organisation.objects.get_or_create(name=ORGANISATION)
        schemes: dict[str, Scheme] = {}
        for slug, (name, la, lac, ooh) in SCHEMES.items():
            schemes[slug], _ = Scheme.objects.get_or_create(
                slug=slug,
                defaults={
                    "organisation": org,
                    "name": name,
                    "local_authority": la,
                    "looked_after_children": lac,
                    "out_of_hours_phone": ooh,
                },
            )
        users: dict[str, User] = {}
        created = 0
        for email, name, roles in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                email=email, defaults={"full_name": name}
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            users[email] = user
            for slug, role, level in roles:
                Membership.objects.get_or_create(
                    user=user,
                    scheme=schemes[slug],
                    role=role,
                    is_active=True,
                    defaults={"manager_level": level},
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo users: {created} created, {len(DEMO_USERS) - created} already there."
            )
        )
        return schemes, users

    def seed_children(self, schemes: dict[str, Scheme], users: dict[str, User]) -> None:
        created = 0
        today = timezone.localdate()
        for case, slug, first, last, born, sw_email, iv_email in DEMO_CHILDREN:
            scheme = schemes[slug]
            coordinator = users[f"coordinator.{slug}@example.org"]
            child = Child.objects.filter(scheme=scheme, case_number=case).first()
            if child is None:
                child = child_services.child_create(
                    actor=coordinator,
                    scheme=scheme,
                    first_name=first,
                    last_name=last,
                    date_of_birth=born,
                    case_number=case,
                    social_worker=users[sw_email] if sw_email else None,
                    **DEMO_PROFILES.get(case, {}),
                )
                child_services.placement_change(
                    actor=coordinator,
                    child=child,
                    kind="foster",
                    carer_name="Linda and Mark Foster",
                    carer_phone="07700 900" + case[-3:],
                    address=f"{case[-2:]} Willow Close, {scheme.local_authority}",
                    started_on=today - timedelta(days=500),
                )
                created += 1
            if iv_email and not Match.objects.filter(child=child).exists():
                match = match_services.match_create(
                    actor=coordinator, child=child, volunteer=users[iv_email]
                )
                match_services.match_start(
                    actor=coordinator, match=match, started_on=today - timedelta(days=300)
                )
        self.stdout.write(self.style.SUCCESS(f"Demo children: {created} created."))

    def seed_apps(self, schemes: dict[str, Scheme], users: dict[str, User]) -> None:
        """Each app adds its own demo records in `<app>/demo.py`, a function
        `seed_demo(*, schemes, users, stdout) -> None` that must be idempotent. They run in
        INSTALLED_APPS order, so an app can rely on the records of the apps before it."""
        from importlib import import_module
        from importlib.util import find_spec

        from django.apps import apps

        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name in ("accounts",) or find_spec(module_name) is None:
                continue
            import_module(module_name).seed_demo(schemes=schemes, users=users, stdout=self.stdout)

    # --- Scale data for benchmarks ---------------------------------------------------------

    def seed_scale(self, schemes: dict[str, Scheme], n: int) -> int:
        """N children across the demo schemes; about 0.4 N volunteers, each with an active
        match, and 0.02 N social workers. Bulk inserts, no per-row services: the grants the
        services would make are written in bulk too."""
        rng = random.Random(n)
        scheme_list = list(schemes.values())
        k = len(scheme_list)
        today = timezone.localdate()
        tag = f"{int(time.time())}"
        password = make_password(DEMO_PASSWORD)
        n_ivs = max(1, int(n * 0.4))
        n_sws = max(k, n // 50)
        with transaction.atomic():

            def people(kind: str, count: int) -> list[User]:
                return User.objects.bulk_create(
                    [
                        User(
                            email=f"scale.{kind}.{tag}.{i}@example.org",
                            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                            password=password,
                        )
                        for i in range(count)
                    ],
                    batch_size=2000,
                )

            ivs = people("iv", n_ivs)
            sws = people("sw", n_sws)
            Membership.objects.bulk_create(
                [
                    Membership(user=u, scheme=scheme_list[i % len(scheme_list)], role=role)
                    for role, people in (
                        (Role.INDEPENDENT_VISITOR, ivs),
                        (Role.SOCIAL_WORKER, sws),
                    )
                    for i, u in enumerate(people)
                ],
                batch_size=5000,
            )
            children = Child.objects.bulk_create(
                [
                    Child(
                        scheme=scheme_list[i % len(scheme_list)],
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        date_of_birth=today - timedelta(days=rng.randint(8 * 365, 17 * 365)),
                        case_number=f"X{tag}-{i}",
                        social_worker=sws[pick_in_scheme(rng, len(sws), k, i % k)],
                    )
                    for i in range(n)
                ],
                batch_size=5000,
            )
            # Each volunteer matched with the child of the same scheme at the same position.
            matches = Match.objects.bulk_create(
                [
                    Match(
                        scheme=child.scheme,
                        child=child,
                        volunteer=ivs[i],
                        status=rng.choice(
                            [MatchStatus.TRIAL, MatchStatus.ESTABLISHED, MatchStatus.ESTABLISHED]
                        ),
                        started_on=today - timedelta(days=rng.randint(30, 900)),
                    )
                    # Volunteer i and child i are in the same scheme (both i % k).
                    for i, child in enumerate(children[:n_ivs])
                ],
                batch_size=5000,
            )
            self._bulk_grants(children, matches)
        self._bulk_visits(matches, rng)
        self._bulk_volunteers(ivs, scheme_list, rng, tag, available=max(1, n // 10))
        return len(children)

    def _bulk_volunteers(
        self, ivs: list[User], schemes: list[Scheme], rng: random.Random, tag: str, available: int
    ) -> None:
        """Volunteer records: one (approved, matched) for each scale IV, and `available`
        approved volunteers waiting for a match, all compliant, so suggestions rank thousands."""

        today = timezone.localdate()
        # Signed off as the demo volunteers are: the north team manager, then the service manager.
        team = User.objects.get(email="manager.north@example.org")
        service = User.objects.get(email="service.manager@example.org")
        interests = ["football", "drawing", "cinema", "climbing", "gaming", "cooking", "music",
                     "swimming", "animals", "reading", "dance", "art"]  # fmt: skip
        rows = []
        people: list[User | None] = [*ivs, *([None] * available)]
        for i, user in enumerate(people):
            first, last = ([*user.full_name.split(" ", 1), ""])[:2] if user else (
                rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            )  # fmt: skip
            rows.append(
                Volunteer(
                    scheme=schemes[i % len(schemes)], user=user, reference=f"S{tag[-5:]}{i:06d}",
                    first_name=first, last_name=last or "Smith",
                    email=user.email if user else f"scale.vol.{tag}.{i}@example.org",
                    stage=Stage.APPROVED,
                    status=VolunteerStatus.MATCHED if user else VolunteerStatus.AVAILABLE,
                    consent_to_checks=True, dbs_certificate_number=f"00{i:010d}",
                    dbs_issued_on=today - timedelta(days=rng.randint(30, 900)),
                    dbs_barred_list_checked=True, approved_on=today - timedelta(days=400),
                    team_signed_by=team, team_signed_on=today - timedelta(days=402),
                    service_signed_by=service, service_signed_on=today - timedelta(days=400),
                    available_weekends=rng.random() < 0.7, available_evenings=rng.random() < 0.5,
                    interests=", ".join(rng.sample(interests, 3)),
                    languages=rng.choice(["English", "English, Polish", "English, Urdu"]),
                    area=rng.choice(["NN1", "NN2", "NN3", "SS1", "SS2"]),
                    prefers_age_from=8, prefers_age_to=rng.choice([14, 16, 18]),
                )
            )  # fmt: skip
        volunteers = Volunteer.objects.bulk_create(rows, batch_size=5000)
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(volunteer=v, module=module, completed_on=today - timedelta(days=200))
                for v in volunteers
                for module in TrainingModule.values
            ],
            batch_size=10000,
        )

    def _bulk_visits(self, matches: list[Match], rng: random.Random) -> None:
        """A year of contact for each scale match: about monthly, mostly held face to face,
        some cancelled, and some matches that lapsed in the last months (for the jobs)."""
        from datetime import datetime, time

        now = timezone.now()
        batch: list[Visit] = []
        for match in matches:
            lapsed_months = rng.choice([0, 0, 0, 0, 0, 0, 2, 3])
            for month in range(12, lapsed_months, -1):
                day = timezone.localdate() - timedelta(days=30 * month - rng.randint(0, 10))
                start = timezone.make_aware(datetime.combine(day, time(10 + rng.randint(0, 6))))
                cancelled = rng.random() < 0.08
                batch.append(
                    Visit(
                        scheme_id=match.scheme_id, match=match, starts_at=start,
                        expected_end=start + timedelta(hours=3), place="Town centre",
                        activity="Cinema and food", named_person_name="Duty coordinator",
                        named_person_phone="0300 123 4000",
                        status="cancelled" if cancelled else "held",
                        cancelled_at=start - timedelta(days=1) if cancelled else None,
                        cancelled_by="child" if cancelled else "",
                        cancel_reason="Poorly" if cancelled else "",
                        checked_in_at=None if cancelled else start,
                        checked_out_at=None if cancelled else start + timedelta(hours=3),
                        created_at=now,
                    )
                )  # fmt: skip
            if len(batch) >= 20000:
                Visit.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Visit.objects.bulk_create(batch, batch_size=5000)

    def _bulk_grants(self, children: list[Child], matches: list[Match]) -> None:
        """The object permissions referrals.services and matches.services would have made."""
        from django.contrib.auth.models import Permission

        child_ct = ContentType.objects.get_for_model(Child)
        match_ct = ContentType.objects.get_for_model(Match)
        perm = {
            codename: Permission.objects.get(content_type=ct, codename=codename)
            for ct, codename in (
                (child_ct, "view_child"),
                (child_ct, "change_child"),
                (child_ct, "view_visit_card"),
                (match_ct, "view_match"),
            )
        }
        rows = []
        for child in children:
            assert child.social_worker_id is not None
            for codename in ("view_child", "change_child"):
                rows.append(
                    UserObjectPermission(
                        user_id=child.social_worker_id,
                        permission=perm[codename],
                        content_type=child_ct,
                        object_pk=str(child.pk),
                    )
                )
        for match in matches:
            rows.append(
                UserObjectPermission(
                    user_id=match.volunteer_id,
                    permission=perm["view_match"],
                    content_type=match_ct,
                    object_pk=str(match.pk),
                )
            )
            rows.append(
                UserObjectPermission(
                    user_id=match.volunteer_id,
                    permission=perm["view_visit_card"],
                    content_type=child_ct,
                    object_pk=str(match.child_id),
                )
            )
        UserObjectPermission.objects.bulk_create(rows, batch_size=10000)
