"""What a child's and a referral's pages offer (ADR 0011, "What a page offers"): for every
person who can see the record, in every state, each action's real service is run (and rolled
back) and must be refused exactly when the page does not offer it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.refusals import NotAllowed
from referrals import selectors, services
from referrals.models import Child, ClosingReason, Referral, ReferralStatus
from referrals.tests.offers import check_offers
from tests.personas import World, join

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_second_factor"),
    pytest.mark.dated,
]

# --- Referrals -------------------------------------------------------------------------------


def _referral_in(world: World, state: str) -> Referral:
    """Cal's referral (made and sent by his social worker) in `state`."""
    referral = world.referral
    if state == "staff_draft":
        _close(referral)  # one open referral per child
        referral = services.referral_create(
            actor=world.coordinator, child=referral.child, reason="child_interest"
        )
    elif state == "duplicate":
        referral.possible_duplicates.set([world.child])
    elif state == "duplicate_decided":
        referral.possible_duplicates.set([world.child])
        Referral.objects.filter(pk=referral.pk).update(duplicates_resolved=True)
    elif state == "reallocated":
        services.child_update(
            actor=world.coordinator, child=referral.child, social_worker=world.other_social_worker
        )
    elif state in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        _close(referral, state)
    elif state != ReferralStatus.RECEIVED:
        Referral.objects.filter(pk=referral.pk).update(status=state)
    return referral


def _close(referral: Referral, status: str = ReferralStatus.DECLINED) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        status=status, closing_reason=ClosingReason.NOT_ELIGIBLE, closed_at=timezone.now()
    )


def _referral_runs(world: World, user: Any, referral: Referral) -> dict[str, Callable[[], object]]:
    def fresh() -> Referral:
        return Referral.objects.get(pk=referral.pk)

    reason = ClosingReason.NOT_ELIGIBLE
    return {
        "send": lambda: services.referral_submit(actor=user, referral=fresh()),
        "meet": lambda: services.referral_record_meeting(
            actor=user, referral=fresh(), met_on=timezone.localdate(), child_wants="A friend"
        ),
        "wait": lambda: services.referral_add_to_waiting_list(actor=user, referral=fresh()),
        "match": lambda: services.referral_mark_matched(actor=user, referral=fresh()),
        "decline": lambda: services.referral_close(
            actor=user, referral=fresh(), outcome=ReferralStatus.DECLINED, reason=reason
        ),
        "withdraw": lambda: services.referral_close(
            actor=user, referral=fresh(), outcome=ReferralStatus.WITHDRAWN, reason=reason
        ),
        "resolve_duplicate": lambda: services.referral_resolve_duplicate(
            actor=user, referral=fresh(), same_as=None
        ),
    }


@pytest.mark.parametrize(
    "state",
    [*ReferralStatus.values, "staff_draft", "duplicate", "duplicate_decided", "reallocated"],
)
def test_a_referral_offers_exactly_what_its_services_allow(world: World, state: str) -> None:
    referral = _referral_in(world, state)
    result = check_offers(
        world,
        lambda user: selectors.referral_get_for_user(user=user, public_id=referral.public_id),
        services.referral_actions,
        lambda user, mine: _referral_runs(world, user, mine),
    )
    assert result.seen, "nobody sees the referral"
    assert not result.wrong, result.wrong
    # Somebody is offered something in every open state, and nobody anything once it is over.
    over = (ReferralStatus.MATCHED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)
    assert bool(result.offered) == (state not in over), result.offered


