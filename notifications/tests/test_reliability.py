"""A worker killed in the middle of a job neither loses nor duplicates a reminder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from kombu import Connection

from accounts.models import User
from notifications.models import Notification
from tests.clock import subprocess_env
from tests.test_celery_worker import REDIS_URL, database_url_of_test_db

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.slow]


def wait_for(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_killing_the_worker_mid_job_loses_and_duplicates_nothing() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set REDIS_URL to run this test")
    emails = [f"person{i}@example.org" for i in range(3)]
    for email in emails:
        User.objects.create_user(email, "x" * 16, full_name=email)
    queue = f"kill-{os.getpid()}-{time.monotonic_ns()}"
    env = subprocess_env()
    env.update(
        DEBUG="1", DATABASE_URL=database_url_of_test_db(), CELERY_QUEUE=queue, REDIS_URL=REDIS_URL
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ivscheme", "worker", "-P", "prefork", "-c", "1",
         "-Q", queue, "-n", f"{queue}@%h", "-I", "tests.celery_test_tasks", "--without-mingle",
         "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with Connection(REDIS_URL) as conn:
            producer = conn.Producer()
            from ivscheme.celery import app

            app.send_task(
                "tests.slow_reminders", kwargs={"key": queue, "emails": emails, "pause": 1.5},
                queue=queue, producer=producer,
            )  # fmt: skip
        # Let it tell the first person, then kill the process running the task.
        assert wait_for(lambda: Notification.objects.filter(key=queue).count() >= 1)
        children = psutil.Process(worker.pid).children()
        assert children, "the prefork worker has no pool process"
        for child in children:
            child.send_signal(signal.SIGKILL)
        # The message was not acknowledged (acks_late): the worker puts it back and a new pool
        # process runs the job again from the start. notify()'s sent-once key stops repeats.
        assert wait_for(lambda: Notification.objects.filter(key=queue).count() == 3, 90)
        time.sleep(2)
        counts = {e: Notification.objects.filter(key=queue, user__email=e).count() for e in emails}
        assert counts == dict.fromkeys(emails, 1)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_broker_down_when_enqueueing_then_a_real_worker_sends_it(tmp_path: Path) -> None:
    """The web process cannot reach its broker (this suite's broker folder does not exist),
    so enqueueing the email fails; the request's data is saved regardless, and the sweep run
    by a real worker on Redis later emails it exactly once."""
    import redis
    from django.db import transaction

    from notifications.services import notify

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); set REDIS_URL to run this test")
    person = User.objects.create_user("sweep@example.org", "x" * 16, full_name="Sweep Person")
    with transaction.atomic():
        notify(users=[person], title="Something needs you", key="sweep-test", urgent=True)
    # The enqueue after commit failed quietly: still unsent, nothing lost.
    assert Notification.objects.get(key="sweep-test").emailed_at is None

    queue = f"sweep-{os.getpid()}-{time.monotonic_ns()}"
    outbox = tmp_path / "mail"
    env = subprocess_env()
    env.update(
        DEBUG="1", DATABASE_URL=database_url_of_test_db(), CELERY_QUEUE=queue,
        REDIS_URL=REDIS_URL, EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(outbox),
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ivscheme", "worker", "-P", "solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-mingle", "--without-gossip", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        from ivscheme.celery import app

        with Connection(REDIS_URL) as conn:
            for _ in range(2):  # the sweep runs twice: the email still goes once
                app.send_task(
                    "notifications.tasks.sweep_unsent", queue=queue, producer=conn.Producer()
                )
        assert wait_for(
            lambda: Notification.objects.filter(key="sweep-test", emailed_at__isnull=False).exists()
        )
        time.sleep(1.5)
        sent = [p.read_text() for p in outbox.glob("*.log")] if outbox.exists() else []
        assert sum(text.count("Subject: Something needs you") for text in sent) == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
