"""Subject access requests: deadlines and extensions, reminders, redactions, release, and who
reaches the pages."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from dataprotection.models import BundleStatus, RequestStatus, SubjectAccessRequest
from dataprotection.services import requests as services
from dataprotection.tests.helpers import build_now, every_record, make_request
from notifications.models import Notification
from tests.clock import days_ahead
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 3), date(2026, 4, 3)),
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 8, 31), date(2026, 9, 30)),
    ],
)
def test_due_one_calendar_month_after_receipt(world: World, received: date, due: date) -> None:
    with time_machine.travel(received, tick=False):
        sar = make_request(world, received_on=received)
    assert sar.due_on == due
    assert sar.deadline == due


@time_machine.travel(date(2026, 1, 31), tick=False)
def test_extension_up_to_two_further_months_with_a_reason(world: World) -> None:
    sar = make_request(world)
    with pytest.raises(ValidationError) as exc:
        services.request_extend(
            actor=world.manager, sar=sar, new_due_on=date(2026, 5, 1), reason=""
        )
    assert "Say why" in str(exc.value) and "at most two further months" in str(exc.value)
    with pytest.raises(ValidationError, match="after the current deadline"):
        services.request_extend(
            actor=world.manager, sar=sar, new_due_on=date(2026, 2, 20), reason="Complex"
        )
    services.request_extend(
        actor=world.manager, sar=sar, new_due_on=date(2026, 3, 31), reason="Complex"
    )
    # Extended again, to the limit: three months after receipt.
    services.request_extend(
        actor=world.dpo, sar=sar, new_due_on=date(2026, 4, 30), reason="Several requests"
    )
    sar.refresh_from_db()
    assert sar.deadline == date(2026, 4, 30)
    assert sar.extension_reason == "Several requests"


def test_only_an_active_coordinator_of_the_scheme_prepares_it(world: World) -> None:
    with pytest.raises(ValidationError, match="active coordinator"):
        make_request(world, assigned_to=world.other_coordinator)
    sar = make_request(world, assigned_to=None)
    with pytest.raises(ValidationError, match="active coordinator"):
        services.request_assign(actor=world.manager, sar=sar, coordinator=world.iv)
    services.request_assign(actor=world.manager, sar=sar, coordinator=world.coordinator)
    with pytest.raises(ValidationError, match="managers and the data protection officer"):
        services.request_assign(actor=world.coordinator, sar=sar, coordinator=None)


def test_reminders_at_7_days_on_the_day_and_overdue_each_once(world: World) -> None:
    with time_machine.travel(date(2026, 3, 3), tick=False):
        sar = make_request(world)  # due 3 April
    told = {world.manager.pk, world.dpo.pk, world.coordinator.pk}

    def titles() -> list[str]:
        return list(
            Notification.objects.filter(key__startswith=f"sar:{sar.public_id}")
            .order_by("pk")
            .values_list("title", flat=True)
        )

    assert services.send_reminders(date(2026, 3, 26)) == 0
    assert services.send_reminders(date(2026, 3, 27)) == 3
    assert services.send_reminders(date(2026, 3, 27)) == 0
    assert (
        set(Notification.objects.filter(key__startswith="sar:").values_list("user_id", flat=True))
        == told
    )
    assert services.send_reminders(date(2026, 4, 3)) == 3
    assert services.send_reminders(date(2026, 4, 4)) == 3
    assert services.send_reminders(date(2026, 4, 5)) == 0
    assert titles() == (
        ["A subject access request is due in 7 days"] * 3
        + ["A subject access request is due today"] * 3
        + ["A subject access request is overdue"] * 3
    )
    assert "Amy" not in " ".join(titles())
    # Released: no more reminders.
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(status=RequestStatus.RELEASED)
    assert services.send_reminders(date(2026, 5, 3)) == 0


def test_an_extension_moves_the_reminders(world: World) -> None:
    with time_machine.travel(date(2026, 3, 3), tick=False):
        sar = make_request(world)
        services.request_extend(
            actor=world.manager, sar=sar, new_due_on=date(2026, 5, 1), reason="Complex"
        )
    assert services.send_reminders(date(2026, 3, 27)) == 0
    assert services.send_reminders(date(2026, 4, 24)) == 3


def _pdf_text(sar: SubjectAccessRequest, tmp_path: Any) -> str:
    path = tmp_path / "b.pdf"
    with sar.bundle_pdf.open("rb") as f:
        path.write_bytes(f.read())
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def test_a_withheld_item_leaves_nothing_of_its_content(world: World, tmp_path: Any) -> None:
    records = every_record(world)
    sar = make_request(world)
    placement = records["referrals.Placement"]
    key = f"referrals.Placement:{placement.public_id}"
    with pytest.raises(ValidationError, match="not part of this request"):
        services.redaction_mark(actor=world.coordinator, sar=sar, item_key="referrals.Child:nope")
    services.redaction_mark(
        actor=world.coordinator, sar=sar, item_key=key, reason="The carer's address and phone"
    )
    sar = build_now(sar)
    text = _pdf_text(sar, tmp_path)
    csv = sar.bundle_csv.open("rb").read().decode("utf-8-sig")
    for secret in ("Fay Carer", "2 Oak Lane", "07700 900999"):
        assert secret not in text and secret not in csv
    assert (
        "[Withheld: information about another person] Reason: The carer's address and phone" in text
    )
    assert "The carer's address and phone" in csv
    # Included again: the next bundle has it.
    services.redaction_unmark(actor=world.coordinator, sar=sar, item_key=key)
    with mock.patch("dataprotection.services.requests.enqueue_bundle"):
        services.bundle_produce(actor=world.manager, sar=sar)
    assert "2 Oak Lane" in _pdf_text(build_now(sar), tmp_path)


def test_release_needs_a_bundle_newer_than_the_last_redaction(world: World) -> None:
    records = every_record(world)
    sar = make_request(world)
    with pytest.raises(ValidationError, match="Produce the bundle"):
        services.request_release(actor=world.manager, sar=sar)
    sar = build_now(sar)
    services.redaction_mark(
        actor=world.coordinator, sar=sar,
        item_key=f"visits.ReportNote:{records['visits.ReportNote'].public_id}",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Produce the bundle again"):
        services.request_release(actor=world.manager, sar=sar)
    with mock.patch("dataprotection.services.requests.enqueue_bundle"):
        services.bundle_produce(actor=world.manager, sar=sar)
    sar = build_now(sar)
    services.request_release(actor=world.dpo, sar=sar)
    sar.refresh_from_db()
    assert sar.status == RequestStatus.RELEASED and sar.released_by == world.dpo
    with pytest.raises(ValidationError, match="closed"):
        services.redaction_mark(
            actor=world.manager, sar=sar, item_key=f"referrals.Child:{world.child.public_id}"
        )


# --- Who reaches the pages -------------------------------------------------------------------

PAGE_PERSONAS = ["coordinator", "other_coordinator", "manager", "iv", "social_worker",
                 "complaints_manager", "dpo"]  # fmt: skip


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_who_reaches_the_request_page(world: World, client: Any, persona: str) -> None:
    sar = make_request(world)
    client.force_login(world.people[persona])
    page = client.get(reverse("dataprotection:request", args=[sar.public_id]))
    expected = 200 if persona in ("coordinator", "manager", "dpo") else 404
    assert page.status_code == expected
    listing = client.get(reverse("dataprotection:requests"))
    assert listing.status_code == (200 if persona in ("manager", "dpo") else 404)


def test_a_coordinator_not_assigned_does_not_reach_it(world: World, client: Any) -> None:
    from tests.personas import join, make_user

    other = make_user("coord2@north.test", "Cleo North")
    join(other, world.north, "coordinator")
    sar = make_request(world)
    client.force_login(other)
    assert client.get(reverse("dataprotection:request", args=[sar.public_id])).status_code == 404


def test_the_page_view_is_in_the_access_log(world: World, client: Any) -> None:
    from core.models import AccessLog

    sar = make_request(world)
    client.force_login(world.coordinator)
    client.get(reverse("dataprotection:request", args=[sar.public_id]))
    assert AccessLog.objects.filter(
        user=world.coordinator, record_public_id=sar.public_id, action="view_bundle_contents"
    ).exists()


def test_download_needs_sudo_and_is_refused_to_the_coordinator(world: World, client: Any) -> None:
    sar = build_now(make_request(world))
    url = reverse("dataprotection:request_download", args=[sar.public_id, "pdf"])
    client.force_login(world.coordinator)
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    assert client.get(url).status_code == 404
    client.force_login(world.manager)
    first = client.get(url)
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("accounts:sudo"))
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")
    assert (
        client.get(
            reverse("dataprotection:request_download", args=[sar.public_id, "docx"])
        ).status_code
        == 404
    )


def test_the_coordinator_marks_an_item_and_cannot_do_the_rest(world: World, client: Any) -> None:
    sar = make_request(world)
    client.force_login(world.coordinator)
    key = f"referrals.Child:{world.child.public_id}"
    answer = client.post(
        reverse("dataprotection:request_redact", args=[sar.public_id]),
        {"item_key": key, "action": "withhold", "reason": "Mentions her brother"},
    )
    assert answer.status_code == 302
    assert sar.redactions.get().reason == "Mentions her brother"
    for name in ("request_bundle", "request_release", "request_withdraw", "request_extend",
                 "request_assign"):  # fmt: skip
        assert (
            client.post(reverse(f"dataprotection:{name}", args=[sar.public_id])).status_code == 404
        )


@time_machine.travel(datetime(2026, 2, 10, 10, tzinfo=UTC))
def test_start_a_request_from_the_childs_page(world: World, client: Any) -> None:
    client.force_login(world.manager)
    child_page = client.get(reverse("children:detail", args=[world.child.public_id]))
    url = reverse("dataprotection:request_create_child", args=[world.child.public_id])
    assert url in child_page.content.decode()
    bad = client.post(url, {"requester_name": "", "requester_relationship": "Her solicitor",
                            "received_on": "2999-01-01"})  # fmt: skip
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "cannot be in the future" in body and "Her solicitor" in body
    good = client.post(
        url,
        {
            "requester_name": "Amy Atkins",
            "requester_relationship": "Herself",
            "received_on": "2026-01-31",
            "assigned_to": world.coordinator.pk,
        },
    )
    assert good.status_code == 302
    sar = SubjectAccessRequest.objects.get(child=world.child)
    assert sar.due_on == date(2026, 2, 28) and sar.assigned_to == world.coordinator
    # Not shown to the coordinator.
    client.force_login(world.coordinator)
    child_page = client.get(reverse("children:detail", args=[world.child.public_id]))
    assert url not in child_page.content.decode()


def test_an_extension_with_bad_input_keeps_it_and_says_why(world: World, client: Any) -> None:
    sar = make_request(world)
    client.force_login(world.manager)
    answer = client.post(
        reverse("dataprotection:request_extend", args=[sar.public_id]),
        # A plausible date (2099 is refused as implausible before the rule is asked), a year on.
        {"new_due_on": days_ahead(365).isoformat(), "reason": "Very complex"},
    )
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "at most two further months" in body and "Very complex" in body


def test_the_list_is_query_bounded(
    world: World, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.manager)

    def add(n: int) -> None:
        rows = [
            SubjectAccessRequest(
                scheme=world.north, child=world.child, requester_name=f"R{i}",
                received_on=date(2026, 1, 1), due_on=date(2026, 2, 1), created_by=world.manager,
                assigned_to=world.coordinator,
            )
            for i in range(n)
        ]  # fmt: skip
        SubjectAccessRequest.objects.bulk_create(rows)

    add(10)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dataprotection:requests")).status_code == 200
    add(190)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("dataprotection:requests")).status_code == 200


def test_bundle_status_is_polled(world: World, client: Any) -> None:
    sar = make_request(world)
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(
        bundle_status=BundleStatus.RUNNING, bundle_progress=40
    )
    client.force_login(world.manager)
    answer = client.get(
        reverse("dataprotection:request", args=[sar.public_id]), HTTP_HX_REQUEST="true"
    )
    assert 'hx-trigger="every 2s"' in answer.content.decode() and "40%" in answer.content.decode()


def test_a_new_request_with_bad_input_keeps_what_was_typed(world: World, client: Any) -> None:
    client.force_login(world.manager)
    url = reverse("dataprotection:request_create_child", args=[world.child.public_id])
    answer = client.post(
        url, {"requester_name": "", "requester_relationship": "Her solicitor",
              "received_on": "2026-11-20"},
    )  # fmt: skip
    body = answer.content.decode()
    assert answer.status_code in (200, 400)
    assert "There is a problem" in body
    assert 'value="Her solicitor"' in body
    assert not SubjectAccessRequest.objects.filter(child=world.child).exists()
