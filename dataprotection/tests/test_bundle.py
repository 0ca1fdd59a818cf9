"""The bundle job: its states, idempotence, the failure path, and what the PDF and CSV hold."""

from __future__ import annotations

import subprocess
from typing import Any
from unittest import mock

import pytest

from dataprotection.models import BundleStatus, SubjectAccessRequest
from dataprotection.services import bundle
from dataprotection.services import requests as services
from dataprotection.tests.helpers import build_now, every_record, make_request
from tests.personas import World


def pdf_text(sar: SubjectAccessRequest, tmp_path: Any) -> str:
    path = tmp_path / "bundle.pdf"
    with sar.bundle_pdf.open("rb") as f:
        path.write_bytes(f.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())  # words wrapped across lines compare as one text


def csv_text(sar: SubjectAccessRequest) -> str:
    with sar.bundle_csv.open("rb") as f:
        return str(f.read().decode("utf-8-sig"))


def test_produce_queues_once_and_the_job_runs_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    sar = make_request(world)
    with (
        mock.patch("dataprotection.services.requests.enqueue_bundle") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.bundle_produce(actor=world.manager, sar=sar) is True
        # Asked again while it waits: nothing more is queued.
        assert services.bundle_produce(actor=world.manager, sar=sar) is False
    enqueue.assert_called_once_with(sar.pk)
    sar.refresh_from_db()
    assert sar.bundle_status == BundleStatus.QUEUED
    assert bundle.build(request_id=sar.pk) == BundleStatus.DONE
    # A second delivery of the task does nothing.
    assert bundle.build(request_id=sar.pk) == "already claimed"
    sar.refresh_from_db()
    assert sar.bundle_status == BundleStatus.DONE and sar.bundle_progress == 100
    assert sar.bundle_pdf.name.startswith("subject-access/")
    assert sar.bundle_csv.name.endswith(".csv")
    assert sar.bundle_items > 0 and sar.bundle_finished_at


def test_producing_again_replaces_the_files(world: World) -> None:
    sar = build_now(make_request(world))
    first = sar.bundle_pdf.name
    with mock.patch("dataprotection.services.requests.enqueue_bundle"):
        assert services.bundle_produce(actor=world.dpo, sar=sar)
    sar = build_now(sar)
    assert sar.bundle_pdf.name != first
    assert not sar.bundle_pdf.storage.exists(first)


def test_a_failure_gives_a_failed_status_with_a_message(world: World) -> None:
    sar = make_request(world)
    SubjectAccessRequest.objects.filter(pk=sar.pk).update(bundle_status=BundleStatus.QUEUED)
    with mock.patch("dataprotection.services.bundle.render_pdf", side_effect=OSError("disk full")):
        assert bundle.build(request_id=sar.pk) == BundleStatus.FAILED
    sar.refresh_from_db()
    assert sar.bundle_status == BundleStatus.FAILED
    assert sar.bundle_error == "OSError: disk full"
    # It can be asked for again.
    with mock.patch("dataprotection.services.requests.enqueue_bundle"):
        assert services.bundle_produce(actor=world.manager, sar=sar) is True


def test_the_pdf_holds_the_childs_records_in_time_order(world: World, tmp_path: Any) -> None:
    every_record(world)
    sar = build_now(make_request(world))
    text = pdf_text(sar, tmp_path)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Subject access bundle" in text and "Amy Atkins" in text
    assert "Page 1 of" in text
    assert "Who has viewed these records" in text
    for expected in ("Placement", "Looked-after review", "Visit report", "Expense claim item",
                     "Safeguarding record", "Went to the park and fed the ducks"):  # fmt: skip
        assert expected in text, expected
    # Time order: the placement started in 2025, the review was in February 2026.
    assert text.index("2 Oak Lane") < text.index("Going well.")
    rows = csv_text(sar).splitlines()
    assert rows[0] == "When,Record type,Record,Field,Value"
    assert any("Went to the park and fed the ducks" in r for r in rows)


def test_csv_cells_that_look_like_formulas_are_quoted(world: World) -> None:
    from referrals import services as child_services

    child_services.child_update(actor=world.coordinator, child=world.child, interests="=1+2")
    sar = build_now(make_request(world))
    assert "'=1+2" in csv_text(sar)


@pytest.mark.parametrize("kind", ["child", "volunteer"])
def test_a_bundle_of_each_kind_renders(world: World, tmp_path: Any, kind: str) -> None:
    from volunteers.tests.helpers import make_volunteer

    if kind == "child":
        sar = make_request(world)
    else:
        volunteer = make_volunteer(world.north, user=world.iv, email=world.iv.email)
        sar = make_request(world, volunteer=volunteer, requester_name="Ivy Visitor")
    sar = build_now(sar)
    assert sar.bundle_status == BundleStatus.DONE, sar.bundle_error
    assert "Subject access bundle" in pdf_text(sar, tmp_path)
