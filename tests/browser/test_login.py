"""The sign-in page as a person meets it, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def person() -> User:
    return User.objects.create_user("ann.visitor@example.org", PASSWORD, full_name="Ann Visitor")


def test_login_page_is_accessible(bpage) -> None:
    bpage.goto("/accounts/login/")
    assert bpage.page.locator("h1").count() == 1
    assert bpage.page.get_by_role("heading", level=1).inner_text() == "Sign in"
    bpage.assert_accessible()
    bpage.screenshot("login")


def test_wrong_password_keeps_email_and_explains(bpage, person: User) -> None:
    page = bpage.page
    bpage.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ann.visitor@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    assert "do not match an account" in summary.inner_text()
    # The summary takes focus so a screen reader announces it, and the email is kept.
    # (Waited for: the page's script moves the focus once it has loaded. Not with a string
    # wait_for_function: polling it needs eval, which the page's CSP rightly refuses.)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.get_by_label("Email address").input_value() == "ann.visitor@example.org"
    bpage.assert_accessible()
    bpage.screenshot("login-error")


def test_sign_in_and_out(bpage, person: User) -> None:
    page = bpage.page
    bpage.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email address").fill("ann.visitor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Ann").wait_for()
    bpage.assert_accessible()
    bpage.open_menu()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
