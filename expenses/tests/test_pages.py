"""Pages: who sees what, forms keep what was typed, the finance CSV, and query counts."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.urls import reverse

from accounts.sudo import SUDO_SESSION_KEY
from core.spreadsheet import csv_safe
from expenses.models import ClaimStatus
from expenses.tests.helpers import approved_claim, draft_claim, held_visit, submitted_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def _sudo(client) -> None:
    session = client.session
    session[SUDO_SESSION_KEY] = time.time()
    session.save()


def test_an_iv_sees_only_their_own_claims(client, world) -> None:
    claim = draft_claim(world)
    client.force_login(world.other_iv)
    assert client.get(reverse("expenses:detail", args=[claim.public_id])).status_code == 404
    assert claim.public_id not in client.get(reverse("expenses:mine")).content.decode()
    client.force_login(world.iv)
    page = client.get(reverse("expenses:mine")).content.decode()
    assert (
        claim.public_id in page and "£4.50 of your £60.00 limit" not in page
    )  # draft: not counted
    assert client.get(reverse("expenses:detail", args=[claim.public_id])).status_code == 200
    # An IV cannot decide, even on their own claim's URL.
    assert client.post(reverse("expenses:approve", args=[claim.public_id])).status_code == 404


def test_other_schemes_staff_get_404(client, world) -> None:
    claim = submitted_claim(world)
    client.force_login(world.other_coordinator)
    assert client.get(reverse("expenses:detail", args=[claim.public_id])).status_code == 404
    assert claim.public_id not in client.get(reverse("expenses:queue")).content.decode()


def test_start_and_item_form_keep_typed_values(client, world) -> None:
    visit = held_visit(world)
    client.force_login(world.iv)
    response = client.post(reverse("expenses:start"), {"visit": ""})
    assert "Choose the visit you are claiming for." in response.content.decode()
    response = client.post(reverse("expenses:start"), {"visit": visit.pk})
    assert response.status_code == 302
    claim_url = response["Location"]
    response = client.post(
        claim_url, {"category": "parking", "spent_on": "2026-03-01", "amount": "abc"}
    )
    html = response.content.decode()
    assert "Enter an amount in pounds and pence" in html
    assert 'value="abc"' in html and 'value="2026-03-01"' in html
    assert "This visit: <strong>£0.00</strong> of £25.00" in html


def test_coordinator_over_limit_sees_manager_needed(client, world) -> None:
    claim = submitted_claim(world)
    client.force_login(world.coordinator)
    html = client.get(reverse("expenses:detail", args=[claim.public_id])).content.decode()
    assert "Approve the claim" in html
    response = client.post(reverse("expenses:approve", args=[claim.public_id]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_finance_export_needs_sudo_and_lists_each_claim_once(client, world) -> None:
    claim = approved_claim(world, amount="4.50")
    other = approved_claim(world, amount="6.25")
    # One id in 64 starts with "-" (token_urlsafe): the CSV guards it as text. Always test it.
    other.public_id = "-" + other.public_id[1:]
    other.save(update_fields=["public_id"])
    client.force_login(world.coordinator)
    url = reverse("expenses:export", args=["north"])
    response = client.post(url)
    assert response.status_code == 302 and "confirm-password" in response["Location"]
    _sudo(client)
    response = client.post(url)
    assert response.status_code == 302
    batch_url = response["Location"]
    claim.refresh_from_db()
    assert claim.batch is not None
    response = client.get(batch_url + "csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    ids = {csv_safe(claim.public_id), csv_safe(other.public_id)}
    claim_rows = [r for r in rows if len(r) > 1 and r[1] in ids]
    assert len(claim_rows) == 2
    assert ["", "", "Ivy Visitor", "", "", "", "10.75", "", ""] in rows
    # A second export finds nothing new: nothing is listed twice.
    response = client.post(url, follow=True)
    assert "There are no approved claims waiting to be paid." in response.content.decode()


def test_batch_csv_needs_sudo(client, world) -> None:
    from expenses import services

    approved_claim(world)
    batch = services.batch_create(actor=world.coordinator, scheme=world.north)
    client.force_login(world.manager)
    response = client.get(reverse("expenses:batch_csv", args=[batch.public_id]))
    assert response.status_code == 302 and "confirm-password" in response["Location"]
    client.force_login(world.other_coordinator)
    _sudo(client)
    assert client.get(reverse("expenses:batch_csv", args=[batch.public_id])).status_code == 404


def test_monthly_totals_per_scheme_and_match(client, world) -> None:
    import time_machine

    # Mid-month, so that both visits (a day ago) fall in the month the page shows.
    with time_machine.travel("2026-11-15 12:00Z", tick=False):
        approved_claim(world, amount="4.50")
        approved_claim(world, amount="0.25")
        client.force_login(world.manager)
        html = client.get(reverse("expenses:finance")).content.decode()
    assert "£4.75" in html and "Ivy Visitor and Amy Atkins" in html


def test_settings_page_for_managers_only(client, world) -> None:
    url = reverse("expenses:settings", args=["north"])
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 404
    client.force_login(world.manager)
    response = client.post(
        url, {"mileage_rate": "0.40", "per_visit_limit": "30.00", "monthly_limit": "80.00"}
    )
    assert response.status_code == 302
    from core.schemesettings import settings_for
    from expenses.models import ExpenseSettings

    assert str(settings_for(ExpenseSettings, world.north.pk).monthly_limit) == "80.00"


def _many_claims(world, n: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from expenses.models import Claim, ClaimItem
    from visits.models import Visit

    start = timezone.now()
    visits = Visit.objects.bulk_create(
        [
            Visit(
                scheme=world.north, match=world.match,
                starts_at=start - timedelta(hours=i + 3),
                expected_end=start - timedelta(hours=i + 2), status="held",
            )
            for i in range(n)
        ]
    )  # fmt: skip
    claims = Claim.objects.bulk_create(
        [
            Claim(
                scheme=world.north, volunteer=world.iv, visit=v, match=world.match,
                status="submitted", total="4.50", submitted_at=start,
            )
            for v in visits
        ]
    )  # fmt: skip
    ClaimItem.objects.bulk_create(
        [
            ClaimItem(
                claim=c, category="mileage", miles="10.0", amount="4.50", spent_on=start.date()
            )
            for c in claims
        ]
    )


@pytest.mark.parametrize("n", [10, 200])
def test_queue_query_count_does_not_grow(client, world, django_assert_max_num_queries, n) -> None:
    _many_claims(world, n)
    client.force_login(world.coordinator)
    client.get(reverse("expenses:queue"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        response = client.get(reverse("expenses:queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [10, 200])
def test_my_claims_query_count_does_not_grow(
    client, world, django_assert_max_num_queries, n
) -> None:
    _many_claims(world, n)
    client.force_login(world.iv)
    client.get(reverse("expenses:mine"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("expenses:mine"))
    assert response.status_code == 200
