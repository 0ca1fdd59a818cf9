"""Receipts are checked by content, limited in size and stripped of location metadata."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from expenses.models import ClaimItem
from expenses.tests.helpers import EXE, PDF, draft_claim, held_visit, jpeg_bytes, upload
from expenses.uploads import check_receipt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


def test_a_renamed_executable_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        check_receipt(upload(EXE, "receipt.jpg"))
    assert "not a photo or a PDF" in exc.value.messages[0]


def test_a_fake_pdf_is_refused() -> None:
    with pytest.raises(ValidationError, match="damaged"):
        check_receipt(upload(b"%PDF-1.4\nnot really\n", "receipt.pdf", "application/pdf"))


def test_an_oversized_file_is_refused_with_the_limit(settings) -> None:
    settings.EXPENSES_MAX_RECEIPT_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        check_receipt(upload(jpeg_bytes() + b"\0" * (1024 * 1024), "big.jpg"))
    assert "the largest we can take is 1 MB" in exc.value.messages[0]


def test_gps_metadata_is_removed() -> None:
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # it really has GPS
    checked = check_receipt(upload(original))
    cleaned = Image.open(io.BytesIO(checked.content))
    assert cleaned.format == "JPEG"
    assert not cleaned.getexif()
    assert b"PhoneCo" not in checked.content


def test_a_real_pdf_is_kept_as_it_is() -> None:
    checked = check_receipt(upload(PDF, "r.pdf", "application/pdf"))
    assert checked.extension == "pdf" and checked.content == PDF


def test_the_form_says_why_and_keeps_what_was_typed(client, world) -> None:
    claim = draft_claim(world)
    client.force_login(world.iv)
    response = client.post(
        reverse("expenses:item_add", args=[claim.public_id]),
        {
            "category": "entrance_fees",
            "spent_on": "2026-03-14",
            "amount": "7.25",
            "description": "Bowling for two",
            "receipt": upload(EXE, "receipt.png", "image/png"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is not a photo or a PDF" in html
    assert 'value="7.25"' in html and 'value="Bowling for two"' in html
    assert 'value="2026-03-14"' in html
    assert ClaimItem.objects.filter(claim=claim).count() == 1


def test_an_uploaded_photo_is_stored_clean_under_a_random_name(client, world, settings) -> None:
    claim = draft_claim(world)
    client.force_login(world.iv)
    response = client.post(
        reverse("expenses:item_add", args=[claim.public_id]),
        {
            "category": "refreshments",
            "spent_on": "2026-03-14",
            "amount": "3.10",
            "receipt": upload(jpeg_bytes(gps=True), "IMG_1234 home.jpg"),
        },
    )
    assert response.status_code == 302
    item = ClaimItem.objects.filter(claim=claim).order_by("-created_at").first()
    assert item is not None
    assert item.receipt.name.startswith("expenses/") and "IMG_1234" not in item.receipt.name
    assert str(settings.MEDIA_ROOT) in item.receipt.path
    with item.receipt.open("rb") as f:
        assert not Image.open(f).getexif()


def test_another_iv_cannot_fetch_the_receipt(client, world) -> None:
    claim = draft_claim(world)
    item = claim.items.get()
    url = reverse("expenses:receipt", args=[item.public_id])
    client.force_login(world.other_iv)
    assert client.get(url).status_code == 404
    client.force_login(world.other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(world.iv)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200


def test_held_visit_helper(world) -> None:
    assert held_visit(world).status == "held"
