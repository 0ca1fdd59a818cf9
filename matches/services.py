"""Writes to matches: every move of the lifecycle is one function here, checked against
ALLOWED_MOVES, recorded as a MatchEvent, and keeps the object grants in step with the match:
while a match is live the IV sees the match and the child's visit card, and the child's
social worker sees the match's status; closing takes both away."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts import access
from accounts.models import Role, User
from core.refusals import permits
from core.schemesettings import settings_for, settings_update
from core.workflow import Workflow
from matches.models import (
    ACTIVE_STATUSES,
    ClosureReason,
    Match,
    MatchEvent,
    MatchReview,
    MatchSchemeSettings,
    MatchStatus,
    TrialDecision,
    VisitingFrequency,
)
from matches.signals import match_closed
from referrals.models import Child, Referral, ReferralStatus
from referrals.services import referral_mark_matched
from volunteers.models import Volunteer, VolunteerStatus

S = MatchStatus

# The lifecycle in one place (DOMAIN: Match). Pausing and closing are possible from any live
# status (a safeguarding allegation, a child's wish); everything else moves one step forward.
ALLOWED_MOVES: dict[str, set[str]] = {
    S.PROPOSED: {S.INTRODUCTION, S.CLOSED},
    S.INTRODUCTION: {S.TRIAL, S.PAUSED, S.CLOSED},
    S.TRIAL: {S.TRIAL_REVIEW, S.PAUSED, S.CLOSED},
    S.TRIAL_REVIEW: {S.ESTABLISHED, S.ENDING, S.PAUSED, S.CLOSED},
    S.ESTABLISHED: {S.ENDING, S.PAUSED, S.CLOSED},
    S.ENDING: {S.CLOSED, S.PAUSED},
    S.PAUSED: {S.INTRODUCTION, S.TRIAL, S.TRIAL_REVIEW, S.ESTABLISHED, S.ENDING, S.CLOSED},
    S.CLOSED: {str(s) for s in ACTIVE_STATUSES}
    - {S.PAUSED},  # reopening, within the scheme's period
}

# The refusal names the step in the caller's words ("cannot plan its ending").
FLOW = Workflow(
    Match,
    ALLOWED_MOVES,
    "A match that is {status} cannot {how}.",
    events=MatchEvent,
    note_limit=2000,
)

TRIAL_VISITS_MAX = 5

# The IV of a live match may see the match and the child's visit card, nothing else.
IV_MATCH_PERMS = ("matches.view_match",)
IV_CHILD_PERMS = ("referrals.view_visit_card",)
# The child's social worker sees the match's status and dates (never visit reports).
SW_MATCH_PERMS = ("matches.view_match",)


def _grant_iv(match: Match) -> None:
    for perm in IV_MATCH_PERMS:
        assign_perm(perm, match.volunteer, match)
    for perm in IV_CHILD_PERMS:
        assign_perm(perm, match.volunteer, match.child)


def _revoke_iv(match: Match) -> None:
    for perm in IV_MATCH_PERMS:
        remove_perm(perm, match.volunteer, match)
    for perm in IV_CHILD_PERMS:
        remove_perm(perm, match.volunteer, match.child)


def _grant_sw(match: Match) -> None:
    if match.child.social_worker_id:
        for perm in SW_MATCH_PERMS:
            assign_perm(perm, match.child.social_worker, match)


def _revoke_sw(match: Match) -> None:
    if match.child.social_worker_id:
        for perm in SW_MATCH_PERMS:
            remove_perm(perm, match.child.social_worker, match)


def _lock(match: Match) -> Match:
    return Match.objects.select_for_update().select_related("child").get(pk=match.pk)


def _refuse(match: Match, verb: str) -> ValidationError:
    return FLOW.refuse(match, "", verb)


def _require_staff(actor: User, match: Match | Child) -> None:
    access.require_staff(actor, match.scheme_id)


# The steps of a match's page (its URL names them), each with the states it is taken from
# and the words of its refusal. ALLOWED_MOVES says where a status may go next; a step is
# narrower (from paused a match goes back where it was by resuming, not by "start the
# trial"; a closed one comes back by reopening, within the scheme's period, not by
# "establish"), so each service checks its step here before it moves.
_LIVE = frozenset(str(s) for s in ACTIVE_STATUSES)
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "introduction": (frozenset({S.PROPOSED}), "start"),
    "start-trial": (frozenset({S.INTRODUCTION}), "start its trial"),
    "trial-visit": (frozenset({S.TRIAL}), "record a trial visit"),
    "trial-review": (frozenset({S.TRIAL}), "have its trial review"),
    "establish": (frozenset({S.TRIAL_REVIEW}), "be established"),
    "ending": (frozenset({S.TRIAL_REVIEW, S.ESTABLISHED}), "plan its ending"),
    "close": (_LIVE | {S.PROPOSED}, "close"),
    "reopen": (frozenset({S.CLOSED}), "be reopened"),
    "pause": (_LIVE - {S.PAUSED}, "pause"),
    "resume": (frozenset({S.PAUSED}), "resume"),
    "frequency": (_LIVE | {S.PROPOSED}, "change its visiting frequency"),
    "review": (frozenset({S.TRIAL_REVIEW, S.ESTABLISHED, S.ENDING}), "be reviewed"),
    "care-leaver": (_LIVE, "continue as a care-leaver match"),
}


def _check_step(match: Match, step: str, *, today: date | None = None) -> None:
    """Raise (a ValidationError, with the step's words) unless `match` may take `step` now:
    its status, and what else about the match the step needs. Inputs are checked by the
    service itself."""
    states, how = STEPS[step]
    if (
        step == "care-leaver"
        and not settings_for(MatchSchemeSettings, match.scheme_id).care_leaver_continuation
    ):
        raise ValidationError("This scheme does not continue matches as care-leaver matches.")
    if match.status not in states:
        raise _refuse(match, how)
    if step == "trial-visit" and len(match.trial_visit_dates) >= TRIAL_VISITS_MAX:
        raise ValidationError(f"The trial has {TRIAL_VISITS_MAX} visits: time for its review.")
    if step == "establish" and match.trial_decision != TrialDecision.GO:
        raise ValidationError("The trial review decided not to go on: plan the ending instead.")
    if step == "reopen":
        if match.closed_from in ("", S.PROPOSED):
            raise _refuse(match, how)
        deadline = reopen_deadline(match)
        if deadline is None or (today or timezone.localdate()) > deadline:
            raise ValidationError("The period in which this match could be reopened has passed.")
    if step == "resume" and _volunteer_suspended(match.volunteer_id):
        raise ValidationError(
            "The IV is suspended: lift the suspension on their record before resuming."
        )
    if step == "care-leaver" and match.care_leaver:
        raise _refuse(match, how)


def _go_live(match: Match, to: str, **move: Any) -> Match:
    """FLOW.move into a live status. The database holds one live match per IV and per child;
    when two requests make one live at the same moment it refuses the second, and the person
    is told so as any other refusal of the service (not a server error)."""
    try:
        with transaction.atomic():
            return FLOW.move(match, to, **move)
    except IntegrityError as exc:
        raise ValidationError("This IV or this child already has an active match.") from exc


def match_actions(user: User, match: Match) -> set[str]:
    """The steps a match's page offers this person now (the names of STEPS, as in its URLs):
    each service checks `_require_staff` and then `_check_step` for its step, and so does
    this."""
    if not permits(lambda: _require_staff(user, match)):
        return set()
    actions = set()
    for step in STEPS:
        try:
            _check_step(match, step)
        except ValidationError:
            continue
        actions.add(step)
    return actions


@transaction.atomic
def match_create(
    *,
    actor: User,
    child: Child,
    volunteer: User,
    referral: Referral | None = None,
    coordinator: User | None = None,
    note: str = "",
) -> Match:
    """A proposed match. Made from a waiting referral, the child leaves the waiting list."""
    match = Match(
        scheme=child.scheme,
        child=child,
        volunteer=volunteer,
        referral=referral,
        coordinator=coordinator or actor,
        created_by=actor,
    )
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save()
    FLOW.record_event(match, actor=actor, note=note)
    if referral is not None and referral.status == ReferralStatus.WAITING:
        referral_mark_matched(actor=actor, referral=referral)
    return match


@transaction.atomic
def match_propose(
    *, actor: User, child: Child, volunteer: Any, referral: Referral | None = None
) -> Match:
    """A coordinator proposes an approved volunteer (a volunteers.Volunteer) for a child."""
    _require_staff(actor, child)
    if volunteer.scheme_id != child.scheme_id or volunteer.user_id is None:
        raise ValidationError("This volunteer cannot be matched in this scheme.")
    if Match.objects.filter(volunteer_id=volunteer.user_id, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError("This volunteer already has an active match.")
    if Match.objects.filter(child=child, status__in=ACTIVE_STATUSES).exists():
        raise ValidationError("This child already has an active match.")
    return match_create(
        actor=actor, child=child, volunteer=volunteer.user, referral=referral, coordinator=actor
    )


@transaction.atomic
def match_start(
    *,
    actor: User,
    match: Match,
    started_on: date,
    attended: str = "",
    notes: str = "",
) -> Match:
    """Proposed -> introduction planned (the meeting at the child's home with coordinator,
    IV, child and carer). From here the IV can see the child's visit card and the social
    worker the match. The database refuses a second active match for the IV or the child."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "introduction")
    match.started_on = started_on
    match.introduction_on = started_on
    match.introduction_attended = attended.strip()[:300]
    match.introduction_notes = notes.strip()
    _go_live(
        match,
        S.INTRODUCTION,
        actor=actor,
        how="start",
        fields=["started_on", "introduction_on", "introduction_attended", "introduction_notes"],
    )
    _grant_iv(match)
    _grant_sw(match)
    return match


@transaction.atomic
def match_start_trial(*, actor: User, match: Match) -> Match:
    """Introduction -> trial: four to five visits, then the trial review."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "start-trial")
    return FLOW.move(match, S.TRIAL, actor=actor, how="start its trial", fields=[])


@transaction.atomic
def match_record_trial_visit(*, actor: User, match: Match, on: date) -> Match:
    """A trial visit's date (until the visits app records trial visits itself)."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "trial-visit")
    if on in match.trial_visit_dates:
        raise ValidationError({"on": "A trial visit on this date is already recorded."})
    if match.started_on and on < match.started_on:
        raise ValidationError({"on": "A trial visit cannot be before the introduction."})
    match.trial_visit_dates = sorted([*match.trial_visit_dates, on])
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save(update_fields=["trial_visit_dates", "updated_at"])
    return match


@transaction.atomic
def match_trial_review(
    *,
    actor: User,
    match: Match,
    held_on: date,
    decision: str,
    child_view: str,
    iv_view: str,
) -> Match:
    """Trial -> trial reviewed, with go or no-go and the child's and IV's views."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "trial-review")
    if decision not in TrialDecision.values:
        raise ValidationError({"decision": "Choose go or no go."})
    if not child_view.strip():
        raise ValidationError({"child_view": "Write down the child's view."})
    if not iv_view.strip():
        raise ValidationError({"iv_view": "Write down the IV's view."})
    match.trial_review_on, match.trial_decision = held_on, decision
    match.trial_child_view, match.trial_iv_view = child_view.strip(), iv_view.strip()
    return FLOW.move(
        match,
        S.TRIAL_REVIEW,
        actor=actor,
        how="have its trial review",
        fields=["trial_review_on", "trial_decision", "trial_child_view", "trial_iv_view"],
        note=TrialDecision(decision).label,
    )


@transaction.atomic
def match_establish(*, actor: User, match: Match) -> Match:
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "establish")
    return FLOW.move(match, S.ESTABLISHED, actor=actor, how="be established", fields=[])


@transaction.atomic
def match_plan_ending(*, actor: User, match: Match, reason: str, planned_end_on: date) -> Match:
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "ending")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the match is ending."})
    match.ending_reason, match.planned_end_on = reason.strip(), planned_end_on
    return FLOW.move(
        match,
        S.ENDING,
        actor=actor,
        how="plan its ending",
        fields=["ending_reason", "planned_end_on"],
        note=reason.strip(),
    )


@transaction.atomic
def match_close(
    *,
    actor: User,
    match: Match,
    ended_on: date,
    reason: str = ClosureReason.OTHER,
    review_on: date | None = None,
    child_view: str = "",
    iv_view: str = "",
    carer_view: str = "",
    sw_view: str = "",
    note: str = "",
) -> Match:
    """Any live status (or a proposal) -> closed, with the closure review. The IV's and the
    social worker's grants end with the match."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "close")
    if reason not in ClosureReason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    if reason == ClosureReason.OTHER and not note.strip() and review_on is not None:
        raise ValidationError({"note": "Say why, when the reason is “other”."})
    match.closed_from = match.paused_from if match.status == S.PAUSED else match.status
    match.ended_on, match.closure_reason = ended_on, reason
    match.closure_review_on = review_on
    match.closure_child_view, match.closure_iv_view = child_view.strip(), iv_view.strip()
    match.closure_carer_view, match.closure_sw_view = carer_view.strip(), sw_view.strip()
    match.closure_note, match.closed_at = note.strip(), timezone.now()
    match.paused_from, match.pause_reason = "", ""
    FLOW.move(
        match,
        S.CLOSED,
        actor=actor,
        how="close",
        fields=[
            "ended_on",
            "closure_reason",
            "closure_review_on",
            "closure_child_view",
            "closure_iv_view",
            "closure_carer_view",
            "closure_sw_view",
            "closure_note",
            "closed_at",
            "closed_from",
            "paused_from",
            "pause_reason",
        ],
        note=ClosureReason(reason).label,
    )
    _revoke_iv(match)
    _revoke_sw(match)
    _revoke_calendar(match, actor)
    return match


def _revoke_calendar(match: Match, actor: User) -> None:
    """The IV's calendar address lives with their live match: it stops when the match ends
    (visits.signals receives this, in this transaction)."""
    match_closed.send(sender=Match, match=match, actor=actor)


def reopen_deadline(match: Match) -> date | None:
    if match.status != S.CLOSED or match.ended_on is None:
        return None
    return match.ended_on + timedelta(
        days=settings_for(MatchSchemeSettings, match.scheme_id).reopen_within_days
    )


@transaction.atomic
def match_reopen(*, actor: User, match: Match, reason: str, today: date | None = None) -> Match:
    """A closed match goes back to the status it closed from, within the scheme's period.
    Its history (events, reviews, closure review) stays."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "reopen", today=today)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the match is reopened."})
    to = match.closed_from
    match.ended_on, match.closed_at = None, None
    _go_live(
        match,
        to,
        actor=actor,
        how="be reopened",
        fields=["ended_on", "closed_at"],
        note=f"Reopened: {reason.strip()}",
    )
    _grant_iv(match)
    _grant_sw(match)
    return match


@transaction.atomic
def match_pause(*, actor: User, match: Match, reason: str) -> Match:
    """No visits can be planned and the IV loses access until the match resumes."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "pause")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the match is paused."})
    match.paused_from, match.pause_reason = match.status, reason[:200]
    FLOW.move(
        match,
        S.PAUSED,
        actor=actor,
        how="pause",
        fields=["paused_from", "pause_reason"],
        note=reason,
    )
    _revoke_iv(match)
    return match


