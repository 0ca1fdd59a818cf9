"""Receipt files: checked by what they contain, not by their name.

An image must open and verify with Pillow; it is then re-encoded, which drops EXIF (and with
it any GPS position the phone wrote). A PDF must start with %PDF- and have the parts every PDF
has. Anything else is refused with a reason the IV can act on.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# A phone photo is at most ~50 megapixels; more is a decompression bomb.
MAX_PIXELS = 60_000_000


@dataclass
class CheckedReceipt:
    content: bytes
    extension: str
    content_type: str


def max_bytes() -> int:
    return int(getattr(settings, "EXPENSES_MAX_RECEIPT_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_receipt(upload: UploadedFile) -> CheckedReceipt:
    limit = max_bytes()
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            f"The file is {_megabytes(size)}; the largest we can take is {_megabytes(limit)}. "
            "Take the photo again at a lower size, or scan at a lower quality.",
            code="too_big",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"The file is larger than {_megabytes(limit)}.", code="too_big")
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    return _check_image(data)


def _check_pdf(data: bytes) -> CheckedReceipt:
    # Enough of a parse to know it is a PDF and not something renamed: a version, at least one
    # object, and the end-of-file marker near the end.
    if not re.match(rb"%PDF-\d\.\d", data) or b"%%EOF" not in data[-2048:]:
        raise ValidationError("This PDF looks damaged or incomplete.", code="bad_pdf")
    if not re.search(rb"\d+\s+\d+\s+obj", data):
        raise ValidationError("This PDF looks damaged or incomplete.", code="bad_pdf")
    return CheckedReceipt(content=data, extension="pdf", content_type="application/pdf")


def _not_a_receipt() -> ValidationError:
    return ValidationError(
        "This file is not a photo or a PDF. Upload a photo of the receipt (JPEG or PNG) or a PDF.",
        code="not_a_receipt",
    )


def _check_image(data: bytes) -> CheckedReceipt:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError("This photo is too large in pixels.", code="too_big")
                probe.verify()
            # verify() leaves the image unusable: open again to re-encode.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                # Keep the photo the right way up, then write it with no metadata at all.
                upright = ImageOps.exif_transpose(image) or image
                out = io.BytesIO()
                if fmt == "PNG":
                    upright.save(out, format="PNG")
                    ext, ctype = "png", "image/png"
                else:
                    if upright.mode not in ("RGB", "L"):
                        upright = upright.convert("RGB")
                    upright.save(out, format="JPEG", quality=85)
                    ext, ctype = "jpg", "image/jpeg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as exc:
        raise _not_a_receipt() from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError("This photo is too large in pixels.", code="too_big") from exc
    if fmt not in IMAGE_FORMATS:
        raise _not_a_receipt()
    return CheckedReceipt(content=out.getvalue(), extension=ext, content_type=ctype)
