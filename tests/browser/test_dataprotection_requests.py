"""A subject access request on a phone and a desktop: the manager starts it from the
child's page, the bundle is produced, the coordinator marks an item to withhold, and
every page passes axe. (The child's page is for the scheme's staff: its manager starts the
request; the data protection officer works from the requests list.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def test_subject_access_request_journey(bpage, world: World) -> None:
    from dataprotection.models import SubjectAccessRequest
    from dataprotection.services import bundle

    page = bpage.page
    bpage.login(world.manager)
    bpage.goto(reverse("children:detail", args=[world.child.public_id]))
    page.get_by_role("link", name="Subject access request").click()
    page.get_by_role("heading", name="New subject access request").wait_for()
    bpage.assert_accessible()
    # A mistake first: the page says what is wrong and keeps what was typed.
    page.get_by_label("Their relationship to the person").fill("Her solicitor")
    page.get_by_role("button", name="Record the request").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    bpage.assert_accessible()
    page.get_by_label("Who asked").fill("Amy Atkins")
    page.get_by_label("Coordinator preparing it").select_option(label="Cora North")
    page.get_by_role("button", name="Record the request").click()
    page.get_by_role("heading", name="Subject access request", level=1, exact=True).wait_for()
    bpage.assert_accessible()
    page.get_by_role("button", name="Produce the bundle").click()
    page.get_by_text("Waiting to start").wait_for()
    # No worker runs in the tests: run the job here; the page notices by polling (htmx).
    sar = SubjectAccessRequest.objects.get(child=world.child)
    bundle.build(request_id=sar.pk)
    page.get_by_text("Ready:").wait_for(timeout=8_000)
    page.get_by_role("link", name="Confirm your password to download the bundle").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("subject-access-request")
    bpage.login(world.dpo)
    bpage.goto(reverse("dataprotection:requests"))
    page.get_by_role("link", name="Amy Atkins (child)").wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Amy Atkins (child)").click()
    page.get_by_role("heading", name="Subject access request", level=1, exact=True).wait_for()
    bpage.assert_accessible()

    # The coordinator preparing it marks the carer's placement to withhold.
    bpage.login(world.coordinator)
    bpage.goto(reverse("dataprotection:request", args=[sar.public_id]))
    page.get_by_text("A manager or the data protection officer downloads").wait_for()
    page.get_by_label("Why withhold it").first.fill("About her carer")
    page.get_by_role("button", name="Withhold").first.click()
    page.get_by_text("The item will be withheld from the bundle.").wait_for()
    page.get_by_text("What is withheld has changed since this bundle was produced").wait_for()
    bpage.assert_accessible()
    assert sar.redactions.get().reason == "About her carer"
