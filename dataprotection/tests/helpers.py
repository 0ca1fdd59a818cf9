"""A child with a record of every kind, and subject access requests, for the tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import AccessLog
from dataprotection.models import BundleStatus, Redaction, SubjectAccessRequest
from dataprotection.services import requests


def make_request(world: Any, *, child: Any = None, volunteer: Any = None, **fields: Any) -> Any:
    if child is None and volunteer is None:
        child = world.child
    values: dict[str, Any] = {
        "actor": world.manager if (child or volunteer).scheme_id == world.north.pk else world.dpo,
        "child": child,
        "volunteer": volunteer,
        "requester_name": "Amy Atkins",
        "requester_relationship": "The person themselves",
        "assigned_to": world.coordinator
        if (child or volunteer).scheme_id == world.north.pk
        else None,
    }
    values.update(fields)
    return requests.request_create(**values)


def build_now(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """Queue and produce the bundle here (no worker runs in the tests)."""
    from dataprotection.services import bundle

    SubjectAccessRequest.objects.filter(pk=sar.pk).update(bundle_status=BundleStatus.QUEUED)
    bundle.build(request_id=sar.pk)
    sar.refresh_from_db()
    return sar


def log_view(user: Any, record: Any, action: str = "view") -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        scheme_id=record.scheme_id,
        record_type=record._meta.label_lower,
        record_public_id=record.public_id,
        action=action,
        path="/test/",
    )


def every_record(world: Any) -> dict[str, Any]:
    """Amy gets one record of every kind the registry knows; returns them by label."""
    from expenses.models import ClaimQuery, PreAuthorisation
    from expenses.tests.helpers import insure, submitted_claim
    from matches.models import MatchReview
    from referrals import services as child_services
    from referrals.models import Child, Referral, ReferralEvent
    from reports.models import LacSummary
    from safeguarding import services as safeguarding_services
    from visits.models import ReportNote, VisitEvent
    from visits.tests.helpers import make_report

    amy, coord = world.child, world.coordinator
    out: dict[str, Any] = {"referrals.Child": amy}
    child_services.child_update(actor=coord, child=amy, interests="Drawing and football")
    out["merged"] = Child.objects.create(
        scheme=world.north, first_name="Amy", last_name="Atkinz", date_of_birth=amy.date_of_birth,
        merged_into=amy, created_by=coord,
    )  # fmt: skip
    out["referrals.Placement"] = child_services.placement_change(
        actor=coord, child=amy, kind="foster", carer_name="Fay Carer", carer_phone="07700 900999",
        address="2 Oak Lane, Northtown", started_on=date(2025, 9, 1),
    )  # fmt: skip
    out["referrals.LookedAfterReview"] = child_services.review_record(
        actor=coord, child=amy, held_on=date(2026, 2, 3), iv_considered=True, notes="Going well."
    )
    referral = Referral.objects.create(
        scheme=world.north, child=amy, status="matched", referred_by=world.social_worker,
        reason="infrequent_contact", reason_note="Few visits from family.", created_by=coord,
    )  # fmt: skip
    out["referrals.Referral"] = referral
    out["referrals.ReferralEvent"] = ReferralEvent.objects.create(
        referral=referral, actor=coord, from_status="waiting", to_status="matched", note="Matched"
    )
    out["matches.MatchReview"] = MatchReview.objects.create(
        match=world.match, kind="regular", held_on=date(2026, 4, 10), quality=4,
        child_feedback="Likes Ivy.", created_by=coord,
    )  # fmt: skip
    out["matches.Match"] = world.match
    out["matches.MatchEvent"] = world.match.events.first()
    out["referrals.SocialWorkerAllocation"] = amy.allocations.first()
    report = make_report(world, what_we_did="Went to the park and fed the ducks")
    out["visits.Visit"] = report.visit
    out["visits.VisitEvent"] = VisitEvent.objects.create(
        visit=report.visit, actor=coord, from_status="planned", to_status="held"
    )
    out["visits.VisitReport"] = report
    out["visits.ReportNote"] = ReportNote.objects.create(
        report=report, kind="reply", author=coord, text="Thanks, lovely report.",
        created_by=coord,
    )  # fmt: skip
    insure(world)
    claim = submitted_claim(world, visit=report.visit)
    out["expenses.Claim"] = claim
    out["expenses.ClaimItem"] = claim.items.first()
    out["expenses.ClaimEvent"] = claim.events.first()
    out["expenses.ClaimQuery"] = ClaimQuery.objects.create(
        claim=claim, question="Was this for two people?", created_by=coord
    )
    out["expenses.PreAuthorisation"] = PreAuthorisation.objects.create(
        scheme=world.north, volunteer=world.iv, visit=report.visit, reference="PA-T0001",
        amount=Decimal("30.00"), reason="Cinema tickets", created_by=world.iv,
    )  # fmt: skip
    out["safeguarding.Concern"] = world.concern
    safeguarding_services.concern_acknowledge(actor=coord, concern=world.concern)
    out["safeguarding.ConcernAction"] = safeguarding_services.concern_record(
        actor=coord, concern=world.concern, kind="decision",
        happened_at=timezone.now() - timedelta(hours=1), detail="Spoke to the social worker.",
    )  # fmt: skip
    out["reports.LacSummary"] = LacSummary.objects.create(
        match=world.match, scheme=world.north, review_on=date(2026, 4, 1),
        period_start=date(2026, 1, 1), period_end=date(2026, 3, 31), what_we_did="Bowling",
    )  # fmt: skip
    earlier = make_request(world, requester_name="Amy Atkins", received_on=timezone.localdate())
    out["dataprotection.SubjectAccessRequest"] = earlier
    out["dataprotection.Redaction"] = Redaction.objects.create(
        request=earlier,
        item_key=f"referrals.Placement:{out['referrals.Placement'].public_id}",
        by=coord,
    )
    out["core.AccessLog"] = log_view(world.manager, amy)
    return out
