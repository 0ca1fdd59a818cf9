from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from matches import services
from matches.models import Match, MatchStatus
from matches.tests.helpers import volunteer_for, waiting_child
from referrals.models import Child
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


def test_coordinator_proposes_from_suggestions(world: World, client: object) -> None:
    child, referral = waiting_child(world, shared_interests_wanted="football")
    v = volunteer_for(world.other_iv, world, interests="Football")
    client.force_login(world.coordinator)  # type: ignore[attr-defined]
    url = reverse("matches:suggestions", args=[child.public_id])
    page = client.get(url)  # type: ignore[attr-defined]
    assert "Interests the child wants to share: football" in page.content.decode()
    response = client.post(url, {"volunteer": v.public_id})  # type: ignore[attr-defined]
    match = Match.objects.get(child=child)
    assert response.status_code == 302 and response["Location"].endswith(match.public_id + "/")
    assert match.status == MatchStatus.PROPOSED and match.referral == referral


def test_form_keeps_what_was_typed_on_error(world: World, client: object) -> None:
    services.match_start_trial(actor=world.coordinator, match=world.match)
    client.force_login(world.coordinator)  # type: ignore[attr-defined]
    url = reverse("matches:act", args=[world.match.public_id, "trial-review"])
    response = client.post(  # type: ignore[attr-defined]
        url, {"held_on": "2026-04-01", "decision": "go", "child_view": "Loves it", "iv_view": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Loves it" in html and "2026-04-01" in html


def test_service_errors_show_on_the_form(world: World, client: object) -> None:
    client.force_login(world.coordinator)  # type: ignore[attr-defined]
    url = reverse("matches:act", args=[world.match.public_id, "reopen"])
    response = client.post(url, {"reason": "Why not"})  # type: ignore[attr-defined]
    assert "cannot be reopened" in response.content.decode()
    assert "Why not" in response.content.decode()


def test_unknown_step_is_404(world: World, client: object) -> None:
    client.force_login(world.coordinator)  # type: ignore[attr-defined]
    url = reverse("matches:act", args=[world.match.public_id, "explode"])
    assert client.get(url).status_code == 404  # type: ignore[attr-defined]


def test_social_worker_sees_status_dates_never_reports_or_views(
    world: World, client: object
) -> None:
    m = services.match_start_trial(actor=world.coordinator, match=world.match)
    m = services.match_trial_review(
        actor=world.coordinator, match=m, held_on=date(2026, 3, 1), decision="go",
        child_view="SECRET CHILD VIEW", iv_view="SECRET IV VIEW",
    )  # fmt: skip
    client.force_login(world.social_worker)  # type: ignore[attr-defined]
    html = client.get(reverse("matches:detail", args=[m.public_id])).content.decode()  # type: ignore[attr-defined]
    assert "Trial reviewed" in html and "Next review" in html and "Last visit" in html
    assert "SECRET" not in html and "History" not in html and "visit card" not in html
    client.force_login(world.iv)  # type: ignore[attr-defined]
    html = client.get(reverse("matches:detail", args=[m.public_id])).content.decode()  # type: ignore[attr-defined]
    assert "SECRET" not in html and "visit card" in html


@pytest.mark.parametrize("n", [10, 200])
def test_match_list_queries_do_not_grow(
    world: World, client: object, n: int, django_assert_max_num_queries: object
) -> None:
    Child.objects.bulk_create(
        [
            Child(scheme=world.north, first_name=f"K{i}", last_name="Bulk",
                  date_of_birth=date(2014, 1, 1))
            for i in range(n)
        ]
    )  # fmt: skip
    kids = Child.objects.filter(last_name="Bulk")
    Match.objects.bulk_create(
        [Match(scheme=world.north, child=k, volunteer=world.other_iv) for k in kids]
    )
    client.force_login(world.coordinator)  # type: ignore[attr-defined]
    client.get(reverse("matches:list"))  # type: ignore[attr-defined]
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("matches:list"))  # type: ignore[attr-defined]
    assert response.content.decode().count("K1") >= 1
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(reverse("matches:caseload"))  # type: ignore[attr-defined]