def test_the_referral_page_shows_only_what_is_offered(world: World) -> None:
    url = reverse("referrals:detail", args=[world.referral.public_id])
    meet = reverse("referrals:meeting", args=[world.referral.public_id])
    close = reverse("referrals:close", args=[world.referral.public_id])
    coordinator = _page(world.coordinator, url)
    assert meet in coordinator and "Decline or withdraw" in coordinator
    author = _page(world.social_worker, url)
    assert meet not in author and "Decline or withdraw" not in author
    assert close in author and "Withdraw the referral" in author
    # Waiting: the staff find an IV; the social worker is not offered it.
    Referral.objects.filter(pk=world.referral.pk).update(status=ReferralStatus.WAITING)
    find = reverse("matches:suggestions", args=[world.referral.child.public_id])
    assert find in _page(world.coordinator, url)
    assert find not in _page(world.social_worker, url)
    # A social worker newly allocated sees the referral, and nothing to do to it.
    services.child_update(
        actor=world.coordinator,
        child=world.referral.child,
        social_worker=world.other_social_worker,
    )
    other = _page(world.other_social_worker, url)
    assert close not in other and "Send referral" not in other


def test_the_duplicate_question_is_asked_once(world: World) -> None:
    url = reverse("referrals:detail", args=[world.referral.public_id])
    world.referral.possible_duplicates.set([world.child])
    assert "Possible duplicate" in _page(world.coordinator, url)
    assert "Possible duplicate" not in _page(world.social_worker, url)
    services.referral_resolve_duplicate(
        actor=world.coordinator, referral=world.referral, same_as=None
    )
    assert "Possible duplicate" not in _page(world.coordinator, url)
    with pytest.raises(ValidationError, match="no possible duplicate left"):
        services.referral_resolve_duplicate(
            actor=world.coordinator, referral=world.referral, same_as=world.child
        )


def test_only_the_author_sends_a_draft(world: World) -> None:
    _close(world.referral)
    draft = services.referral_create(
        actor=world.social_worker, child=world.referral.child, reason="child_interest"
    )
    for user in (world.coordinator, world.manager):
        with pytest.raises(NotAllowed) as refused:
            services.referral_submit(actor=user, referral=draft)
        assert refused.value.hidden  # the draft is nobody else's business
    assert services.referral_submit(actor=world.social_worker, referral=draft).status == (
        ReferralStatus.RECEIVED
    )


