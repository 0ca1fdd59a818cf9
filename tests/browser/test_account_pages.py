"""Sign-in security pages as a person meets them, on a phone and a desktop: resetting a
password, the account and session pages, confirming the password, setting up two-step
verification, entering a code, and the lockout page. Every page passes axe-core."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import ManagerLevel, Membership, Organisation, Role, Scheme, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
NEW_PASSWORD = "lantern harbour violet 93"


@pytest.fixture
def scheme(db) -> Scheme:
    org = Organisation.objects.create(name="Brightside Visiting Trust")
    return Scheme.objects.create(
        organisation=org, slug="north", name="North IV Scheme", local_authority="Northshire"
    )


@pytest.fixture
def visitor(scheme: Scheme) -> User:
    user = User.objects.create_user("ann.visitor@example.org", PASSWORD, full_name="Ann Visitor")
    Membership.objects.create(user=user, scheme=scheme, role=Role.INDEPENDENT_VISITOR)
    return user


@pytest.fixture
def manager(scheme: Scheme) -> User:
    user = User.objects.create_user("mo.manager@example.org", PASSWORD, full_name="Mo Manager")
    Membership.objects.create(
        user=user, scheme=scheme, role=Role.MANAGER, manager_level=ManagerLevel.TEAM
    )
    return user


def one_h1(bpage, text: str) -> None:
    """The page has one h1 and it says `text`. It waits for the heading, since a click on a
    link returns before the next page has loaded (a busy CI machine saw the old page gone and
    the new one not yet parsed: 0 headings)."""
    heading = bpage.page.get_by_role("heading", level=1)
    expect(heading).to_have_text(text)
    expect(bpage.page.locator("h1")).to_have_count(1)


def test_resetting_a_password(bpage, visitor: User) -> None:
    page = bpage.page
    bpage.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    one_h1(bpage, "Reset your password")
    bpage.assert_accessible()

    page.get_by_label("Email address").fill("ann.visitor-at-example")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Email address").input_value() == "ann.visitor-at-example"
    bpage.assert_accessible()

    page.get_by_label("Email address").fill("ann.visitor@example.org")
    page.get_by_role("button", name="Email me a link").click()
    one_h1(bpage, "Check your email")
    bpage.assert_accessible()

    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(0))
    one_h1(bpage, "Choose your password")
    bpage.assert_accessible()
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill("something else entirely")
    page.get_by_role("button", name="Save password").click()
    page.get_by_role("alert").wait_for()
    assert "not the same" in page.locator("#id_new_password2_error").inner_text()
    bpage.assert_accessible()
    bpage.screenshot("choose-password-error")

    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    one_h1(bpage, "Password saved")
    bpage.assert_accessible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill("ann.visitor@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Ann").wait_for()


def test_account_sessions_password_pages(bpage, visitor: User) -> None:
    page = bpage.page
    bpage.login(visitor)
    bpage.goto(reverse("accounts:account"))
    one_h1(bpage, "Your account")
    assert "Independent visitor in North IV Scheme" in page.content()
    bpage.assert_accessible()
    bpage.screenshot("account")

    page.get_by_role("link", name="Your sessions").click()
    one_h1(bpage, "Your sessions")
    page.get_by_text("This device", exact=True).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("sessions")

    bpage.goto(reverse("accounts:password_change"))
    one_h1(bpage, "Change your password")
    bpage.assert_accessible()
    page.get_by_label("Current password").fill("not my password")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="Change password").click()
    page.get_by_role("alert").wait_for()
    assert "not your current password" in page.locator("#id_old_password_error").inner_text()
    assert "too short" in page.locator("#id_new_password1_error").inner_text()
    bpage.assert_accessible()

    bpage.goto(reverse("accounts:sudo") + "?next=/accounts/")
    one_h1(bpage, "Confirm your password")
    bpage.assert_accessible()
    page.get_by_label("Your password").fill("wrong password here")
    page.get_by_role("button", name="Confirm password").click()
    page.get_by_role("alert").wait_for()
    bpage.assert_accessible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm password").click()
    page.get_by_role("heading", name="Your account", level=1).wait_for()


def test_two_step_set_up_code_and_backup_codes(bpage, manager: User, settings) -> None:
    settings.OTP_REQUIRED = True
    page = bpage.page
    bpage.login(manager)
    bpage.goto("/")
    one_h1(bpage, "Set up two-step verification")
    qr = page.get_by_role("img", name="QR code to add ivscheme to your authenticator app")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    bpage.assert_accessible()
    bpage.screenshot("two-step-setup")

    page.get_by_label("6-digit code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-step verification").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("6-digit code from the app").input_value() == "000000"
    bpage.assert_accessible()

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("6-digit code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-step verification").click()
    one_h1(bpage, "Backup codes")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    bpage.assert_accessible()
    bpage.screenshot("backup-codes")
    page.get_by_role("link", name="I have saved my codes").click()
    page.get_by_role("heading", name="Welcome, Mo").wait_for()

    # Next sign-in: a code is asked for; a backup code does instead of the app.
    page.context.clear_cookies()
    bpage.login(manager)
    bpage.goto(reverse("accounts:account"))
    one_h1(bpage, "Enter your code")
    bpage.assert_accessible()
    page.get_by_label("Code").fill("123456")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Code").input_value() == "123456"
    bpage.assert_accessible()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    one_h1(bpage, "Your account")
    assert "9 backup codes left" in page.content()
    bpage.assert_accessible()


def test_locked_out_page(bpage, visitor: User) -> None:
    page = bpage.page
    bpage.goto(reverse("accounts:login"))
    for _ in range(5):
        page.get_by_label("Email address").fill("ann.visitor@example.org")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    one_h1(bpage, "Account locked for now")
    assert "too many wrong passwords for this account" in page.content()
    # The page is answered with HTTP 429 on purpose, which Chromium reports in the console as
    # a failed load of the document itself. That one message is expected; any other fails.
    expected = [e for e in bpage.console_errors if "status of 429" in e]
    assert len(expected) == 1, bpage.console_errors
    bpage.console_errors.remove(expected[0])
    bpage.assert_accessible()
    bpage.screenshot("locked-out")
