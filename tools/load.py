"""`make load`: the scale database under gunicorn, driven by Locust like a busy afternoon.

Builds (or reuses) the database of `make bench` (tools/bench.py: `ivscheme_bench`,
`seed_demo --scale 50000`, on the server of DATABASE_URL or the embedded PostgreSQL), starts
gunicorn with 2 workers on a free port of 127.0.0.1, and runs Locust headless against it:
50 scale IVs with an active match planning visits, checking in and out and sending reports,
and 5 coordinators browsing (tools/locustfile.py), for LOAD_SECONDS (60) once everyone has
signed in. Then prints requests per second, p50/p95/p99 and errors, and checks in the database
that every report the IVs sent arrived exactly once.

Targets (issue 13): no errors, no report lost or duplicated, p95 under 300 ms. Exits 1 when a
report was lost or duplicated or the run itself broke; a missed latency or error target is
printed as MISSED. Writes the result as JSON under var/load/. The rows the load made (visits
marked "[load ...]", their reports, notifications and history) are removed at the end, and any
left by an interrupted run at the start, so `make bench` keeps measuring the seeded data;
LOAD_KEEP=1 keeps them.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.bench import DB_NAME, percentile, prepare  # noqa: E402

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
IVS = int(os.environ.get("LOAD_IVS", "50"))
COORDINATORS = int(os.environ.get("LOAD_COORDINATORS", "5"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))  # issue 13: two
SPAWN_SECONDS = 10
OUT = ROOT / "var" / "load"
# Every visit the load plans says so in its activity: that is how its rows are found again.
MARK_PREFIX = "[load "
TARGET_P95_MS = 300.0


# --- The exactly-once check (pure, so it is tested without a database) ----------------------


def read_submissions(lines: Iterable[str]) -> dict[str, Any]:
    """From the locustfile's log: `sending` {client id: visit} of every report an IV began to
    send; `confirmed`, the client ids the server answered "sent" for; `finished`, those whose
    sending ended either way (the others were cut off by the end of the run); `resent`, how
    many were sent a second time on purpose."""
    sending: dict[str, str] = {}
    confirmed: set[str] = set()
    finished: set[str] = set()
    resent = 0
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        if row["event"] == "sending":
            sending[row["client_id"]] = row["visit"]
        elif row["event"] in ("confirmed", "failed"):
            finished.add(row["client_id"])
            if row["event"] == "confirmed":
                confirmed.add(row["client_id"])
        elif row["event"] == "resent":
            resent += 1
    return {"sending": sending, "confirmed": confirmed, "finished": finished, "resent": resent}


def check_exactly_once(
    sending: dict[str, str],
    confirmed: set[str],
    in_db: list[tuple[str, str]],
    finished: set[str] | None = None,
) -> dict[str, Any]:
    """Compare what the IVs sent with the reports in the database.

    `sending`: client id -> visit public id, every report an IV began to send (its one client
    id however often it was sent). `confirmed`: the ids the server answered "sent" for.
    `in_db`: (client id, visit public id) of every report on the load's visits or carrying one
    of its client ids. `finished`: the ids whose sending ended, answered or failed (None: all).

    missing: sent to the end but not in the database (confirmed_missing: of those, the server
    had said "sent"); interrupted: not in the database, and the run stopped while the phone
    was still sending (it would send again: not a loss); duplicated: extra rows for one client
    id or one visit; misplaced: a report with the right client id on another visit;
    unexpected: reports on the load's visits that no IV sent.
    """
    by_id = Counter(client_id for client_id, _ in in_db)
    by_visit = Counter(visit for _, visit in in_db)
    visit_of = dict(in_db)
    absent = [cid for cid in sending if cid not in by_id]
    missing = sorted(cid for cid in absent if finished is None or cid in finished)
    interrupted = len(absent) - len(missing)
    duplicated = sum(n - 1 for n in by_id.values() if n > 1) + sum(
        n - 1 for n in by_visit.values() if n > 1
    )
    misplaced = sorted(
        cid for cid, visit in sending.items() if cid in by_id and visit_of[cid] != visit
    )
    unexpected = sorted(cid for cid in by_id if cid not in sending)
    return {
        "submitted": len(sending),
        "confirmed": len(confirmed & sending.keys()),
        "found": sum(1 for cid in sending if cid in by_id),
        "missing": len(missing),
        "confirmed_missing": len([cid for cid in missing if cid in confirmed]),
        "interrupted": interrupted,
        "duplicated": duplicated,
        "misplaced": len(misplaced),
        "unexpected": len(unexpected),
        "exactly_once": not (missing or duplicated or misplaced or unexpected),
        "examples": {
            "missing": missing[:5],
            "misplaced": misplaced[:5],
            "unexpected": unexpected[:5],
        },
    }


def server_times(lines: Iterable[str], skip: tuple[str, ...]) -> dict[str, Any]:
    """p50/p95 of the time gunicorn's workers spent on each request (its access log: method,
    path, status, microseconds), leaving out the paths in `skip` (sign-in, health)."""
    times = []
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and not parts[1].startswith(skip) and parts[3].isdigit():
            times.append(int(parts[3]) / 1000)
    if not times:
        return {}
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def summarise(samples: list[list[Any]], start: float | None, end: float | None) -> dict[str, Any]:
    """Requests per second, percentiles and errors, overall and by request name, of the
    samples that started inside the window [start, end)."""
    inside = [
        s for s in samples if (start is None or s[2] >= start) and (end is None or s[2] < end)
    ]
    span = (end - start) if start is not None and end is not None else None

    def stats(rows: list[list[Any]]) -> dict[str, Any]:
        times = [float(r[3]) for r in rows if r[1] != "CHECK"]
        errors = sum(1 for r in rows if not r[4])
        result: dict[str, Any] = {"requests": len(times), "errors": errors}
        if times:
            result.update(
                p50_ms=round(percentile(times, 0.50), 1),
                p95_ms=round(percentile(times, 0.95), 1),
                p99_ms=round(percentile(times, 0.99), 1),
                max_ms=round(max(times), 1),
            )
        return result

    by_name: dict[str, list[list[Any]]] = {}
    for s in inside:
        by_name.setdefault(s[0], []).append(s)
    overall = stats(inside)
    overall["rps"] = round(overall["requests"] / span, 1) if span else None
    return {
        "seconds": round(span, 1) if span else None,
        "overall": overall,
        "pages": {name: stats(rows) for name, rows in sorted(by_name.items())},
    }


# --- The database side (Django, in this process) --------------------------------------------


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivscheme.settings")
    django.setup()
    from django.db import connection

    # Everything below deletes and reads load rows: only ever on the benchmark database.
    if connection.settings_dict["NAME"] != DB_NAME:
        raise SystemExit(f"load: connected to {connection.settings_dict['NAME']}, not {DB_NAME}")


def remove_load_rows(prefix: str = MARK_PREFIX) -> int:
    """Delete the visits the load planned (activity starting with `prefix`), their reports,
    the notifications and access-log entries about those reports, and their history rows
    (last: deleting a visit or a report writes one more). Returns how many visits."""
    from django.db import transaction

    from core.models import AccessLog
    from notifications.models import Notification
    from visits.models import Visit, VisitReport

    historical_visit = Visit.history.model
    historical_report = VisitReport.history.model
    with transaction.atomic():
        visit_pks = set(
            Visit.objects.filter(activity__startswith=prefix).values_list("pk", flat=True)
        )
        visit_pks |= set(
            historical_visit.objects.filter(activity__startswith=prefix).values_list(
                "id", flat=True
            )
        )
        if not visit_pks:
            return 0
        reports = VisitReport.objects.filter(visit_id__in=visit_pks)
        report_ids = set(reports.values_list("public_id", flat=True))
        report_ids |= set(
            historical_report.objects.filter(visit_id__in=visit_pks).values_list(
                "public_id", flat=True
            )
        )
        Notification.objects.filter(key__in=[f"visits:report:{p}" for p in report_ids]).delete()
        AccessLog.objects.filter(
            record_type="visits.visitreport", record_public_id__in=report_ids
        ).delete()
        reports.delete()
        Visit.objects.filter(pk__in=visit_pks).delete()
        historical_report.objects.filter(visit_id__in=visit_pks).delete()
        historical_visit.objects.filter(id__in=visit_pks).delete()
    return len(visit_pks)


def choose_people(run_mark: str) -> dict[str, Any]:
    """The plan the locustfile follows: 50 scale IVs whose match is active and who may visit,
    the coordinators (the demo data has one per scheme; the 5 simulated coordinators share
    them, each with a session of their own), children and matches of each coordinator's
    scheme to open, and the URLs."""
    from django.conf import settings
    from django.urls import reverse

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import Membership, Role
    from matches.models import ACTIVE_STATUSES, Match
    from referrals.models import Child
    from volunteers.selectors import volunteer_can_visit, volunteer_for_user

    rng = random.Random(2026)  # noqa: S311 - a repeatable sample, not security
    candidates = list(
        Match.objects.filter(
            status__in=ACTIVE_STATUSES,
            child__case_number__startswith="X",
            volunteer__is_active=True,
            volunteer__email__startswith="scale.iv.",
        )
        .select_related("volunteer")
        .order_by("pk")[:5000]
    )
    rng.shuffle(candidates)
    ivs: list[dict[str, str]] = []
    for match in candidates:
        volunteer = volunteer_for_user(match.volunteer)
        if volunteer is not None and not volunteer_can_visit(volunteer)[0]:
            continue
        ivs.append({"email": match.volunteer.email, "match": match.public_id})
        if len(ivs) == IVS:
            break
    if len(ivs) < IVS:
        raise SystemExit(f"load: only {len(ivs)} scale IVs can plan visits; {IVS} needed")

    coordinators = []
    for membership in (
        Membership.objects.filter(role=Role.COORDINATOR, is_active=True, user__is_active=True)
        .select_related("user", "scheme")
        .order_by("user__email")
    ):
        scheme = membership.scheme
        child_ids = list(
            Child.objects.filter(scheme=scheme, case_number__startswith="X")
            .order_by("pk")
            .values_list("public_id", flat=True)[:2000]
        )
        match_ids = list(
            Match.objects.filter(scheme=scheme, status__in=ACTIVE_STATUSES)
            .order_by("pk")
            .values_list("public_id", flat=True)[:2000]
        )
        if not child_ids or not match_ids:
            continue
        coordinators.append(
            {
                "email": membership.user.email,
                "scheme": scheme.slug,
                "children": rng.sample(child_ids, min(200, len(child_ids))),
                "matches": rng.sample(match_ids, min(200, len(match_ids))),
            }
        )
    if not coordinators:
        raise SystemExit("load: no coordinator with scale children in their scheme")

    placeholder = "__public_id__"
    names = {
        "login": ("accounts:login", False),
        "home": ("portal:home", False),
        "plan": ("visits:plan", False),
        "visit_detail": ("visits:detail", True),
        "check_in": ("visits:check_in", True),
        "check_out": ("visits:check_out", True),
        "report": ("visits:report", True),
        "waiting": ("referrals:waiting", False),
        "child": ("children:detail", True),
        "match": ("matches:detail", True),
        "report_queue": ("visits:report_queue", False),
    }
    urls = {
        key: reverse(name, args=[placeholder] if with_id else [])
        for key, (name, with_id) in names.items()
    }
    return {
        "password": DEMO_PASSWORD,
        "ivs": ivs,
        "coordinators": coordinators,
        "coordinator_users": COORDINATORS,
        "urls": urls,
        "id_placeholder": placeholder,
        "time_zone": settings.TIME_ZONE,
        "visit_mark": run_mark,
    }


def reports_in_db(run_mark: str, client_ids: Iterable[str]) -> list[tuple[str, str]]:
    from django.db.models import Q

    from visits.models import VisitReport

    rows = VisitReport.objects.filter(
        Q(visit__activity__startswith=run_mark) | Q(client_id__in=list(client_ids))
    ).values_list("client_id", "visit__public_id")
    return [(str(client_id), visit) for client_id, visit in rows]


# --- The server and the load ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(broker: Path) -> dict[str, str]:
    env = dict(os.environ)
    # DEBUG on, as `make bench` measures: with it off the session and CSRF cookies are
    # Secure-only, which a client on plain-HTTP loopback must not send back.
    env.update(
        DEBUG="1",
        OTP_REQUIRED="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        CELERY_BROKER_DIR=str(broker),
    )
    # Notifications are queued to a throwaway folder broker, never to a shared Redis.
    env.pop("REDIS_URL", None)
    return env


def start_gunicorn(port: int, env: dict[str, str], prefix: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "gunicorn", "ivscheme.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--timeout", "120",
        "--error-logfile", f"{prefix}-gunicorn.log", "--log-level", "warning",
        # Time inside a worker (microseconds), to tell it from time queued for a worker.
        "--access-logfile", f"{prefix}-access.log", "--access-logformat", "%(m)s %(U)s %(s)s %(D)s",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read().decode()
            conn.close()
            if response.status == 200:
                return
            last = f"{response.status} {body}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s: {last}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class CpuMonitor(threading.Thread):
    """Once a second: CPU seconds used so far by gunicorn (master and workers), by Locust, by
    the PostgreSQL backends of the scale database, and by the whole machine, so the result
    can say how busy the machine was and with what."""

    GROUPS = ("gunicorn", "locust", "postgres")

    def __init__(self, server_pid: int) -> None:
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.locust_pid: int | None = None
        self.samples: list[tuple[float, dict[str, float], float]] = []
        self.done = threading.Event()
        self._last: dict[int, float] = {}
        self._totals = dict.fromkeys(self.GROUPS, 0.0)

    def _processes(self) -> dict[str, list[psutil.Process]]:
        found: dict[str, list[psutil.Process]] = {group: [] for group in self.GROUPS}
        for group, pid in (("gunicorn", self.server_pid), ("locust", self.locust_pid)):
            if pid is None:
                continue
            try:
                root = psutil.Process(pid)
                found[group] = [root, *root.children(recursive=True)]
            except psutil.Error:
                pass
        for p in psutil.process_iter(["name", "cmdline"]):
            cmdline = " ".join(p.info["cmdline"] or [])
            if p.info["name"] == "postgres" and f" {DB_NAME} " in f"{cmdline} ":
                found["postgres"].append(p)
        return found

    def sample(self) -> None:
        for group, processes in self._processes().items():
            for p in processes:
                try:
                    times = p.cpu_times()
                except psutil.Error:
                    continue
                cpu = times.user + times.system
                self._totals[group] += max(0.0, cpu - self._last.get(p.pid, cpu))
                self._last[p.pid] = cpu
        machine = psutil.cpu_times()
        busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
        self.samples.append((time.time(), dict(self._totals), busy))

    def run(self) -> None:
        self.sample()
        while not self.done.wait(1.0):
            self.sample()

    def between(self, start: float | None, end: float | None) -> dict[str, Any]:
        """Cores used on average between start and end: by gunicorn, Locust, the database and
        everything else on the machine."""
        inside = [s for s in self.samples if start is None or start <= s[0] <= (end or s[0])]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        span = last[0] - first[0]
        used = {group: last[1][group] - first[1][group] for group in self.GROUPS}
        machine = last[2] - first[2]
        return {
            "cores": psutil.cpu_count(),
            **{f"{group}_cores": round(used[group] / span, 2) for group in self.GROUPS},
            "other_cores": round(max(0.0, machine - sum(used.values())) / span, 2),
            "gunicorn_cpu_seconds": round(used["gunicorn"], 1),
        }


def run_locust(port: int, plan: Path, prefix: Path, log: Path, monitor: CpuMonitor) -> None:
    users = IVS + COORDINATORS
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "tools" / "locustfile.py"),
        "--headless", "--host", f"http://127.0.0.1:{port}",
        "--users", str(users), "--spawn-rate", str(round(users / SPAWN_SECONDS, 1)),
        # A bound, not the measure: the locustfile stops SECONDS after everyone signed in.
        "--run-time", f"{SECONDS + 240}s", "--stop-timeout", "30",
        "--only-summary", "--exit-code-on-error", "0", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(os.environ, LOAD_PLAN=str(plan), LOAD_OUT=str(prefix), LOAD_SECONDS=str(SECONDS))
    with log.open("w") as out:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        monitor.locust_pid = locust.pid
        try:
            code = locust.wait(timeout=SECONDS + 420)
        except subprocess.TimeoutExpired:
            locust.kill()
            locust.wait()
            raise RuntimeError(f"locust did not finish; see {log.relative_to(ROOT)}") from None
    if code != 0:
        raise RuntimeError(f"locust exited with {code}; see {log.relative_to(ROOT)}")


# --- Output -------------------------------------------------------------------------------


def print_results(result: dict[str, Any]) -> None:
    load, check = result["load"], result["reports"]
    print()
    print(
        f"{'request':<24}{'count':>7}{'errors':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    rows = [*load["pages"].items(), ("all requests", load["overall"])]
    for name, r in rows:
        if not r["requests"] and not r["errors"]:
            continue
        print(
            f"{name:<24}{r['requests']:>7}{r['errors']:>8}{r.get('p50_ms', '-'):>9}"
            f"{r.get('p95_ms', '-'):>9}{r.get('p99_ms', '-'):>9}{r.get('max_ms', '-'):>9}"
        )
    sign_in = result["sign_in"]
    print()
    print(
        f"{load['overall']['requests']} requests in {load['seconds']} s: "
        f"{load['overall']['rps']} requests/s; p50 {load['overall'].get('p50_ms')} ms, "
        f"p95 {load['overall'].get('p95_ms')} ms, p99 {load['overall'].get('p99_ms')} ms; "
        f"errors {result['errors']}"
    )
    print(
        f"sign-in before the window ({sign_in['requests']} people, one password hash each): "
        f"p50 {sign_in.get('p50_ms')} ms, p95 {sign_in.get('p95_ms')} ms, "
        f"max {sign_in.get('max_ms')} ms"
    )
    print(
        f"reports: {check['submitted']} sent, {check['confirmed']} confirmed, "
        f"{check['found']} found in the database, {check['missing']} missing, "
        f"{check['duplicated']} duplicated, {check['misplaced']} on the wrong visit, "
        f"{check['unexpected']} unexpected, {check['interrupted']} cut off by the end of the "
        f"run; {result['resent']} sent twice on purpose"
    )
    server = result["server_time"]
    if server:
        print(
            f"time inside gunicorn's workers (all {server['requests']} requests but sign-in): "
            f"p50 {server['p50_ms']} ms, p95 {server['p95_ms']} ms; the rest of the time above "
            "is waiting for a free worker"
        )
    machine = result["machine"]
    if "gunicorn_cores" in machine:
        print(
            f"CPU in the window, of {machine['cores']} cores: gunicorn {machine['gunicorn_cores']} "
            f"({machine.get('gunicorn_cpu_ms_per_request')} ms a request), PostgreSQL "
            f"{machine['postgres_cores']}, Locust {machine['locust_cores']}, other work "
            f"{machine['other_cores']}; load average before the run "
            f"{machine['load_average_before']}"
        )
        if machine["other_cores"] > 0.25:
            print(
                "note: other work was using this machine's CPU during the run, so the "
                "latencies above are worse than the application alone would give"
            )
    if result["error_examples"]:
        print("errors, first of each kind:")
        for line in result["error_examples"]:
            print(f"  {line}")
    print()
    for target, met in result["targets"].items():
        print(f"  {'met   ' if met else 'MISSED'}  {target}")


def main() -> int:
    started = time.monotonic()
    prepare()  # sets DATABASE_URL to the scale database, building it when missing
    setup_django()
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    run_mark = f"{MARK_PREFIX}{stamp}]"
    keep = os.environ.get("LOAD_KEEP") == "1"
    if not keep and (left := remove_load_rows()):
        print(f"load: removed {left} visits left by an earlier load run")
    plan = choose_people(run_mark)
    prefix = OUT / f"load-{stamp}"
    plan_path = Path(f"{prefix}-plan.json")
    plan_path.write_text(json.dumps(plan, indent=1))
    broker = OUT / f"broker-{stamp}"
    for folder in ("queue", "control"):
        (broker / folder).mkdir(parents=True, exist_ok=True)
    port = free_port()
    load_before = os.getloadavg()[0]
    server = start_gunicorn(port, server_env(broker), prefix)
    monitor = CpuMonitor(server.pid)
    try:
        wait_healthy(port, server)
        print(
            f"load: gunicorn ({WORKERS} workers) on 127.0.0.1:{port}; {IVS} IVs and "
            f"{COORDINATORS} coordinators sign in, then {SECONDS} s of load"
        )
        monitor.start()
        run_locust(port, plan_path, prefix, Path(f"{prefix}-locust.log"), monitor)
    finally:
        monitor.done.set()
        stop(server)
        shutil.rmtree(broker, ignore_errors=True)

    raw = json.loads(Path(f"{prefix}-samples.json").read_text())
    samples: list[list[Any]] = raw["samples"]
    window = raw["window"]
    load = summarise(samples, window["start"], window["end"])
    sign_in = summarise([s for s in samples if s[0] == "sign in"], None, None)["overall"]
    submitted_log = Path(f"{prefix}-submitted.jsonl")
    lines = submitted_log.read_text().splitlines() if submitted_log.exists() else []
    sent = read_submissions(lines)
    sending = sent["sending"]
    check = check_exactly_once(
        sending, sent["confirmed"], reports_in_db(run_mark, sending), sent["finished"]
    )
    errors = [s for s in samples if not s[4]]
    kinds: dict[str, str] = {}
    for s in errors:
        kinds.setdefault(s[0], f"{s[0]}: {s[5]}")
    p95 = load["overall"].get("p95_ms")
    result: dict[str, Any] = {
        "at": stamp,
        "seconds": SECONDS,
        "wait_between_steps_s": os.environ.get("LOAD_WAIT", "1,3"),
        "users": {"ivs": IVS, "coordinators": COORDINATORS},
        "gunicorn_workers": WORKERS,
        "everyone_signed_in": raw["arrived"] == raw["expected_users"],
        "load": load,
        "sign_in": sign_in,
        "errors": len(errors),
        "error_examples": list(kinds.values())[:10],
        "reports": check,
        "resent": sent["resent"],
        "server_time": server_times(
            Path(f"{prefix}-access.log").read_text().splitlines(),
            skip=(plan["urls"]["login"], "/healthz"),
        ),
        "machine": {
            "load_average_before": round(load_before, 2),
            **monitor.between(window["start"], window["end"]),
        },
    }
    cpu_seconds = result["machine"].get("gunicorn_cpu_seconds")
    if cpu_seconds and load["overall"]["requests"]:
        result["machine"]["gunicorn_cpu_ms_per_request"] = round(
            1000 * cpu_seconds / load["overall"]["requests"], 1
        )
    result["targets"] = {
        "0 errors": not errors,
        "0 lost or duplicated reports": check["exactly_once"] and check["submitted"] > 0,
        f"p95 under {TARGET_P95_MS:.0f} ms": p95 is not None and p95 < TARGET_P95_MS,
    }
    if not keep:
        remove_load_rows(run_mark)
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    Path(f"{prefix}.json").write_text(json.dumps(result, indent=2))
    print_results(result)
    written = Path(f"{prefix}.json").relative_to(ROOT)
    print(f"\nwritten to {written}; {result['wall_seconds']} s in all")
    broke = not result["everyone_signed_in"] or not load["overall"]["requests"]
    return 1 if broke or not result["targets"]["0 lost or duplicated reports"] else 0


if __name__ == "__main__":
    sys.exit(main())
