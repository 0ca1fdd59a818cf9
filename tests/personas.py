"""The named people every test shares.

One organisation, schemes north and south. In north: a coordinator, a team manager, an IV
matched to Amy (the child), another IV with no match, Amy's social worker and another social
worker; the complaints manager of the organisation. In south: a coordinator, and Ben with his
own IV and social worker. Use `world` for the whole cast.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

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


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born_on(child: Any, day: date) -> Any:
    """For a test about one birthday: the child's date of birth is `day`."""
    child.date_of_birth = day
    child.save(update_fields=["date_of_birth"])
    return child


def build_world() -> World:
    """Every date is relative to today (the pinned day, tests/clock.py), so the same people
    are the same age and the same matches the same length on any day the suite runs: Amy is
    12 (13 in about six months), Ben 14, Cal 11; Amy's match began about 11 months ago."""
    from matches import services as match_services
    from referrals import services as child_services

    today = timezone.localdate()

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
        date_of_birth=years_before(today, 12) - timedelta(days=199),
        case_number="N-1001",
        social_worker=p["social_worker"],
    )
    match = match_services.match_create(actor=coord, child=child, volunteer=p["iv"])
    match_services.match_start(actor=coord, match=match, started_on=today - timedelta(days=326))
    south_coord = p["other_coordinator"]
    south_child = child_services.child_create(
        actor=south_coord,
        scheme=south,
        first_name="Ben",
        last_name="Barker",
        date_of_birth=years_before(today, 14) - timedelta(days=91),
        case_number="S-2001",
        social_worker=p["south_social_worker"],
    )
    south_match = match_services.match_create(
        actor=south_coord, child=south_child, volunteer=p["south_iv"]
    )
    match_services.match_start(
        actor=south_coord, match=south_match, started_on=today - timedelta(days=304)
    )

    # Cal: referred by his social worker, received by the scheme, not yet met.
    sw = p["social_worker"]
    cal = child_services.child_create(
        actor=sw,
        scheme=north,
        first_name="Cal",
        last_name="Carter",
        date_of_birth=years_before(today, 11) - timedelta(days=274),
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
        started_on=today - timedelta(days=549),
    )
    referral = child_services.referral_create(
        actor=sw, child=cal, reason="infrequent_contact", reason_note="Sees mum twice a year."
    )
    referral = child_services.referral_submit(actor=sw, referral=referral)
    from notifications.models import Notification

    notification = Notification.objects.create(
        user=coord,
        title="A new referral has arrived",
        url=f"/referrals/{referral.public_id}/",
        key=f"test:{referral.public_id}",
    )
    # Ivy's worry about Amy, not yet acknowledged and not shared with Amy's social worker.
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


# The world is built once per test module, inside a transaction that is rolled back when the
# module ends; each test runs in a savepoint inside it (pytest-django's `db`) on its own deep
# copy of the Python objects, so it may change anything (Django's setUpTestData does the
# same). Tests on a transactional database (live_server, real workers) build their own.
SHARED = "_shared_world"


class _Shared:
    """The module's world and the transaction it lives in."""

    def __init__(self) -> None:
        from django.db import transaction

        self.atomic: Any = transaction.atomic()
        self.atomic.__enter__()
        self.world: World | None = None

    def close(self) -> None:
        from django.db import transaction

        if self.atomic is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
            self.atomic = None


_open: _Shared | None = None


def close_shared_world() -> None:
    """Before a test that needs a real commit: end any shared world's transaction."""
    global _open
    if _open is not None:
        _open.close()
        _open = None


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")
    ):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The module fixture must be set up before the test's own transaction (function scope),
    # so it is requested at collection, not on first use.
    # After the session-wide fixtures (fast hashing, the test database), before the rest.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is None or "world" not in names or is_transactional(item):
            continue
        defs = item._fixtureinfo.name2fixturedefs  # type: ignore[attr-defined]
        at = next(
            (i for i, n in enumerate(names) if n in defs and defs[n][-1].scope != "session"),
            len(names),
        )
        names.insert(at, SHARED)


@pytest.fixture(scope="module")
def _shared_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[_Shared]:
    global _open
    from tests.clock import frozen_at_pinned

    close_shared_world()
    with django_db_blocker.unblock():
        shared = _Shared()
        _open = shared
        try:
            with frozen_at_pinned():
                shared.world = build_world()
        except BaseException:
            close_shared_world()
            raise
    yield shared
    with django_db_blocker.unblock():
        close_shared_world()


@pytest.fixture(autouse=True)
def _no_shared_world_under_a_real_commit(request: pytest.FixtureRequest) -> None:
    if _open is not None and is_transactional(request.node):
        with request.getfixturevalue("django_db_blocker").unblock():
            close_shared_world()


# A test on a transactional database starts with empty tables (tests/db_reset.py). Building
# the world through the services takes about a second; copying its rows back in takes a few
# milliseconds. So the first such test of a run builds it and keeps a copy of every table's
# rows (COPY ... TO STDOUT), and the next ones load them (COPY ... FROM STDIN) into the empty
# tables: the same rows, ids and grants, and the same Python objects (deep copies).
_snapshot: tuple[list[tuple[str, bytes]], World] | None = None


def _tables() -> list[str]:
    from django.db import connection

    from tests.db_reset import KEEP

    return [
        t
        for t in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if t not in KEEP
    ]


def _committed_world() -> World:
    global _snapshot
    import io

    from django.db import connection, transaction

    quote = connection.ops.quote_name
    if _snapshot is None:
        from tests.clock import frozen_at_pinned

        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"(SELECT 1 FROM {quote(t)} LIMIT 1)" for t in _tables())
            )
            empty = cursor.fetchone() is None
        with frozen_at_pinned():
            built = build_world()
        if not empty:  # another fixture wrote first: its rows must not join the copy
            return built
        rows = []
        with connection.cursor() as cursor:
            for table in _tables():
                buffer = io.BytesIO()
                cursor.cursor.copy_expert(f"COPY {quote(table)} TO STDOUT", buffer)
                if buffer.tell():
                    rows.append((table, buffer.getvalue()))
        _snapshot = (rows, copy.deepcopy(built))
        return built
    rows, pristine = _snapshot
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, data in rows:
            cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(data))
    return copy.deepcopy(pristine)


@pytest.fixture
def world(request: pytest.FixtureRequest, db: Any) -> World:
    if SHARED in request.fixturenames:
        shared: _Shared = request.getfixturevalue(SHARED)
        assert shared.atomic is not None and shared.world is not None, (
            "a transactional test ran between two tests sharing this module's world"
        )
        return copy.deepcopy(shared.world)
    return _committed_world()
