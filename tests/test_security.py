"""Headers every page carries, and error pages that reveal nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client) -> Client:
    user = User.objects.create_user("staff@example.org", "x" * 16, full_name="Staff Person")
    client.force_login(user)
    return client


def test_csp_forbids_inline_script_and_style(client: Client) -> None:
    csp = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_script_or_style(client: Client, signed_in: Client) -> None:
    for url in ("/accounts/login/",):
        html = Client().get(url).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html
    html = signed_in.get("/").content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_framing_and_referrer_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_never_stored(signed_in: Client) -> None:
    response = signed_in.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_anonymous_home_redirects_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def boom(request):  # pragma: no cover - raised on purpose
    raise RuntimeError("secret detail: child Jane Doe, 12 Acacia Avenue")


urlpatterns = [path("boom/", boom)]


def test_404_page_reveals_nothing(client: Client) -> None:
    response = client.get("/no-such-page/child/42/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "no-such-page" not in body and "Traceback" not in body and "urlpatterns" not in body


def test_500_page_reveals_nothing(settings) -> None:
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "something went wrong on our side" in body
    assert "Jane Doe" not in body and "RuntimeError" not in body and "Traceback" not in body


def test_403_page_reveals_nothing(client: Client) -> None:
    # A CSRF failure is a 403 that any anonymous visitor can provoke.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    # It says what happened in words a person can act on, not "your account has no access".
    assert "This form has expired" in body and "reload the page" in body
    assert "CSRF" not in body
