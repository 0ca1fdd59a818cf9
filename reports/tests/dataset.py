"""A small fixed data set whose every report figure is worked out by hand in test_figures.py.

Scheme "east" (40 looked-after children in the local authority), period January to March
2025. Scheme "west" has one referral in the same period, which an east manager must never see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import ManagerLevel, Membership, Organisation, Role, Scheme, User
from tests.personas import PASSWORD

LONDON = ZoneInfo("Europe/London")
START, END = date(2025, 1, 1), date(2025, 3, 31)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@dataclass
class Data:
    east: Scheme
    west: Scheme
    manager: User
    both_manager: User
    coordinator: User
    matches: dict[str, Any]


def build() -> Data:
    from complaints import services as complaint_services
    from expenses.models import Claim
    from matches.models import Match
    from referrals.models import Child, Referral
    from safeguarding.models import Concern
    from visits.models import Visit
    from volunteers.models import Volunteer

    org = Organisation.objects.create(name="Eastwest Trust")
    east = Scheme.objects.create(organisation=org, slug="east", name="East IV Scheme",
                                 local_authority="Eastshire", looked_after_children=40)  # fmt: skip
    west = Scheme.objects.create(organisation=org, slug="west", name="West IV Scheme",
                                 local_authority="Westshire", looked_after_children=10)  # fmt: skip

    def user(email: str, name: str) -> User:
        return User.objects.create_user(email, PASSWORD, full_name=name)

    manager = user("m@east.test", "Meg Manager")
    both = user("m@both.test", "Bo Both")
    coord = user("c@east.test", "Cy Coord")
    sw = user("sw@east.test", "Sol Worker")
    ivs = [user(f"iv{n}@east.test", f"Iv {n}") for n in range(1, 5)]
    Membership.objects.create(user=manager, scheme=east, role=Role.MANAGER,
                              manager_level=ManagerLevel.TEAM)  # fmt: skip
    for scheme in (east, west):
        Membership.objects.create(user=both, scheme=scheme, role=Role.MANAGER,
                                  manager_level=ManagerLevel.SERVICE)  # fmt: skip
    Membership.objects.create(user=coord, scheme=east, role=Role.COORDINATOR)
    Membership.objects.create(user=sw, scheme=east, role=Role.SOCIAL_WORKER)
    Membership.objects.create(user=sw, scheme=west, role=Role.SOCIAL_WORKER)

    def child(name: str, gender: str, ethnicity: str = "White British", scheme: Any = east) -> Any:
        return Child.objects.create(scheme=scheme, first_name=name, last_name="Test",
                                    date_of_birth=date(2012, 1, 1), gender=gender,
                                    ethnicity=ethnicity)  # fmt: skip

    k = {n: child(n, "female") for n in ("K1", "K2", "K3", "K4")}
    k["K6"] = child("K6", "male")
    k["K5"] = child("K5", "female", ethnicity="")
    k["K7"] = child("K7", "male", ethnicity="")
    k["K8"] = child("K8", "male", ethnicity="")

    def referral(c: Any, by: User, received: date, status: str, **extra: Any) -> Any:
        return Referral.objects.create(scheme=c.scheme, child=c, referred_by=by, status=status,
                                       received_at=at(received), **extra)  # fmt: skip

    referral(k["K1"], sw, date(2025, 1, 10), "matched")
    referral(k["K2"], sw, date(2025, 2, 1), "waiting", waiting_since=date(2025, 2, 11))
    referral(k["K3"], coord, date(2025, 2, 15), "waiting", waiting_since=date(2025, 3, 1))
    referral(k["K4"], coord, date(2025, 3, 5), "declined", closed_at=at(date(2025, 3, 20)),
             closing_reason="not_eligible")  # fmt: skip
    referral(k["K5"], sw, date(2024, 12, 1), "withdrawn", closed_at=at(date(2025, 1, 15)),
             closing_reason="moved_away")  # fmt: skip
    referral(k["K6"], sw, date(2025, 3, 10), "waiting", waiting_since=date(2025, 3, 21))
    # West: never counted for the east manager.
    referral(child("W1", "female", scheme=west), sw, date(2025, 2, 2), "waiting",
             waiting_since=date(2025, 2, 3))  # fmt: skip

    def match(c: Any, iv: User, started: date, status: str, **extra: Any) -> Any:
        return Match.objects.create(scheme=east, child=c, volunteer=iv, coordinator=coord,
                                    status=status, started_on=started, **extra)  # fmt: skip

    m1 = match(k["K1"], ivs[0], date(2025, 1, 20), "established")
    m2 = match(k["K5"], ivs[1], date(2024, 6, 1), "closed", ended_on=date(2025, 2, 28),
               closure_reason="childs_wish")  # fmt: skip
    m3 = match(k["K7"], ivs[2], date(2024, 1, 1), "closed", ended_on=date(2025, 3, 15),
               closure_reason="turned_18")  # fmt: skip
    m4 = match(k["K8"], ivs[3], date(2025, 3, 1), "trial")

    def visit(m: Any, day: date, status: str = "held", **extra: Any) -> Any:
        return Visit.objects.create(scheme=east, match=m, starts_at=at(day),
                                    expected_end=at(day, 12), status=status,
                                    activity=extra.pop("activity", "Bowling"), **extra)  # fmt: skip

    held = {
        "m1_jan": visit(m1, date(2025, 1, 25)),
        "m2_jan": visit(m2, date(2025, 1, 10)),
        "m1_feb": visit(m1, date(2025, 2, 8)),
        "m3_feb": visit(m3, date(2025, 2, 5)),
        "m1_mar": visit(m1, date(2025, 3, 8)),
        "m4_mar": visit(m4, date(2025, 3, 10)),
        "m3_mar": visit(m3, date(2025, 3, 3)),
    }
    visit(m3, date(2025, 1, 12), "cancelled", cancelled_by="child", cancel_reason="Unwell",
          cancelled_at=at(date(2025, 1, 11)))  # fmt: skip
    visit(m2, date(2025, 2, 20), "cancelled", cancelled_by="iv", cancel_reason="Car broke",
          cancelled_at=at(date(2025, 2, 19)))  # fmt: skip
    visit(m2, date(2024, 12, 20))  # before the period
    visit(m1, date(2025, 4, 5), "planned")  # after it

    def concern(created: datetime, ack_by: timedelta, acked: timedelta | None, **kw: Any) -> Any:
        c = Concern.objects.create(scheme=east, child=k["K1"], raised_by=ivs[0],
                                   what_happened="Test.", occurred_at=created,
                                   acknowledge_by=created + ack_by,
                                   acknowledged_at=created + acked if acked else None,
                                   status="open" if acked else "new", **kw)  # fmt: skip
        Concern.objects.filter(pk=c.pk).update(created_at=created)
        return c

    concern(at(date(2025, 1, 5)), timedelta(days=1), timedelta(hours=2), category="neglect")
    concern(at(date(2025, 2, 1), 9), timedelta(hours=1), timedelta(hours=4), category="neglect",
            urgent=True)  # fmt: skip
    concern(at(date(2025, 3, 1), 8), timedelta(days=1), None, category="bullying")
    concern(at(date(2025, 3, 5)), timedelta(days=1), None, kind="incident", incident_type="injury")
    concern(at(date(2024, 12, 30)), timedelta(days=1), None, category="neglect")

    def claim(v: Any, m: Any, iv: User, total: str, status: str, **kw: Any) -> Any:
        return Claim.objects.create(scheme=east, volunteer=iv, visit=v, match=m, status=status,
                                    total=Decimal(total), **kw)  # fmt: skip

    claim(held["m1_jan"], m1, ivs[0], "12.50", "approved")
    claim(held["m1_feb"], m1, ivs[0], "30.00", "submitted", over_limit=True)
    claim(held["m4_mar"], m4, ivs[3], "7.50", "approved")
    claim(held["m3_feb"], m3, ivs[2], "100.00", "rejected", rejection_reason="No receipt")
    claim(held["m1_mar"], m1, ivs[0], "5.00", "draft")

    complaint_services.complaint_receive(
        actor=manager, scheme=east, channel="phone", received_on=date(2025, 2, 10),
        complainant_name="Carrie Carer", complainant_relationship="carer", subject="service",
        details="A missed visit.", complainant_email="carrie@example.net",
    )  # fmt: skip

    def volunteer(ref: str, stage: str, created: date, gender: str = "", **kw: Any) -> Any:
        v = Volunteer.objects.create(scheme=east, reference=ref, first_name=ref,
                                     last_name="Vol", email=f"{ref}@v.test", stage=stage,
                                     gender=gender, **kw)  # fmt: skip
        Volunteer.objects.filter(pk=v.pk).update(created_at=at(created))
        return v

    signed = {"team_signed_by": manager, "service_signed_by": both, "status": "available"}
    volunteer("V1", "enquiry", date(2025, 1, 2))
    volunteer("V2", "application", date(2025, 1, 3))
    volunteer("V3", "application", date(2025, 1, 4))
    volunteer("V4", "approved", date(2025, 1, 1), "female", approved_on=date(2025, 2, 15), **signed)
    volunteer("V5", "approved", date(2024, 12, 1), "male", approved_on=date(2025, 3, 1), **signed)
    volunteer("V6", "approved", date(2024, 6, 1), "male", approved_on=date(2024, 11, 1), **signed)
    return Data(east, west, manager, both, coord, {"m1": m1, "m2": m2, "m3": m3, "m4": m4})
