"""One refusal for every service (core.refusals.NotAllowed), answered the same on every page:
hidden (someone with no role in the record's scheme) is a 404, as the door would answer;
otherwise a 403 page with the reason, or the reason at the top of a form."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts import access
from core.forms import submit_form
from core.refusals import NotAllowed, RefusalMiddleware, permits
from referrals import services as referral_services
from tests.personas import World

pytestmark = pytest.mark.django_db


def _middleware() -> RefusalMiddleware:
    return RefusalMiddleware(lambda request: HttpResponse("never"))


def test_a_refusal_is_a_403_page_with_its_reason() -> None:
    request = RequestFactory().post("/somewhere/")
    request.user = AnonymousUser()
    response = _middleware().process_exception(
        request, NotAllowed("Only a manager can close a safeguarding concern.")
    )
    assert response is not None and response.status_code == 403
    assert "Only a manager can close a safeguarding concern." in response.content.decode()


def test_a_hidden_refusal_is_a_404_like_the_door() -> None:
    request = RequestFactory().post("/somewhere/")
    with pytest.raises(Http404):
        _middleware().process_exception(request, NotAllowed("secret", hidden=True))


def test_other_exceptions_pass_through() -> None:
    request = RequestFactory().get("/")
    assert _middleware().process_exception(request, ValueError("no")) is None


def test_permits_answers_whether_a_check_refuses() -> None:
    def refuse() -> None:
        raise NotAllowed("Only a manager can do this.")

    assert permits(lambda: None) is True
    assert permits(refuse) is False
    assert permits(lambda: access.require(False, "no")) is False
    with pytest.raises(ValueError):
        permits(lambda: int("not a number"))


def test_the_middleware_is_installed() -> None:
    assert "core.refusals.RefusalMiddleware" in settings.MIDDLEWARE


class _Form(forms.Form):
    name = forms.CharField(max_length=100)


def _refused(data: dict[str, object]) -> str:
    raise NotAllowed("You cannot give a role above your own.")


def test_a_form_page_shows_the_refusal_above_the_form_and_keeps_what_was_typed() -> None:
    request = RequestFactory().post("/", {"name": "Ana"})
    form = _Form(request.POST)
    assert submit_form(request, form, _refused, once=False) is None
    assert form.non_field_errors() == ["You cannot give a role above your own."]
    assert form["name"].value() == "Ana"


def test_a_form_page_does_not_swallow_a_hidden_refusal() -> None:
    request = RequestFactory().post("/", {"name": "Ana"})

    def hidden(data: dict[str, object]) -> str:
        raise NotAllowed("secret", hidden=True)

    with pytest.raises(NotAllowed):
        submit_form(request, _Form(request.POST), hidden, once=False)


def test_someone_of_another_scheme_is_refused_hidden(world: World) -> None:
    with pytest.raises(NotAllowed) as refused:
        access.require_staff(world.other_coordinator, world.north)
    assert refused.value.hidden


def test_someone_of_the_scheme_without_the_role_is_told_why(world: World) -> None:
    with pytest.raises(NotAllowed) as refused:
        access.require_staff(world.social_worker, world.north, "Only staff.")
    assert not refused.value.hidden and refused.value.message == "Only staff."
    access.require_staff(world.coordinator, world.north)  # no refusal


def test_a_service_checks_the_actor_itself(world: World) -> None:
    """Past the door, the service refuses on its own: a social worker of the scheme cannot
    put a referral on the waiting list, whatever page called it."""
    with pytest.raises(NotAllowed, match="coordinators and managers"):
        referral_services.referral_add_to_waiting_list(
            actor=world.social_worker, referral=world.referral
        )


SERVICE_FILES = sorted(
    p
    for app in settings.BASE_DIR.iterdir()
    if (app / "apps.py").exists()
    for p in [app / "services.py", *sorted((app / "services").glob("*.py"))]
    if p.exists()
)


def test_services_refuse_only_with_not_allowed() -> None:
    """No service raises Django's PermissionDenied itself: a refusal is NotAllowed (through
    accounts.access.require_role, require_staff or require), so every page answers it alike."""
    assert len(SERVICE_FILES) >= 10
    offenders = []
    for path in SERVICE_FILES:
        for node in ast.walk(ast.parse(Path(path).read_text())):
            if isinstance(node, ast.Raise) and node.exc is not None:
                call = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(call, ast.Name) and call.id == "PermissionDenied":
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert offenders == []
