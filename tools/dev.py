"""`make run`: one command that brings up everything a local run needs, and takes it down.

1. PostgreSQL: DATABASE_URL if set, else the embedded server (tools/embedded_db.py).
2. Broker: REDIS_URL if set, else kombu's filesystem transport under var/broker.
3. Migrate; load the demo data the first time the database is empty.
4. Serve http://127.0.0.1:8000 with runserver, plus a Celery worker and Celery beat.
Ctrl-C (or SIGTERM) stops every process started here, PostgreSQL last.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.embedded_db import PGDATA, ensure_database_url  # noqa: E402

PY = sys.executable
HOST = os.environ.get("RUN_HOST", "127.0.0.1")
PORT = os.environ.get("RUN_PORT", "8000")


def log(message: str) -> None:
    print(f"[make run] {message}", flush=True)


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, check=True)


def demo_data_needed() -> bool:
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "print(get_user_model().objects.exists())",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out.endswith("False")


def main() -> int:
    os.environ.setdefault("DEBUG", "1")
    # The demo is for a first look: two-factor enforcement would need a phone first.
    os.environ.setdefault("OTP_REQUIRED", "0")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    embedded_db = not os.environ.get("DATABASE_URL")
    if not embedded_db:
        log("using DATABASE_URL")
    else:
        t0 = time.monotonic()
        ensure_database_url()
        log(f"embedded PostgreSQL ready in {time.monotonic() - t0:.1f}s (data in {PGDATA})")
    if os.environ.get("REDIS_URL"):
        log("using REDIS_URL as the Celery broker")
    else:
        broker_dir = Path(os.environ.get("CELERY_BROKER_DIR", str(ROOT / "var" / "broker")))
        for folder in ("queue", "control"):
            (broker_dir / folder).mkdir(parents=True, exist_ok=True)
        log(f"embedded Celery broker: kombu filesystem transport in {broker_dir}")

    manage("migrate", "--noinput")
    if demo_data_needed():
        log("first run: loading demo data (manage.py seed_demo)")
    else:
        # seed_demo is idempotent: this adds the demo records of any feature that arrived
        # since the database was made, and changes nothing else.
        log("adding any new demo records (manage.py seed_demo)")
    manage("seed_demo")

    procs: dict[str, subprocess.Popen[bytes]] = {}
    commands = {
        "web": [PY, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [
            PY,
            "-m",
            "celery",
            "-A",
            "ivscheme",
            "worker",
            "-l",
            "info",
            "-n",
            "run-worker@%h",
            "--concurrency",
            "2",
        ],
        "beat": [
            PY,
            "-m",
            "celery",
            "-A",
            "ivscheme",
            "beat",
            "-l",
            "info",
            "-s",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    }
    stopping = False

    def stop(signum: int | None = None, frame: object = None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        log("stopping web, worker and beat")
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for name, proc in procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in time; killing it")
                proc.kill()
                proc.wait()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for name, cmd in commands.items():
        # Own process group: Ctrl-C reaches only this script, which stops the rest in order.
        procs[name] = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)
    # One message through the broker at once, so /healthz shows a worker consuming straight
    # away instead of after beat's first minute.
    subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from core.tasks import record_heartbeat; record_heartbeat.delay(source='make run')",
        ],
        cwd=ROOT,
        check=False,
    )
    log(f"serving http://{HOST}:{PORT}  (Ctrl-C stops everything)")

    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            code = proc.poll()
            if code is not None:
                log(f"{name} exited with status {code}; stopping the rest")
                exit_code = code or 1
                stop()
                break
        time.sleep(0.5)
    # Leaving main() lets the embedded server's atexit hook stop PostgreSQL.
    log("stopped; embedded PostgreSQL stops now" if embedded_db else "stopped")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
