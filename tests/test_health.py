from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client

from core import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embedded_broker(settings, tmp_path):
    """The filesystem broker of `make run`, in folders of this test's own."""
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "control_folder": str(tmp_path / "control"),
    }
    (tmp_path / "queue").mkdir()
    (tmp_path / "control").mkdir()


def test_healthz_reports_both_components_ok(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_shows_when_a_worker_last_ran(client: Client) -> None:
    assert client.get("/healthz").json()["worker_last_seen"] is None
    beat = services.heartbeat_record(source="test")
    assert client.get("/healthz").json()["worker_last_seen"] == beat.created_at.isoformat()


def test_healthz_is_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch("portal.health.connection") as conn:
        conn.cursor.side_effect = Exception("connection refused")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")
    assert response.json()["status"] == "error"


def test_healthz_is_503_when_the_broker_is_down(client: Client, settings, tmp_path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "gone"),
        "control_folder": str(tmp_path / "gone"),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_healthz_is_503_when_redis_does_not_answer(client: Client, settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with mock.patch("portal.health.app.connection_for_write") as conn:
        conn.side_effect = ConnectionRefusedError("no redis")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: ConnectionRefusedError"