def test_a_duplicate_of_someone_staff_elsewhere_is_flagged_not_lost(world: World) -> None:
    """A social worker of north who is also a coordinator of south refers in north a child
    north may already know. North's staff decide: the referral carries the possible
    duplicate (before, being staff somewhere meant neither asked nor flagged)."""
    from referrals.tests.test_referrals import referral_post

    person = world.other_social_worker
    join(person, world.south, Role.COORDINATOR)
    cal = world.referral.child
    services.referral_close(
        actor=world.coordinator, referral=world.referral, outcome="declined", reason="not_eligible"
    )
    client = Client()
    client.force_login(person)
    response = client.post(
        reverse("referrals:new"),
        referral_post(
            scheme=str(world.north.pk),
            first_name="Cal",
            last_name="Carter",
            date_of_birth=cal.date_of_birth.isoformat(),
            case_number="",
            social_worker=str(person.pk),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    referral = Referral.objects.exclude(pk=world.referral.pk).get(child__first_name="Cal")
    assert list(referral.possible_duplicates.all()) == [cal]


# --- Children --------------------------------------------------------------------------------


def _child_runs(world: World, user: Any, child: Child) -> dict[str, Callable[[], object]]:
    def fresh() -> Child:
        return Child.objects.get(pk=child.pk)

    today = timezone.localdate()

    def match() -> object:
        waiting = Referral.objects.filter(child=child, status=ReferralStatus.WAITING).first()
        if waiting is None:
            raise ValidationError("No waiting referral to match.")
        return services.referral_mark_matched(actor=user, referral=waiting)

    other = (
        world.other_social_worker
        if child.social_worker_id != world.other_social_worker.pk
        else world.social_worker
    )
    return {
        "edit": lambda: services.child_update(actor=user, child=fresh(), interests="Chess"),
        "change_placement": lambda: services.placement_change(
            actor=user,
            child=fresh(),
            kind="foster",
            carer_name="Kim Carer",
            address="2 Ash Road",
            started_on=today,
        ),
        "add_review": lambda: services.review_record(
            actor=user, child=fresh(), held_on=today - timedelta(days=1), iv_considered=True
        ),
        "reallocate": lambda: services.child_update(actor=user, child=fresh(), social_worker=other),
        "match": match,
    }


@pytest.mark.parametrize("which", ["amy", "cal", "cal_waiting"])
def test_a_child_offers_exactly_what_its_services_allow(world: World, which: str) -> None:
    child = world.child if which == "amy" else world.referral.child
    if which == "cal_waiting":
        Referral.objects.filter(pk=world.referral.pk).update(status=ReferralStatus.WAITING)
    result = check_offers(
        world,
        lambda user: selectors.child_get_for_user(user=user, public_id=child.public_id),
        services.child_actions,
        lambda user, mine: _child_runs(world, user, mine),
    )
    assert {"coordinator", "manager", "social_worker"} <= result.seen
    assert not result.wrong, result.wrong


def test_a_social_worker_edits_but_does_not_reallocate(world: World) -> None:
    """child_update took a new social worker from anyone who may edit; only the child's
    form (which leaves the field out for a social worker) stood in the way."""
    with pytest.raises(NotAllowed, match="allocate a social worker"):
        services.child_update(
            actor=world.social_worker, child=world.child, social_worker=world.other_social_worker
        )
    services.child_update(actor=world.social_worker, child=world.child, interests="Chess")
    with pytest.raises(NotAllowed, match="allocate a social worker"):
        services.child_create(
            actor=world.social_worker, scheme=world.north, first_name="Di", last_name="Doe",
            date_of_birth=world.child.date_of_birth, social_worker=world.other_social_worker,
        )  # fmt: skip


def test_the_child_page_shows_only_what_is_offered(world: World) -> None:
    child = world.referral.child  # Cal: his social worker may edit his record
    url = reverse("children:detail", args=[child.public_id])
    edit = reverse("children:edit", args=[child.public_id])
    card = reverse("children:visit_card", args=[child.public_id])
    find = reverse("matches:suggestions", args=[child.public_id])
    coordinator, worker = _page(world.coordinator, url), _page(world.social_worker, url)
    assert edit in coordinator and edit in worker
    assert card in coordinator and card not in worker
    assert find not in coordinator
    Referral.objects.filter(pk=world.referral.pk).update(status=ReferralStatus.WAITING)
    assert find in _page(world.coordinator, url) and find not in _page(world.social_worker, url)
    # The edit form: the staff choose the social worker, the social worker does not.
    assert 'name="social_worker"' in _page(world.coordinator, edit)
    assert 'name="social_worker"' not in _page(world.social_worker, edit)
    # The manager's sections.
    assert "Who has viewed this record" in _page(world.manager, url)
    assert "Who has viewed this record" not in _page(world.coordinator, url)
    assert "Changes to this record" not in _page(world.social_worker, url)


def test_the_visit_card_link_is_for_whoever_may_open_it(world: World) -> None:
    for name in ("coordinator", "manager", "social_worker"):
        user = getattr(world, name)
        shown = "visit_card" in selectors.child_sections(user, world.child)
        opens = Client()
        opens.force_login(user)
        status = opens.get(reverse("children:visit_card", args=[world.child.public_id]))
        assert shown == (status.status_code == 200), name


def test_add_a_child_is_offered_where_the_page_opens(world: World) -> None:
    create = reverse("children:create")
    for name in ("coordinator", "other_coordinator", "manager", "social_worker", "iv"):
        user = getattr(world, name)
        client = Client()
        client.force_login(user)
        offered = create in client.get(reverse("children:list")).content.decode()
        assert offered == (client.get(create).status_code == 200), name


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (user, url, response.status_code)
    return response.content.decode()
