"""Claims, receipts and visits in each state, for tests, the matrix and the browser."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from expenses import services
from expenses.models import Claim, ExpenseSettings
from expenses.uploads import CheckedReceipt

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def jpeg_bytes(*, gps: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 180, 160))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneCo"
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (52.0, 38.0, 1.5),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (1.0, 8.0, 2.5),
        }
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def upload(content: bytes, name: str = "receipt.jpg", ctype: str = "image/jpeg") -> Any:
    return SimpleUploadedFile(name, content, content_type=ctype)


def receipt() -> CheckedReceipt:
    return CheckedReceipt(content=jpeg_bytes(), extension="jpg", content_type="image/jpeg")


def held_visit(world: Any, *, days_ago: int = 1, match: Any = None) -> Any:
    from visits.tests.helpers import make_visit

    return make_visit(
        world,
        status="held",
        starts_at=timezone.now() - timedelta(days=days_ago),
        match=match,
    )


def insure(world: Any, user: Any = None, *, expires: date | None = None) -> Any:
    from volunteers.tests.helpers import make_volunteer

    user = user or world.iv
    return make_volunteer(
        world.north,
        user=user,
        email=user.email,
        drives=True,
        insurer="Safe Drive Ltd",
        insurance_expires_on=expires or timezone.localdate() + timedelta(days=200),
    )


def set_limits(scheme: Any, *, visit: str = "25.00", month: str = "60.00") -> ExpenseSettings:
    config, _ = ExpenseSettings.objects.get_or_create(scheme=scheme)
    config.per_visit_limit = Decimal(visit)
    config.monthly_limit = Decimal(month)
    config.save()
    return config


def draft_claim(world: Any, *, amount: str = "4.50", user: Any = None, visit: Any = None) -> Claim:
    user = user or world.iv
    visit = visit or held_visit(world)
    claim = services.claim_start(actor=user, visit=visit)
    services.item_add(
        actor=user,
        claim=claim,
        category="refreshments",
        spent_on=timezone.localdate(visit.starts_at),
        amount=Decimal(amount),
        receipt=receipt(),
    )
    claim.refresh_from_db()
    return claim


def submitted_claim(world: Any, **kwargs: Any) -> Claim:
    claim = draft_claim(world, **kwargs)
    return services.claim_submit(actor=claim.volunteer, claim=claim)


def approved_claim(world: Any, **kwargs: Any) -> Claim:
    claim = submitted_claim(world, **kwargs)
    return services.claim_approve(actor=world.coordinator, claim=claim)
