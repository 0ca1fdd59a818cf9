from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.services import notify
from referrals import tasks
from tests.personas import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def test_notification_pages(bpage, world: World) -> None:
    notify(users=[world.manager], title="A child has waited over 90 days for a match", key="b1")
    tasks.referrals_waiting()
    bpage.login(world.manager)
    bpage.goto(reverse("portal:home"))
    page = bpage.page
    bpage.open_menu()
    page.get_by_role("link", name="Notifications (1 unread)").click()
    page.wait_for_url("**/notifications/")
    page.get_by_role("button", name=re.compile("Open.*A child has waited over 90 days")).wait_for()
    bpage.assert_accessible()
    page.get_by_role("button", name=re.compile("Open.*A child has waited over 90 days")).click()
    bpage.goto(reverse("notifications:list"))
    assert "Notifications (1 unread)" not in page.content()
    bpage.goto(reverse("notifications:preferences"))
    bpage.assert_accessible()
    bpage.goto(reverse("notifications:jobs"))
    page.get_by_role("cell", name="Referrals waiting too long").wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Reminder settings for North IV Scheme").click()
    page.get_by_label("Tell coordinators when a child has waited this many days").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("visits:lapsed"))
    bpage.assert_accessible()
