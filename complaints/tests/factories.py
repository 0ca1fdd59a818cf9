"""Complaints in a given state, made through the services (so every invariant holds)."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import User
from complaints import services
from complaints.models import Channel, Complaint, Finding, Relationship, Subject
from tests.clock import days_ago
from tests.personas import World


def make_complaint(
    world: World,
    *,
    scheme: Any = None,
    received_on: date | None = None,
    subject: str = Subject.SERVICE,
    subject_user: User | None = None,
    actor: User | None = None,
    name: str = "Carol Carer",
) -> Complaint:
    return services.complaint_receive(
        actor=actor if actor is not None else world.manager,
        scheme=scheme or world.north,
        channel=Channel.PHONE,
        received_on=received_on or days_ago(60),
        complainant_name=name,
        complainant_relationship=Relationship.CARER,
        subject=subject,
        subject_user=subject_user,
        details="The visit was cancelled at the last minute.",
        complainant_email="carol@example.net",
    )


def about_coordinator(world: World, **kwargs: Any) -> Complaint:
    return make_complaint(
        world, subject=Subject.COORDINATOR, subject_user=world.coordinator, **kwargs
    )


def respond(world: World, complaint: Complaint, on: date, outcome: str = Finding.UPHELD) -> None:
    services.complaint_respond(
        actor=world.manager, complaint=complaint, outcome=outcome, response="We agree.", on=on
    )
