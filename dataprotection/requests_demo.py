"""Demo subject access requests (wired into dataprotection/demo.py): an open request from Jade
Morrison for her case record, prepared by the north coordinator, with its bundle produced; and
a released request from a south volunteer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from dataprotection.models import BundleStatus, RequestStatus, SubjectAccessRequest
from dataprotection.services import bundle, requests
from referrals.models import Child
from volunteers.models import Volunteer


def _produce_now(sar: SubjectAccessRequest, actor: User) -> SubjectAccessRequest:
    # Produced here and now rather than by a worker: the demo has the bundle ready.
    requests.bundle_produce(actor=actor, sar=sar, enqueue=False)
    bundle.build(request_id=sar.pk)
    sar.refresh_from_db()
    return sar


def seed_demo_requests(*, schemes: dict[str, Any], users: dict[str, Any], stdout: Any) -> None:
    today = timezone.localdate()
    created = 0
    north, south = schemes["north"], schemes["south"]
    manager = users["manager.north@example.org"]
    jade = Child.objects.filter(scheme=north, case_number="N-10231").first()
    if jade is not None and not SubjectAccessRequest.objects.filter(child=jade).exists():
        sar = requests.request_create(
            actor=manager,
            child=jade,
            requester_name="Jade Morrison",
            requester_relationship="The person themselves",
            received_on=today - timedelta(days=10),
            assigned_to=users["coordinator.north@example.org"],
        )
        _produce_now(sar, manager)
        created += 1

    service = users["service.manager@example.org"]
    volunteer = (
        Volunteer.objects.filter(scheme=south, user=users.get("iv.south@example.org")).first()
        or Volunteer.objects.filter(scheme=south).order_by("pk").first()
    )
    if (
        volunteer is not None
        and not SubjectAccessRequest.objects.filter(volunteer=volunteer).exists()
    ):
        sar = requests.request_create(
            actor=service,
            volunteer=volunteer,
            requester_name=f"{volunteer.first_name} {volunteer.last_name}",
            requester_relationship="The person themselves",
            received_on=today - timedelta(days=40),
            assigned_to=users["coordinator.south@example.org"],
        )
        sar = _produce_now(sar, service)
        if sar.bundle_status == BundleStatus.DONE and sar.status == RequestStatus.OPEN:
            requests.request_release(actor=service, sar=sar, released_on=today - timedelta(days=12))
        created += 1
    stdout.write(f"Demo subject access requests: {created} created.")
