"""Data protection overview, finding a person, records of processing, erasure and corrections:
the scheme's managers (north's `manager` for north records) and the organisation's data
protection officer (`dpo`, both schemes); everyone else 404, as if the page did not exist.

The applicant is made lazily inside each case (rolled back after it).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone

DP: Expect = everyone(NOT_FOUND, manager=OK, dpo=OK)
DPO_ONLY: Expect = everyone(NOT_FOUND, dpo=OK)


def _applicant(world: Any, scheme: Any = None) -> Any:
    from volunteers.models import Stage, Volunteer

    scheme = scheme or world.north
    found = Volunteer.objects.filter(scheme=scheme, email=f"applicant@{scheme.slug}.test").first()
    if found is not None:
        return found
    return Volunteer.objects.create(
        scheme=scheme, first_name="Alex", last_name="Applicant", reference=f"IV-M{scheme.pk:05d}",
        email=f"applicant@{scheme.slug}.test", stage=Stage.APPLICATION,
    )  # fmt: skip


ROWS = {
    "dataprotection:index": Row(lambda w: reverse("dataprotection:index"), DP),
    "dataprotection:find": Row(lambda w: reverse("dataprotection:find") + "?q=Atkins", DP),
    "dataprotection:find#south_child": Row(
        # The manager of north finds nothing of south, and the page says so (200).
        lambda w: reverse("dataprotection:find") + "?q=Barker",
        DP,
    ),
    "dataprotection:processing": Row(lambda w: reverse("dataprotection:processing"), DP),
    "dataprotection:erase_volunteer": Row(
        lambda w: reverse("dataprotection:erase_volunteer", args=[_applicant(w).public_id]), DP
    ),
    "dataprotection:erase_volunteer#south": Row(
        lambda w: reverse(
            "dataprotection:erase_volunteer", args=[_applicant(w, w.south).public_id]
        ),
        DPO_ONLY,
    ),
    "dataprotection:erase_volunteer#post": Row(
        # Without a fresh password confirmation: sent to confirm it, nothing erased.
        lambda w: reverse("dataprotection:erase_volunteer", args=[_applicant(w).public_id]),
        everyone(NOT_FOUND, manager=REDIRECT, dpo=REDIRECT),
        method="post",
        data=lambda w: {"confirm": "on"},
    ),
    "dataprotection:correct_child": Row(
        lambda w: reverse("dataprotection:correct_child", args=[w.child.public_id]), DP
    ),
    "dataprotection:correct_child#south": Row(
        lambda w: reverse("dataprotection:correct_child", args=[w.south_child.public_id]),
        DPO_ONLY,
    ),
    "dataprotection:correct_child#post": Row(
        # An empty correction: the form comes back with its errors.
        lambda w: reverse("dataprotection:correct_child", args=[w.child.public_id]),
        DP,
        method="post",
        data=lambda w: {"reason": ""},
    ),
}