@transaction.atomic
def match_resume(*, actor: User, match: Match, reason: str = "") -> Match:
    """A paused match goes back to where it was, and the IV sees it again; never while the
    IV is suspended (lifting the suspension is a separate, deliberate decision)."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "resume")
    to = match.paused_from
    match.paused_from, match.pause_reason = "", ""
    _go_live(
        match,
        to,
        actor=actor,
        how="resume",
        fields=["paused_from", "pause_reason"],
        note=f"Resumed: {reason.strip()}" if reason.strip() else "",
    )
    _grant_iv(match)
    return match


def _volunteer_suspended(user_id: int) -> bool:
    return Volunteer.objects.filter(user_id=user_id, status=VolunteerStatus.SUSPENDED).exists()


@transaction.atomic
def matches_pause_for_volunteer(*, actor: User, volunteer: User, reason: str) -> list[Match]:
    """Cut an IV off from every live match of theirs (a suspension, by hand or on an
    allegation): each is paused, which takes away their grants to the match and the child's
    visit card. A match already paused keeps its pause but loses the grants all the same."""
    paused: list[Match] = []
    for match in Match.objects.filter(volunteer=volunteer, status__in=ACTIVE_STATUSES):
        if match.status == S.PAUSED:
            _revoke_iv(_lock(match))
            continue
        paused.append(match_pause(actor=actor, match=match, reason=reason))
    return paused


@transaction.atomic
def match_set_frequency(*, actor: User, match: Match, frequency: str) -> Match:
    _require_staff(actor, match)
    match = _lock(match)
    if frequency not in VisitingFrequency.values:
        raise ValidationError({"frequency": "Choose a frequency from the list."})
    _check_step(match, "frequency")
    match.visiting_frequency = frequency
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save(update_fields=["visiting_frequency", "updated_at"])
    return match


@transaction.atomic
def match_care_leaver_continue(*, actor: User, match: Match) -> Match:
    """Past 18 the match ends formally; where the scheme allows, it continues as a
    care-leaver match."""
    _require_staff(actor, match)
    match = _lock(match)
    _check_step(match, "care-leaver")
    match.care_leaver = True
    match._history_user = actor  # type: ignore[attr-defined]
    match.save(update_fields=["care_leaver", "updated_at"])
    FLOW.record_event(
        match, actor=actor, before=match.status, note="Continues as a care-leaver match"
    )
    return match


@transaction.atomic
def match_review_record(
    *,
    actor: User,
    match: Match,
    kind: str,
    held_on: date,
    quality: int,
    child_feedback: str = "",
    iv_feedback: str = "",
    carer_feedback: str = "",
    sw_feedback: str = "",
) -> MatchReview:
    _require_staff(actor, match)
    _check_step(match, "review")
    review = MatchReview(
        match=match,
        kind=kind,
        held_on=held_on,
        quality=quality,
        child_feedback=child_feedback.strip(),
        iv_feedback=iv_feedback.strip(),
        carer_feedback=carer_feedback.strip(),
        sw_feedback=sw_feedback.strip(),
        created_by=actor,
    )
    review._history_user = actor  # type: ignore[attr-defined]
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def scheme_settings_update(*, actor: User, scheme: Any, **changes: Any) -> MatchSchemeSettings:
    access.require_role(actor, scheme, [Role.MANAGER], MatchSchemeSettings.refused_message)
    return settings_update(MatchSchemeSettings, actor=actor, scheme=scheme, **changes)
