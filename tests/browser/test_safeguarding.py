"""A worry raised on a phone reaches a coordinator, is acted on and closed by a manager."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AccessLog
from safeguarding.models import Concern
from tests.personas import PASSWORD, World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def sign_in(bpage, user) -> None:
    page = bpage.page
    page.context.clear_cookies()
    bpage.goto(reverse("accounts:login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def test_urgent_concern_journey(bpage, world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from visits.models import Visit

    page = bpage.page
    start = timezone.now() - timedelta(hours=3)
    visit = Visit.objects.create(
        scheme=world.north, match=world.match, kind="face_to_face", status="held",
        starts_at=start, expected_end=start + timedelta(hours=2), checked_in_at=start,
        checked_out_at=start + timedelta(hours=2), place="Cinema", named_person_name="Sam",
        named_person_phone="07700 900000",
    )  # fmt: skip
    sign_in(bpage, world.iv)
    # From the visit report: "I am worried about Amy" hands over to the concern form.
    bpage.goto(reverse("visits:report", args=[visit.public_id]))
    page.get_by_role("link", name="I am worried about Amy").click()
    page.get_by_role("heading", name="Report a worry about a child").wait_for()
    bpage.assert_accessible()
    page.get_by_label("The child is in immediate danger now").check()
    page.get_by_label("Kind of concern").select_option("self_harm")
    page.get_by_label("What did you see or hear?").fill("Amy showed me cuts on her arm.")
    page.get_by_label("What did the child say? Use their words if you can.").fill(
        "Please don't tell anyone"
    )
    page.get_by_label("Yes, I told the child I would have to pass this on").check()
    page.get_by_role("button", name="Send to the coordinator now").click()
    page.get_by_role("heading", name="Your report has been sent").wait_for()
    assert "call 999" in page.content()
    bpage.assert_accessible()
    concern = Concern.objects.get(what_happened="Amy showed me cuts on her arm.")
    assert concern.urgent and concern.from_visit == visit.public_id

    sign_in(bpage, world.coordinator)
    top = page.get_by_role("region", name="Safeguarding: acknowledge now")
    top.get_by_role("link", name="Urgent: Self-harm or suicidal thoughts about Amy").click()
    bpage.assert_accessible()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("link", name="Add to the chronology").click()
    page.get_by_label("What are you recording?").select_option("referral_csc")
    page.get_by_label("What was decided or done").fill("Referred to the MASH by phone")
    page.get_by_label("Their reference").fill("MASH-77")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("reference MASH-77").wait_for()
    bpage.assert_accessible()

    sign_in(bpage, world.manager)
    bpage.goto(reverse("safeguarding:detail", args=[concern.public_id]))
    page.get_by_role("link", name="Close").click()
    page.get_by_label("Outcome").fill("Strategy meeting held; safety plan agreed.")
    page.get_by_role("button", name="Close").click()
    page.get_by_role("heading", name="Who has viewed this record").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("concern-closed")

    sign_in(bpage, world.iv)
    bpage.goto(reverse("safeguarding:mine"))
    assert "Received and acted on; closed" in page.content()
    bpage.goto(reverse("safeguarding:detail", args=[concern.public_id]))
    assert "MASH" not in page.content() and "Chronology" not in page.content()
    viewers = set(
        AccessLog.objects.filter(record_public_id=concern.public_id).values_list("user", flat=True)
    )
    assert {world.coordinator.pk, world.manager.pk, world.iv.pk} <= viewers


def test_register_is_accessible(bpage, world: World) -> None:
    bpage.login(world.coordinator)
    bpage.goto(reverse("safeguarding:register"))
    bpage.assert_accessible()
    bpage.goto(reverse("safeguarding:mine"))
    bpage.assert_accessible()
