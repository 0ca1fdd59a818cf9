"""Erasure of a volunteer who withdrew before approval, and corrections to a child's record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dataprotection.models import DestructionAction, DestructionRecord, LegalHold, RecordType
from dataprotection.services import rights
from referrals.selectors import child_history
from tests.personas import born_on
from volunteers.models import Stage
from volunteers.tests.helpers import approved, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def _confirm(client: Any) -> None:
    from tests.personas import PASSWORD

    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


def test_withdrawn_applicant_is_erased_leaving_an_anonymous_record(world: Any) -> None:
    applicant = make_volunteer(
        world.north, Stage.NOT_PROCEEDING, first_name="Wendy", last_name="Withdrawn",
        motivation="I love children", phone="07700 900123",
    )  # fmt: skip
    record = rights.erase_applicant(actor=world.manager, volunteer=applicant)
    applicant.refresh_from_db()
    assert "Wendy" not in applicant.first_name and "Withdrawn" not in applicant.last_name
    assert applicant.motivation == "" and applicant.phone == ""
    assert rights.volunteer_is_erased(applicant)
    assert not applicant.history.filter(first_name="Wendy").exists()
    assert record.record_type == RecordType.APPLICANT
    assert record.action == DestructionAction.ERASED
    assert record.count == 1 and record.approved_by == world.manager
    # Erasing twice is refused, and leaves one record.
    with pytest.raises(ValidationError, match="already been erased"):
        rights.erase_applicant(actor=world.manager, volunteer=applicant)
    assert DestructionRecord.objects.count() == 1


def test_an_approved_volunteer_is_not_erased_on_request(world: Any) -> None:
    volunteer = approved(world.north)
    assert any("approved" in r for r in rights.erasure_blockers(volunteer))
    with pytest.raises(ValidationError):
        rights.erase_applicant(actor=world.manager, volunteer=volunteer)


def test_a_hold_blocks_erasure(world: Any) -> None:
    applicant = make_volunteer(world.north, Stage.INTERVIEW)
    LegalHold.objects.create(
        scheme=world.north, volunteer=applicant, reason_kind="police", reason="Op Willow",
        placed_by=world.manager, placed_at=applicant.created_at,
    )  # fmt: skip
    assert rights.erasure_blockers(applicant) == ["A legal hold is in force on this record."]
    with pytest.raises(ValidationError):
        rights.erase_applicant(actor=world.manager, volunteer=applicant)


def test_only_managers_and_the_dpo_erase(world: Any) -> None:
    applicant = make_volunteer(world.north, Stage.APPLICATION)
    with pytest.raises(PermissionDenied):
        rights.erase_applicant(actor=world.coordinator, volunteer=applicant)
    south_applicant = make_volunteer(world.south, Stage.APPLICATION)
    with pytest.raises(PermissionDenied):
        rights.erase_applicant(actor=world.manager, volunteer=south_applicant)
    # The organisation's DPO reaches both schemes.
    rights.erase_applicant(actor=world.dpo, volunteer=south_applicant)


def test_erasure_page_needs_the_password_and_the_tick(
    world: Any, client: Any, no_second_factor: Any
) -> None:
    applicant = make_volunteer(world.north, Stage.APPLICATION, first_name="Paula")
    url = reverse("dataprotection:erase_volunteer", args=[applicant.public_id])
    client.force_login(world.manager)
    assert client.post(url, {"confirm": "on"}).status_code == 302  # to the password page
    applicant.refresh_from_db()
    assert applicant.first_name == "Paula"
    _confirm(client)
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Tick the box to confirm before erasing." in response.content.decode()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.first_name != "Paula"
    # Afterwards the page says why it cannot be erased again, without an error.
    response = client.get(url)
    assert "already been erased" in response.content.decode()


def test_a_correction_keeps_the_old_value_who_and_why(world: Any) -> None:
    child = born_on(world.child, date(2014, 5, 17))
    rights.child_correct(
        actor=world.manager, child=child,
        changes={"last_name": "Atkinson", "date_of_birth": date(2014, 5, 18)},
        reason="Birth certificate seen",
    )  # fmt: skip
    child.refresh_from_db()
    assert child.last_name == "Atkinson"
    newest = child.history.order_by("-history_date").first()
    assert newest.history_user == world.manager
    assert newest.history_change_reason == "Birth certificate seen"
    changes = child_history(child)
    first = changes[0]
    assert first["reason"] == "Birth certificate seen"
    assert {"field": "surname", "old": "Atkins", "new": "Atkinson"} in first["changes"]
    assert {"field": "date of birth", "old": "17 May 2014", "new": "18 May 2014"} in first[
        "changes"
    ]


def test_a_correction_needs_a_reason_and_a_change(world: Any) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        rights.child_correct(
            actor=world.manager, child=world.child, changes={"last_name": "X"}, reason=" "
        )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        rights.child_correct(
            actor=world.manager, child=world.child, changes={"last_name": "Atkins"}, reason="r"
        )
    with pytest.raises(PermissionDenied):
        rights.child_correct(
            actor=world.coordinator, child=world.child, changes={"last_name": "X"}, reason="r"
        )


def test_a_date_of_death_must_make_sense(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        rights.child_correct(
            actor=world.manager, child=world.child, changes={"died_on": date(2010, 1, 1)},
            reason="Notified by the social worker",
        )  # fmt: skip
    assert "before the date of birth" in str(caught.value)


def test_correction_page_keeps_what_was_typed_on_error(
    world: Any, client: Any, no_second_factor: Any
) -> None:
    client.force_login(world.dpo)
    url = reverse("dataprotection:correct_child", args=[world.child.public_id])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "first_name": "Amy", "last_name": "Atkinsonne", "date_of_birth": "2014-05-17",
        "died_on": "", "case_number": "N-1001", "gender": "", "ethnicity": "",
        "religion": "", "languages": "", "legal_status": "", "reason": "",
    }  # fmt: skip
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say why the record is being corrected." in body
    assert 'value="Atkinsonne"' in body
    world.child.refresh_from_db()
    assert world.child.last_name == "Atkins"
    response = client.post(url, {**data, "reason": "Spelling at referral"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "Why: Spelling at referral" in body
    assert "Atkins → Atkinsonne" in body
