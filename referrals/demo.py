"""Demo children with full records and referrals in every state (idempotent)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Scheme, User
from referrals import services
from referrals.models import Child, Referral, ReferralStatus

# case number, scheme, first, last, born, gender, state the referral should reach
REFERRED = [
    ("N-10501", "north", "Leah", "Francis", date(2014, 7, 8), "female", ReferralStatus.DRAFT),
    ("N-10502", "north", "Mason", "Price", date(2012, 2, 27), "male", ReferralStatus.RECEIVED),
    ("N-10503", "north", "Sofia", "Novak", date(2013, 9, 14), "female", ReferralStatus.CHILD_MET),
    ("N-10504", "north", "Dylan", "Hughes", date(2011, 4, 3), "male", ReferralStatus.WAITING),
    ("N-10505", "north", "Maya", "Patel", date(2015, 12, 1), "female", ReferralStatus.WAITING),
    ("N-10506", "north", "Ethan", "Cole", date(2009, 1, 20), "male", ReferralStatus.DECLINED),
    ("N-10507", "north", "Ruby", "Shaw", date(2016, 5, 5), "female", ReferralStatus.WITHDRAWN),
    ("S-20301", "south", "Harvey", "Lloyd", date(2013, 3, 30), "male", ReferralStatus.RECEIVED),
    ("S-20302", "south", "Aisha", "Begum", date(2012, 8, 18), "female", ReferralStatus.WAITING),
]

PROFILE = {
    "ethnicity": "White British",
    "languages": "English",
    "legal_status": "s31",
    "interests": "Football, drawing, animals",
    "wishes_in_own_words": "Someone to go to the cinema with who is just for me.",
    "shared_interests_wanted": "football, films",
    "allergies": "Peanuts (carries an EpiPen: the carer shows how to use it)",
    "diet": "No pork",
    "places_to_avoid": "Northtown shopping centre (past associations)",
    "people_to_avoid": "Birth father: no contact",
    "photo_consent": "ask",
    "risk_information": "Can run off when upset; calms down with space and time.",
    "consent_to_share": True,
}


def seed_demo(*, schemes: dict[str, Scheme], users: dict[str, User], stdout: Any) -> None:
    today = timezone.localdate()
    made = 0
    for i, (case, slug, first, last, born, gender, target) in enumerate(REFERRED):
        scheme = schemes[slug]
        if Child.objects.filter(scheme=scheme, case_number=case).exists():
            continue
        sw = users[f"sw.{slug}@example.org"]
        coordinator = users[f"coordinator.{slug}@example.org"]
        child = services.child_create(
            actor=sw, scheme=scheme, first_name=first, last_name=last, date_of_birth=born,
            case_number=case, social_worker=sw, gender=gender,
            risk_reviewed_on=today - timedelta(days=40 + i), **PROFILE,
        )  # fmt: skip
        services.placement_change(
            actor=sw, child=child, kind="foster", carer_name=f"Carer of {first}",
            carer_phone=f"07700 900{100 + i}",
            address=f"{10 + i} Station Road, {scheme.local_authority}",
            started_on=today - timedelta(days=400 + 30 * i),
        )  # fmt: skip
        services.review_record(
            actor=sw, child=child, held_on=today - timedelta(days=90 + i), iv_considered=True,
            notes="IV discussed; child keen.",
        )  # fmt: skip
        referral = services.referral_create(
            actor=sw, child=child, reason="infrequent_contact",
            reason_note="Sees birth family rarely; would benefit from a consistent adult.",
        )  # fmt: skip
        made += 1
        if target == ReferralStatus.DRAFT:
            continue
        referral = services.referral_submit(actor=sw, referral=referral)
        Referral.objects.filter(pk=referral.pk).update(
            received_at=timezone.now() - timedelta(days=20 + 15 * i)
        )
        if target == ReferralStatus.WITHDRAWN:
            services.referral_close(
                actor=sw, referral=referral, outcome=target, reason="moved_away",
                note="Moved to a placement outside the area.",
            )  # fmt: skip
            continue
        if target == ReferralStatus.RECEIVED:
            continue
        if target == ReferralStatus.DECLINED:
            services.referral_close(
                actor=coordinator, referral=referral, outcome=target, reason="not_eligible",
                note="Turns 18 within three months.",
            )  # fmt: skip
            continue
        services.referral_record_meeting(
            actor=coordinator, referral=referral, met_on=today - timedelta(days=10 + 7 * i),
            child_wants="Wants a woman IV who likes football and going to the cinema.",
        )  # fmt: skip
        if target == ReferralStatus.WAITING:
            services.referral_add_to_waiting_list(
                actor=coordinator,
                referral=referral,
                waiting_since=today - timedelta(days=5 + 21 * i),
            )
    # Children matched before the referrals app existed get a matched referral on record.
    for child in Child.objects.filter(matches__isnull=False, referrals__isnull=True).distinct():
        referrer = child.created_by or child.social_worker
        if referrer is None:
            continue
        Referral.objects.create(
            scheme=child.scheme, child=child, referred_by=referrer,
            reason="child_interest", status=ReferralStatus.MATCHED,
            received_at=timezone.now() - timedelta(days=420), closed_at=timezone.now(),
            waiting_since=today - timedelta(days=380), duplicates_resolved=True,
        )  # fmt: skip
    stdout.write(f"Demo referrals: {made} children referred.")
