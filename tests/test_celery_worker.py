"""A real Celery worker, in its own process, consumes a message and writes to the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Connection

from core import tasks
from core.models import WorkerHeartbeat
from tests.clock import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def database_url_of_test_db() -> str:
    """The URL of the database this test is using (pytest-django's test database)."""
    s = connection.settings_dict
    host = s["HOST"] or s.get("OPTIONS", {}).get("host", "")
    user = quote(s["USER"] or "")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{s['NAME']}?host={quote(host, safe='/')}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{s['NAME']}"


def run_worker_until_heartbeat(env: dict[str, str], queue: str, send) -> WorkerHeartbeat:
    marker = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ivscheme",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{marker}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        send(marker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            beat = WorkerHeartbeat.objects.filter(source=marker).first()
            if beat is not None:
                return beat
            if worker.poll() is not None:
                break
            time.sleep(0.25)
        worker.terminate()
        out, _ = worker.communicate(timeout=20)
        pytest.fail(f"the worker never ran the task; its output:\n{out}")
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def base_env(queue: str) -> dict[str, str]:
    env = subprocess_env({k: v for k, v in os.environ.items() if k != "REDIS_URL"})
    env.update(DEBUG="1", DATABASE_URL=database_url_of_test_db(), CELERY_QUEUE=queue)
    return env


def test_filesystem_broker_worker_runs_task_in_its_own_process(tmp_path: Path) -> None:
    """The embedded broker of `make run`: no Redis, still a separate worker process."""
    queue = f"q-{uuid.uuid4().hex[:8]}"
    for folder in ("queue", "control"):
        (tmp_path / folder).mkdir()
    env = base_env(queue)
    env["CELERY_BROKER_DIR"] = str(tmp_path)
    options = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "control_folder": str(tmp_path / "control"),
    }

    def send(marker: str) -> None:
        with Connection("filesystem://", transport_options=options) as conn:
            tasks.record_heartbeat.apply_async(  # type: ignore[call-arg]
                kwargs={"source": marker}, queue=queue, connection=conn
            )

    beat = run_worker_until_heartbeat(env, queue, send)
    assert beat.pid != os.getpid()


def test_redis_worker_runs_task_in_its_own_process() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set REDIS_URL to run this test")
    queue = f"q-{uuid.uuid4().hex[:8]}"
    env = base_env(queue)
    env["REDIS_URL"] = REDIS_URL

    def send(marker: str) -> None:
        with Connection(REDIS_URL) as conn:
            tasks.record_heartbeat.apply_async(  # type: ignore[call-arg]
                kwargs={"source": marker}, queue=queue, connection=conn
            )

    beat = run_worker_until_heartbeat(env, queue, send)
    assert beat.pid != os.getpid()


def test_reliability_settings() -> None:
    from ivscheme.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] >= 60 * 60
    assert set(conf.beat_schedule) >= {"worker-heartbeat"}


def test_every_scheduled_task_is_registered() -> None:
    """A typo in the schedule would only show up at 3 a.m. in production."""
    from ivscheme.celery import app

    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"{name}: no task called {entry['task']}"
